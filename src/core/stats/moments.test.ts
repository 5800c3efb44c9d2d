import { describe, it, expect } from 'vitest';
import { momentsFromSums, momentsFromHistogram, momentsOf, tInterval } from './moments.ts';

// Reference sample and its statistics, numpy 2.4 / scipy 1.17.1:
//   a = np.array([4,5,3,4,2,5,5,4,3,4,1,5.])
//   a.mean() -> 3.75 ; a.std(ddof=1) -> 1.2880570286640687 ; a.sum() -> 45 ; (a**2).sum() -> 187
const a = [4, 5, 3, 4, 2, 5, 5, 4, 3, 4, 1, 5];
const A_MEAN = 3.75;
const A_SD = 1.2880570286640687;

describe('moments', () => {
  it('momentsOf matches numpy', () => {
    const m = momentsOf(a);
    expect(m.n).toBe(12);
    expect(m.mean).toBeCloseTo(A_MEAN, 13);
    expect(m.sd).toBeCloseTo(A_SD, 13);
  });

  it('momentsFromSums matches numpy', () => {
    const m = momentsFromSums(12, 45, 187);
    expect(m.mean).toBeCloseTo(A_MEAN, 13);
    expect(m.sd).toBeCloseTo(A_SD, 13);
  });

  it('momentsFromHistogram (Map and Record) matches numpy', () => {
    const map = new Map([[1, 1], [2, 1], [3, 2], [4, 4], [5, 4]]);
    const record = { '1': 1, '2': 1, '3': 2, '4': 4, '5': 4 };
    for (const m of [momentsFromHistogram(map), momentsFromHistogram(record)]) {
      expect(m.n).toBe(12);
      expect(m.mean).toBeCloseTo(A_MEAN, 13);
      expect(m.sd).toBeCloseTo(A_SD, 13);
    }
  });

  it('stays accurate for values with a large offset', () => {
    // numpy: b = np.array([1000.1,1000.4,999.8,1000.9,1000.0,999.6])
    //   b.mean() -> 1000.1333333333336 ; b.std(ddof=1) -> 0.46332134277049897
    //   b.sum() -> 6000.800000000001 ; (b**2).sum() -> 6001601.18
    const b = [1000.1, 1000.4, 999.8, 1000.9, 1000.0, 999.6];
    expect(momentsOf(b).mean).toBeCloseTo(1000.1333333333336, 10);
    expect(momentsOf(b).sd).toBeCloseTo(0.46332134277049897, 10);
    // From sums the cancellation costs digits, but 6 remain at this offset.
    expect(momentsFromSums(6, 6000.800000000001, 6001601.18).sd).toBeCloseTo(0.46332134277049897, 6);
  });

  it('n = 0 and n = 1 give zeros rather than NaN', () => {
    expect(momentsOf([])).toEqual({ n: 0, mean: 0, sd: 0 });
    expect(momentsFromSums(0, 0, 0)).toEqual({ n: 0, mean: 0, sd: 0 });
    expect(momentsFromHistogram(new Map())).toEqual({ n: 0, mean: 0, sd: 0 });
    expect(momentsFromHistogram({ '3': 0 })).toEqual({ n: 0, mean: 0, sd: 0 });
    expect(momentsOf([4])).toEqual({ n: 1, mean: 4, sd: 0 });
    expect(momentsFromSums(1, 4, 16)).toEqual({ n: 1, mean: 4, sd: 0 });
  });

  it('all-same values give sd exactly 0, even from rounded sums', () => {
    expect(momentsOf([3.1, 3.1, 3.1, 3.1, 3.1]).sd).toBe(0);
    const x = 3.1;
    expect(momentsFromSums(7, 7 * x, 7 * x * x).sd).toBe(0);
    expect(momentsFromHistogram({ '3.1': 7 }).sd).toBe(0);
  });

  it('rejects malformed input', () => {
    expect(() => momentsOf([1, NaN])).toThrow(RangeError);
    expect(() => momentsFromSums(-1, 0, 0)).toThrow(RangeError);
    expect(() => momentsFromHistogram({ x: 2 })).toThrow(RangeError);
    expect(() => momentsFromHistogram(new Map([[2, -1]]))).toThrow(RangeError);
  });
});

describe('tInterval', () => {
  it('matches scipy', () => {
    const m = momentsOf(a);
    // scipy: stats.t.interval(0.95, df=11, loc=a.mean(), scale=stats.sem(a))
    //   -> (2.931607608433678, 4.568392391566322)
    const ci = tInterval(m)!;
    expect(ci[0]).toBeCloseTo(2.931607608433678, 7);
    expect(ci[1]).toBeCloseTo(4.568392391566322, 7);
    // scipy: stats.t.interval(0.90, df=11, loc=a.mean(), scale=stats.sem(a))
    //   -> (3.082236083002186, 4.417763916997814)
    const ci90 = tInterval(m, 0.9)!;
    expect(ci90[0]).toBeCloseTo(3.082236083002186, 7);
    expect(ci90[1]).toBeCloseTo(4.417763916997814, 7);
  });

  it('is null for n < 2 and a point for sd = 0', () => {
    expect(tInterval({ n: 1, mean: 3, sd: 0 })).toBeNull();
    expect(tInterval({ n: 0, mean: 0, sd: 0 })).toBeNull();
    expect(tInterval({ n: 5, mean: 3, sd: 0 })).toEqual([3, 3]);
    expect(() => tInterval({ n: 5, mean: 3, sd: 1 }, 1)).toThrow(RangeError);
  });
});
