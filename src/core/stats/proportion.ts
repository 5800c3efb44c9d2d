// Shares (e.g. "% who call the experience excellent"): the Wilson interval for one share and the
// pooled two-proportion z-test for the leader-vs-customer headline gap.
import { Z95, twoSidedNormalP } from './distributions.ts';

function checkCount(x: number, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be an integer ≥ 0, got ${n}`);
  if (!(x >= 0 && x <= n)) throw new RangeError(`successes must be in [0, n], got ${x} of ${n}`);
}

/**
 * Wilson score interval for successes/n. Chosen over the Wald interval because it stays inside
 * [0, 1] and keeps its coverage for small n and shares near 0 or 1. n = 0 gives [0, 1] (no information).
 */
export function wilsonInterval(successes: number, n: number, z = Z95): [number, number] {
  checkCount(successes, n);
  if (!(z > 0)) throw new RangeError(`z must be > 0, got ${z}`);
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  // Exact 0/1 at the boundaries (the formula gives them up to rounding).
  const lo = successes === 0 ? 0 : Math.max(0, centre - half);
  const hi = successes === n ? 1 : Math.min(1, centre + half);
  return [lo, hi];
}

/**
 * Two-sided z-test of p1 = p2 with the pooled standard error (equivalent to the 2×2 chi-square test
 * without continuity correction). diff = p1 − p2. When the pooled share is 0 or 1 the groups cannot
 * differ, so z = 0 and p = 1. Throws when either group is empty: there is no share to compare.
 */
export function twoProportionZTest(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
): { diff: number; z: number; pValue: number } {
  checkCount(x1, n1);
  checkCount(x2, n2);
  if (n1 === 0 || n2 === 0) throw new RangeError('both groups need at least one observation');
  const diff = x1 / n1 - x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  if (pooled === 0 || pooled === 1) return { diff, z: 0, pValue: 1 };
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = diff / se;
  return { diff, z, pValue: twoSidedNormalP(z) };
}
