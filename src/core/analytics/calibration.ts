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
//  - individual leaders appear only as an anonymous ranked list — rank and errors, never a name,
//    respondent id or group — and only when at least k identified leaders answered, so that no one can
//    find a colleague's line by elimination (with two leaders, each would know the other's).
//  - "Who knows our customers best" ranks groups (by dimension MAE, then by the headline error).
// Naming individual leaders would need their consent and a link from respondent to account; not done.
import { z } from 'zod';
import type { Dimension } from '../framework.ts';
import { Suppressed, meanOf, shareOf, suppressed, type Histogram, type SideAggregate } from '../gap-report.ts';
import { confidenceDirection, excellenceBrier, meanAbsoluteError, meanSignedError } from '../stats/index.ts';

/** Tolerances for "calibrated": 0.25 points on the 1–5 scale, 5 points of share. */
export const DIMENSION_TOLERANCE = 0.25;
export const SHARE_TOLERANCE = 5;

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
      ranked: z.array(Errors.extend({ rank: z.number().int() })).describe('anonymous: no names, ids or groups'),
    }),
    Suppressed,
  ]),
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
  leaders: { answers: Record<string, number> }[];
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

  let leaders: CalibrationReport['leaders'];
  if (!leadersShown) leaders = hide(hidden.leaders);
  else if (!truth) leaders = noTruth;
  else if (input.leaders.length < min)
    leaders = { suppressed: true, reason: `fewer than ${min} identified leaders: individual results could be told apart` };
  else {
    const ranked = input.leaders
      .map((l) => calibrationErrors((item) => (l.answers[item] === undefined ? [] : [l.answers[item]!]), truth!))
      .sort(byAccuracy)
      .map((e, i) => ({ ...e, rank: i + 1 }));
    leaders = { identified: input.leaders.length, ranked };
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
  };
}
