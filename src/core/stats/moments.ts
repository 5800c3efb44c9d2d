// Count, mean and sample standard deviation of a set of ratings, built from raw values, a histogram
// or SQL-side sums, so the same downstream tests work whichever form the store returns.
import { studentTQuantile } from './distributions.ts';

/**
 * Summary of a sample. sd is the sample standard deviation (n − 1 denominator).
 * Convention for tiny samples: n = 0 gives mean 0 and sd 0, n = 1 gives sd 0 — nothing is NaN, so
 * callers must look at n (not at the mean) to decide whether a cut has data.
 */
export type Moments = { n: number; mean: number; sd: number };

/** value → count. A Record's keys are the values written as strings (as JSON objects carry them). */
export type Histogram = Map<number, number> | Record<string, number>;

const EMPTY: Moments = { n: 0, mean: 0, sd: 0 };

/**
 * Moments from n, Σx and Σx² (what a GROUP BY can return).
 * The sum of squared deviations Σx² − (Σx)²/n cancels catastrophically when the variance is tiny
 * next to the mean², so results within rounding noise of zero are treated as exactly zero; for
 * integer rating scales the sums are exact and this never triggers on real spread.
 */
export function momentsFromSums(n: number, sum: number, sumSq: number): Moments {
  if (!(n >= 0) || !Number.isFinite(n)) throw new RangeError(`n must be a finite number ≥ 0, got ${n}`);
  if (!Number.isFinite(sum) || !Number.isFinite(sumSq)) throw new RangeError('sums must be finite');
  if (n === 0) return { ...EMPTY };
  const mean = sum / n;
  if (n < 2) return { n, mean, sd: 0 };
  let ss = sumSq - sum * mean;
  if (ss <= 1e-12 * sumSq) ss = 0;
  return { n, mean, sd: Math.sqrt(ss / (n - 1)) };
}

function histogramEntries(hist: Histogram): [number, number][] {
  const raw: [number | string, number][] = hist instanceof Map ? [...hist] : Object.entries(hist);
  return raw.map(([key, count]) => {
    const value = Number(key);
    if (!Number.isFinite(value)) throw new RangeError(`histogram value is not a number: ${String(key)}`);
    if (!(count >= 0) || !Number.isFinite(count)) throw new RangeError(`histogram count must be ≥ 0, got ${count}`);
    return [value, count];
  });
}

/** Moments of a histogram, computed in two passes (mean, then squared deviations) for accuracy. */
export function momentsFromHistogram(hist: Histogram): Moments {
  const entries = histogramEntries(hist);
  let n = 0;
  let sum = 0;
  for (const [value, count] of entries) {
    n += count;
    sum += value * count;
  }
  if (n === 0) return { ...EMPTY };
  const mean = sum / n;
  if (n < 2) return { n, mean, sd: 0 };
  let ss = 0;
  for (const [value, count] of entries) ss += count * (value - mean) ** 2;
  return { n, mean, sd: Math.sqrt(ss / (n - 1)) };
}

/** Moments of raw values (Welford's one-pass update, stable for any offset). */
export function momentsOf(values: readonly number[]): Moments {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const x of values) {
    if (!Number.isFinite(x)) throw new RangeError(`value is not finite: ${x}`);
    n += 1;
    const delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
  }
  if (n === 0) return { ...EMPTY };
  return { n, mean, sd: n < 2 ? 0 : Math.sqrt(m2 / (n - 1)) };
}

/** t-based interval for the mean: mean ± t_{level, n−1} · sd/√n. null when n < 2 (no spread to use). */
export function tInterval(m: Moments, level = 0.95): [number, number] | null {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  if (m.n < 2) return null;
  const half = studentTQuantile(1 - (1 - level) / 2, m.n - 1) * (m.sd / Math.sqrt(m.n));
  return [m.mean - half, m.mean + half];
}
