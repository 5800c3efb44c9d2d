// Net Promoter Score with its uncertainty: the usual ±1.96·SE margin, the adjusted-Wald interval that
// Rocks (2016) found to keep its coverage at small n, and a test for the difference of two NPS values.
import { Z95, twoSidedNormalP } from './distributions.ts';

export type NpsCounts = { promoters: number; passives: number; detractors: number };

export type NpsResult = {
  n: number;
  /** 100 · (share of promoters − share of detractors), in −100..100. */
  score: number;
  /** 1.96 · SE, in NPS points. */
  moe95: number;
  /** score ± moe95, clipped to [−100, 100]. */
  ci95: [number, number];
  /** Rocks (2016) adjusted-Wald 95% interval, clipped to [−100, 100]. */
  adjustedWald: [number, number];
};

function checkCounts(c: NpsCounts): number {
  for (const v of [c.promoters, c.passives, c.detractors]) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`NPS counts must be integers ≥ 0, got ${v}`);
  }
  return c.promoters + c.passives + c.detractors;
}

/**
 * Variance of one response coded +1 (promoter), 0 (passive), −1 (detractor): p + d − (p − d)².
 * Clamped at 0 because rounding can push it a hair below when everyone is in one category.
 */
function codedVariance(p: number, d: number): number {
  return Math.max(0, p + d - (p - d) ** 2);
}

const clipNps = (x: number): number => Math.min(100, Math.max(-100, x));

/**
 * NPS from category counts. The Wald margin uses exactly 1.96 (the conventional figure the product
 * quotes); the adjusted-Wald interval adds 3/4 of a response to promoters and detractors (so n + 3
 * in all, the passives implicitly getting 3/2) and uses z = Z95 — this pulls small-sample intervals
 * away from the impossible zero width at NPS = ±100.
 * n = 0 has no information: score 0, moe95 100, ci95 [−100, 100] (the adjusted-Wald still applies).
 */
export function npsFromCounts(counts: NpsCounts): NpsResult {
  const n = checkCounts(counts);
  const nAdj = n + 3;
  const pAdj = (counts.promoters + 0.75) / nAdj;
  const dAdj = (counts.detractors + 0.75) / nAdj;
  const halfAdj = Z95 * Math.sqrt(codedVariance(pAdj, dAdj) / nAdj);
  const adjustedWald: [number, number] = [
    clipNps(100 * (pAdj - dAdj - halfAdj)),
    clipNps(100 * (pAdj - dAdj + halfAdj)),
  ];
  if (n === 0) return { n, score: 0, moe95: 100, ci95: [-100, 100], adjustedWald };

  const p = counts.promoters / n;
  const d = counts.detractors / n;
  const score = 100 * (p - d);
  const moe95 = 1.96 * 100 * Math.sqrt(codedVariance(p, d) / n);
  return { n, score, moe95, ci95: [clipNps(score - moe95), clipNps(score + moe95)], adjustedWald };
}

/** Count promoters (9–10), passives (7–8) and detractors (0–6) among 0–10 answers. */
export function npsCountsFromScores(scores: readonly number[]): NpsCounts {
  const counts: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };
  for (const s of scores) {
    if (!Number.isInteger(s) || s < 0 || s > 10) throw new RangeError(`NPS answers are integers 0–10, got ${s}`);
    if (s >= 9) counts.promoters += 1;
    else if (s >= 7) counts.passives += 1;
    else counts.detractors += 1;
  }
  return counts;
}

/**
 * Normal-approximation test of NPS_a = NPS_b for independent samples.
 * diff = NPS_a − NPS_b and se = 100·√(Var_a/n_a + Var_b/n_b), both in NPS points. If neither sample
 * varies (se = 0), z is 0 and p 1 for equal scores, ±Infinity and p 0 otherwise. Empty samples throw.
 */
export function npsDifferenceTest(
  a: NpsCounts,
  b: NpsCounts,
): { diff: number; se: number; z: number; pValue: number } {
  const na = checkCounts(a);
  const nb = checkCounts(b);
  if (na === 0 || nb === 0) throw new RangeError('both NPS samples need at least one response');
  const pa = a.promoters / na;
  const da = a.detractors / na;
  const pb = b.promoters / nb;
  const db = b.detractors / nb;
  const diff = 100 * (pa - da - (pb - db));
  const se = 100 * Math.sqrt(codedVariance(pa, da) / na + codedVariance(pb, db) / nb);
  if (se === 0) return { diff, se, z: diff === 0 ? 0 : Math.sign(diff) * Infinity, pValue: diff === 0 ? 1 : 0 };
  const z = diff / se;
  return { diff, se, z, pValue: twoSidedNormalP(z) };
}
