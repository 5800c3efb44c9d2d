// Seeded randomness for sample data (the demo organisation's history, the benchmark's): the same seed
// gives the same rows on every machine.

// One seeded generator and normal draw for the whole product: the bootstrap's (core/stats/bootstrap.ts).
export { seededRandom as rng, standardNormal as normal } from '../core/stats/bootstrap.ts';

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
