// An initiative's effect, measured rather than claimed: the target's customer figure before and after
// the start, the change against untouched comparison touchpoints (difference-in-differences), the
// leaders' belief before and after, and how the gap's change splits into the customers' change and the
// leaders' correction. Pure: it takes the four customer groups' and two leader groups' histograms (the
// sufficient statistics of the month × touchpoint cells) and returns every figure with its interval.
//
// Estimators (all groups are disjoint sets of responses, so their variances add):
// - A window's figure: a mean (dimension rating) with the t interval, or a share (top-two of the
//   "excellent" item) with the Wilson interval.
// - A change after − before, and the DiD (Ā₁ − Ā₀) − (B̄₁ − B̄₀) (A = target, B = comparison; 1 = after):
//   SE = √(Σ sᵢ²/nᵢ) over the groups involved. For means the interval is Student-t with the
//   Welch–Satterthwaite df generalised to k groups, df = (Σ vᵢ)² / Σ (vᵢ² / (nᵢ − 1)), vᵢ = sᵢ²/nᵢ;
//   for shares it is the same on proportions, vᵢ = pᵢ(1 − pᵢ)/nᵢ, with the normal quantile (Wald).
// - The gap is leaders − customers, so its change is ΔL − ΔC: narrowing comes from customers rising
//   (ΔC > 0), from leaders lowering their belief (ΔL < 0), or both.
import { z } from 'zod';
import { Z95, studentTQuantile, twoSidedNormalP, twoSidedTP, momentsFromHistogram, tInterval, wilsonInterval } from './stats/index.ts';
import type { Histogram } from './gap-report.ts';
import { isTopTwo } from './gap-report.ts';
import type { InitiativeGoal, InitiativeMetric } from './initiative.ts';

// ---- windows ---------------------------------------------------------------------------------------

const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const monthOf = (i: number) => `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;

/** Days per month on average: 90 days are 3 months, 365 are 12. */
const DAYS_PER_MONTH = 365.25 / 12;

export const WindowRange = z.object({ from: z.string(), to: z.string() });
export const EffectWindows = z.object({
  months: z.number().int().describe('length of each window in months, the same before and after'),
  requestedMonths: z.number().int(),
  before: WindowRange,
  after: WindowRange,
  /** The start's own month when the start is not its first day: part before, part after, so in neither. */
  transitionMonth: z.string().nullable(),
});
export type EffectWindows = z.infer<typeof EffectWindows>;

/**
 * The before and after windows in whole months (the cells' grain): the same length on both sides, the
 * requested length unless the data (or the initiative's end) is shorter. `dataMonths`: months holding
 * customer answers. Returns why not when either side has no month.
 */
export function effectWindows(start: string, end: string | null, windowDays: number, dataMonths: readonly string[]): EffectWindows | { reason: string } {
  const requested = Math.max(1, Math.round(windowDays / DAYS_PER_MONTH));
  const startMonth = monthIndex(start);
  const onFirst = start.slice(8, 10) === '01';
  const firstAfter = onFirst ? startMonth : startMonth + 1;
  const lastBefore = startMonth - 1;
  if (dataMonths.length === 0) return { reason: 'no customer answers yet' };
  const indices = dataMonths.map(monthIndex);
  const [firstData, lastData] = [Math.min(...indices), Math.max(...indices)];
  const lastAfter = end === null ? lastData : Math.min(lastData, monthIndex(end));
  const availableAfter = lastAfter - firstAfter + 1;
  const availableBefore = lastBefore - firstData + 1;
  if (availableAfter < 1) return { reason: `no customer answers after the start yet (the after window begins ${monthOf(firstAfter)})` };
  if (availableBefore < 1) return { reason: `no customer answers before the start (${start}) to compare with` };
  const months = Math.min(requested, availableAfter, availableBefore);
  return {
    months,
    requestedMonths: requested,
    before: { from: monthOf(lastBefore - months + 1), to: monthOf(lastBefore) },
    after: { from: monthOf(firstAfter), to: monthOf(firstAfter + months - 1) },
    transitionMonth: onFirst ? null : monthOf(startMonth),
  };
}

// ---- figures ---------------------------------------------------------------------------------------

export const Interval = z.tuple([z.number(), z.number()]);
export const TooSmall = z.object({ shown: z.literal(false), reason: z.string() });
export const GroupFigure = z.object({
  shown: z.literal(true),
  n: z.number().int(),
  estimate: z.number().describe('the mean rating, or the share (0–1)'),
  se: z.number(),
  ci95: Interval,
});
export type GroupFigure = z.infer<typeof GroupFigure>;
export const Change = z.object({
  shown: z.literal(true),
  estimate: z.number(),
  se: z.number(),
  df: z.number().nullable().describe('Welch–Satterthwaite df for means; null for shares (normal)'),
  ci95: Interval,
  pValue: z.number(),
});
export type Change = z.infer<typeof Change>;

type Figure = GroupFigure | z.infer<typeof TooSmall>;
type Diff = Change | z.infer<typeof TooSmall>;

/** A group's answers: a histogram of the metric's item, or why it may not be used. */
export type GroupInput = { histogram: Histogram } | { hidden: string };

const tooSmall = (reason: string) => ({ shown: false as const, reason });

/** One group's figure on the metric: mean with its t interval, or top-two share with Wilson's. */
export function groupFigure(kind: 'mean' | 'share', g: GroupInput, k: number): Figure {
  if ('hidden' in g) return tooSmall(g.hidden);
  const m = momentsFromHistogram(g.histogram);
  // At least 2 answers whatever k is: a variance is needed for any interval.
  if (m.n < Math.max(k, 2)) return tooSmall(`fewer than ${Math.max(k, 2)} answers`);
  if (kind === 'mean') {
    const se = m.sd / Math.sqrt(m.n);
    return { shown: true, n: m.n, estimate: m.mean, se, ci95: tInterval(m)! };
  }
  let x = 0;
  for (const [v, c] of Object.entries(g.histogram)) if (isTopTwo(Number(v))) x += c;
  const p = x / m.n;
  return { shown: true, n: m.n, estimate: p, se: Math.sqrt((p * (1 - p)) / m.n), ci95: wilsonInterval(x, m.n) };
}

/**
 * Σ signᵢ · figureᵢ with SE √(Σ seᵢ²) and, for means, the Welch–Satterthwaite df over the groups
 * (df = (Σvᵢ)² / Σ(vᵢ²/(nᵢ−1))); shares use the normal quantile. A hidden group hides the result.
 */
export function combine(kind: 'mean' | 'share', terms: readonly { sign: 1 | -1; figure: Figure; name?: string }[]): Diff {
  const hidden = terms.find((t) => !t.figure.shown);
  if (hidden) {
    const why = (hidden.figure as { reason: string }).reason;
    return tooSmall(hidden.name ? `${hidden.name}: ${why}` : why);
  }
  const figs = terms.map((t) => ({ sign: t.sign, f: t.figure as GroupFigure }));
  const estimate = figs.reduce((s, t) => s + t.sign * t.f.estimate, 0);
  const vs = figs.map((t) => t.f.se * t.f.se);
  const v = vs.reduce((a, b) => a + b, 0);
  const se = Math.sqrt(v);
  if (se === 0) return { shown: true, estimate, se: 0, df: null, ci95: [estimate, estimate], pValue: estimate === 0 ? 1 : 0 };
  if (kind === 'share') {
    const half = Z95 * se;
    return { shown: true, estimate, se, df: null, ci95: [estimate - half, estimate + half], pValue: twoSidedNormalP(estimate / se) };
  }
  const df = (v * v) / figs.reduce((s, t, i) => s + (vs[i]! * vs[i]!) / (t.f.n - 1), 0);
  const half = studentTQuantile(0.975, df) * se;
  return { shown: true, estimate, se, df, ci95: [estimate - half, estimate + half], pValue: twoSidedTP(estimate / se, df) };
}

// ---- the effect ------------------------------------------------------------------------------------

export const GoalProgress = z.object({
  measure: z.enum(['customers', 'gap']),
  direction: z.enum(['increase', 'decrease', 'narrow']),
  size: z.number().describe('in the figure\'s unit: scale points, or a share (0.05 = 5 points)'),
  basis: z.enum(['difference-in-differences', 'before-after', 'gap-change']),
  achieved: z.number().nullable().describe('the change in the goal\'s direction (negative: the wrong way)'),
  ci95: Interval.nullable(),
  progress: z.number().nullable().describe('achieved / size'),
  verdict: z.enum(['reached', 'moving', 'unclear', 'wrong-way', 'not-measurable']),
});

export const InitiativeEffect = z.object({
  kind: z.enum(['mean', 'share']),
  windows: z.union([EffectWindows, z.object({ reason: z.string() })]),
  target: z.object({ before: z.union([GroupFigure, TooSmall]), after: z.union([GroupFigure, TooSmall]), change: z.union([Change, TooSmall]) }),
  comparison: z.union([
    z.object({
      shown: z.literal(true),
      touchpoints: z.array(z.string()),
      before: z.union([GroupFigure, TooSmall]),
      after: z.union([GroupFigure, TooSmall]),
      change: z.union([Change, TooSmall]),
      did: z.union([Change, TooSmall]),
    }),
    TooSmall,
  ]),
  leaders: z.object({ before: z.union([GroupFigure, TooSmall]), after: z.union([GroupFigure, TooSmall]), change: z.union([Change, TooSmall]) }),
  gap: z.object({
    before: z.union([Change, TooSmall]),
    after: z.union([Change, TooSmall]),
    change: z.union([Change, TooSmall]).describe('ΔL − ΔC'),
    customerPart: z.number().nullable().describe('−ΔC: how much of the gap change the customers made'),
    leaderPart: z.number().nullable().describe('ΔL: how much the leaders made'),
  }),
  goal: GoalProgress,
  summary: z.array(z.string()).describe('plain-language sentences, association and effect kept apart'),
});
export type InitiativeEffect = z.infer<typeof InitiativeEffect>;

export interface EffectInput {
  metric: InitiativeMetric;
  /** How the figure is named in sentences: "Communication", "the excellence share". */
  label: string;
  /** Where: "at Billing", "across all touchpoints". */
  where: string;
  windows: EffectWindows | { reason: string };
  k: number;
  target: { before: GroupInput; after: GroupInput };
  /** Untouched touchpoints, or why there are none. */
  comparison: { touchpoints: string[]; before: GroupInput; after: GroupInput } | { none: string };
  leaders: { before: GroupInput; after: GroupInput };
  goal: InitiativeGoal;
}

export function initiativeEffect(input: EffectInput): InitiativeEffect {
  const kind = input.metric === 'excellence' ? 'share' : 'mean';
  const fig = (g: GroupInput) => groupFigure(kind, g, input.k);
  const change = (after: Figure, before: Figure, who: string) =>
    combine(kind, [
      { sign: 1, figure: after, name: `${who} after` },
      { sign: -1, figure: before, name: `${who} before` },
    ]);
  const a0 = fig(input.target.before);
  const a1 = fig(input.target.after);
  const target = { before: a0, after: a1, change: change(a1, a0, 'target') };
  let comparison: InitiativeEffect['comparison'];
  if ('none' in input.comparison) comparison = tooSmall(input.comparison.none);
  else {
    const b0 = fig(input.comparison.before);
    const b1 = fig(input.comparison.after);
    const did = combine(kind, [
      { sign: 1, figure: a1, name: 'target after' },
      { sign: -1, figure: a0, name: 'target before' },
      { sign: -1, figure: b1, name: 'comparison after' },
      { sign: 1, figure: b0, name: 'comparison before' },
    ]);
    comparison = { shown: true, touchpoints: input.comparison.touchpoints, before: b0, after: b1, change: change(b1, b0, 'comparison'), did };
  }
  const l0 = fig(input.leaders.before);
  const l1 = fig(input.leaders.after);
  const leaders = { before: l0, after: l1, change: change(l1, l0, 'leaders') };
  const gapChange = combine(kind, [
    { sign: 1, figure: l1, name: 'leaders after' },
    { sign: -1, figure: l0, name: 'leaders before' },
    { sign: -1, figure: a1, name: 'target after' },
    { sign: 1, figure: a0, name: 'target before' },
  ]);
  const gap = {
    before: combine(kind, [{ sign: 1, figure: l0, name: 'leaders before' }, { sign: -1, figure: a0, name: 'target before' }]),
    after: combine(kind, [{ sign: 1, figure: l1, name: 'leaders after' }, { sign: -1, figure: a1, name: 'target after' }]),
    change: gapChange,
    customerPart: gapChange.shown && target.change.shown ? -target.change.estimate : null,
    leaderPart: gapChange.shown && leaders.change.shown ? leaders.change.estimate : null,
  };
  const goal = goalProgress(input.goal, kind, target.change, comparison, gap);
  const out: InitiativeEffect = { kind, windows: input.windows, target, comparison, leaders, gap, goal, summary: [] };
  out.summary = summarise(input, out);
  return out;
}

function goalProgress(g: InitiativeGoal, kind: 'mean' | 'share', before: Diff, comparison: InitiativeEffect['comparison'], gap: InitiativeEffect['gap']): z.infer<typeof GoalProgress> {
  // Sizes of share goals are percentage points; the figures are proportions.
  const size = kind === 'share' ? g.size / 100 : g.size;
  let basis: z.infer<typeof GoalProgress>['basis'];
  let d: Diff;
  let sign: number;
  if (g.measure === 'customers') {
    // The comparison-adjusted change when there is one: the before/after change also holds whatever else moved.
    const did = comparison.shown === false ? undefined : comparison.did;
    basis = did ? 'difference-in-differences' : 'before-after';
    d = did ?? before;
    sign = g.direction === 'increase' ? 1 : -1;
  } else {
    basis = 'gap-change';
    d = gap.change;
    // Narrowing brings the gap toward 0: down when leaders were above customers, up otherwise.
    sign = gap.before.shown && gap.before.estimate < 0 ? 1 : -1;
  }
  const none = { measure: g.measure, direction: g.direction, size, basis, achieved: null, ci95: null, progress: null, verdict: 'not-measurable' as const };
  if (!d.shown) return none;
  const achieved = sign * d.estimate;
  const ci: [number, number] = sign > 0 ? [d.ci95[0], d.ci95[1]] : [-d.ci95[1], -d.ci95[0]];
  const verdict = ci[0] >= size ? 'reached' : ci[0] > 0 ? 'moving' : ci[1] < 0 ? 'wrong-way' : 'unclear';
  return { measure: g.measure, direction: g.direction, size, basis, achieved, ci95: ci, progress: achieved / size, verdict };
}

// ---- words -----------------------------------------------------------------------------------------

/** A figure in words: 2 decimals for a mean, percentage points for a share; a true minus sign. */
function num(kind: 'mean' | 'share', x: number, signed = false): string {
  const s = kind === 'share' ? Math.abs(x * 100).toFixed(1) : Math.abs(x).toFixed(2);
  const zero = Number(s) === 0;
  return `${x < 0 && !zero ? '−' : signed && x > 0 && !zero ? '+' : ''}${s}`;
}
const fmt = (kind: 'mean' | 'share', x: number, signed = false) => `${num(kind, x, signed)}${kind === 'share' ? ' points' : ''}`;
const ci = (kind: 'mean' | 'share', c: readonly [number, number]) => `95% CI ${num(kind, c[0])} to ${num(kind, c[1])}${kind === 'share' ? ' points' : ''}`;
const covers0 = (c: Change) => c.ci95[0] <= 0 && c.ci95[1] >= 0;

/** Plain-language sentences that keep association and effect apart and never overstate. */
function summarise(input: EffectInput, e: InitiativeEffect): string[] {
  const { kind } = e;
  const out: string[] = [];
  if ('reason' in e.windows) return [`Not measurable yet: ${e.windows.reason}.`];
  const w = e.windows;
  out.push(`Compared: ${w.before.from} – ${w.before.to} before the start with ${w.after.from} – ${w.after.to} after (${w.months} month${w.months === 1 ? '' : 's'} each${w.transitionMonth ? `; ${w.transitionMonth}, the start's own month, is in neither` : ''}).`);
  const tc = e.target.change;
  if (!tc.shown) out.push(`Customers' ${input.label} ${input.where} cannot be compared: ${tc.reason}.`);
  else
    out.push(
      `Customers' ${input.label} ${input.where} ${covers0(tc) ? 'shows no clear change' : tc.estimate > 0 ? 'rose' : 'fell'} (${fmt(kind, tc.estimate, true)}, ${ci(kind, tc.ci95)}). ` +
        'On its own that is an association: anything else that changed over those months is in it.',
    );
  if (e.comparison.shown === false) out.push(`No difference-in-differences: ${e.comparison.reason}.`);
  else if (!e.comparison.did.shown) out.push(`No difference-in-differences: ${e.comparison.did.reason}.`);
  else {
    const did = e.comparison.did;
    out.push(
      covers0(did)
        ? `Against the untouched touchpoints over the same months the change is ${fmt(kind, did.estimate, true)} (${ci(kind, did.ci95)}): no effect beyond what moved everywhere can be told from noise.`
        : `Against the untouched touchpoints over the same months the target ${did.estimate > 0 ? 'gained' : 'lost'} ${fmt(kind, Math.abs(did.estimate))} more (${ci(kind, did.ci95)}). ` +
            'That is the initiative\'s effect only if the target would otherwise have moved like the comparison touchpoints, and nothing else changed at the target alone.',
    );
  }
  const g = e.gap;
  if (g.change.shown && g.customerPart !== null && g.leaderPart !== null) {
    const moved = covers0(g.change) ? 'did not clearly move' : g.change.estimate < 0 ? 'narrowed' : 'widened';
    out.push(
      `The gap between leaders' belief and customers' answers ${moved} (${fmt(kind, g.change.estimate, true)}, ${ci(kind, g.change.ci95)}): ` +
        `customers' change makes ${fmt(kind, g.customerPart, true)} of it and leaders' change of belief ${fmt(kind, g.leaderPart, true)} (a negative part narrows the gap).`,
    );
  } else if (!e.leaders.change.shown) out.push(`Leaders' belief before and after cannot be compared: ${e.leaders.change.reason}.`);
  return out;
}
