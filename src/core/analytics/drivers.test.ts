import { describe, it, expect } from 'vitest';
import { driversReport, pairKey, touchpointImportance } from './drivers.ts';
import type { Dimension } from '../framework.ts';
import type { SideAggregate } from '../gap-report.ts';

const FW: Dimension[] = ['a', 'b', 'c'].map((k) => ({ key: k, label: k.toUpperCase(), customerItem: `${k}?`, leaderItem: `${k}, say customers?`, source: 'custom' as const }));

function sums(rows: number[][], vars: string[]) {
  const out = { n: rows.length, sums: new Map<string, number>(), cross: new Map<string, number>() };
  vars.forEach((v, i) => {
    out.sums.set(v, rows.reduce((s, r) => s + r[i]!, 0));
    vars.forEach((w, j) => out.cross.set(pairKey(v, w), rows.reduce((s, r) => s + r[i]! * r[j]!, 0)));
  });
  return out;
}

// Columns a, b, c, excellent — the data of src/core/stats/relative-weights.test.ts.
const D = [
  [4, 3, 5, 4], [2, 2, 3, 2], [5, 4, 4, 5], [3, 3, 2, 3], [4, 5, 4, 5], [1, 2, 2, 1],
  [3, 4, 3, 4], [5, 5, 5, 5], [2, 3, 4, 3], [4, 4, 3, 4], [3, 2, 3, 2], [5, 3, 4, 4],
];
const hist = (xs: number[]) => xs.reduce<Record<number, number>>((h, x) => ((h[x] = (h[x] ?? 0) + 1), h), {});
const customers: SideAggregate = { respondents: 12, items: { 'dim:a': hist(D.map((r) => r[0]!)), 'dim:b': hist(D.map((r) => r[1]!)), 'dim:c': hist(D.map((r) => r[2]!)) } };
const leaders: SideAggregate = { respondents: 5, items: { 'dim:a': { 5: 5 }, 'dim:b': { 4: 5 }, 'dim:c': { 5: 5 } } };
const ORG = { id: 'o', name: 'O', industry: 'other', minResponses: 5 };

describe('driversReport', () => {
  it('weights match numpy and the quadrant flags critical moments', () => {
    const r = driversReport({
      organisation: ORG,
      framework: FW,
      filters: {},
      outcome: 'excellent',
      sums: sums(D, ['dim:a', 'dim:b', 'dim:c', 'excellent']),
      customers,
      leaders,
      touchpoints: [],
      hidden: { customers: null, leaders: null, touchpoints: null },
    });
    // numpy (see relative-weights.test.ts): w = [0.33755665633875176, 0.43471890879512365, 0.1827023705027619], R² 0.9549779356366376
    expect(r.model).toMatchObject({ completeCases: 12, caution: 'fewer than 10 complete cases per dimension (12 for 3): importances are unstable' });
    if ('suppressed' in r.model) throw new Error('suppressed');
    expect(r.model.rSquared).toBeCloseTo(0.9549779356366376, 10);
    expect(r.dimensions.map((d) => d.importance)).toEqual([0.33755665633875176, 0.43471890879512365, 0.1827023705027619].map((w) => expect.closeTo(w, 10)));
    expect(r.dimensions.map((d) => d.rank)).toEqual([2, 1, 3]);
    expect(r.dimensions[1]!.rescaled).toBeCloseTo((100 * 0.43471890879512365) / 0.9549779356366376, 8);
    // Performance: a 41/12 = 3.417, b 40/12 = 3.333, c 42/12 = 3.5; mean 3.4167. Importance mean 0.3183.
    // b: important (0.435) and below-average performance → concentrate here; gap 4 − 3.333 = 0.667 vs mean gap
    // ((5−3.417) + 0.667 + (5−3.5))/3 = 1.25 → not critical. a: important, 3.417 ≥ 3.4167 → keep up the good work.
    expect(r.dimensions.map((d) => d.quadrant)).toEqual(['keep up the good work', 'concentrate here', 'possible overkill']);
    expect(r.dimensions.map((d) => d.critical)).toEqual([false, false, false]);
    expect(r.dimensions[1]!.gap).toBeCloseTo(4 - 40 / 12, 12);
    // Without leaders the gap criterion is dropped and b becomes a critical moment.
    const noLeaders = driversReport({ organisation: ORG, framework: FW, filters: {}, outcome: 'excellent', sums: sums(D, ['dim:a', 'dim:b', 'dim:c', 'excellent']), customers, leaders: { respondents: 2, items: {} }, touchpoints: [], hidden: { customers: null, leaders: null, touchpoints: null } });
    expect(noLeaders.dimensions.map((d) => d.critical)).toEqual([false, true, false]);
    expect(noLeaders.criticalRule).toContain('gap criterion is not applied');
  });

  it('refuses collinear dimensions and too few complete cases', () => {
    const collinear = D.map((r) => [r[0]!, r[0]!, r[2]!, r[3]!]);
    const base = { organisation: ORG, framework: FW, filters: {}, outcome: 'excellent' as const, customers, leaders, touchpoints: [], hidden: { customers: null, leaders: null, touchpoints: null } };
    expect(driversReport({ ...base, sums: sums(collinear, ['dim:a', 'dim:b', 'dim:c', 'excellent']) }).model).toMatchObject({ suppressed: true });
    expect(driversReport({ ...base, sums: sums(D.slice(0, 4), ['dim:a', 'dim:b', 'dim:c', 'excellent']) }).model).toEqual({ suppressed: true, reason: '4 complete cases: the model needs at least 5' });
  });

  it('decomposes the variance by touchpoint exactly (η² = R² on touchpoint dummies)', () => {
    // numpy: y = [3,4,2,5,3, 1,2,2] (app ×5, billing ×3); X = [1, is_billing]; b = lstsq(X, y); SST = ((y − ȳ)²).sum() = 11.5
    //   η² = 1 − ((y − X b)²).sum()/SST -> 0.48985507246376814; app 5·(ȳ_app − ȳ)²/SST -> 0.18369565217391298;
    //   billing 3·(ȳ_billing − ȳ)²/SST -> 0.30615942028985504
    const app = { n: 5, mean: 3.4, ss: 5.2 };
    const billing = { n: 3, mean: 5 / 3, ss: 2 / 3 };
    const { etaSquared, importance } = touchpointImportance([app, billing]);
    expect(importance[0]).toBeCloseTo(0.18369565217391298, 14);
    expect(importance[1]).toBeCloseTo(0.30615942028985504, 14);
    expect(etaSquared).toBeCloseTo(0.48985507246376814, 14);
  });
});
