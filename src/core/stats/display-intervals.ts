// The little statistics the dashboard (and the board pack) draw themselves: 95% intervals of means (from the report's n,
// mean and sd) and of Welch differences (from t and df). The server's stats layer uses jStat,
// which is too heavy to ship to the browser for one quantile.

/** t(0.975, df) for df = 1..10, from scipy.stats.t.ppf(0.975, df). */
const T975 = [
  12.706204736174694, 4.302652729749462, 3.1824463052837078, 2.7764451051977934, 2.5705818356363146, 2.4469118511449786,
  2.364624251592784, 2.306004135204166, 2.262157162798205, 2.228138851986274,
];
const Z975 = 1.959963984540054;

/**
 * The 97.5% quantile of Student's t with `df` degrees of freedom (df may be fractional, as Welch's
 * is). Whole df up to 10: exact values; df ≥ 10: Cornish–Fisher expansion to the 1/df⁴ term
 * (error < 1e-5); fractional df below 10: Hill's algorithm (CACM 396, 1970; error < 1e-3 for df ≥ 2).
 */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return NaN;
  if (df === Infinity) return Z975;
  const z = Z975;
  if (df >= 10) {
    const g1 = (z ** 3 + z) / 4;
    const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
    const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
    const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160;
    return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
  }
  if (Number.isInteger(df)) return T975[df - 1]!;
  // Hill's algorithm for the two-tailed probability p = 0.05.
  const p = 0.05;
  const n = df;
  const a = 1 / (n - 0.5);
  const b = 48 / (a * a);
  let c = ((20700 * (a / b) - 98) * a - 16) * a + 96.36;
  const d = ((94.5 / (b + c) - 3) / b + 1) * Math.sqrt((a * Math.PI) / 2) * n;
  let x = d * p;
  let y = x ** (2 / n);
  if (y > 0.05 + a) {
    x = z;
    y = x * x;
    if (n < 5) c += 0.3 * (n - 4.5) * (x + 0.6);
    c = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + c;
    y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x;
    y = a * y * y;
    y = y > 0.002 ? Math.exp(y) - 1 : 0.5 * y * y + y;
  } else {
    y = ((1 / (((n + 6) / (n * y) - 0.089 * d - 0.822) * (n + 2) * 3) + 0.5 / (n + 4)) * y - 1) * ((n + 1) / (n + 2)) + 1 / y;
  }
  return Math.sqrt(n * y);
}

/** 95% t-interval of a mean from n, mean and sd. */
export function meanInterval(m: { n: number; mean: number; sd: number }): [number, number] | null {
  if (m.n < 2) return null;
  const h = tQuantile975(m.n - 1) * (m.sd / Math.sqrt(m.n));
  return [m.mean - h, m.mean + h];
}

/** 95% interval of a Welch difference from the difference, its t statistic and df (se = diff / t). */
export function differenceInterval(diff: number, t: number | null, df: number | null): [number, number] | null {
  if (t === null || df === null || t === 0 || !Number.isFinite(t)) return null;
  const h = tQuantile975(df) * Math.abs(diff / t);
  return [diff - h, diff + h];
}

// Newcombe's interval of a difference of two shares: one implementation, shared with the digest.
export { newcombeInterval } from './newcombe.ts';
