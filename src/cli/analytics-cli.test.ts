// `parallax report --section …` as a user runs it (the CLI program, test/cli.ts) on both engines.
import { it, expect, beforeAll } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { cli } from '../../test/cli.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { demoHistory } from '../sample-data/demo-history.ts';
import { getFramework, getJourney } from '../store/organisations.ts';
import { storeResponses } from '../store/responses.ts';

describeEngines('parallax report --section', (ctx) => {
  let f: OrgFixture;
  let url: string;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    url = ctx().location;
    const [framework, journey] = await Promise.all([getFramework(ctx().db, f.org.id), getJourney(ctx().db, f.org.id)]);
    const history = demoHistory({ framework, journey, customers: 800, leaders: 20, seed: 3, now: new Date('2025-12-15T12:00:00Z') });
    await storeResponses(
      ctx().db,
      history.map((h) => ({ orgId: f.org.id, surveyId: h.perspective === 'customer' ? f.customerSurvey : f.leaderSurvey, perspective: h.perspective, submission: h.submission })),
    );
  });

  it('prints the trend and the drivers as tables, and as the API JSON', async () => {
    const t = await cli(url, ['report', '--org', f.org.id, '--section', 'trend', '--period', 'quarter']);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('Gap trend by quarter');
    expect(t.stdout).toMatch(/2025-Q4\s+suppressed\s+\d+\.\d% \(n=\d+\)/);
    expect(t.stdout).toContain("Customers' share:");
    const d = JSON.parse((await cli(url, ['report', '--org', f.org.id, '--section', 'drivers', '--outcome', 'nps', '--json'])).stdout);
    expect(d.outcome).toBe('nps');
    expect(d.dimensions).toHaveLength(9);
  });

  it('prints the breakdown, calibration and benchmarks', async () => {
    const b = await cli(url, ['report', '--org', f.org.id, '--section', 'breakdown', '--by', 'stage']);
    expect(b.stdout).toContain('Gap by stage');
    expect(b.stdout).toMatch(/Support\s+\d+\.\d% \(n=\d+\)/);
    const c = await cli(url, ['report', '--org', f.org.id, '--section', 'calibration']);
    expect(c.stdout).toContain('WHO KNOWS OUR CUSTOMERS BEST — by function');
    expect(c.stdout).toContain('INDIVIDUAL LEADERS (the spread only: no row per leader)');
    expect(c.stdout).toMatch(/20 identified leaders\. Quartiles of dim MAE/);
    expect(c.stdout).not.toMatch(/^\s+#\d/m); // no ranked row per leader
    expect(c.stdout).not.toContain('leader-0');
    const m = await cli(url, ['report', '--org', f.org.id, '--section', 'benchmarks']);
    expect(m.stdout).toContain('PUBLISHED');
    expect(m.stdout).toContain('fewer than 5 other organisations of this industry contribute this figure');
  });

  it('refuses bad options with a message', async () => {
    const by = await cli(url, ['report', '--org', f.org.id, '--section', 'breakdown', '--by', 'colour']);
    expect(by.code).toBe(1);
    expect(by.stderr).toContain('--by "colour" must be touchpoint, stage or segment:<name>');
    const cal = await cli(url, ['report', '--org', f.org.id, '--section', 'calibration', '--touchpoint', 'app']);
    expect(cal.code).toBe(1);
    expect(cal.stderr).toContain('only --from and --to apply');
    const sec = await cli(url, ['report', '--org', f.org.id, '--section', 'nonsense']);
    expect(sec.code).not.toBe(0);
    expect(sec.stderr).toContain('nonsense');
  });
});
