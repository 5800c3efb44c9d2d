// The dashboard's interval helpers against scipy (scipy.stats.t.ppf(0.975, df); numpy for the rest).
import { describe, it, expect } from 'vitest';
import { tQuantile975, meanInterval, differenceInterval, newcombeInterval } from './display-intervals.ts';

describe('web stats', () => {
  it('matches scipy.stats.t.ppf(0.975, df)', () => {
    const ref: [number, number, number][] = [
      // df, scipy value, tolerance
      [2, 4.302652729749462, 1e-12],
      [3, 3.1824463052837078, 1e-12],
      [2.5, 3.5746548420036817, 1e-4], // Hill's algorithm for fractional df < 10
      [7.3, 2.345066736547703, 1e-4],
      [4.5, 2.6589123472044034, 1e-3],
      [10, 2.228138851986274, 1e-5],
      [20, 2.085963447265864, 1e-6],
      [39, 2.022690920036761, 1e-7],
      [40.6, 2.0201454000220376, 1e-7],
      [1000, 1.9623390808264083, 1e-12],
    ];
    for (const [df, v, tol] of ref) expect(Math.abs(tQuantile975(df) - v), `df ${df}`).toBeLessThan(tol);
    expect(tQuantile975(Infinity)).toBe(1.959963984540054);
    expect(tQuantile975(0.5)).toBeNaN();
  });

  it('gives the t-interval of a mean and of a Welch difference', () => {
    // scipy.stats.t.interval(0.95, 39, loc=4.3, scale=0.6484695987575828/sqrt(40)) = (4.09260936…, 4.50739064…)
    const [lo, hi] = meanInterval({ n: 40, mean: 4.3, sd: 0.6484695987575828 })!;
    expect(lo).toBeCloseTo(4.09260936099188, 6);
    expect(hi).toBeCloseTo(4.507390639008119, 6);
    expect(meanInterval({ n: 1, mean: 3, sd: 0 })).toBeNull();
    // diff 1.6095403899721448, t 15.537339054038359, df 40.637387489255 → se = diff/t = 0.10359…;
    // scipy.stats.t.ppf(0.975, 40.637387489255) * se = 0.2092645…
    const d = differenceInterval(1.6095403899721448, 15.537339054038359, 40.637387489255)!;
    expect(d[1] - 1.6095403899721448).toBeCloseTo(0.20926452315299438, 6);
    expect(differenceInterval(1, null, 10)).toBeNull();
  });

  it("gives Newcombe's hybrid score interval of a difference of proportions", () => {
    // Newcombe (1998), Stat Med 17:873, table II example (56/70 − 48/80): 0.0524 to 0.3339.
    // Wilson intervals from the same z as scipy.stats.norm.ppf(0.975).
    const [lo, hi] = newcombeInterval(0.8, [0.6918335550374695, 0.8769526075163705], 0.6, [0.4904546500516039, 0.7003817240412906]);
    expect(lo).toBeCloseTo(0.0524, 4);
    expect(hi).toBeCloseTo(0.3339, 4);
    // 39/40 leaders against 322/1500 customers, Wilson intervals as the gap report gives them; python3 with
    // the formulas written out independently: (0.6543179936595612, 0.789050697105102).
    const d = newcombeInterval(0.975, [0.8711863103652591, 0.9955731684973186], 322 / 1500, [0.19463090563841937, 0.2361601561592309]);
    expect(d[0]).toBeCloseTo(0.6543179936595612, 12);
    expect(d[1]).toBeCloseTo(0.789050697105102, 12);
  });
});
