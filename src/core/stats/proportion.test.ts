import { describe, it, expect } from 'vitest';
import { wilsonInterval, twoProportionZTest } from './proportion.ts';

describe('wilsonInterval', () => {
  it('matches scipy', () => {
    // scipy 1.17.1: stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson')
    const cases: [number, number, number, number][] = [
      [8, 25, 0.17205190306907986, 0.5158973072689776],
      [37, 120, 0.23272736988916295, 0.3958299772380067],
      [0, 10, 0.0, 0.27753279986288926],
      [10, 10, 0.7224672001371109, 1.0],
      [1, 1, 0.20654931437723745, 1.0],
    ];
    for (const [k, n, lo, hi] of cases) {
      const [l, h] = wilsonInterval(k, n);
      expect(l).toBeCloseTo(lo, 12);
      expect(h).toBeCloseTo(hi, 12);
    }
  });

  it('uses exact bounds at p = 0 and p = 1, and [0, 1] for n = 0', () => {
    expect(wilsonInterval(0, 10)[0]).toBe(0);
    expect(wilsonInterval(10, 10)[1]).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });

  it('honours a custom z', () => {
    // python: z=1.6448536269514722 (stats.norm.ppf(0.95));
    //   stats.binomtest(8,25).proportion_ci(confidence_level=0.90, method='wilson')
    //   -> (0.19074992245175873, 0.48440533971041966)
    const [l, h] = wilsonInterval(8, 25, 1.6448536269514722);
    expect(l).toBeCloseTo(0.19074992245175873, 10);
    expect(h).toBeCloseTo(0.48440533971041966, 10);
  });

  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 2.5)).toThrow(RangeError);
  });
});

describe('twoProportionZTest', () => {
  it('matches the uncorrected chi-square test on the 2×2 table', () => {
    // scipy 1.17.1: stats.chi2_contingency([[30,10],[90,160]], correction=False)
    //   -> chi2=21.622058823529407, p=3.3201138666492832e-06 ; z = +sqrt(chi2) = 4.649952561427848
    const r = twoProportionZTest(30, 40, 90, 250);
    expect(r.diff).toBeCloseTo(0.39, 14); // 30/40 - 90/250
    expect(r.z).toBeCloseTo(4.649952561427848, 10);
    expect(r.pValue).toBeCloseTo(3.3201138666492832e-6, 12);

    // scipy: stats.chi2_contingency([[12,8],[15,15]], correction=False)
    //   -> chi2=0.483091787439613, p=0.48702519159494884 ; sqrt(chi2) = 0.6950480468569155
    const s = twoProportionZTest(12, 20, 15, 30);
    expect(s.diff).toBeCloseTo(0.1, 14);
    expect(s.z).toBeCloseTo(0.6950480468569155, 10);
    expect(s.pValue).toBeCloseTo(0.48702519159494884, 10);
  });

  it('is antisymmetric in the groups', () => {
    const r = twoProportionZTest(90, 250, 30, 40);
    expect(r.z).toBeCloseTo(-4.649952561427848, 10);
    expect(r.diff).toBeCloseTo(-0.39, 14);
  });

  it('degenerate pooled share gives z = 0, p = 1; empty groups throw', () => {
    expect(twoProportionZTest(0, 10, 0, 20)).toEqual({ diff: 0, z: 0, pValue: 1 });
    expect(twoProportionZTest(10, 10, 20, 20)).toEqual({ diff: 0, z: 0, pValue: 1 });
    expect(() => twoProportionZTest(0, 0, 3, 10)).toThrow(RangeError);
  });
});
