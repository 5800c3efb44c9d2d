// Post-stratification (issue 12): weights that make a campaign's respondents match the invited contacts'
// distribution over one attribute (or the cross of two), and the gap report's customer figures — a mean,
// a share, an NPS — estimated with those weights, with standard errors and 95 % intervals. Pure: the
// report (src/reports/weighted-gap.ts) hands it per-stratum counts and histograms.
//
// Choices, stated once:
// - Strata. A value held by respondents yet fewer than k (the anonymity minimum) is pooled with the other
//   small values, and while that pool is still short, with the next smallest value (anonymity.ts's
//   poolSmallGroups): a stratum with its own weight beside the unweighted figure would let its members'
//   mean be solved for. A value no respondent holds cannot be weighted at all; it is left out of the
//   population shares (so the others' shares are renormalised — the assumption that those people resemble
//   everyone else, not one arbitrary group) and reported as unrepresented. The cross of two attributes is
//   used only when every cross cell some invited contact is in has at least k respondents; otherwise it is
//   refused with the cells that are short (weight by one attribute instead).
// - Weights. w_h = (population share of h) ÷ (respondent share of h), so they average 1 over respondents.
//   Trimming: no weight may exceed MAX_WEIGHT (5, i.e. five times the mean weight; Potter 1990 and the
//   NAEP practice cap near this); a weight above is set to it and the untrimmed strata are scaled up so the
//   weights still average 1, repeated until none exceeds. Trimmed weights no longer reproduce the
//   population exactly: the report shows the weighted share of each stratum as well.
// - Variance: Taylor linearisation of the weighted mean Σwy/Σw with the post-strata as strata (Särndal,
//   Swensson & Wretman 1992, §7.6; Lohr, "Sampling: Design and Analysis", 2nd ed., §4.4 and §9.1): with
//   z_i = w_i (y_i − ȳ_w) / Σw, v = Σ_h n_h/(n_h − 1) Σ_{i∈h} (z_i − z̄_h)², which for weights constant
//   within strata is Σ_h n_h (w_h / Σw)² s_h² (= Σ_h W_h² s_h² / n_h, the textbook post-stratified
//   variance, when every stratum answered). No finite-population correction: the invited contacts stand
//   for a larger customer base. A stratum with a single answer adds no variance term (none can be
//   estimated). Kish's effective sample size (Σw)² / Σw² is reported beside it.
// - Intervals. Mean: ȳ_w ± t_{0.975, n − H} · √v (n − H: the degrees of freedom of a stratified sample).
//   Share: the Wilson interval at the design-based effective sample size n* = p(1 − p) / v (Korn &
//   Graubard 1998; Kott & Carr 1997), so it stays inside [0, 1] like the unweighted Wilson interval; when
//   v = 0 (every stratum all-yes or all-no) n* is Kish's. NPS: score ± 1.96 · 100 · √v of the ±1/0 coding,
//   clipped to [−100, 100], as the unweighted NPS margin.
import { poolSmallGroups } from './anonymity.ts';
import { Z95, studentTQuantile } from './stats/distributions.ts';

/** No weight may exceed this many times the mean weight (which is 1). */
export const MAX_WEIGHT = 5;

export interface Stratum {
  /** The attribute values (or cross cells) pooled into this stratum, sorted. */
  values: string[];
  invited: number;
  respondents: number;
  /** Share of the represented invited contacts, and of the respondents. */
  populationShare: number;
  sampleShare: number;
  /** populationShare / sampleShare, before trimming. */
  untrimmedWeight: number;
  weight: number;
  /** The stratum's share of the respondents once weighted (= populationShare unless trimmed). */
  weightedShare: number;
}

export type Weighting =
  | {
      ok: true;
      strata: Stratum[];
      /** Values invited but answered by nobody: left out of the population (see the module comment). */
      unrepresented: { value: string; invited: number }[];
      trimmed: boolean;
      respondents: number;
      /** Kish: (Σw)² / Σw². */
      effectiveSampleSize: number;
      /** n / effectiveSampleSize = 1 + CV² of the weights. */
      designEffect: number;
    }
  | { ok: false; reason: string };

/**
 * Weights for one attribute (or a cross, `cross: true`): `invited` and `respondents` count each value
 * (value → count); respondents' values must be among the invited ones. k: the anonymity minimum.
 */
export function postStratify(invited: ReadonlyMap<string, number>, respondents: ReadonlyMap<string, number>, k: number, opts: { cross?: boolean } = {}): Weighting {
  for (const [v, n] of respondents) if (n > 0 && !(invited.get(v)! > 0)) throw new RangeError(`respondents hold "${v}", which no invited contact holds`);
  const n = [...respondents.values()].reduce((a, b) => a + b, 0);
  if (n < k || n === 0) return { ok: false, reason: `fewer than ${k} respondents` };
  const unrepresented = [...invited]
    .filter(([v, c]) => c > 0 && !((respondents.get(v) ?? 0) > 0))
    .map(([value, c]) => ({ value, invited: c }))
    .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const groups = [...respondents].filter(([, c]) => c > 0).map(([key, c]) => ({ key, n: c }));
  let blocks: string[][];
  if (opts.cross) {
    const short = [...invited].filter(([v, c]) => c > 0 && (respondents.get(v) ?? 0) < k).map(([v]) => v).sort();
    if (short.length) return { ok: false, reason: `the cross has cells with fewer than ${k} respondents (${short.join('; ')}): weight by one attribute` };
    blocks = groups.map((g) => [g.key]).sort();
  } else {
    blocks = poolSmallGroups(groups, k).map((b) => [...b].sort());
  }
  if (blocks.length < 2) return { ok: false, reason: `the respondents form a single group of at least ${k} (smaller groups pooled): there is nothing to weight` };
  const sum = (vs: string[], m: ReadonlyMap<string, number>) => vs.reduce((a, v) => a + (m.get(v) ?? 0), 0);
  const represented = blocks.reduce((a, b) => a + sum(b, invited), 0);
  const strata: Stratum[] = blocks.map((values) => {
    const inv = sum(values, invited);
    const r = sum(values, respondents);
    const populationShare = inv / represented;
    const sampleShare = r / n;
    const w = populationShare / sampleShare;
    return { values, invited: inv, respondents: r, populationShare, sampleShare, untrimmedWeight: w, weight: w, weightedShare: populationShare };
  });
  const trimmed = trimWeights(strata);
  let sw = 0;
  let sw2 = 0;
  for (const s of strata) {
    sw += s.weight * s.respondents;
    sw2 += s.weight * s.weight * s.respondents;
    s.weightedShare = (s.weight * s.respondents) / n;
  }
  strata.sort((a, b) => (a.values[0]! < b.values[0]! ? -1 : 1));
  const effectiveSampleSize = (sw * sw) / sw2;
  return { ok: true, strata, unrepresented, trimmed, respondents: n, effectiveSampleSize, designEffect: n / effectiveSampleSize };
}

/** Caps weights at MAX_WEIGHT, scaling the others so the weights still average 1 (in place). */
function trimWeights(strata: Stratum[]): boolean {
  const n = strata.reduce((a, s) => a + s.respondents, 0);
  let trimmed = false;
  for (let round = 0; round < strata.length; round++) {
    const over = strata.filter((s) => s.weight > MAX_WEIGHT * (1 + 1e-12));
    if (over.length === 0) break;
    trimmed = true;
    for (const s of over) s.weight = MAX_WEIGHT;
    const capped = strata.filter((s) => s.weight === MAX_WEIGHT);
    const free = strata.filter((s) => s.weight !== MAX_WEIGHT);
    const target = n - capped.reduce((a, s) => a + s.weight * s.respondents, 0);
    const now = free.reduce((a, s) => a + s.weight * s.respondents, 0);
    for (const s of free) s.weight *= target / now;
  }
  return trimmed;
}

/** One stratum's answers to one item: its weight and value → count. */
export interface WeightedCell {
  weight: number;
  histogram: ReadonlyMap<number, number>;
}

interface Linearised {
  /** Answers, Σw·y / Σw, its linearisation variance, Kish's effective n, and n − H. */
  n: number;
  estimate: number;
  variance: number;
  effectiveN: number;
  df: number;
}

/** The weighted mean of y = f(value) and its linearisation variance (module comment). null: no answers. */
function linearise(cells: readonly WeightedCell[], f: (v: number) => number): Linearised | null {
  let sw = 0;
  let swy = 0;
  let sw2 = 0;
  let n = 0;
  let strata = 0;
  const per: { w: number; m: number; ss: number }[] = [];
  for (const c of cells) {
    let m = 0;
    let sy = 0;
    for (const [v, k] of c.histogram) {
      m += k;
      sy += k * f(v);
    }
    if (m === 0) continue;
    const mean = sy / m;
    let ss = 0;
    for (const [v, k] of c.histogram) ss += k * (f(v) - mean) ** 2;
    per.push({ w: c.weight, m, ss });
    sw += c.weight * m;
    swy += c.weight * sy;
    sw2 += c.weight * c.weight * m;
    n += m;
    strata++;
  }
  if (n === 0 || sw === 0) return null;
  // Σ_h n_h (w_h/Σw)² s_h², s_h² = ss_h/(n_h − 1); a single answer estimates no spread.
  let variance = 0;
  for (const p of per) if (p.m > 1) variance += p.m * (p.w / sw) ** 2 * (p.ss / (p.m - 1));
  return { n, estimate: swy / sw, variance, effectiveN: (sw * sw) / sw2, df: n - strata };
}

/** Wilson's interval for a share p at a (possibly fractional) effective sample size. */
export function wilsonAt(p: number, n: number, z = Z95): [number, number] {
  // stats/proportion.ts's wilsonInterval takes whole counts; an effective n is fractional.
  if (!(n > 0)) return [0, 1];
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  return [p <= 0 ? 0 : Math.max(0, centre - half), p >= 1 ? 1 : Math.min(1, centre + half)];
}

export interface WeightedMean {
  n: number;
  mean: number;
  se: number;
  ci95: [number, number] | null;
  effectiveN: number;
}

export function weightedMean(cells: readonly WeightedCell[]): WeightedMean | null {
  const l = linearise(cells, (v) => v);
  if (!l) return null;
  const se = Math.sqrt(l.variance);
  const half = l.df >= 1 ? studentTQuantile(0.975, l.df) * se : null;
  return { n: l.n, mean: l.estimate, se, ci95: half === null ? null : [l.estimate - half, l.estimate + half], effectiveN: l.effectiveN };
}

export interface WeightedShare {
  n: number;
  share: number;
  se: number;
  ci95: [number, number];
  effectiveN: number;
}

/** The weighted share of answers for which `yes(value)` holds. */
export function weightedShare(cells: readonly WeightedCell[], yes: (v: number) => boolean): WeightedShare | null {
  const l = linearise(cells, (v) => (yes(v) ? 1 : 0));
  if (!l) return null;
  const p = l.estimate;
  const nStar = l.variance > 0 ? (p * (1 - p)) / l.variance : l.effectiveN;
  return { n: l.n, share: p, se: Math.sqrt(l.variance), ci95: wilsonAt(p, nStar), effectiveN: l.effectiveN };
}

export interface WeightedNps {
  n: number;
  score: number;
  moe95: number;
  ci95: [number, number];
  effectiveN: number;
}

/** The weighted NPS of 0–10 answers: promoters (9–10) coded +1, detractors (0–6) −1, ×100. */
export function weightedNps(cells: readonly WeightedCell[]): WeightedNps | null {
  const l = linearise(cells, (v) => (v >= 9 ? 1 : v <= 6 ? -1 : 0));
  if (!l) return null;
  const score = 100 * l.estimate;
  const moe95 = 1.96 * 100 * Math.sqrt(l.variance);
  const clip = (x: number) => Math.min(100, Math.max(-100, x));
  return { n: l.n, score, moe95, ci95: [clip(score - moe95), clip(score + moe95)], effectiveN: l.effectiveN };
}
