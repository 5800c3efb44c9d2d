// The interval of a difference of two shares, p1 − p2, built from each share's own Wilson interval
// (Newcombe 1998, "Interval estimation for the difference between independent proportions", method 10,
// the hybrid score interval): it stays inside [−1, 1] and keeps its coverage near 95% for small groups
// and shares near 0 or 1, where the plain Wald interval does not. The digest (reports/digest.ts) states
// the headline gap with it, from the Wilson intervals the gap report already shows.
export function newcombeInterval(p1: number, ci1: readonly [number, number], p2: number, ci2: readonly [number, number]): [number, number] {
  const d = p1 - p2;
  const [l1, u1] = ci1;
  const [l2, u2] = ci2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}
