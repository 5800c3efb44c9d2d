// Post-stratification against numpy/scipy. The reference computes the linearisation variance in its raw
// per-respondent form — z_i = w_i (y_i − ȳ_w)/Σw, v = Σ_h n_h/(n_h−1) Σ_{i∈h} (z_i − z̄_h)² — not the
// histogram form the module uses, and checks it against the textbook Σ W_h² s_h²/n_h (Lohr §4.4):
//   import numpy as np; from scipy import stats
//   def expand(h): return np.concatenate([np.full(c, v, float) for v, c in h.items()])
//   def lin(groups, f=lambda y: y):
//       w = np.concatenate([np.full(len(y), wt) for wt, y in groups]); y = np.concatenate([f(y) for _, y in groups])
//       est = (w*y).sum()/w.sum(); z = w*(y-est)/w.sum(); v = 0; i = 0
//       for wt, yy in groups:
//           zz = z[i:i+len(yy)]; i += len(yy)
//           if len(zz) > 1: v += len(zz)/(len(zz)-1)*((zz-zz.mean())**2).sum()
//       return est, v, w.sum()**2/(w**2).sum(), len(y)-len(groups)
//   A = expand({5:4,4:3,3:2,2:1}); B = expand({5:2,4:4,3:8,2:4,1:2}); wA = 0.6/(10/30); wB = 0.4/(20/30)
import { describe, it, expect } from 'vitest';
import { MAX_WEIGHT, postStratify, weightedMean, weightedNps, weightedShare, wilsonAt, type WeightedCell } from './post-stratification.ts';
import { wilsonInterval } from './stats/proportion.ts';

const m = (o: Record<string, number>) => new Map(Object.entries(o));
const h = (o: Record<number, number>) => new Map(Object.entries(o).map(([v, c]) => [Number(v), c]));

describe('postStratify', () => {
  it('weights two strata to the population shares', () => {
    // population 60/40, respondents 10/20: w = 0.6/(10/30) = 1.8, 0.4/(20/30) = 0.6; Kish (python above) 22.727272727272748
    const w = postStratify(m({ north: 60, south: 40 }), m({ north: 10, south: 20 }), 5);
    if (!w.ok) throw new Error(w.reason);
    expect(w.strata.map((s) => [s.values, s.invited, s.respondents])).toEqual([[['north'], 60, 10], [['south'], 40, 20]]);
    expect(w.strata[0]!.weight).toBeCloseTo(1.8, 12);
    expect(w.strata[1]!.weight).toBeCloseTo(0.6, 12);
    expect(w.strata[0]!.weightedShare).toBeCloseTo(0.6, 12);
    expect(w.trimmed).toBe(false);
    expect(w.effectiveSampleSize).toBeCloseTo(22.727272727272748, 10);
    expect(w.designEffect).toBeCloseTo(30 / 22.727272727272748, 10);
  });

  it('pools small strata as the anonymity rule does and reports values nobody answered', () => {
    // k = 5: Y (2) and X (3) pooled to 5; V invited but unanswered is left out of the population (90 of 100).
    // By hand: shares XY 20/90, Z 30/90, W 40/90; sample 5/35, 10/35, 20/35 → w = 1.5555…, 1.1666…, 0.7777…
    // Kish: python3 w=np.array([20/90/(5/35),30/90/(10/35),40/90/(20/35)]); n=np.array([5,10,20]); (w*n).sum()**2/(w*w*n).sum() → 32.4
    const w = postStratify(m({ X: 10, Y: 10, Z: 30, W: 40, V: 10 }), m({ X: 3, Y: 2, Z: 10, W: 20 }), 5);
    if (!w.ok) throw new Error(w.reason);
    expect(w.strata.map((s) => s.values)).toEqual([['W'], ['X', 'Y'], ['Z']]);
    expect(w.strata.map((s) => s.weight)).toEqual([expect.closeTo(7 / 9, 12), expect.closeTo(14 / 9, 12), expect.closeTo(7 / 6, 12)]);
    expect(w.unrepresented).toEqual([{ value: 'V', invited: 10 }]);
    expect(w.effectiveSampleSize).toBeCloseTo(32.4, 10);
  });

  it(`trims weights above ${MAX_WEIGHT} and keeps their mean at 1`, () => {
    // shares .5/.3/.2, respondents 5/40/55: raw 10, 0.75, 0.3636…; A capped at 5, the others × 75/50.
    // python3: w=np.array([10,.75,.2/.55]); n=np.array([5,40,55]); w[0]=5; w[1:]*=(100-25)/(w[1:]*n[1:]).sum()
    //   → [5, 1.125, 0.54545455]; w*n/100 → [0.25, 0.45, 0.3]; Kish (w*n).sum()**2/(w*w*n).sum() → 52.0864160994377
    const w = postStratify(m({ a: 50, b: 30, c: 20 }), m({ a: 5, b: 40, c: 55 }), 5);
    if (!w.ok) throw new Error(w.reason);
    expect(w.trimmed).toBe(true);
    expect(w.strata.map((s) => s.untrimmedWeight)).toEqual([expect.closeTo(10, 12), expect.closeTo(0.75, 12), expect.closeTo(0.2 / 0.55, 12)]);
    expect(w.strata.map((s) => s.weight)).toEqual([expect.closeTo(5, 12), expect.closeTo(1.125, 12), expect.closeTo(6 / 11, 12)]);
    expect(w.strata.map((s) => s.weightedShare)).toEqual([expect.closeTo(0.25, 12), expect.closeTo(0.45, 12), expect.closeTo(0.3, 12)]);
    expect(w.effectiveSampleSize).toBeCloseTo(52.0864160994377, 10);
  });

  it('says why no weighting is possible', () => {
    expect(postStratify(m({ a: 10, b: 10 }), m({ a: 3 }), 5)).toEqual({ ok: false, reason: 'fewer than 5 respondents' });
    const one = postStratify(m({ a: 10, b: 10 }), m({ a: 3, b: 4 }), 5);
    expect(one.ok === false && one.reason).toMatch(/single group/);
    const cross = postStratify(m({ 'north × pro': 10, 'north × basic': 10, 'south × pro': 10 }), m({ 'north × pro': 6, 'north × basic': 6, 'south × pro': 2 }), 5, { cross: true });
    expect(cross).toEqual({ ok: false, reason: 'the cross has cells with fewer than 5 respondents (south × pro): weight by one attribute' });
    const crossOk = postStratify(m({ 'n × p': 10, 's × p': 10 }), m({ 'n × p': 6, 's × p': 5 }), 5, { cross: true });
    expect(crossOk.ok).toBe(true);
    expect(() => postStratify(m({ a: 10 }), m({ b: 6 }), 5)).toThrow(RangeError);
  });
});

describe('weighted estimates', () => {
  const A: WeightedCell = { weight: 1.8, histogram: h({ 5: 4, 4: 3, 3: 2, 2: 1 }) };
  const B: WeightedCell = { weight: 0.6, histogram: h({ 5: 2, 4: 4, 3: 8, 2: 4, 1: 2 }) };

  it('mean: linearisation SE and t interval with n − H df', () => {
    // est, v, neff, df = lin([(wA, A), (wB, B)]); t = stats.t.ppf(.975, df)
    //   → 3.5999999999999988, sqrt(v) 0.22384204957490605, [3.141480347016676, 4.058519652983322], neff 22.727272727272748, df 28
    //   textbook 0.6**2*A.var(ddof=1)/10 + 0.4**2*B.var(ddof=1)/20 → 0.050105263157894736 (= v)
    const r = weightedMean([A, B])!;
    expect(r.n).toBe(30);
    expect(r.mean).toBeCloseTo(3.6, 12);
    expect(r.se).toBeCloseTo(0.22384204957490605, 12);
    expect(r.se ** 2).toBeCloseTo(0.050105263157894736, 12);
    expect(r.ci95![0]).toBeCloseTo(3.141480347016676, 6);
    expect(r.ci95![1]).toBeCloseTo(4.058519652983322, 6);
    expect(r.effectiveN).toBeCloseTo(22.727272727272748, 10);
  });

  it('share: Wilson at the design effective n', () => {
    // p, v, neff, df = lin(..., f=lambda y: (y >= 4).astype(float)); ns = p*(1-p)/v; Wilson(p, ns) with z = norm.ppf(.975)
    //   → p 0.5399999999999998, se 0.10083858910472503, ns 24.428571428571455, [0.3507624106019738, 0.718366829694346]
    const r = weightedShare([A, B], (v) => v >= 4)!;
    expect(r.share).toBeCloseTo(0.54, 12);
    expect(r.se).toBeCloseTo(0.10083858910472503, 12);
    expect(r.ci95[0]).toBeCloseTo(0.3507624106019738, 10);
    expect(r.ci95[1]).toBeCloseTo(0.718366829694346, 10);
  });

  it('NPS: weighted ±1/0 coding with a 1.96 · SE margin', () => {
    // NA = expand({10:3,9:2,8:2,6:2,3:1}); NB = expand({10:2,9:2,8:6,7:4,5:4,0:2}); g = ±1/0 coding
    //   lin([(wA, NA), (wB, NB)], g) → score 7.999999999999999, moe 1.96*100*sqrt(v) = 36.419266156368664
    const r = weightedNps([
      { weight: 1.8, histogram: h({ 10: 3, 9: 2, 8: 2, 6: 2, 3: 1 }) },
      { weight: 0.6, histogram: h({ 10: 2, 9: 2, 8: 6, 7: 4, 5: 4, 0: 2 }) },
    ])!;
    expect(r.score).toBeCloseTo(8, 10);
    expect(r.moe95).toBeCloseTo(36.419266156368664, 10);
    expect(r.ci95).toEqual([expect.closeTo(8 - 36.419266156368664, 10), expect.closeTo(8 + 36.419266156368664, 10)]);
  });

  it('copes with skipped items: a single answer adds no variance, an empty stratum drops out', () => {
    // lin([(wA, [4.]), (wB, expand({5:1,3:3,1:2}))]) → 3.1111111111111116, se 0.40975753143523946, neff 5.4, df 5
    const r = weightedMean([{ weight: 1.8, histogram: h({ 4: 1 }) }, { weight: 0.6, histogram: h({ 5: 1, 3: 3, 1: 2 }) }, { weight: 3, histogram: h({}) }])!;
    expect(r.n).toBe(7);
    expect(r.mean).toBeCloseTo(3.1111111111111116, 12);
    expect(r.se).toBeCloseTo(0.40975753143523946, 12);
    expect(r.effectiveN).toBeCloseTo(5.4, 12);
    expect(weightedMean([{ weight: 1, histogram: h({}) }])).toBeNull();
  });

  it('equal weights give the unweighted share, and wilsonAt is the Wilson interval at whole counts', () => {
    // One stratum of 7/20 "yes": v = p(1−p)/(n−1), so n* = n − 1 = 19.
    const r = weightedShare([{ weight: 1, histogram: h({ 5: 7, 2: 13 }) }], (v) => v >= 4)!;
    expect(r.share).toBeCloseTo(0.35, 12);
    expect(r.ci95[0]).toBeCloseTo(wilsonAt(0.35, 19)[0], 12);
    expect(r.ci95[1]).toBeCloseTo(wilsonAt(0.35, 19)[1], 12);
    const ref = wilsonInterval(7, 20);
    expect(wilsonAt(7 / 20, 20)[0]).toBeCloseTo(ref[0], 14);
    expect(wilsonAt(7 / 20, 20)[1]).toBeCloseTo(ref[1], 14);
    expect(wilsonAt(0, 10)[0]).toBe(0);
    expect(wilsonAt(1, 10)[1]).toBe(1);
  });
});
