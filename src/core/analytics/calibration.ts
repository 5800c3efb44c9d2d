// Leader calibration: how well leaders predict what customers say — for the leadership team, per
// leadership group (a leader segment such as `function`) and per identified leader — and who knows the
// customers best.
//
// Against the customers' actual figures over the same period (all customers: leaders predict the whole
// customer base): for each customer dimension, |predicted rating − customers' mean| (MAE, 1–5 points) and
// the signed error (over-confident when leaders rate the experience above customers by more than 0.25);
// for the headline, the predicted share of customers calling the experience excellent vs the actual share
// (MAE and signed error in percentage points, over-confident beyond ±5 points, as the gap report) and the
// Brier-type score mean (predicted share − actual share)² (stats/calibration.ts: excellenceBrier).
// Groups are computed from the leaders' answer counts, so MAE pools every prediction of the group's
// members; the per-leader figures use each identified leader's latest response in the period.
//
// Anonymity: the mirror survey promises leaders that individual answers are never shown. So:
//  - groups smaller than k are pooled with each other (and, if still short, with the next smallest
//    group) into one block of ≥ k (core/anonymity.ts: poolSmallGroups), never shown alone;
//  - individual leaders never appear as rows (issue 7, hole 5: a ranked list of every leader could be
//    differenced — read it, change one leader's response, read again, and the row that changed is that
//    leader's). Others see only the spread: the quartiles of the leaders' errors (rounded) and how many
//    leaders fall into each band of error, bands merged until each holds at least k; and only when at
//    least k identified leaders answered. Its size is bounded whatever the number of leaders.
//  - a leader who answered while logged in sees their own figures (`you`) and their band: their own
//    answers against the customers' actual figures, which the report shows anyway.
//  - "Who knows our customers best" ranks groups (by dimension MAE, then by the headline error).
// What it does not claim: watching the bands before and after one new response shows that response's
// band, as for any live aggregate (core/anonymity.ts, (b)); leader links make sure a response is new,
// never a replacement of another leader's.
import { z } from 'zod';
import type { Dimension } from '../framework.ts';
import { Suppressed, meanOf, shareOf, suppressed, type Histogram, type SideAggregate } from '../gap-report.ts';
import { confidenceDirection, excellenceBrier, meanAbsoluteError, meanSignedError } from '../stats/index.ts';

/** Tolerances for "calibrated": 0.25 points on the 1–5 scale, 5 points of share. */
export const DIMENSION_TOLERANCE = 0.25;
export const SHARE_TOLERANCE = 5;

const Quartiles = z.object({ q1: z.number(), median: z.number(), q3: z.number() });

const Direction = z.enum(['over-confident', 'under-confident', 'calibrated']);

const Errors = z.object({
  dimensionsMae: z.number().nullable().describe('mean |predicted − actual| over all dimension predictions, 1–5 points'),
  dimensionsSignedError: z.number().nullable(),
  dimensionsDirection: Direction.nullable(),
  excellenceMae: z.number().nullable().describe('mean |predicted − actual share| in percentage points'),
  excellenceSignedError: z.number().nullable(),
  brier: z.number().nullable().describe('mean (predicted share − actual share)², shares as fractions'),
  direction: Direction.nullable().describe('from the headline (excellence share) prediction'),
});
export type CalibrationErrors = z.infer<typeof Errors>;

export const CalibrationReport = z.object({
  organisation: z.object({ id: z.string(), name: z.string(), industry: z.string() }),
  filters: z.record(z.string(), z.unknown()),
  minResponses: z.number().int(),
  groupBy: z.string(),
  actual: z.union([
    z.object({
      excellentShare: z.number().nullable(),
      dimensions: z.record(z.string(), z.number().nullable()),
    }),
    Suppressed,
  ]),
  team: z.union([Errors.extend({ leaders: z.number().int() }), Suppressed]),
  groups: z.union([
    z.array(
      Errors.extend({
        rank: z.number().int(),
        group: z.string().describe('the group value, or several joined with " + " when pooled'),
        pooled: z.boolean(),
        leaders: z.number().int(),
      }),
    ),
    Suppressed,
  ]),
  leaders: z.union([
    z.object({
      identified: z.number().int(),
      quartiles: z
        .object({ dimensionsMae: Quartiles.nullable(), excellenceMae: Quartiles.nullable() })
        .describe("quartiles of the identified leaders' errors (dimension MAE to 0.1 point, headline MAE to whole points)"),
      bands: z
        .array(z.object({ band: z.string(), from: z.number(), to: z.number().nullable(), leaders: z.number().int() }))
        .describe('leaders per band of dimension MAE (from ≤ MAE < to), adjacent bands merged until each holds at least the minimum; no rows per leader'),
    }),
    Suppressed,
  ]),
  you: Errors.extend({ band: z.string().nullable() })
    .nullable()
    .describe("the caller's own figures, when they answered the leader survey while logged in; null otherwise"),
});
export type CalibrationReport = z.infer<typeof CalibrationReport>;

export interface CalibrationInput {
  organisation: { id: string; name: string; industry: string; minResponses: number };
  framework: Dimension[];
  filters: Record<string, unknown>;
  groupBy: string;
  customers: SideAggregate;
  team: SideAggregate;
  /** Pooled blocks of groups (members: the group values in the block). */
  groups: { members: string[]; side: SideAggregate }[];
  leaders: { respondentId?: string; answers: Record<string, number> }[];
  /** The caller's respondent id on the leader survey (a logged-in member), to give them their own line. */
  self?: string | null;
  hidden: { customers: string | null; leaders: string | null; groups: string | null };
}

const expand = (h: Histogram | undefined): number[] =>
  Object.entries(h ?? {}).flatMap(([v, c]) => Array<number>(c).fill(Number(v)));

interface Actual {
  share: number | null;
  dims: Map<string, number>;
}

/** Errors of a set of predictions: item → predicted values (dimension items and predict:excellent_share). */
export function calibrationErrors(predictions: (item: string) => number[], actual: Actual): CalibrationErrors {
  let abs = 0;
  let signed = 0;
  let count = 0;
  for (const [item, mu] of actual.dims) {
    for (const p of predictions(item)) {
      abs += Math.abs(p - mu);
      signed += p - mu;
      count += 1;
    }
  }
  const shares = predictions('predict:excellent_share');
  const hasShare = actual.share !== null && shares.length > 0;
  const actualPct = (actual.share ?? 0) * 100;
  const excellenceSignedError = hasShare ? meanSignedError(shares, actualPct) : null;
  return {
    dimensionsMae: count ? abs / count : null,
    dimensionsSignedError: count ? signed / count : null,
    dimensionsDirection: count ? confidenceDirection(signed / count, DIMENSION_TOLERANCE) : null,
    excellenceMae: hasShare ? meanAbsoluteError(shares, actualPct) : null,
    excellenceSignedError,
    brier: hasShare ? excellenceBrier(shares.map((s) => s / 100), actual.share!) : null,
    direction: excellenceSignedError === null ? null : confidenceDirection(excellenceSignedError, SHARE_TOLERANCE),
  };
}

/**
 * Best first: lower dimension MAE, then lower headline error; missing figures last. Remaining ties are
 * broken by the signed errors, so the order of the anonymous list depends on the figures only (never on
 * storage order, which follows submission time).
 */
function byAccuracy(a: CalibrationErrors, b: CalibrationErrors): number {
  const key = (e: CalibrationErrors) => [e.dimensionsMae ?? Infinity, e.excellenceMae ?? Infinity, e.dimensionsSignedError ?? 0, e.excellenceSignedError ?? 0];
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

export function calibrationReport(input: CalibrationInput): CalibrationReport {
  const { organisation: org, hidden } = input;
  const min = org.minResponses;
  const hide = (reason: string | null) => (reason ? { suppressed: true as const, reason } : suppressed(min));
  const dims = input.framework.filter((d) => d.customerItem !== null);

  let actual: CalibrationReport['actual'];
  let truth: Actual | null = null;
  if (hidden.customers || input.customers.respondents < min) actual = hide(hidden.customers);
  else {
    const share = shareOf(input.customers.items.excellent, min);
    const dimensions: Record<string, number | null> = {};
    const means = new Map<string, number>();
    for (const d of dims) {
      const m = meanOf(input.customers.items[`dim:${d.key}`], min);
      dimensions[d.key] = 'suppressed' in m ? null : m.mean;
      if (!('suppressed' in m)) means.set(`dim:${d.key}`, m.mean);
    }
    truth = { share: 'suppressed' in share ? null : share.share, dims: means };
    actual = { excellentShare: truth.share, dimensions };
  }

  const fromSide = (side: SideAggregate) => calibrationErrors((item) => expand(side.items[item]), truth!);
  const leadersShown = !hidden.leaders && input.team.respondents >= min;
  const noTruth = hide(hidden.customers);

  const team: CalibrationReport['team'] = !leadersShown ? hide(hidden.leaders) : !truth ? noTruth : { ...fromSide(input.team), leaders: input.team.respondents };

  let groups: CalibrationReport['groups'];
  if (!leadersShown) groups = hide(hidden.leaders);
  else if (hidden.groups) groups = hide(hidden.groups);
  else if (!truth) groups = noTruth;
  else if (input.groups.length === 0) groups = suppressed(min);
  else
    groups = input.groups
      .map((g) => ({ ...fromSide(g.side), group: g.members.join(' + '), pooled: g.members.length > 1, leaders: g.side.respondents }))
      .sort((a, b) => byAccuracy(a, b) || a.group.localeCompare(b.group))
      .map((g, i) => ({ ...g, rank: i + 1 }));

  const errorsOf = (l: { answers: Record<string, number> }) =>
    calibrationErrors((item) => (l.answers[item] === undefined ? [] : [l.answers[item]!]), truth!);
  const all = leadersShown && truth ? input.leaders.map(errorsOf) : [];
  const bands = all.length >= min ? errorBands(all.map((e) => e.dimensionsMae), min) : [];

  let leaders: CalibrationReport['leaders'];
  if (!leadersShown) leaders = hide(hidden.leaders);
  else if (!truth) leaders = noTruth;
  else if (input.leaders.length < min)
    leaders = { suppressed: true, reason: `fewer than ${min} identified leaders: individual results could be told apart` };
  else {
    const q = (values: (number | null)[], step: number) => {
      const v = values.filter((x): x is number => x !== null).sort((a, b) => a - b);
      // Quartiles only of at least k values, rounded: a spread, not anyone's exact figure.
      if (v.length < min) return null;
      const r = (x: number) => Number((Math.round(x / step) * step).toFixed(2));
      return { q1: r(quantileSorted(v, 0.25)), median: r(quantileSorted(v, 0.5)), q3: r(quantileSorted(v, 0.75)) };
    };
    leaders = {
      identified: input.leaders.length,
      quartiles: { dimensionsMae: q(all.map((e) => e.dimensionsMae), 0.1), excellenceMae: q(all.map((e) => e.excellenceMae), 1) },
      bands: bands.map(({ band, from, to, leaders: n }) => ({ band, from, to, leaders: n })),
    };
  }

  let you: CalibrationReport['you'] = null;
  const mine = input.self ? input.leaders.find((l) => l.respondentId === input.self) : undefined;
  if (mine && truth) {
    const e = errorsOf(mine);
    const x = e.dimensionsMae ?? Infinity;
    you = { ...e, band: bands.find((b) => x >= b.from && (b.to === null || x < b.to))?.band ?? null };
  }

  return {
    organisation: { id: org.id, name: org.name, industry: org.industry },
    filters: input.filters,
    minResponses: min,
    groupBy: input.groupBy,
    actual,
    team,
    groups,
    leaders,
    you,
  };
}

/** Band edges of dimension MAE (1–5 points): within a quarter point is "calibrated" (DIMENSION_TOLERANCE). */
export const BAND_EDGES = [0, 0.25, 0.5, 0.75, 1, 1.5];

const fmt = (x: number) => (Number.isInteger(x) ? x.toFixed(1) : String(x));

/**
 * Leaders per band of dimension MAE, adjacent bands merged until every band holds at least k (leaders
 * without dimension predictions count in the last band). At most BAND_EDGES.length bands.
 */
export function errorBands(maes: (number | null)[], k: number): { band: string; from: number; to: number | null; leaders: number }[] {
  let bands = BAND_EDGES.map((from, i) => ({ from, to: BAND_EDGES[i + 1] ?? null, leaders: 0 }));
  for (const m of maes) {
    const x = m ?? Infinity;
    const i = bands.findLastIndex((b) => x >= b.from);
    bands[Math.max(0, i)]!.leaders += 1;
  }
  bands = bands.filter((b, i) => b.leaders > 0 || i === 0);
  // Merge the smallest short band into its smaller neighbour until none is short (or one is left).
  for (;;) {
    const short = bands.map((b, i) => [b.leaders, i] as const).filter(([n]) => n < k).sort((a, b) => a[0] - b[0])[0];
    if (!short || bands.length === 1) break;
    const i = short[1];
    const j = i === 0 ? 1 : i === bands.length - 1 ? i - 1 : bands[i - 1]!.leaders <= bands[i + 1]!.leaders ? i - 1 : i + 1;
    const [a, b] = [Math.min(i, j), Math.max(i, j)];
    bands.splice(a, 2, { from: bands[a]!.from, to: bands[b]!.to, leaders: bands[a]!.leaders + bands[b]!.leaders });
  }
  return bands
    .filter((b) => b.leaders > 0)
    .map((b) => ({ ...b, band: b.to === null ? `${fmt(b.from)} or more (or no dimension predictions)` : `${fmt(b.from)}–${fmt(b.to)}` }));
}

/** Linear-interpolation quantile of sorted values (numpy's default, method 'linear'). */
export function quantileSorted(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
