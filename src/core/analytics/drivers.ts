// Key drivers: which dimensions (and which touchpoints) matter most for the customers' overall outcome,
// and where importance meets poor performance and a large leader–customer gap ("critical moments").
//
// Dimensions: Johnson's (2000) relative weights of the customer dimension ratings for the outcome
// (`excellent`, 1–5, or `nps`, 0–10), from the correlation matrix of the complete cases (every dimension
// in the model and the outcome answered; see store/driver-cells.ts), built from n, Σx and Σx·x sums kept
// at ingest. When too few customers rate every dimension, the dimensions that cost the most complete
// cases are left out of the model, each with the reason (driver-subset.ts; `leftOut`).
// Raw weights sum to the model's R²; `rescaled` is each weight as a percentage of R².
// Importance–performance (Martilla & James 1977): importance = raw weight, performance = customers'
// mean rating (all customers in the cut who rated the dimension), both split at their mean over the
// dimensions. Quadrants: concentrate here (important, below-average performance), keep up the good work,
// low priority, possible overkill. A critical moment is a "concentrate here" dimension whose leader–
// customer gap (leaders' predicted minus customers' actual mean) is at least the mean gap — leaders
// overrate exactly what matters and is weak. When the leaders' side is suppressed the gap criterion
// cannot be applied and the report says so (`criticalRule`).
//
// Touchpoints: a response names one touchpoint, so touchpoints are the levels of one categorical
// predictor, and relative weights on their dummy variables would depend on which touchpoint is left out
// as the reference. Instead the outcome's variance is decomposed exactly (one-way ANOVA): the share of
// variance explained by touchpoint is η² = SS_between / SS_total (= R² of the regression on all
// touchpoint dummies), and touchpoint t's importance is its part of it, n_t(ȳ_t − ȳ)² / SS_total — large
// for a busy touchpoint whose customers' outcome sits far from the average — with the sign of ȳ_t − ȳ
// saying whether it lifts or drags the outcome. Computed from the outcome's answer counts per
// touchpoint (all responses answering the outcome, not only complete cases).
import { z } from 'zod';
import type { Dimension } from '../framework.ts';
import { Mean, Suppressed, meanOf, suppressed, type Histogram, type SideAggregate } from '../gap-report.ts';
import { correlationFromCrossProducts, johnsonRelativeWeights, momentsFromHistogram } from '../stats/index.ts';
import type { LeftOutDimension } from './driver-subset.ts';

export const DriverOutcome = z.enum(['excellent', 'nps']);
export type DriverOutcome = z.infer<typeof DriverOutcome>;

export const Quadrant = z.enum(['concentrate here', 'keep up the good work', 'low priority', 'possible overkill']);

export const DriversReport = z.object({
  organisation: z.object({ id: z.string(), name: z.string(), industry: z.string() }),
  filters: z.record(z.string(), z.unknown()),
  minResponses: z.number().int(),
  outcome: DriverOutcome,
  completeCaseRule: z.string(),
  leftOut: z
    .array(z.object({ key: z.string(), label: z.string(), answeredBy: z.number().int(), reason: z.string() }))
    .describe('customer dimensions left out of the model because too few customers rated them (their importance is null)'),
  model: z.union([
    z.object({
      completeCases: z.number().int(),
      rSquared: z.number(),
      caution: z.string().nullable(),
    }),
    Suppressed,
  ]),
  dimensions: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      importance: z.number().nullable().describe('raw relative weight; the weights sum to R²'),
      rescaled: z.number().nullable().describe('% of R²'),
      rank: z.number().int().nullable(),
      performance: z.union([Mean, Suppressed]).describe("customers' mean rating (1–5)"),
      leaders: z.union([Mean, Suppressed]).describe("leaders' predicted mean"),
      gap: z.number().nullable().describe('leaders − customers mean'),
      quadrant: Quadrant.nullable(),
      critical: z.boolean(),
    }),
  ),
  criticalRule: z.string(),
  touchpoints: z.union([
    z.object({
      method: z.string(),
      etaSquared: z.number(),
      rows: z.array(
        z.object({
          key: z.string(),
          label: z.string(),
          stage: z.string().nullable(),
          department: z.string().nullable(),
          n: z.number().int(),
          meanOutcome: z.number(),
          difference: z.number().describe('touchpoint mean − overall mean'),
          importance: z.number().describe('n_t(ȳ_t − ȳ)² / SS_total; sums to etaSquared'),
          rescaled: z.number().describe('% of etaSquared'),
        }),
      ),
    }),
    Suppressed,
  ]),
});
export type DriversReport = z.infer<typeof DriversReport>;

export interface DriverSumsInput {
  n: number;
  sums: Map<string, number>;
  /** key from pairKey(a, b) */
  cross: Map<string, number>;
}

export interface TouchpointOutcome {
  key: string;
  label: string;
  stage: string | null;
  department: string | null;
  outcome: Histogram;
}

export interface DriversInput {
  organisation: { id: string; name: string; industry: string; minResponses: number };
  framework: Dimension[];
  filters: Record<string, unknown>;
  outcome: DriverOutcome;
  /** The complete cases' sums over the model's dimensions (every customer dimension but those left out). */
  sums: DriverSumsInput;
  /** Customer dimensions left out of the model (driver-subset.ts); none when absent. */
  leftOut?: readonly LeftOutDimension[];
  customers: SideAggregate;
  leaders: SideAggregate;
  touchpoints: TouchpointOutcome[];
  hidden: { customers: string | null; leaders: string | null; touchpoints: string | null };
}

export const pairKey = (a: string, b: string) => (a <= b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

export const COMPLETE_CASE_RULE =
  'a customer response is a complete case when it rates every customer dimension in the model and answers the outcome; ' +
  'responses missing any of them are left out of the model (listwise deletion). The model takes every customer dimension of the current framework ' +
  'unless too few responses rate them all: then the dimension whose omission gains the most complete cases is left out, one at a time, ' +
  'until the model has enough (never below two dimensions), and the report names each one left out and why';

/** The fewest complete cases a model on `predictors` dimensions needs: k, and two more than its dimensions. */
export const modelMinimum = (minResponses: number, predictors: number) => Math.max(minResponses, predictors + 2);

/** `framework`'s customer dimensions, and those of them the model uses (all but `leftOut`). */
export function modelDimensions(framework: readonly Dimension[], leftOut: readonly LeftOutDimension[] = []) {
  const dims = framework.filter((d) => d.customerItem !== null);
  const out = new Set(leftOut.map((l) => l.item));
  return { dims, modelled: dims.filter((d) => !out.has(`dim:${d.key}`)) };
}

/** The report's list of dimensions left out, labelled. */
export const leftOutRows = (framework: readonly Dimension[], leftOut: readonly LeftOutDimension[] = []) =>
  leftOut.map((l) => {
    const key = l.item.replace(/^dim:/, '');
    return { key, label: framework.find((d) => d.key === key)?.label ?? key, answeredBy: l.answeredBy, reason: l.reason };
  });

/** Relative weights from driver sums; throws RangeError when the predictors are collinear. */
export function relativeWeightsFromSums(s: DriverSumsInput, predictors: readonly string[], outcome: string): { weights: number[]; rSquared: number } {
  const vars = [...predictors, outcome];
  const sums = vars.map((v) => s.sums.get(v) ?? 0);
  const cross = vars.map((a) => vars.map((b) => s.cross.get(pairKey(a, b)) ?? 0));
  const C = correlationFromCrossProducts(s.n, sums, cross);
  const p = predictors.length;
  return johnsonRelativeWeights(
    C.slice(0, p).map((row) => row.slice(0, p)),
    C.slice(0, p).map((row) => row[p]!),
  );
}

/** One-way decomposition of the outcome's variance by touchpoint (see the module comment). */
export function touchpointImportance(rows: readonly { n: number; mean: number; ss: number }[]): { etaSquared: number; importance: number[] } {
  const n = rows.reduce((s, r) => s + r.n, 0);
  const grand = rows.reduce((s, r) => s + r.n * r.mean, 0) / n;
  const between = rows.map((r) => r.n * (r.mean - grand) ** 2);
  const sst = rows.reduce((s, r, i) => s + r.ss + between[i]!, 0);
  if (!(sst > 0)) return { etaSquared: 0, importance: rows.map(() => 0) };
  const importance = between.map((b) => b / sst);
  return { etaSquared: importance.reduce((s, x) => s + x, 0), importance };
}

export function driversReport(input: DriversInput): DriversReport {
  const { organisation: org, hidden } = input;
  const min = org.minResponses;
  const hide = (reason: string | null) => (reason ? { suppressed: true as const, reason } : suppressed(min));
  const { dims, modelled } = modelDimensions(input.framework, input.leftOut);
  const predictors = modelled.map((d) => `dim:${d.key}`);
  const n = input.sums.n;

  let model: DriversReport['model'];
  let weights: number[] | null = null;
  if (hidden.customers) model = hide(hidden.customers);
  else if (n < modelMinimum(min, predictors.length)) {
    model = { suppressed: true, reason: `${n} complete cases: the model needs at least ${modelMinimum(min, predictors.length)}` };
  } else {
    try {
      const rw = relativeWeightsFromSums(input.sums, predictors, input.outcome);
      weights = rw.weights;
      model = {
        completeCases: n,
        rSquared: rw.rSquared,
        caution: n < 10 * predictors.length ? `fewer than 10 complete cases per dimension (${n} for ${predictors.length}): importances are unstable` : null,
      };
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      model = { suppressed: true, reason: 'the dimension ratings are collinear (one is a combination of others), so importance cannot be split among them' };
    }
  }

  const rSquared = weights ? weights.reduce((s, w) => s + w, 0) : 0;
  const order = weights ? weights.map((w, i) => [w, i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => i) : [];
  const rows = dims.map((d) => {
    const key = `dim:${d.key}`;
    const i = modelled.indexOf(d); // −1: left out of the model
    const performance = hidden.customers ? hide(hidden.customers) : meanOf(input.customers.items[key], min);
    const leaders = hidden.leaders || input.leaders.respondents < min ? hide(hidden.leaders) : meanOf(input.leaders.items[key], min);
    const gap = 'suppressed' in performance || 'suppressed' in leaders ? null : leaders.mean - performance.mean;
    return {
      key: d.key,
      label: d.label,
      importance: weights && i >= 0 ? weights[i]! : null,
      rescaled: weights && i >= 0 && rSquared > 0 ? (100 * weights[i]!) / rSquared : null,
      rank: weights && i >= 0 ? order.indexOf(i) + 1 : null,
      performance,
      leaders,
      gap,
      quadrant: null as z.infer<typeof Quadrant> | null,
      critical: false,
    };
  });

  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const withBoth = rows.filter((r) => r.importance !== null && !('suppressed' in r.performance));
  const gaps = rows.map((r) => r.gap).filter((g): g is number => g !== null);
  const useGap = gaps.length === rows.length && gaps.length > 0;
  let criticalRule = 'no model: no quadrant';
  if (withBoth.length) {
    const impCut = mean(withBoth.map((r) => r.importance!));
    const perfCut = mean(withBoth.map((r) => (r.performance as { mean: number }).mean));
    const gapCut = useGap ? mean(gaps) : null;
    for (const r of withBoth) {
      const hi = r.importance! > impCut;
      const good = (r.performance as { mean: number }).mean >= perfCut;
      r.quadrant = hi ? (good ? 'keep up the good work' : 'concentrate here') : good ? 'possible overkill' : 'low priority';
      r.critical = r.quadrant === 'concentrate here' && (gapCut === null || r.gap! >= gapCut);
    }
    criticalRule =
      `importance above the mean importance (${impCut.toFixed(4)}), performance below the mean performance (${perfCut.toFixed(2)})` +
      (gapCut === null ? '; the gap criterion is not applied because the leaders\' side is suppressed' : `, and a leader–customer gap of at least the mean gap (${gapCut.toFixed(2)})`);
  }

  let touchpoints: DriversReport['touchpoints'];
  if (hidden.touchpoints) touchpoints = hide(hidden.touchpoints);
  else {
    const tps = input.touchpoints
      .map((t) => ({ t, m: momentsFromHistogram(t.outcome) }))
      .filter(({ m }) => m.n >= min && m.n > 0);
    if (tps.length < 2) touchpoints = { suppressed: true, reason: 'fewer than two touchpoints with enough answers to the outcome' };
    else {
      const stats = tps.map(({ m }) => ({ n: m.n, mean: m.mean, ss: m.sd * m.sd * (m.n - 1) }));
      const grand = stats.reduce((s, r) => s + r.n * r.mean, 0) / stats.reduce((s, r) => s + r.n, 0);
      const { etaSquared, importance } = touchpointImportance(stats);
      touchpoints = {
        method: 'one-way variance decomposition: importance = n_t(ȳ_t − ȳ)² / SS_total, summing to η² (the R² of the outcome on touchpoint)',
        etaSquared,
        rows: tps
          .map(({ t, m }, i) => ({
            key: t.key,
            label: t.label,
            stage: t.stage,
            department: t.department,
            n: m.n,
            meanOutcome: m.mean,
            difference: m.mean - grand,
            importance: importance[i]!,
            rescaled: etaSquared > 0 ? (100 * importance[i]!) / etaSquared : 0,
          }))
          .sort((a, b) => b.importance - a.importance || a.key.localeCompare(b.key)),
      };
    }
  }

  return {
    organisation: { id: org.id, name: org.name, industry: org.industry },
    filters: input.filters,
    minResponses: min,
    outcome: input.outcome,
    completeCaseRule: COMPLETE_CASE_RULE,
    leftOut: leftOutRows(input.framework, input.leftOut),
    model,
    dimensions: rows,
    criticalRule,
    touchpoints,
  };
}
