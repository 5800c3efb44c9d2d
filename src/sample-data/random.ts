// Seeded randomness for sample data (the demo organisation's history, the benchmark's): the same seed
// gives the same rows on every machine.

/** mulberry32: a tiny seeded PRNG so the demo is the same on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(r: () => number): number {
  const u = 1 - r();
  const v = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** x rounded to an integer and held within [lo, hi]: a rating on a scale. */
export const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(x)));
/** One of xs, uniformly or in proportion to weights. */
export const pick = <T>(r: () => number, xs: readonly T[], weights?: readonly number[]): T => {
  if (!weights) return xs[Math.floor(r() * xs.length)]!;
  const total = weights.reduce((a, b) => a + b, 0);
  let x = r() * total;
  for (let i = 0; i < xs.length; i++) if ((x -= weights[i]!) < 0) return xs[i]!;
  return xs[xs.length - 1]!;
};
