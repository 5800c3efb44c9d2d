import { describe, it, expect } from 'vitest';
import { driverPerceptionReport, moverDifference, type DriverPerceptionInput } from './driver-perception.ts';
import { pairKey } from './drivers.ts';
import { seededRandom, standardNormal as normal } from '../stats/bootstrap.ts';
import type { Dimension } from '../framework.ts';
import type { Histogram, SideAggregate } from '../gap-report.ts';

const dim = (key: string, customer = true): Dimension => ({ key, label: key.toUpperCase(), customerItem: customer ? `How is ${key}?` : null, leaderItem: `${key}?`, source: 'custom' });

/** Complete-case sums of rows [a, b, c, excellent]; c is constant (3) when `flatC`. */
function customerSums(n: number, flatC: boolean) {
  const r = seededRandom(5);
  const vars = ['dim:a', 'dim:b', 'dim:c', 'excellent'];
  const rows = Array.from({ length: n }, () => {
    const a = normal(r);
    const b = normal(r);
    const c = normal(r);
    const cut = (x: number) => Math.max(1, Math.min(5, Math.round(3 + x)));
    return [cut(a), cut(b), flatC ? 3 : cut(c), cut(0.8 * a + 0.3 * b + 0.1 * c + 0.5 * normal(r))];
  });
  const sums = new Map(vars.map((v, i) => [v, rows.reduce((s, x) => s + x[i]!, 0)]));
  const cross = new Map<string, number>();
  vars.forEach((u, i) => vars.forEach((v, j) => cross.set(pairKey(u, v), rows.reduce((s, x) => s + x[i]! * x[j]!, 0))));
  const items: Record<string, Histogram> = {};
  vars.forEach((v, i) => {
    const h: Histogram = {};
    for (const x of rows) h[x[i]!] = (h[x[i]!] ?? 0) + 1;
    items[v] = h;
  });
  return { sums: { n, sums, cross }, side: { respondents: n, items } as SideAggregate };
}

function leaders(count: number, points: [number, number, number], rating: number): SideAggregate {
  return {
    respondents: count,
    items: { 'imp:a': { [points[0]]: count }, 'imp:b': { [points[1] - 2]: 1, [points[1] + 2]: 1, [points[1]]: count - 2 }, 'imp:c': { [points[2]]: count }, 'dim:a': { [rating]: count }, 'dim:b': { 3: count }, 'dim:c': { 3: count } },
  };
}

const org = { id: 'o', name: 'O', industry: 'x', minResponses: 5 };
function input(over: Partial<DriverPerceptionInput> = {}): DriverPerceptionInput {
  const c = customerSums(300, false);
  return {
    organisation: org,
    framework: [dim('a'), dim('b'), dim('c'), dim('ai', false)],
    filters: {},
    outcome: 'excellent',
    sums: c.sums,
    customers: c.side,
    leaders: leaders(10, [10, 30, 60], 5),
    groupBy: 'function',
    groups: [],
    hidden: { customers: null, leaders: null, groups: null },
    bootstrap: { draws: 300 },
    ...over,
  };
}

describe('driver-perception (core)', () => {
  it('MOVER interval of a difference from two intervals (Zou & Donner)', () => {
    // numpy: 6 - np.hypot(2, 3), 6 + np.hypot(2, 1)
    const [lo, hi] = moverDifference(10, [8, 12], 4, [3, 7]);
    expect(lo).toBeCloseTo(2.394448724536011, 12);
    expect(hi).toBeCloseTo(8.23606797749979, 12);
  });

  it('sets believed shares (t interval) against actual shares and applies the verdict rule', () => {
    const r = driverPerceptionReport(input());
    const a = r.dimensions.find((d) => d.key === 'a')!;
    const c = r.dimensions.find((d) => d.key === 'c')!;
    // Leaders give a 10, c 60; customers' outcome is mostly a: a under-weighted, c over-weighted, blind spot a.
    expect(a.verdict).toBe('under-weighted');
    expect(c.verdict).toBe('over-weighted');
    expect(a.differenceCi![1]).toBeLessThan(0);
    expect(r.blindSpots.map((b) => b.key)).toEqual(['a']);
    expect(a.levelGap).toBeGreaterThan(1);
    // b: 28, 32 and eight 30s. scipy: stats.t.interval(0.95, 9, loc=30, scale=np.std([28,32]+[30]*8, ddof=1)/np.sqrt(10))
    const b = r.dimensions.find((d) => d.key === 'b')!.believed as { mean: number; ci95: [number, number] };
    expect(b.mean).toBeCloseTo(30, 12);
    expect(b.ci95[0]).toBeCloseTo(29.325555041092688, 6);
    expect(b.ci95[1]).toBeCloseTo(30.674444958907312, 6);
    expect(r.excluded).toEqual([{ key: 'ai', label: 'AI', reason: expect.stringContaining('customers are not asked') }]);
    expect(r.dimensions.reduce((s, d) => s + d.actual!.share, 0)).toBeCloseTo(100, 10);
  });

  it('leaves out a dimension customers all rate the same, and rescales both sides to the dimensions compared', () => {
    const c = customerSums(300, true);
    const r = driverPerceptionReport(input({ sums: c.sums, customers: c.side }));
    expect(r.excluded.map((e) => e.key)).toEqual(['ai', 'c']);
    expect(r.dimensions.map((d) => d.key)).toEqual(['a', 'b']);
    expect(r.leaders).toEqual({ answered: 10, rescaled: true });
    // 10 and 30 points of the 40 given to a and b: 25 and 75 of 100.
    expect((r.dimensions[0]!.believed as { mean: number }).mean).toBeCloseTo(25, 10);
    expect(r.dimensions.reduce((s, d) => s + d.actual!.share, 0)).toBeCloseTo(100, 10);
    expect(r.rankCorrelation).toEqual({ suppressed: true, reason: '2 dimensions with both sides: a rank correlation needs at least 3' });
  });

  it('shows groups only when every block holds at least k leaders, and passes on why leaders are hidden', () => {
    const r = driverPerceptionReport(input({ groups: [{ members: ['Ops'], side: leaders(6, [10, 30, 60], 5) }] }));
    if ('suppressed' in r.groups) throw new Error(r.groups.reason);
    expect(r.groups.rows.map((g) => g.group)).toEqual(['Ops']);
    expect(r.groups.rows[0]!.underWeighted).toEqual(['A']);
    // A block below k (the report pools them, so only a caller's mistake) hides every group, not just itself.
    const tiny = driverPerceptionReport(
      input({
        groups: [
          { members: ['Ops'], side: leaders(6, [10, 30, 60], 5) },
          { members: ['Tiny'], side: leaders(3, [30, 30, 40], 4) },
        ],
      }),
    );
    expect(tiny.groups).toEqual({ suppressed: true, reason: expect.stringContaining('fewer than 5 leaders') });
    const hidden = driverPerceptionReport(input({ hidden: { customers: null, leaders: 'leaders are too few per month', groups: null } }));
    expect(hidden.leaders).toEqual({ suppressed: true, reason: 'leaders are too few per month' });
    expect(hidden.groups).toEqual({ suppressed: true, reason: 'leaders are too few per month' });
    expect(hidden.dimensions.every((d) => 'suppressed' in d.believed && d.verdict === null)).toBe(true);
    // Ops answered b only 3 times: b is withheld in every group (team − Sales would give Ops' 3 answers away).
    const partly = leaders(6, [10, 30, 60], 5);
    partly.items['imp:b'] = { 30: 3 };
    const sub = driverPerceptionReport(input({ groups: [{ members: ['Ops'], side: partly }, { members: ['Sales'], side: leaders(6, [20, 30, 50], 4) }] }));
    if ('suppressed' in sub.groups) throw new Error(sub.groups.reason);
    for (const g of sub.groups.rows) {
      expect(g.dimensions.find((d) => d.key === 'b')!.believed).toEqual({ suppressed: true, reason: expect.stringContaining('by subtraction') });
      expect('mean' in g.dimensions.find((d) => d.key === 'a')!.believed).toBe(true);
    }
    const few = driverPerceptionReport(input({ leaders: leaders(4, [10, 30, 60], 5) }));
    expect(few.leaders).toEqual({ suppressed: true, reason: 'fewer than 5 respondents' });
  });
});
