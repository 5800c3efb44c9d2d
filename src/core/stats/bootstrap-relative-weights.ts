// Bootstrap intervals for Johnson's relative weights when only sufficient statistics are kept.
//
// The customers' side of the drivers model is stored as n, Σx and Σx·xᵀ over complete cases
// (store/driver-cells.ts), never as rows, so the usual case-resampling bootstrap cannot be run at report
// time. The parametric bootstrap does the next best thing: it treats the sample covariance S as the truth,
// draws B covariance matrices of fresh samples of the same size — (n − 1)·S* ~ Wishart(n − 1, S), by
// Bartlett's decomposition (bootstrap.ts) — recomputes the weights on each, and reports percentile
// intervals. It assumes multivariate normality; for 1–5 ratings it agrees with a case-resampling
// bootstrap of the raw rows to about a point of share (bootstrap-relative-weights.test.ts checks it
// against numpy). Seeded, so the same data give the same intervals.
import { johnsonRelativeWeights } from './relative-weights.ts';
import { cholesky, percentileInterval, seededRandom, wishartDraw } from './bootstrap.ts';

export const DEFAULT_BOOTSTRAP_DRAWS = 1000;
/** More draws than this buy no visible precision and cost report time; fewer give ragged interval ends. */
export const MIN_BOOTSTRAP_DRAWS = 200;
export const MAX_BOOTSTRAP_DRAWS = 10000;

export interface RelativeWeightsBootstrap {
  /** Raw weights (sum to R²) and each as % of R² (sum to 100), from the data themselves. */
  weights: number[];
  rSquared: number;
  rescaled: number[];
  /** Percentile intervals of the rescaled weights (% of R²) and of the raw weights. */
  rescaledCi: [number, number][];
  weightsCi: [number, number][];
  draws: number;
  /** Draws whose correlation matrix was singular and were skipped (rare; counted for honesty). */
  failed: number;
}

export interface BootstrapOptions {
  draws?: number;
  seed?: number;
  level?: number;
}

/**
 * Relative weights of predictors 0..p−1 for the outcome at index p, from n complete cases' sums and cross
 * products over the p + 1 variables, with parametric-bootstrap intervals. A predictor with no spread carries
 * no weight (as in correlationFromCrossProducts) and gets [0, 0]. Throws RangeError when the weights are
 * undefined: n too small, the outcome without spread, or collinear predictors. The result is remembered
 * and shared: callers must not change it.
 */
export function bootstrapRelativeWeights(
  n: number,
  sums: readonly number[],
  crossProducts: readonly (readonly number[])[],
  options: BootstrapOptions = {},
): RelativeWeightsBootstrap {
  // Deterministic in its inputs, and ~0.1 s for nine dimensions: remembered, so a dashboard that reloads the
  // same report (or two reports on the same cut) pays once. Bounded; the oldest entry goes first.
  const key = JSON.stringify([n, sums, crossProducts, options.draws ?? null, options.seed ?? null, options.level ?? null]);
  const hit = MEMO.get(key);
  if (hit) return hit;
  const result = computeBootstrap(n, sums, crossProducts, options);
  if (MEMO.size >= MEMO_SIZE) MEMO.delete(MEMO.keys().next().value!);
  MEMO.set(key, result);
  return result;
}

const MEMO_SIZE = 64;
const MEMO = new Map<string, RelativeWeightsBootstrap>();

function computeBootstrap(
  n: number,
  sums: readonly number[],
  crossProducts: readonly (readonly number[])[],
  options: BootstrapOptions,
): RelativeWeightsBootstrap {
  const draws = Math.round(options.draws ?? DEFAULT_BOOTSTRAP_DRAWS);
  if (!(draws >= MIN_BOOTSTRAP_DRAWS && draws <= MAX_BOOTSTRAP_DRAWS)) {
    throw new RangeError(`draws must be from ${MIN_BOOTSTRAP_DRAWS} to ${MAX_BOOTSTRAP_DRAWS}, got ${options.draws}`);
  }
  const level = options.level ?? 0.95;
  const k = sums.length;
  const p = k - 1;
  if (p < 1) throw new RangeError('need at least one predictor and the outcome');
  if (!(n >= k + 1)) throw new RangeError(`need n ≥ ${k + 1} complete cases for ${p} predictors, got ${n}`);
  const cov = sums.map((_, i) => sums.map((__, j) => (crossProducts[i]![j]! - (sums[i]! * sums[j]!) / n) / (n - 1)));
  // Variables with no spread (within rounding) are left out of the draws; their weight is 0 throughout.
  const spread = cov.map((row, i) => row[i]! > 1e-12 * Math.abs(crossProducts[i]![i]! / (n - 1)));
  if (!spread[p]) throw new RangeError('the outcome has no spread');
  const live = sums.map((_, i) => i).filter((i) => spread[i]);
  const livePredictors = live.slice(0, -1);
  const sub = live.map((i) => live.map((j) => cov[i]![j]!));
  const chol = cholesky(sub);
  if (!chol) throw new RangeError('the predictors are collinear');

  const weightsOf = (c: number[][]): number[] => {
    const q = c.length - 1;
    const sd = c.map((row, i) => Math.sqrt(row[i]!));
    const r = c.map((row, i) => row.map((x, j) => (i === j ? 1 : x / (sd[i]! * sd[j]!))));
    const rw = johnsonRelativeWeights(
      r.slice(0, q).map((row) => row.slice(0, q)),
      r.slice(0, q).map((row) => row[q]!),
    );
    const full = new Array<number>(p).fill(0);
    livePredictors.forEach((idx, m) => (full[idx] = rw.weights[m]!));
    return full;
  };

  const weights = weightsOf(sub);
  const rSquared = weights.reduce((s, w) => s + w, 0);
  const rescale = (w: number[]) => {
    const total = w.reduce((s, x) => s + x, 0);
    return w.map((x) => (total > 0 ? (100 * x) / total : 0));
  };

  const rand = seededRandom(options.seed ?? 20000);
  const raw: number[][] = Array.from({ length: p }, () => []);
  const shares: number[][] = Array.from({ length: p }, () => []);
  let failed = 0;
  for (let b = 0; b < draws; b++) {
    const w = wishartDraw(chol, n - 1, rand);
    let wb: number[];
    try {
      wb = weightsOf(w);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      failed++;
      continue;
    }
    const sb = rescale(wb);
    for (let j = 0; j < p; j++) {
      raw[j]!.push(wb[j]!);
      shares[j]!.push(sb[j]!);
    }
  }
  if (draws - failed < MIN_BOOTSTRAP_DRAWS / 2) throw new RangeError('the predictors are too close to collinear for a bootstrap');
  return {
    weights,
    rSquared,
    rescaled: rescale(weights),
    rescaledCi: shares.map((d, j) => (spread[j] ? percentileInterval(d, level) : [0, 0])),
    weightsCi: raw.map((d, j) => (spread[j] ? percentileInterval(d, level) : [0, 0])),
    draws: draws - failed,
    failed,
  };
}
