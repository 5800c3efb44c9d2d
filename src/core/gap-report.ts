// The gap report: leaders' beliefs vs customers' answers, from per-item histograms (sufficient
// statistics), with intervals and tests, and anonymity suppression for small groups.
import { z } from 'zod';
import type { Dimension } from './framework.ts';
import { gapBenchmarks, npsBenchmark } from './benchmarks.ts';
import {
  momentsFromHistogram,
  tInterval,
  wilsonInterval,
  twoProportionZTest,
  welchTTest,
  hedgesG,
  npsFromCounts,
  meanAbsoluteError,
  excellenceBrier,
  confidenceDirection,
} from './stats/index.ts';

/** value → count, for one item in one group. */
export type Histogram = Record<number, number>;

export interface SideAggregate {
  /** Number of responses (respondents) in the group. */
  respondents: number;
  items: Record<string, Histogram>;
}

export const Suppressed = z.object({ suppressed: z.literal(true), reason: z.string() });
export const Interval = z.tuple([z.number(), z.number()]);
export const Share = z.object({ n: z.number().int(), share: z.number(), ci95: Interval });
export const Mean = z.object({ n: z.number().int(), mean: z.number(), sd: z.number() });

export const GapReport = z.object({
  organisation: z.object({ id: z.string(), name: z.string(), industry: z.string() }),
  filters: z.record(z.string(), z.unknown()),
  minResponses: z.number().int(),
  responses: z.object({ customers: z.number().int().nullable(), leaders: z.number().int().nullable() }),
  headline: z.object({
    statement: z.string(),
    leaders: z.union([Share, Suppressed]),
    customers: z.union([Share, Suppressed]),
    gap: z.number().nullable(),
    z: z.number().nullable(),
    pValue: z.number().nullable(),
    benchmarks: z.array(
      z.object({ source: z.string(), year: z.string(), leaders: z.number(), customers: z.number(), gap: z.number() }),
    ),
  }),
  dimensions: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      leaders: z.union([Mean, Suppressed]),
      customers: z.union([Mean, Suppressed]).nullable(),
      gap: z.number().nullable(),
      t: z.number().nullable(),
      df: z.number().nullable(),
      pValue: z.number().nullable(),
      effectSize: z.number().nullable(),
    }),
  ),
  nps: z.union([
    z.object({
      n: z.number().int(),
      score: z.number(),
      moe95: z.number(),
      ci95: Interval,
      adjustedWald: Interval,
      promoters: z.number(),
      passives: z.number(),
      detractors: z.number(),
      benchmark: z.object({ source: z.string(), year: z.string(), low: z.number(), high: z.number() }).nullable(),
    }),
    Suppressed,
  ]),
  csat: z.union([Share, Suppressed]),
  ces: z.union([z.object({ n: z.number().int(), mean: z.number(), ci95: Interval.nullable() }), Suppressed]),
  calibration: z.union([
    z.object({
      n: z.number().int(),
      meanPredictedShare: z.number(),
      actualShare: z.number(),
      maeExcellenceShare: z.number(),
      brier: z.number(),
      direction: z.enum(['over-confident', 'under-confident', 'calibrated']),
    }),
    Suppressed,
  ]),
});
export type GapReport = z.infer<typeof GapReport>;

export interface GapReportInput {
  organisation: { id: string; name: string; industry: string; minResponses: number };
  framework: Dimension[];
  filters: Record<string, unknown>;
  leaders: SideAggregate;
  customers: SideAggregate;
  /**
   * Sides the anonymity rule (core/anonymity.ts) refuses as a whole, with why: every figure of that side
   * is then suppressed with this reason.
   */
  hidden?: { customers?: string | null; leaders?: string | null };
}

export const total = (h: Histogram | undefined) => Object.values(h ?? {}).reduce((a, b) => a + b, 0);
export const countWhere = (h: Histogram | undefined, pred: (v: number) => boolean) =>
  Object.entries(h ?? {}).reduce((a, [v, c]) => (pred(Number(v)) ? a + c : a), 0);

/** Top-2-box on a 1–5 agreement scale: "agree" or "strongly agree". */
export const isTopTwo = (v: number) => v >= 4;

export function suppressed(min: number): z.infer<typeof Suppressed> {
  return { suppressed: true, reason: `fewer than ${min} respondents` };
}

export function shareOf(h: Histogram | undefined, min: number) {
  const n = total(h);
  if (n < min || n === 0) return suppressed(min);
  const x = countWhere(h, isTopTwo);
  return { n, share: x / n, ci95: wilsonInterval(x, n) as [number, number] };
}

export function meanOf(h: Histogram | undefined, min: number) {
  const n = total(h);
  if (n < min || n === 0) return suppressed(min);
  const m = momentsFromHistogram(h!);
  return { n: m.n, mean: m.mean, sd: m.sd };
}

export function gapReport(input: GapReportInput): GapReport {
  const { organisation: org, leaders: L, customers: C } = input;
  const min = org.minResponses;
  const customersVisible = !input.hidden?.customers && C.respondents >= min;
  const leadersVisible = !input.hidden?.leaders && L.respondents >= min;
  // A side that is hidden as a whole says why on every figure; otherwise small groups say "fewer than k".
  const hideC = () => (input.hidden?.customers ? { suppressed: true as const, reason: input.hidden.customers } : suppressed(min));
  const hideL = () => (input.hidden?.leaders ? { suppressed: true as const, reason: input.hidden.leaders } : suppressed(min));

  // Headline: leaders' belief that the experience is excellent vs customers' agreement.
  const hl = leadersVisible ? shareOf(L.items.excellent, min) : hideL();
  const hc = customersVisible ? shareOf(C.items.excellent, min) : hideC();
  let gap: number | null = null;
  let zStat: number | null = null;
  let pValue: number | null = null;
  if (!('suppressed' in hl) && !('suppressed' in hc)) {
    const t = twoProportionZTest(countWhere(L.items.excellent, isTopTwo), hl.n, countWhere(C.items.excellent, isTopTwo), hc.n);
    gap = t.diff;
    zStat = t.z;
    pValue = t.pValue;
  }

  const dimensions = input.framework.map((d) => {
    const key = `dim:${d.key}`;
    const lm = leadersVisible ? meanOf(L.items[key], min) : hideL();
    const cm = d.customerItem === null ? null : customersVisible ? meanOf(C.items[key], min) : hideC();
    const row = { key: d.key, label: d.label, leaders: lm, customers: cm, gap: null, t: null, df: null, pValue: null, effectSize: null } as GapReport['dimensions'][number];
    if (cm && !('suppressed' in lm) && !('suppressed' in cm)) {
      const w = welchTTest(lm, cm);
      Object.assign(row, { gap: w.diff, t: w.t, df: w.df, pValue: w.pValue, effectSize: hedgesG(lm, cm) });
    }
    return row;
  });

  const npsHist = C.items.nps;
  const npsN = total(npsHist);
  let nps: GapReport['nps'] = customersVisible ? suppressed(min) : hideC();
  if (customersVisible && npsN >= min && npsN > 0) {
    const promoters = countWhere(npsHist, (v) => v >= 9);
    const detractors = countWhere(npsHist, (v) => v <= 6);
    const r = npsFromCounts({ promoters, passives: npsN - promoters - detractors, detractors });
    nps = {
      n: r.n,
      score: r.score,
      moe95: r.moe95,
      ci95: r.ci95,
      adjustedWald: r.adjustedWald,
      promoters,
      passives: npsN - promoters - detractors,
      detractors,
      benchmark: npsBenchmark(org.industry),
    };
  }

  const csat = customersVisible ? shareOf(C.items.csat, min) : hideC();
  const cesM = customersVisible ? meanOf(C.items.ces, min) : hideC();
  const ces: GapReport['ces'] =
    'suppressed' in cesM ? cesM : { n: cesM.n, mean: cesM.mean, ci95: tInterval(cesM) as [number, number] | null };

  // Calibration: how far leaders' predicted share of "excellent" customers is from the actual share.
  let calibration: GapReport['calibration'] = !leadersVisible ? hideL() : !customersVisible ? hideC() : suppressed(min);
  const predHist = L.items['predict:excellent_share'];
  const predN = total(predHist);
  if (leadersVisible && predN >= min && !('suppressed' in hc)) {
    const predictions = Object.entries(predHist!).flatMap(([v, c]) => Array<number>(c).fill(Number(v)));
    const actualPct = hc.share * 100;
    const meanPredicted = predictions.reduce((a, b) => a + b, 0) / predictions.length;
    calibration = {
      n: predictions.length,
      meanPredictedShare: meanPredicted / 100,
      actualShare: hc.share,
      maeExcellenceShare: meanAbsoluteError(predictions, actualPct),
      brier: excellenceBrier(
        predictions.map((p) => p / 100),
        hc.share,
      ),
      direction: confidenceDirection(meanPredicted - actualPct, 5),
    };
  }

  return {
    organisation: { id: org.id, name: org.name, industry: org.industry },
    filters: input.filters,
    minResponses: min,
    responses: { customers: customersVisible ? C.respondents : null, leaders: leadersVisible ? L.respondents : null },
    headline: {
      statement: `The experience ${org.name} delivers is excellent (agree or strongly agree)`,
      leaders: hl,
      customers: hc,
      gap,
      z: zStat,
      pValue,
      benchmarks: gapBenchmarks(org.industry).map((b) => ({ ...b, gap: b.leaders - b.customers })),
    },
    dimensions,
    nps,
    csat,
    ces,
    calibration,
  };
}
