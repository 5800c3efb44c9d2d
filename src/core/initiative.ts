// Initiatives (issue 13, the outer loop): an improvement someone owns, aimed at a dimension and/or
// touchpoints or at the customers' excellence share, with a start date and a goal whose effect is then
// measured (initiative-effect.ts). This module holds the model and its validation; the store keeps it.
import { z } from 'zod';
import { machineKey } from './keys.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date, YYYY-MM-DD')
  // 2025-02-31 matches the pattern; the round trip through Date catches it.
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`); // zod runs this even when the pattern failed: an invalid Date must not throw
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'is not a calendar date');

export const InitiativeStatus = z.enum(['planned', 'active', 'completed', 'abandoned']);
export type InitiativeStatus = z.infer<typeof InitiativeStatus>;

/** What the initiative moves: a dimension's customer mean (1–5) or the share calling the experience excellent. */
export const InitiativeMetric = z.enum(['dimension', 'excellence']);
export type InitiativeMetric = z.infer<typeof InitiativeMetric>;

/**
 * The goal: a measure, a direction and a size. Sizes are scale points for a dimension (1–5 scale) and
 * percentage points for the excellence share ("+5 points" is 5). "Narrow" the gap means bring
 * leaders' belief and customers' answers closer by `size`.
 */
export const InitiativeGoal = z.discriminatedUnion('measure', [
  z.object({ measure: z.literal('customers'), direction: z.enum(['increase', 'decrease']), size: z.number().positive().max(100) }).strict(),
  z.object({ measure: z.literal('gap'), direction: z.literal('narrow'), size: z.number().positive().max(100) }).strict(),
]);
export type InitiativeGoal = z.infer<typeof InitiativeGoal>;

// Each field's type once; the create body adds the defaults, the update body makes every field optional
// (zod's partial() would fill the defaults in and overwrite what is stored).
const field = {
  title: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000).nullable(),
  /** The owner's e-mail: a member of the organisation. */
  owner: z.string().trim().toLowerCase().max(254),
  metric: InitiativeMetric,
  dimension: machineKey.nullable(),
  touchpoints: z.array(machineKey).max(30),
  /** Touchpoints to compare with; null: every other touchpoint of the journey. */
  comparison: z.array(machineKey).max(30).nullable(),
  start: isoDate,
  end: isoDate.nullable(),
  /** Length of the before and after windows; whole months are used (90 days → 3 months). */
  windowDays: z.number().int().min(28).max(730),
  goal: InitiativeGoal,
  status: InitiativeStatus,
};

/** The fields an initiative is created with; the owner left out is the caller. */
export const InitiativeFields = z
  .object({
    ...field,
    description: field.description.default(null),
    owner: field.owner.optional(),
    dimension: field.dimension.default(null),
    touchpoints: field.touchpoints.default([]),
    comparison: field.comparison.default(null),
    end: field.end.default(null),
    windowDays: field.windowDays.default(90),
    status: field.status.default('active'),
  })
  .strict();
export type InitiativeFields = z.infer<typeof InitiativeFields>;

/** An update: any of the fields; the result is checked whole (checkInitiative). */
export const InitiativePatch = z
  .object({
    title: field.title.optional(),
    description: field.description.optional(),
    owner: field.owner.optional(),
    metric: field.metric.optional(),
    dimension: field.dimension.optional(),
    touchpoints: field.touchpoints.optional(),
    comparison: field.comparison.optional(),
    start: field.start.optional(),
    end: field.end.optional(),
    windowDays: field.windowDays.optional(),
    goal: field.goal.optional(),
    status: field.status.optional(),
  })
  .strict();
export type InitiativePatch = z.infer<typeof InitiativePatch>;

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Checks that need the organisation (its framework and journey) or several fields at once; zod has
 * checked each field. Returns every problem, each naming its field.
 */
export function checkInitiative(
  f: Omit<InitiativeFields, 'owner'>,
  org: { dimensions: readonly { key: string; customer: boolean }[]; touchpoints: readonly string[] },
): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (f.metric === 'dimension') {
    const d = f.dimension === null ? undefined : org.dimensions.find((x) => x.key === f.dimension);
    if (f.dimension === null) out.push({ field: 'dimension', message: 'a dimension initiative names its dimension' });
    else if (!d) out.push({ field: 'dimension', message: `"${f.dimension}" is not a dimension of this organisation's framework` });
    else if (!d.customer) out.push({ field: 'dimension', message: `"${f.dimension}" is a leader-only dimension: customers are not asked it, so no effect can be measured` });
    if (f.goal.size > 4) out.push({ field: 'goal.size', message: 'a dimension is rated 1–5: a change of more than 4 points is impossible' });
  } else if (f.dimension !== null) out.push({ field: 'dimension', message: 'the excellence share has no dimension: leave it out' });
  const known = new Set(org.touchpoints);
  f.touchpoints.forEach((t, i) => {
    if (!known.has(t)) out.push({ field: `touchpoints.${i}`, message: `"${t}" is not a touchpoint of this organisation's journey` });
  });
  if (new Set(f.touchpoints).size !== f.touchpoints.length) out.push({ field: 'touchpoints', message: 'lists a touchpoint twice' });
  if (f.comparison !== null) {
    f.comparison.forEach((t, i) => {
      if (!known.has(t)) out.push({ field: `comparison.${i}`, message: `"${t}" is not a touchpoint of this organisation's journey` });
      else if (f.touchpoints.includes(t)) out.push({ field: `comparison.${i}`, message: `"${t}" is a target: a comparison touchpoint must be untouched by the initiative` });
    });
    if (f.touchpoints.length === 0) out.push({ field: 'comparison', message: 'without target touchpoints the initiative touches every touchpoint: there is nothing untouched to compare with' });
  }
  if (f.end !== null && f.end < f.start) out.push({ field: 'end', message: 'is before the start' });
  return out;
}

/** How an initiative's target reads: "communication at Billing", "the excellence share". */
export function describeTarget(f: { metric: InitiativeMetric; dimension: string | null; touchpoints: readonly string[] }, labelOf: (tp: string) => string = (t) => t, dimensionLabel?: string): string {
  const what = f.metric === 'excellence' ? 'the excellence share' : (dimensionLabel ?? f.dimension ?? 'a dimension');
  return f.touchpoints.length ? `${what} at ${f.touchpoints.map(labelOf).join(', ')}` : `${what} (all touchpoints)`;
}
