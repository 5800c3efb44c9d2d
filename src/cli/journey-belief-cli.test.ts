// `parallax report --section journey-belief` (issue 11) as a user runs it (the CLI program, test/cli.ts; both engines):
// the belief / reality / gap table with intervals on the seeded history of test/journey-belief-fixture.ts,
// every withheld figure with its reason, the filters narrowing the rows, and --json equal to the report the
// API serves (reports/journey-belief.ts, so the anonymity is the API's).
import { it, expect, beforeAll } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { cli } from '../../test/cli.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { fillJourneyBelief } from '../../test/journey-belief-fixture.ts';
import { journeyBeliefFor } from '../reports/journey-belief.ts';

describeEngines('parallax report --section journey-belief', (ctx) => {
  let f: OrgFixture;
  let url: string;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    url = ctx().location;
    await fillJourneyBelief(ctx(), f);
  });
  const line = (out: string, label: string) => out.split('\n').find((l) => l.trimStart().startsWith(label)) ?? '';
  const after = (out: string, label: string) => out.split('\n')[out.split('\n').findIndex((l) => l.trimStart().startsWith(label)) + 1] ?? '';

  it('prints belief, reality and the gap with their intervals per touchpoint, and why each missing figure is missing', { timeout: 240_000 }, async () => {
    const c = await cli(url, ['report', '--org', f.org.id, '--section', 'journey-belief']);
    expect(c.code, c.stderr).toBe(0);
    const out = c.stdout;
    expect(out).toContain(`What leaders believe at each touchpoint — ${f.org.name}`);
    // Reference values (scipy 1.17.1), as in src/reports/journey-belief.test.ts:
    //   p = [60,70,80,75,65,90]: mean 73.33, st.t.interval(.95, 5, loc=p.mean(), scale=st.sem(p)) = (62.00, 84.67)
    //   st.binomtest(18, 50).proportion_ci(method='wilson') = (0.2414, 0.4986); MOVER gap 37.33 (19.43, 53.74)
    expect(line(out, 'App & product')).toMatch(/^\s+App & product\s+Product\s+73\.3%\s+62\.0% to 84\.7%\s+6\s+36\.0%\s+24\.1% to 49\.9%\s+50\s+\+37\.3\s+\+19\.4 to \+53\.7$/);
    // Billing: 3 of 12 customers (Wilson 0.0889–0.5323); Finance's 3 predictions are below the minimum of 5.
    expect(line(out, 'Billing')).toMatch(/^\s+Billing\s+Finance\s+—\s+25\.0%\s+8\.9% to 53\.2%\s+12\s+—$/);
    expect(after(out, 'Billing').trim()).toBe('leaders withheld: fewer than 5 leaders predicted this touchpoint');
    // Website: 4 of 8 (Wilson 0.2152–0.7848); no Digital leader was asked.
    expect(line(out, 'Website')).toMatch(/^\s+Website\s+Digital\s+—\s+50\.0%\s+21\.5% to 78\.5%\s+8\s+—$/);
    expect(after(out, 'Website').trim()).toBe('no Digital leader predicted this touchpoint');
    // Welcome: 3 customers, fewer than the minimum.
    expect(after(out, 'Welcome & setup').trim()).toBe('no Customer Success leader predicted this touchpoint; customers withheld: fewer than 5 respondents');
    expect(out.match(/^ {2}[A-Z]+$/gm)).toEqual(['  DISCOVER', '  BUY', '  ONBOARD', '  USE', '  SUPPORT', '  RENEW']);
  });

  it('--json is the report the API returns; the filters narrow it as they narrow the API', { timeout: 240_000 }, async () => {
    const j = JSON.parse((await cli(url, ['report', '--org', f.org.id, '--section', 'journey-belief', '--json'])).stdout);
    expect(j).toEqual(JSON.parse(JSON.stringify(await journeyBeliefFor(ctx().db, f.org.id, {}))));
    const one = await cli(url, ['report', '--org', f.org.id, '--section', 'journey-belief', '--stage', 'use']);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain('App & product');
    expect(one.stdout).not.toContain('Website');
    // Everyone answered in September: after it, the customers' side is withheld as a whole (said once, with
    // the report's reason) and no leader predicted anything.
    const none = await cli(url, ['report', '--org', f.org.id, '--section', 'journey-belief', '--from', '2025-10']);
    const r = (await journeyBeliefFor(ctx().db, f.org.id, { from: '2025-10' }))!;
    expect(r.hidden.customers).not.toBeNull();
    expect(none.stdout).toContain(`Customers withheld: ${r.hidden.customers}`);
    expect(after(none.stdout, 'App & product').trim()).toBe('no Product leader predicted this touchpoint');
    expect(none.stdout).not.toMatch(/\d\.\d%/); // no figure at all
    const bad = await cli(url, ['report', '--org', f.org.id, '--section', 'journey-belief', '--from', '2025-13']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('from');
  });
});
