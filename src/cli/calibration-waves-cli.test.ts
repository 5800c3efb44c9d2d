// `parallax report --section calibration` prints the leader waves and the learning sentence (the CLI
// program of test/cli.ts, both engines), and --json carries the same report as GET …/reports/calibration-trend;
// `--section calibration-trend` prints the waves alone; `--period` picks months or quarters (quarters
// unless given, while the gap trend's own default stays months).
import { it, expect, beforeAll } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { cli } from '../../test/cli.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { fillWaves } from '../../test/calibration-waves-fixture.ts';
import { calibrationWavesFor } from '../reports/calibration-waves.ts';

describeEngines('parallax report --section calibration: waves', (ctx) => {
  let f: OrgFixture;
  let url: string;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    url = ctx().location;
    await fillWaves(ctx(), f);
  });

  it('prints the waves table, the withheld waves with their reasons and the sentence; --json adds `waves`', async () => {
    const c = await cli(url, ['report', '--org', f.org.id, '--section', 'calibration']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('IS LEADERSHIP LEARNING? — each leader wave against the customers of the same quarter');
    expect(c.stdout).toMatch(/2024-Q2\s+withheld: fewer than 5 leaders answered in this period/);
    expect(c.stdout).toMatch(/2024-Q3\s+withheld: withheld with the smaller waves/);
    // 2024-Q4: predicted 75.0 %, actual 50.0 %, error +25.0, MOVER interval (routes/calibration-waves.test.ts).
    expect(c.stdout).toMatch(/2024-Q4\s+6\s+60\s+75\.0%\s+50\.0%\s+\+25\.0\s+\+10\.4 to \+39\.6\s+25\.0\s+1\.00/);
    expect(c.stdout).toContain("Leaders' over-confidence is shrinking by about 5.5 points a quarter (95 % CI 1.1 to 9.9).");
    const j = JSON.parse((await cli(url, ['report', '--org', f.org.id, '--section', 'calibration', '--json'])).stdout);
    expect(j.team.leaders).toBe(37); // 2 + 5 + 5 × 6
    expect(j.waves).toEqual(JSON.parse(JSON.stringify(await calibrationWavesFor(ctx().db, f.org.id, {}, 'quarter'))));
  });

  it('--period month gives monthly waves, in the calibration section and the calibration-trend section alike', { timeout: 240_000 }, async () => {
    for (const section of ['calibration', 'calibration-trend']) {
      const c = await cli(url, ['report', '--org', f.org.id, '--section', section, '--period', 'month']);
      expect(c.code, c.stderr).toBe(0);
      expect(c.stdout).toContain('IS LEADERSHIP LEARNING? — each leader wave against the customers of the same month');
      expect(c.stdout).toMatch(/2024-05\s+withheld: fewer than 5 leaders answered in this period/);
      expect(c.stdout).toMatch(/2024-08\s+withheld: withheld with the smaller waves/);
      expect(c.stdout).toMatch(/2024-11\s+6\s+60\s+75\.0%\s+50\.0%\s+\+25\.0/);
      // The quarterly slope and interval over 3 (the fixture's waves are 3 months apart): −5.529/3 = −1.843,
      // CI (−9.924, −1.135)/3 = (−3.308, −0.378) (numpy, routes/calibration-waves.test.ts REF).
      expect(c.stdout).toContain("Leaders' over-confidence is shrinking by about 1.8 points a month (95 % CI 0.4 to 3.3).");
    }
    const j = JSON.parse((await cli(url, ['report', '--org', f.org.id, '--section', 'calibration-trend', '--period', 'month', '--json'])).stdout);
    expect(j).toEqual(JSON.parse(JSON.stringify(await calibrationWavesFor(ctx().db, f.org.id, {}, 'month'))));
  });

  it('calibration-trend defaults to quarters while the gap trend keeps months; only --from/--to apply', { timeout: 240_000 }, async () => {
    const c = await cli(url, ['report', '--org', f.org.id, '--section', 'calibration-trend']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain('each leader wave against the customers of the same quarter');
    expect(c.stdout).toContain("Leaders' over-confidence is shrinking by about 5.5 points a quarter (95 % CI 1.1 to 9.9).");
    const t = await cli(url, ['report', '--org', f.org.id, '--section', 'trend']);
    expect(t.stdout).toContain('Gap trend by month');
    expect((await cli(url, ['report', '--org', f.org.id, '--section', 'trend', '--period', 'quarter'])).stdout).toContain('Gap trend by quarter');
    const bad = await cli(url, ['report', '--org', f.org.id, '--section', 'calibration-trend', '--touchpoint', 'app']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('only --from and --to apply');
    const week = await cli(url, ['report', '--org', f.org.id, '--section', 'calibration-trend', '--period', 'week']);
    expect(week.code).not.toBe(0);
    expect(week.stderr).toMatch(/--period.*week|week.*--period/);
  });
});
