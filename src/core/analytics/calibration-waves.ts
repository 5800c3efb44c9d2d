// Calibration over time — is leadership learning? Each leader wave (the leaders who answered in one month
// or quarter) against the customers of the same period, and the trend of the team's headline error.
//
// Per wave: the headline error, leaders' mean predicted share of customers calling the experience
// excellent minus the customers' actual share (percentage points; signed and absolute, and the MAE of the
// individual predictions), and the dimension MAE (calibration.ts: calibrationErrors). The signed error's
// 95% interval is MOVER (Zou & Donner 2008; Newcombe 1998 for two shares — stats/newcombe.ts), combining
// the leaders' mean prediction's t interval (l1, u1) with the actual share's Wilson interval (l2, u2):
//   d = m − p,  [d − √((m − l1)² + (u2 − p)²),  d + √((u1 − m)² + (p − l2)²)].
// The trend: weighted least squares of the signed error on the period index (stats/regression.ts), each
// wave weighted by its information 1/Var(d), Var(d) = s_L²/n_L + 100²·p(1 − p)/n_C (trend.ts shareVariance
// for p, so a share of 0 or 1 still has a variance). "Shrinking" when the slope's 95% interval excludes 0
// and the slope runs against the waves' (weighted) mean error — the error is moving towards 0.
//
// Anonymity (core/anonymity.ts; leaders are few): a wave is shown only with at least k leaders and k
// customers in its period. Withholding only the small waves would let "all leaders" (the calibration
// report) minus the shown waves give the withheld ones back, so the withheld leaders must together be 0
// or at least k: while they are 1…k−1, the smallest shown wave is withheld too (secondary suppression).
// Months nest in quarters, so monthly waves are decided inside the quarterly decision: a month is shown
// only when its quarter is, and within each quarter the withheld months again hold 0 or ≥ k leaders.
// Every figure released is then a sum of blocks of 0 or ≥ k leaders, whichever views are differenced.
import { z } from 'zod';
import type { Dimension } from '../framework.ts';
import { Interval, Suppressed, meanOf, shareOf, countWhere, isTopTwo, type Histogram, type SideAggregate } from '../gap-report.ts';
import { quarterOf } from '../anonymity.ts';
import { momentsFromHistogram, tInterval, weightedLinearTrend, type TrendPoint } from '../stats/index.ts';
import { newcombeInterval } from '../stats/newcombe.ts';
import { calibrationErrors } from './calibration.ts';
import { TrendPeriod, periodIndex, shareVariance } from './trend.ts';

const Headline = z.object({
  predicted: z.object({ n: z.number().int(), mean: z.number(), ci95: Interval }).describe("leaders' mean predicted share, percent, t interval"),
  actual: z.object({ n: z.number().int(), share: z.number(), ci95: Interval }).describe("customers' share calling the experience excellent, percent, Wilson interval"),
  signedError: z.number().describe('predicted − actual, percentage points (> 0: over-confident)'),
  ci95: Interval.describe('MOVER interval of the signed error'),
  absoluteError: z.number().describe('|signed error|: how far the team as a whole is off'),
  mae: z.number().describe("mean |each leader's prediction − actual|, percentage points"),
  variance: z.number().describe('Var(signed error) = s²/n_L + 100²·p(1−p)/n_C: the wave\'s trend weight is its inverse'),
});

export const CalibrationWave = z.union([
  z.object({
    period: z.string().describe('YYYY-MM or YYYY-Qn'),
    leaders: z.number().int(),
    customers: z.number().int(),
    headline: z.union([Headline, Suppressed]),
    dimensionsMae: z.number().nullable().describe('mean |predicted − actual| over all dimension predictions, 1–5 points'),
    dimensionsSignedError: z.number().nullable(),
  }),
  z.object({ period: z.string(), suppressed: z.literal(true), reason: z.string() }),
]);
export type CalibrationWave = z.infer<typeof CalibrationWave>;

export const LearningTrend = z.object({
  waves: z.number().int().describe('waves in the fit'),
  perPeriod: z.number().describe('change of the signed headline error per period, percentage points'),
  ci95: Interval,
  pValue: z.number(),
  meanError: z.number().describe("the waves' weighted mean signed error: which way leaders are off"),
  direction: z.enum(['shrinking', 'growing', 'no clear change']),
});

export const CalibrationWavesReport = z.object({
  organisation: z.object({ id: z.string(), name: z.string(), industry: z.string() }),
  filters: z.record(z.string(), z.unknown()),
  minResponses: z.number().int(),
  by: TrendPeriod,
  suppressed: z
    .object({ customers: z.string().nullable(), leaders: z.string().nullable() })
    .describe('why a side is hidden in every wave (null: decided wave by wave)'),
  waves: z.array(CalibrationWave).describe('periods in which leaders answered, oldest first'),
  trend: LearningTrend.nullable().describe('WLS slope of the signed headline error over the shown waves; null with fewer than 3'),
  sentence: z.string(),
});
export type CalibrationWavesReport = z.infer<typeof CalibrationWavesReport>;

export interface CalibrationWavesInput {
  organisation: { id: string; name: string; industry: string; minResponses: number };
  framework: Dimension[];
  filters: Record<string, unknown>;
  by: TrendPeriod;
  hidden: { customers: string | null; leaders: string | null };
  /** Respondents per month within the cut (from the cells), for the anonymity decision. */
  counts: { leaders: Map<string, number>; customers: Map<string, number> };
  /** Each period's aggregates (period → side); periods missing here are empty. */
  leaders: Map<string, SideAggregate>;
  customers: Map<string, SideAggregate>;
}

export const fewerLeaders = (k: number) => `fewer than ${k} leaders answered in this period`;
export const fewerCustomers = (k: number) => `fewer than ${k} customers answered in this period`;
export const WITHHELD_WITH_OTHERS =
  'withheld with the smaller waves: otherwise they could be worked out from all leaders minus the waves shown';

interface Count {
  period: string;
  leaders: number;
  customers: number;
}

/**
 * Which waves may be shown (reason null) or not: own reason first, then secondary suppression until the
 * withheld leaders are 0 or ≥ k (the smallest shown wave, the earliest among equals, goes first).
 */
export function withholdWaves(waves: readonly Count[], k: number): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const w of waves) out.set(w.period, w.leaders < k ? fewerLeaders(k) : w.customers < k ? fewerCustomers(k) : null);
  const withheld = () => waves.filter((w) => out.get(w.period) !== null).reduce((s, w) => s + w.leaders, 0);
  for (let held = withheld(); held > 0 && held < k; held = withheld()) {
    const next = waves.filter((w) => out.get(w.period) === null).sort((a, b) => a.leaders - b.leaders || a.period.localeCompare(b.period))[0];
    if (!next) break; // everything withheld: nothing left to difference against
    out.set(next.period, WITHHELD_WITH_OTHERS);
  }
  return out;
}

/** The decision for every period with leaders: quarters first; months inside shown quarters. */
export function waveDecisions(by: TrendPeriod, leaders: Map<string, number>, customers: Map<string, number>, k: number): Map<string, string | null> {
  const months = [...leaders.keys()].filter((m) => (leaders.get(m) ?? 0) > 0).sort();
  const sumBy = (counts: Map<string, number>) => {
    const q = new Map<string, number>();
    for (const [m, n] of counts) q.set(quarterOf(m), (q.get(quarterOf(m)) ?? 0) + n);
    return q;
  };
  const [lq, cq] = [sumBy(leaders), sumBy(customers)];
  const quarters = [...new Set(months.map(quarterOf))].sort().map((period) => ({ period, leaders: lq.get(period) ?? 0, customers: cq.get(period) ?? 0 }));
  const byQuarter = withholdWaves(quarters, k);
  if (by === 'quarter') return byQuarter;
  const out = new Map<string, string | null>();
  for (const q of quarters) {
    const inQ = months.filter((m) => quarterOf(m) === q.period).map((period) => ({ period, leaders: leaders.get(period) ?? 0, customers: customers.get(period) ?? 0 }));
    const reason = byQuarter.get(q.period)!;
    const within = withholdWaves(inQ, k);
    // A withheld quarter withholds its months (a month's own reason, when it has one, says more).
    for (const m of inQ) {
      const own = m.leaders < k ? fewerLeaders(k) : m.customers < k ? fewerCustomers(k) : null;
      out.set(m.period, reason === null ? within.get(m.period)! : (own ?? reason));
    }
  }
  return out;
}

const expand = (h: Histogram | undefined): number[] => Object.entries(h ?? {}).flatMap(([v, c]) => Array<number>(c).fill(Number(v)));

function headlineOf(leaders: SideAggregate, customers: SideAggregate, k: number): z.infer<typeof Headline> | z.infer<typeof Suppressed> {
  const predictions = leaders.items['predict:excellent_share'];
  const m = momentsFromHistogram(predictions ?? {});
  if (m.n < k) return { suppressed: true, reason: `fewer than ${k} leaders predicted the excellence share in this period` };
  const share = shareOf(customers.items.excellent, k);
  if ('suppressed' in share) return { suppressed: true, reason: `fewer than ${k} customers answered the headline question in this period` };
  const x = countWhere(customers.items.excellent, isTopTwo);
  const p = 100 * share.share;
  const pCi: [number, number] = [100 * share.ci95[0], 100 * share.ci95[1]];
  const mCi = tInterval(m)!;
  const signedError = m.mean - p;
  const individual = expand(predictions).map((v) => Math.abs(v - p));
  return {
    predicted: { n: m.n, mean: m.mean, ci95: mCi },
    actual: { n: share.n, share: p, ci95: pCi },
    signedError,
    ci95: newcombeInterval(m.mean, mCi, p, pCi),
    absoluteError: Math.abs(signedError),
    mae: individual.reduce((s, v) => s + v, 0) / individual.length,
    variance: (m.sd * m.sd) / m.n + 100 * 100 * shareVariance(x, share.n),
  };
}

const fmt = (x: number) => x.toFixed(1).replace('-', '−');

/** The written answer to "is leadership learning?", from the trend (or why there is none). */
export function learningSentence(trend: z.infer<typeof LearningTrend> | null, shown: number, by: TrendPeriod): string {
  const per = by === 'quarter' ? 'a quarter' : 'a month';
  if (!trend) return `Too few waves to tell whether leadership is learning: ${shown} shown, at least 3 needed.`;
  const ci = (a: number, b: number) => `95 % CI ${fmt(a)} to ${fmt(b)}`;
  if (trend.direction === 'no clear change')
    return `No clear change in leaders' error over ${trend.waves} waves: ${fmt(trend.perPeriod)} points ${per} (${ci(trend.ci95[0], trend.ci95[1])}).`;
  const kind = trend.meanError >= 0 ? 'over-confidence' : 'under-confidence';
  // In magnitude terms: a slope against the error's sign shrinks it, so its interval is turned round.
  const [lo, hi] = trend.meanError >= 0 ? [trend.ci95[0], trend.ci95[1]] : [-trend.ci95[1], -trend.ci95[0]];
  const [a, b] = trend.direction === 'shrinking' ? [-hi, -lo] : [lo, hi];
  return `Leaders' ${kind} is ${trend.direction} by about ${fmt(Math.abs(trend.perPeriod))} points ${per} (${ci(a, b)}).`;
}

export function calibrationWavesReport(input: CalibrationWavesInput): CalibrationWavesReport {
  const { organisation: org, hidden, by } = input;
  const k = org.minResponses;
  const dims = input.framework.filter((d) => d.customerItem !== null);
  const periodOf = (m: string) => (by === 'month' ? m : quarterOf(m));
  const decisions = waveDecisions(by, input.counts.leaders, input.counts.customers, k);
  const periods = [...new Set([...input.counts.leaders].filter(([, n]) => n > 0).map(([m]) => periodOf(m)))].sort();
  const first = periods.length ? periodIndex(periods[0]!) : 0;
  const points: TrendPoint[] = [];
  const waves: CalibrationWave[] = periods.map((period) => {
    const reason = hidden.leaders ?? hidden.customers ?? decisions.get(period) ?? null;
    if (reason) return { period, suppressed: true as const, reason };
    const L = input.leaders.get(period) ?? { respondents: 0, items: {} };
    const C = input.customers.get(period) ?? { respondents: 0, items: {} };
    const means = new Map<string, number>();
    for (const d of dims) {
      const mean = meanOf(C.items[`dim:${d.key}`], k);
      if (!('suppressed' in mean)) means.set(`dim:${d.key}`, mean.mean);
    }
    const e = calibrationErrors((item) => (item.startsWith('dim:') ? expand(L.items[item]) : []), { share: null, dims: means });
    const headline = headlineOf(L, C, k);
    if (!('suppressed' in headline)) points.push({ x: periodIndex(period) - first, y: headline.signedError, variance: headline.variance });
    return { period, leaders: L.respondents, customers: C.respondents, headline, dimensionsMae: e.dimensionsMae, dimensionsSignedError: e.dimensionsSignedError };
  });

  const t = weightedLinearTrend(points);
  let trend: z.infer<typeof LearningTrend> | null = null;
  if (t.slope !== null && t.ci95 !== null && t.pValue !== null) {
    const sw = points.reduce((s, p) => s + 1 / p.variance, 0);
    const meanError = points.reduce((s, p) => s + p.y / p.variance, 0) / sw;
    const clear = t.ci95[0] > 0 || t.ci95[1] < 0;
    const direction = !clear ? 'no clear change' : Math.sign(t.slope) !== Math.sign(meanError) ? 'shrinking' : 'growing';
    trend = { waves: t.n, perPeriod: t.slope, ci95: t.ci95, pValue: t.pValue, meanError, direction };
  }
  return {
    organisation: { id: org.id, name: org.name, industry: org.industry },
    filters: input.filters,
    minResponses: k,
    by,
    suppressed: { customers: hidden.customers, leaders: hidden.leaders },
    waves,
    trend,
    sentence: learningSentence(trend, points.length, by),
  };
}
