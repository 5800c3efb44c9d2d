// The driver-perception report on both engines, on seeded data whose answer is known: customers' top
// driver is reliability; leaders under-weight it (and rate it far above customers) and over-weight
// tangibles. The report must find both, call reliability a blind spot, and pool small leader groups.
import { it, expect, beforeAll } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { fillPerception, OVER_WEIGHTED, TRUE_TOP } from '../../test/driver-perception-fixture.ts';
import { driverPerceptionFor } from './driver-perception.ts';
import { driversFor } from './drivers.ts';

describeEngines('driver-perception report', (ctx) => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    await fillPerception(ctx(), f, { customers: 600, leaders: { Operations: 7, Marketing: 6, Finance: 2 }, seed: 11 });
  });

  it("sets leaders' believed shares against customers' relative weights and finds the over- and under-weighted dimensions", async () => {
    const r = (await driverPerceptionFor(ctx().db, f.org.id, {}, 'excellent'))!;
    if ('suppressed' in r.customers || 'suppressed' in r.leaders) throw new Error(JSON.stringify([r.customers, r.leaders]));
    expect(r.customers.completeCases).toBe(600);
    expect(r.customers.draws).toBe(1000);
    expect(r.leaders.answered).toBe(15);
    expect(r.leaders.rescaled).toBe(false); // every customer dimension is compared
    // ai_readiness has no customer question: left out, with the reason.
    expect(r.excluded.map((e) => e.key)).toEqual(['ai_readiness']);
    expect(r.dimensions).toHaveLength(9);
    // Customers' shares are the drivers report's rescaled weights (same model), and sum to 100; so do leaders'.
    const drivers = (await driversFor(ctx().db, f.org.id, {}, 'excellent'))!;
    for (const d of r.dimensions) {
      expect(d.actual!.share).toBeCloseTo(drivers.dimensions.find((x) => x.key === d.key)!.rescaled!, 8);
      expect(d.actual!.ci95[0]).toBeLessThanOrEqual(d.actual!.share);
      expect(d.actual!.ci95[1]).toBeGreaterThanOrEqual(d.actual!.share);
    }
    expect(r.dimensions.reduce((s, d) => s + d.actual!.share, 0)).toBeCloseTo(100, 8);
    const believed = (k: string) => r.dimensions.find((d) => d.key === k)!.believed as { mean: number; n: number };
    expect(r.dimensions.reduce((s, d) => s + believed(d.key).mean, 0)).toBeCloseTo(100, 8);
    expect(believed(TRUE_TOP).n).toBe(15);

    const top = r.dimensions.find((d) => d.key === TRUE_TOP)!;
    const over = r.dimensions.find((d) => d.key === OVER_WEIGHTED)!;
    expect(top.rankActual).toBe(1);
    expect(top.verdict).toBe('under-weighted');
    expect(top.differenceCi![1]).toBeLessThan(0);
    expect(over.verdict).toBe('over-weighted');
    expect(over.rankBelieved).toBe(1);
    expect(top.levelGap!).toBeGreaterThan(1.2); // leaders ≈ 4.6 against customers ≈ 2.7
    expect(r.blindSpots.map((b) => b.key)).toEqual([TRUE_TOP]);
    expect(r.blindSpots[0]!.sentence).toMatch(/^Customers give Reliability \d+ of 100 points of importance \(95% CI \d+–\d+\); leaders give it \d+/);
    expect(r.rules.blindSpot).toContain('mean level gap');
    if ('suppressed' in r.rankCorrelation) throw new Error(r.rankCorrelation.reason);
    expect(r.rankCorrelation.dimensions).toBe(9);
    expect(r.rankCorrelation.spearman.estimate!).toBeLessThan(0.7);
    expect(r.summary).toContain('Leaders over-weight Tangibles');
    expect(r.summary).toContain('Blind spot to act on first: Reliability');
  });

  it('shows leadership groups only in blocks of at least the minimum: Finance (2 leaders) is pooled, never alone', async () => {
    const r = (await driverPerceptionFor(ctx().db, f.org.id, {}, 'excellent'))!;
    if ('suppressed' in r.groups) throw new Error(r.groups.reason);
    expect(r.groups.groupBy).toBe('function');
    expect(r.groups.rows.map((g) => [g.group, g.pooled, g.leaders]).sort()).toEqual([
      ['Finance + Marketing', true, 8],
      ['Operations', false, 7],
    ]);
    for (const g of r.groups.rows) {
      expect(g.leaders).toBeGreaterThanOrEqual(5);
      expect(g.overWeighted).toContain('Tangibles');
    }
    const other = (await driverPerceptionFor(ctx().db, f.org.id, {}, 'excellent', 'region'))!;
    if ('suppressed' in other.groups) throw new Error(other.groups.reason);
    // No leader gave a region: one block, "(not given)", of all 15.
    expect(other.groups.rows.map((g) => [g.group, g.leaders])).toEqual([['(not given)', 15]]);
  });

  it('says so, without an error, when no leader has answered the importance question', async () => {
    const g = await makeOrg(ctx());
    await fillPerception(ctx(), g, { customers: 80, leaders: {}, seed: 3 });
    const r = (await driverPerceptionFor(ctx().db, g.org.id, {}, 'excellent'))!;
    expect(r.leaders).toEqual({ suppressed: true, reason: expect.stringContaining('no leader has answered') });
    expect(r.dimensions.every((d) => d.actual !== null && 'suppressed' in d.believed && d.verdict === null)).toBe(true);
    expect(r.blindSpots).toEqual([]);
    expect(r.summary).toMatch(/Reliability drives customers' view most .* Leaders' beliefs are not shown: no leader has answered/);
  });

  it('leaves the customers out with the reason when there are too few complete cases, and answers undefined for an unknown organisation', async () => {
    const g = await makeOrg(ctx());
    await fillPerception(ctx(), g, { customers: 8, leaders: { Operations: 5 }, seed: 4 });
    const r = (await driverPerceptionFor(ctx().db, g.org.id, {}, 'excellent'))!;
    expect(r.customers).toEqual({ suppressed: true, reason: '8 complete cases: the model needs at least 11' });
    expect(r.excluded.filter((e) => e.reason.startsWith("customers' importance is not available"))).toHaveLength(9);
    expect(r.summary).toContain("Customers' drivers cannot be shown");
    expect(await driverPerceptionFor(ctx().db, 'no-such-org', {}, 'excellent')).toBeUndefined();
  });
});
