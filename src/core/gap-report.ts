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
/** A dimension mean on the 1–5 scale, with its interval. */
export const ScaleMean = Mean.extend({
  ci95: Interval.nullable().describe('95% t interval of the mean, clipped to the 1–5 scale (a mean cannot leave it); null with n < 2'),
});
/** Why a side's figures are shown or not: the reason code behind every "hidden" of that side. */
export const SideStatus = z
  .enum(['shown', 'no-responses', 'too-few', 'combination'])
  .describe('shown; no-responses (the organisation has none yet); too-few (fewer than the minimum group); combination (the filters/breakdown would single someone out)');
export const Withheld = z
  .object({
    respondents: z.number().int().describe('customers left out of every report (rule 1 of core/anonymity.ts), whatever the filters'),
    reason: z.string().nullable().describe('why, in words; null when none is withheld'),
    groups: z.array(
      z.object({
        attribute: z.string().describe("month, touchpoint or segment:<name>"),
        value: z.string().describe("'' = not given"),
        respondents: z.number().int(),
      }),
    ),
  })
  .describe('customers not counted because their month, touchpoint or segment value has fewer than the minimum group');

export const GapReport = z.object({
  organisation: z.object({ id: z.string(), name: z.string(), industry: z.string() }),
  filters: z.record(z.string(), z.unknown()),
  minResponses: z.number().int(),
  responses: z.object({ customers: z.number().int().nullable(), leaders: z.number().int().nullable() }),
  status: z.object({ customers: SideStatus, leaders: SideStatus }),
  withheld: Withheld,
  headline: z.object({
    statement: z.string(),
    leaders: z.union([Share, Suppressed]),
    customers: z.union([Share, Suppressed]),
    gap: z.number().nullable(),
    z: z.number().nullable(),
    pValue: z.number().nullable(),
    benchmarks: z.array(
      z.object({
        source: z.string().describe('name and sample as one line of text, for display'),
        name: z.string().describe('the study or publisher'),
        sample: z.string().nullable().describe('who was asked (e.g. "500+ leaders, 2,000 consumers", or an industry)'),
        url: z.string().nullable(),
        industry: z.string().nullable().describe('the industry the figure is for; null: across industries'),
        year: z.string(),
        leaders: z.number(),
        customers: z.number(),
        gap: z.number(),
      }),
    ),
  }),
  dimensions: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      leaders: z.union([ScaleMean, Suppressed]),
      customers: z.union([ScaleMean, Suppressed]).nullable(),
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
  /**
   * Sides with no responses at all in the organisation: their figures say "no responses yet". (A cut can be
   * empty while the organisation is not — the anonymity rule pools rare values away — and is then "too few".)
   */
  empty?: { customers: boolean; leaders: boolean };
  /** Customers rule 1 withholds from every report (none when left out). */
  withheld?: z.infer<typeof Withheld>;
}

/** The 1–5 scale dimension items are asked on. */
export const DIMENSION_SCALE: [number, number] = [1, 5];

/** A dimension mean with its t interval clipped to the scale: the bounds of a mean of 1–5 answers. */
export function scaleMeanOf(h: Histogram | undefined, min: number): z.infer<typeof ScaleMean> | z.infer<typeof Suppressed> {
  const m = meanOf(h, min);
  if ('suppressed' in m) return m;
  const ci = tInterval(m);
  const [lo, hi] = DIMENSION_SCALE;
  return { ...m, ci95: ci && [Math.max(lo, ci[0]), Math.min(hi, ci[1])] };
}

/** Why a side is shown or not, as a code; a side with no responses says so, never "suppressed". */
export function sideStatus(respondents: number, min: number, hidden: string | null | undefined, empty = false): z.infer<typeof SideStatus> {
  if (empty) return 'no-responses';
  if (hidden) return 'combination';
  return respondents < min ? 'too-few' : 'shown';
}

/** The reason each figure of a side without any responses gives. */
export const NO_RESPONSES = 'no responses yet';

/** The withheld customers in words: "12 responses are not shown in any report: groups of fewer than 5 respondents (region not given: 1, …) …". */
export function withheldReason(respondents: number, groups: readonly { attribute: string; value: string; respondents: number }[], k: number): string | null {
  if (respondents === 0) return null;
  const name = (a: string) => (a.startsWith('segment:') ? a.slice('segment:'.length) : a);
  const list = groups.map((g) => `${name(g.attribute)} ${g.value === '' ? 'not given' : g.value}: ${g.respondents}`).join(', ');
  const what = respondents === 1 ? '1 response is' : `${respondents.toLocaleString('en-GB')} responses are`;
  return `${what} not shown in any report: groups of fewer than ${k} respondents${list ? ` (${list})` : ''} could single someone out, so they count once their group reaches ${k}`;
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
  const hideSide = (hidden: string | null | undefined, empty: boolean | undefined) =>
    empty ? { suppressed: true as const, reason: NO_RESPONSES } : hidden ? { suppressed: true as const, reason: hidden } : suppressed(min);
  const hideC = () => hideSide(input.hidden?.customers, input.empty?.customers);
  const hideL = () => hideSide(input.hidden?.leaders, input.empty?.leaders);

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
    const lm = leadersVisible ? scaleMeanOf(L.items[key], min) : hideL();
    const cm = d.customerItem === null ? null : customersVisible ? scaleMeanOf(C.items[key], min) : hideC();
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
    status: {
      customers: sideStatus(C.respondents, min, input.hidden?.customers, input.empty?.customers),
      leaders: sideStatus(L.respondents, min, input.hidden?.leaders, input.empty?.leaders),
    },
    withheld: input.withheld ?? { respondents: 0, reason: null, groups: [] },
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
