// `parallax report --section driver-perception` as a user runs it (the CLI program, test/cli.ts) on both engines.
import { it, expect, beforeAll } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { cli } from '../../test/cli.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { fillPerception } from '../../test/driver-perception-fixture.ts';

describeEngines('parallax report --section driver-perception', (ctx) => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    await fillPerception(ctx(), f, { customers: 300, leaders: { Operations: 6, Marketing: 5, Finance: 2 }, seed: 9 });
  });

  it('prints the table with the blind spots and groups, and the API JSON', async () => {
    const t = await cli(ctx().location, ['report', '--org', f.org.id, '--section', 'driver-perception']);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toContain('Driver-perception gap ("excellent")');
    expect(t.stdout).toMatch(/Reliability\s+\d+\.\d\s+\d+\.\d–\d+\.\d\s+13\s+\d+\.\d/);
    expect(t.stdout).toMatch(/under-weighted/);
    expect(t.stdout).toMatch(/BLIND SPOTS[^\n]*\n {2}1\. Customers give Reliability/);
    expect(t.stdout).toMatch(/Finance \+ Marketing \(pooled\)\s+7 leaders/);
    const j = JSON.parse((await cli(ctx().location, ['report', '--org', f.org.id, '--section', 'driver-perception', '--outcome', 'nps', '--json'])).stdout);
    expect(j.outcome).toBe('nps');
    expect(j.dimensions).toHaveLength(9);
    const bad = await cli(ctx().location, ['report', '--org', f.org.id, '--section', 'driver-perception', '--group', 'Not-A-Segment']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--group "Not-A-Segment" is not a segment name');
  });
});
