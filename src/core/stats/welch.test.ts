import { describe, it, expect } from 'vitest';
import { welchTTest, hedgesG } from './welch.ts';
import { momentsOf } from './moments.ts';

// Leaders' predicted ratings vs customers' ratings on one dimension (1–5).
const leaders = [4, 5, 4, 4, 3, 5, 4, 4];
const customers = [3, 4, 2, 5, 3, 3, 4, 2, 3, 4, 1, 3, 4, 3, 2];

describe('welchTTest', () => {
  it('matches scipy on raw data', () => {
    // scipy 1.17.1: res = stats.ttest_ind(leaders, customers, equal_var=False); res.confidence_interval(0.95)
    //   -> t=3.024421916128784, p=0.006614099445988463, df=20.324615280322817,
    //      ci=(0.3291406149637648, 1.7875260517029015)
    const r = welchTTest(momentsOf(leaders), momentsOf(customers));
    expect(r.diff).toBeCloseTo(4.125 - 3.066666666666667, 12);
    expect(r.t).toBeCloseTo(3.024421916128784, 10);
    expect(r.df).toBeCloseTo(20.324615280322817, 9);
    expect(r.pValue).toBeCloseTo(0.006614099445988463, 8);
    expect(r.ci95[0]).toBeCloseTo(0.3291406149637648, 7);
    expect(r.ci95[1]).toBeCloseTo(1.7875260517029015, 7);
  });

  it('matches scipy from summary statistics', () => {
    // scipy: stats.ttest_ind_from_stats(3.2, 0.9, 40, 3.6, 1.3, 25, equal_var=False)
    //   -> t=-1.3495504004807217, p=0.1850610432510059
    // df by hand: v1=0.81/40, v2=1.69/25; (v1+v2)**2/(v1**2/39+v2**2/24) -> 38.411211634622475
    const r = welchTTest({ n: 40, mean: 3.2, sd: 0.9 }, { n: 25, mean: 3.6, sd: 1.3 });
    expect(r.t).toBeCloseTo(-1.3495504004807217, 10);
    expect(r.pValue).toBeCloseTo(0.1850610432510059, 7);
    expect(r.df).toBeCloseTo(38.411211634622475, 8);
  });

  it('handles groups without spread and rejects n < 2', () => {
    const same = welchTTest({ n: 5, mean: 3, sd: 0 }, { n: 4, mean: 3, sd: 0 });
    expect(same).toEqual({ diff: 0, t: 0, df: 7, pValue: 1, ci95: [0, 0] });
    const apart = welchTTest({ n: 5, mean: 4, sd: 0 }, { n: 4, mean: 3, sd: 0 });
    expect(apart.t).toBe(Infinity);
    expect(apart.pValue).toBe(0);
    // One group constant: df reduces to n_other − 1.
    expect(welchTTest({ n: 5, mean: 4, sd: 0 }, { n: 9, mean: 3, sd: 1 }).df).toBeCloseTo(8, 12);
    expect(() => welchTTest({ n: 1, mean: 4, sd: 0 }, { n: 9, mean: 3, sd: 1 })).toThrow(RangeError);
  });
});

describe('hedgesG', () => {
  it('matches the exact Hedges correction computed with numpy/scipy', () => {
    // python (numpy 2.4, scipy 1.17.1), a=leaders, b=customers as float arrays:
    //   m=len(a)+len(b)-2; sp=np.sqrt(((len(a)-1)*a.var(ddof=1)+(len(b)-1)*b.var(ddof=1))/m)
    //   d=(a.mean()-b.mean())/sp -> 1.1492658029460565
    //   J=np.exp(special.gammaln(m/2)-special.gammaln((m-1)/2))/np.sqrt(m/2); d*J -> 1.1076419840365281
    //   approximate correction d*(1-3/(4*m-1)) -> 1.1077260751287292
    const g = hedgesG(momentsOf(leaders), momentsOf(customers));
    expect(g).toBeCloseTo(1.1076419840365281, 10);
    expect(g).toBeCloseTo(1.1077260751287292, 3);
    expect(hedgesG(momentsOf(customers), momentsOf(leaders))).toBeCloseTo(-1.1076419840365281, 10);
  });

  it('handles constant groups and rejects too-small samples', () => {
    expect(hedgesG({ n: 3, mean: 2, sd: 0 }, { n: 3, mean: 2, sd: 0 })).toBe(0);
    expect(hedgesG({ n: 3, mean: 1, sd: 0 }, { n: 3, mean: 2, sd: 0 })).toBe(-Infinity);
    expect(() => hedgesG({ n: 2, mean: 1, sd: 1 }, { n: 1, mean: 2, sd: 0 })).toThrow(RangeError);
  });
});
