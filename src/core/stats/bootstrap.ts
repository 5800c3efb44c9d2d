// Building blocks of the parametric bootstrap: a seeded generator (the same intervals on every machine and
// every run, so a report does not flicker between reloads), normal and chi-square draws, Wishart matrices
// by Bartlett's decomposition, and percentile intervals. Kept in core (no I/O) so reports can call it.

/** mulberry32: a small, fast 32-bit seeded PRNG, uniform on [0, 1). Not for anything secret. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller; 1 − u keeps the logarithm finite). */
export function standardNormal(rand: () => number): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** A Gamma(shape, 1) draw: Marsaglia & Tsang (2000); shape < 1 through Gamma(shape + 1)·U^(1/shape). */
export function gammaDraw(shape: number, rand: () => number): number {
  if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
  if (shape < 1) return gammaDraw(shape + 1, rand) * Math.pow(1 - rand(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rand);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rand();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A chi-square draw with df degrees of freedom (= 2·Gamma(df/2)). */
export const chiSquareDraw = (df: number, rand: () => number) => 2 * gammaDraw(df / 2, rand);

/** Lower Cholesky factor of a symmetric positive-definite matrix; null when it is not positive definite. */
export function cholesky(a: readonly (readonly number[])[]): number[][] | null {
  const p = a.length;
  const l = a.map(() => new Array<number>(p).fill(0));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(s > 1e-12 * Math.abs(a[i]![i]!))) return null;
        l[i]![i] = Math.sqrt(s);
      } else l[i]![j] = s / l[j]![j]!;
    }
  }
  return l;
}

/**
 * One draw from the Wishart distribution W_p(df, Σ), given Σ's lower Cholesky factor L, by Bartlett's
 * decomposition: W = L·A·Aᵀ·Lᵀ with A lower triangular, A_ii = √χ²(df − i) (i from 0), A_ij ~ N(0, 1)
 * below the diagonal. With Σ the sample covariance and df = n − 1, W/df is the covariance matrix of a
 * fresh normal sample of size n — the parametric bootstrap's stand-in for resampling the rows.
 */
export function wishartDraw(chol: readonly (readonly number[])[], df: number, rand: () => number): number[][] {
  const p = chol.length;
  if (!(df > p - 1)) throw new RangeError(`Wishart needs df > p − 1 (df ${df}, p ${p})`);
  const a = chol.map(() => new Array<number>(p).fill(0));
  for (let i = 0; i < p; i++) {
    a[i]![i] = Math.sqrt(chiSquareDraw(df - i, rand));
    for (let j = 0; j < i; j++) a[i]![j] = standardNormal(rand);
  }
  // B = L·A (lower triangular times lower triangular), then W = B·Bᵀ.
  const b = chol.map(() => new Array<number>(p).fill(0));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = j; k <= i; k++) s += chol[i]![k]! * a[k]![j]!;
      b[i]![j] = s;
    }
  }
  const w = chol.map(() => new Array<number>(p).fill(0));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k <= j; k++) s += b[i]![k]! * b[j]![k]!;
      w[i]![j] = s;
      w[j]![i] = s;
    }
  }
  return w;
}

/**
 * The q-quantile of sorted values, linear between order statistics (numpy's default, "type 7"), so the
 * percentile interval matches `np.percentile` on the same draws.
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('no values');
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Percentile interval of bootstrap draws at the given level (the draws need not be sorted). */
export function percentileInterval(draws: readonly number[], level = 0.95): [number, number] {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const s = [...draws].sort((x, y) => x - y);
  return [quantileSorted(s, (1 - level) / 2), quantileSorted(s, 1 - (1 - level) / 2)];
}
