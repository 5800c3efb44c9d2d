// Leaders' predicted mean vs customers' actual mean on a dimension: Welch's t-test (no equal-variance
// assumption — leaders and customers rarely spread alike) and Hedges' g as the effect size.
import jStat from 'jstat';
import { studentTQuantile, twoSidedTP } from './distributions.ts';
import type { Moments } from './moments.ts';

export type WelchResult = { diff: number; t: number; df: number; pValue: number; ci95: [number, number] };

/**
 * Welch's two-sample t-test of a.mean = b.mean, two-sided, with the Welch–Satterthwaite df and a 95%
 * interval for diff = a.mean − b.mean. Needs n ≥ 2 in both groups (a variance to estimate).
 * When neither group varies (both sd = 0) df is undefined; the test then reports df = na + nb − 2,
 * t = 0 and p = 1 for equal means, t = ±Infinity and p = 0 otherwise, and ci95 = [diff, diff].
 */
export function welchTTest(a: Moments, b: Moments): WelchResult {
  if (a.n < 2 || b.n < 2) throw new RangeError('Welch test needs at least 2 observations per group');
  const diff = a.mean - b.mean;
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const se2 = va + vb;
  if (se2 === 0) {
    const t = diff === 0 ? 0 : Math.sign(diff) * Infinity;
    return { diff, t, df: a.n + b.n - 2, pValue: diff === 0 ? 1 : 0, ci95: [diff, diff] };
  }
  const se = Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const t = diff / se;
  const half = studentTQuantile(0.975, df) * se;
  return { diff, t, df, pValue: twoSidedTP(t, df), ci95: [diff - half, diff + half] };
}

/**
 * Hedges' g for a − b: Cohen's d with the pooled sd, s_p = √(((na−1)sa² + (nb−1)sb²)/(na+nb−2)),
 * times the exact small-sample correction J(m) = Γ(m/2) / (√(m/2) · Γ((m−1)/2)), m = na + nb − 2
 * (Hedges 1981; ≈ 1 − 3/(4m − 1)). Needs na + nb ≥ 4 (m ≥ 2) and na, nb ≥ 1.
 * If neither group varies, g is 0 for equal means and ±Infinity otherwise (the groups do not overlap).
 */
export function hedgesG(a: Moments, b: Moments): number {
  if (a.n < 1 || b.n < 1) throw new RangeError('both groups need at least one observation');
  const m = a.n + b.n - 2;
  if (m < 2) throw new RangeError('Hedges g needs na + nb ≥ 4');
  const diff = a.mean - b.mean;
  const pooledSd = Math.sqrt(((a.n - 1) * a.sd * a.sd + (b.n - 1) * b.sd * b.sd) / m);
  if (pooledSd === 0) return diff === 0 ? 0 : Math.sign(diff) * Infinity;
  const j = Math.exp(jStat.gammaln(m / 2) - jStat.gammaln((m - 1) / 2)) / Math.sqrt(m / 2);
  return (diff / pooledSd) * j;
}
