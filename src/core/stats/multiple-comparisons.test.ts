import { describe, it, expect } from 'vitest';
import { holmAdjust, benjaminiHochbergAdjust } from './multiple-comparisons.ts';

const p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.8];

const expectAllClose = (actual: number[], expected: number[]): void => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 14));
};

describe('benjaminiHochbergAdjust', () => {
  it('matches scipy', () => {
    // scipy 1.17.1: stats.false_discovery_control(p, method='bh')
    //   -> [0.035, 0.056, 0.056, 0.035, 0.23333333333333336, 0.056, 0.8]
    expectAllClose(benjaminiHochbergAdjust(p), [0.035, 0.056, 0.056, 0.035, 0.23333333333333336, 0.056, 0.8]);
    // stats.false_discovery_control([0.5, 0.6, 0.9], method='bh') -> [0.9, 0.9, 0.9]
    expectAllClose(benjaminiHochbergAdjust([0.5, 0.6, 0.9]), [0.9, 0.9, 0.9]);
  });
});

describe('holmAdjust', () => {
  it('matches a reference implementation', () => {
    // python (numpy 2.4):
    //   def holm(p):
    //       p = np.asarray(p, float); m = len(p); o = np.argsort(p, kind='stable')
    //       adj = np.minimum(1, np.maximum.accumulate((m - np.arange(m)) * p[o]))
    //       out = np.empty(m); out[o] = adj; return out
    //   holm(p) -> [0.06, 0.16, 0.15, 0.035, 0.4, 0.16, 0.8]
    //   holm([0.5, 0.6, 0.9]) -> [1, 1, 1]
    // By hand for the smallest two: 7 × 0.005 = 0.035; 6 × 0.01 = 0.06.
    expectAllClose(holmAdjust(p), [0.06, 0.16, 0.15, 0.035, 0.4, 0.16, 0.8]);
    expectAllClose(holmAdjust([0.5, 0.6, 0.9]), [1, 1, 1]);
  });
});

describe('both adjustments', () => {
  it('are ≥ the raw p, ≤ 1 and monotone in the raw p', () => {
    for (const adjust of [holmAdjust, benjaminiHochbergAdjust]) {
      const adj = adjust(p);
      adj.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(p[i]);
        expect(v).toBeLessThanOrEqual(1);
      });
      for (let i = 0; i < p.length; i++) {
        for (let j = 0; j < p.length; j++) if (p[i] <= p[j]) expect(adj[i]).toBeLessThanOrEqual(adj[j]);
      }
    }
  });

  it('leave a single p unchanged, return [] for [] and handle 0 and 1', () => {
    // scipy: stats.false_discovery_control([0.03], method='bh') -> [0.03]
    expect(holmAdjust([0.03])).toEqual([0.03]);
    expect(benjaminiHochbergAdjust([0.03])).toEqual([0.03]);
    expect(holmAdjust([])).toEqual([]);
    expect(benjaminiHochbergAdjust([])).toEqual([]);
    expect(holmAdjust([0, 1])).toEqual([0, 1]);
    expect(benjaminiHochbergAdjust([0, 1])).toEqual([0, 1]);
  });

  it('reject values outside [0, 1]', () => {
    expect(() => holmAdjust([0.1, NaN])).toThrow(RangeError);
    expect(() => benjaminiHochbergAdjust([1.2])).toThrow(RangeError);
  });
});
