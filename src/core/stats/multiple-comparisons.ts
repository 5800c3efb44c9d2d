// Adjusted p-values for when many gaps are tested at once (every dimension × touchpoint × segment),
// so that a dashboard full of tests does not flag chance differences as real.
function checkPValues(p: readonly number[]): void {
  for (const v of p) if (!(v >= 0 && v <= 1)) throw new RangeError(`p-values must be in [0, 1], got ${v}`);
}

/** Indices of p sorted by ascending p (ties keep input order, so results are deterministic). */
function ascendingOrder(p: readonly number[]): number[] {
  return p.map((_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
}

/**
 * Holm's step-down adjustment (controls the family-wise error rate, uniformly more powerful than
 * Bonferroni): for the i-th smallest p (1-based), max over j ≤ i of (m − j + 1)·p_(j), capped at 1.
 * Returned in input order.
 */
export function holmAdjust(p: readonly number[]): number[] {
  checkPValues(p);
  const m = p.length;
  const adjusted = new Array<number>(m);
  let running = 0;
  ascendingOrder(p).forEach((idx, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p[idx]));
    adjusted[idx] = running;
  });
  return adjusted;
}

/**
 * Benjamini–Hochberg adjustment (controls the false discovery rate, the better trade-off when many
 * gaps are screened): for the i-th smallest p, min over j ≥ i of m·p_(j)/j, capped at 1.
 * Returned in input order.
 */
export function benjaminiHochbergAdjust(p: readonly number[]): number[] {
  checkPValues(p);
  const m = p.length;
  const order = ascendingOrder(p);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const idx = order[rank];
    running = Math.min(running, (m * p[idx]) / (rank + 1));
    adjusted[idx] = running;
  }
  return adjusted;
}
