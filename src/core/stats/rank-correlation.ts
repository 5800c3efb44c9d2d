// Rank correlation between two orderings of the same items (e.g. leaders' believed importance of the
// dimensions against customers' actual importance): Spearman's rho and Kendall's tau-b, both with ties, and
// their confidence intervals by the Fisher z transform with Bonett & Wright's (2000) standard errors —
// rho: √((1 + ρ²/2)/(n − 3)); tau-b: √(0.437/(n − 4)) — which hold up better than the textbook 1/√(n − 3)
// for the handful of items compared here. With so few items the intervals are wide; that is the honest answer.
import { Z95, normalQuantile, twoSidedNormalP } from './distributions.ts';

/** Ranks 1..n with ties given their average rank (as scipy.stats.rankdata's default). */
export function averageRanks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const r = (i + j) / 2 + 1;
    for (let m = i; m <= j; m++) ranks[order[m]![1]] = r;
    i = j + 1;
  }
  return ranks;
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Spearman's rho with ties: Pearson's r of the average ranks (scipy.stats.spearmanr). NaN when a side is constant. */
export const spearmanRho = (x: readonly number[], y: readonly number[]): number => {
  checkPairs(x, y);
  return pearson(averageRanks(x), averageRanks(y));
};

/** Kendall's tau-b, (concordant − discordant)/√((n0 − n1)(n0 − n2)), ties adjusted (scipy.stats.kendalltau). O(n²): for short lists. */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  checkPairs(x, y);
  let s = 0;
  let tiesX = 0;
  let tiesY = 0;
  let pairs = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign(x[i]! - x[j]!);
      const dy = Math.sign(y[i]! - y[j]!);
      pairs++;
      if (dx === 0) tiesX++;
      if (dy === 0) tiesY++;
      s += dx * dy;
    }
  }
  const denom = Math.sqrt((pairs - tiesX) * (pairs - tiesY));
  return denom > 0 ? s / denom : NaN;
}

function checkPairs(x: readonly number[], y: readonly number[]) {
  if (x.length !== y.length) throw new RangeError(`x and y must have the same length (${x.length} vs ${y.length})`);
  if (x.some((v) => !Number.isFinite(v)) || y.some((v) => !Number.isFinite(v))) throw new RangeError('values must be finite');
}

export interface RankCorrelation {
  n: number;
  estimate: number;
  /** Fisher-z interval with the Bonett–Wright standard error; null when n is too small for it. */
  ci95: [number, number] | null;
  /** Two-sided p of the Fisher z against 0 (same standard error); null with ci95. */
  pValue: number | null;
}

function fisherInterval(r: number, se: number, level: number): { ci: [number, number]; p: number } {
  // Clamp away from ±1 so a perfect agreement still gets a (one-sided-open) finite interval.
  const rr = Math.max(-0.999999, Math.min(0.999999, r));
  const z = Math.atanh(rr);
  const q = level === 0.95 ? Z95 : normalQuantile(1 - (1 - level) / 2);
  return { ci: [Math.tanh(z - q * se), Math.tanh(z + q * se)], p: twoSidedNormalP(z / se) };
}

/** Spearman's rho with a Bonett–Wright Fisher-z interval (needs n ≥ 4). */
export function spearman(x: readonly number[], y: readonly number[], level = 0.95): RankCorrelation {
  const n = x.length;
  const r = spearmanRho(x, y);
  if (!Number.isFinite(r) || n < 4) return { n, estimate: r, ci95: null, pValue: null };
  const { ci, p } = fisherInterval(r, Math.sqrt((1 + (r * r) / 2) / (n - 3)), level);
  return { n, estimate: r, ci95: ci, pValue: p };
}

/** Kendall's tau-b with a Bonett–Wright Fisher-z interval (needs n ≥ 5). */
export function kendall(x: readonly number[], y: readonly number[], level = 0.95): RankCorrelation {
  const n = x.length;
  const t = kendallTauB(x, y);
  if (!Number.isFinite(t) || n < 5) return { n, estimate: t, ci95: null, pValue: null };
  const { ci, p } = fisherInterval(t, Math.sqrt(0.437 / (n - 4)), level);
  return { n, estimate: t, ci95: ci, pValue: p };
}
