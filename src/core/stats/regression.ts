// Is the gap widening? A weighted straight line through the per-period gaps, each period weighted by
// 1/variance of its gap estimate, so noisy periods (few respondents) count for less.
import { Z95, twoSidedNormalP } from './distributions.ts';

export type TrendPoint = { x: number; y: number; variance: number };

export type TrendDirection = 'widening' | 'narrowing' | 'no evidence';

export type WeightedTrend = {
  n: number;
  /** Change in y per unit of x (null with < 2 points or when all x are equal). */
  slope: number | null;
  /** Fitted y at x = 0. */
  intercept: number | null;
  /** Standard error of the slope; it and the fields below are null with fewer than 3 points. */
  se: number | null;
  ci95: [number, number] | null;
  z: number | null;
  pValue: number | null;
  direction: TrendDirection;
};

/**
 * Weighted least squares of y on x with weights w = 1/variance. The variances are treated as known
 * (they come from each period's own sampling error), so the slope's SE is √(1 / Σ w (x − x̄_w)²) with
 * no residual rescaling, and the interval and p-value are normal-based.
 * direction is 'widening' (slope > 0) or 'narrowing' (slope < 0) only when the 95% interval excludes 0;
 * the caller orients y so that larger means a wider gap. With fewer than 3 periods there is no trend
 * to speak of, so the inferential fields are null and direction is 'no evidence'.
 */
export function weightedLinearTrend(points: readonly TrendPoint[]): WeightedTrend {
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) throw new RangeError('trend points need finite x and y');
    if (!(p.variance > 0) || !Number.isFinite(p.variance)) {
      throw new RangeError(`trend point variance must be finite and > 0, got ${p.variance}`);
    }
  }
  const n = points.length;
  const none: WeightedTrend = {
    n, slope: null, intercept: null, se: null, ci95: null, z: null, pValue: null, direction: 'no evidence',
  };
  if (n < 2) return none;

  let sw = 0;
  let swx = 0;
  let swy = 0;
  for (const p of points) {
    const w = 1 / p.variance;
    sw += w;
    swx += w * p.x;
    swy += w * p.y;
  }
  const xBar = swx / sw;
  const yBar = swy / sw;
  // Centred sums avoid cancellation when x is large (e.g. a timestamp).
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    const w = 1 / p.variance;
    sxx += w * (p.x - xBar) ** 2;
    sxy += w * (p.x - xBar) * (p.y - yBar);
  }
  if (sxx === 0) return none;
  const slope = sxy / sxx;
  const intercept = yBar - slope * xBar;
  if (n < 3) return { ...none, slope, intercept };

  const se = Math.sqrt(1 / sxx);
  const ci95: [number, number] = [slope - Z95 * se, slope + Z95 * se];
  const z = slope / se;
  const direction: TrendDirection = ci95[0] > 0 ? 'widening' : ci95[1] < 0 ? 'narrowing' : 'no evidence';
  return { n, slope, intercept, se, ci95, z, pValue: twoSidedNormalP(z), direction };
}
