// Case rules (issue 13, the inner loop): which customer answers open a follow-up case, checked against the
// organisation's framework and journey, and matched against one response. Pure: the store opens the cases
// (store/case-opening.ts), the survey page says what will happen (server/routes/survey-pages.ts).
import { z } from 'zod';
import { machineKey } from '../keys.ts';
import { scaleOf, TOUCHPOINT_PREDICTION_PREFIX, type FieldError } from '../survey.ts';
import { SENTIMENT_LABELS } from '../text/sentiment.ts';
import { touchpointsOf, type Stage } from '../journey.ts';
import { customerDimensions, type Dimension } from '../framework.ts';

/** The first contact is due this many hours after a case opens unless its rule says otherwise. */
export const DEFAULT_SLA_HOURS = 48;
export const MAX_SLA_HOURS = 24 * 30;
export const MAX_RULES = 50;

const Operator = z.enum(['<=', '<', '=', '>=', '>']);
export type Operator = z.infer<typeof Operator>;

/** One condition; a rule holds when all of its conditions hold. */
export const CaseCondition = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('answer'),
      item: z.string().max(60).describe('nps, csat, ces, excellent, or dim:<dimension key>'),
      op: Operator,
      value: z.number().int(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('sentiment'),
      sentiment: z.enum(SENTIMENT_LABELS),
      tag: machineKey.optional().describe('only when the comment speaks about this dimension'),
    })
    .strict(),
  z.object({ kind: z.literal('touchpoint'), touchpoints: z.array(machineKey).min(1).max(50) }).strict(),
]);
export type CaseCondition = z.infer<typeof CaseCondition>;

export const CaseRuleInput = z
  .object({
    name: z.string().trim().min(1).max(80),
    conditions: z.array(CaseCondition).min(1).max(10),
    slaHours: z.number().int().min(1).max(MAX_SLA_HOURS).default(DEFAULT_SLA_HOURS).describe('first contact due within this many hours'),
    active: z.boolean().default(true),
  })
  .strict();
export type CaseRuleInput = z.infer<typeof CaseRuleInput>;

export interface CaseRule extends CaseRuleInput {
  id: string;
  position: number;
}

/**
 * What the organisation's set-up makes of a rule: an unknown item, a value off the item's scale, an
 * unknown touchpoint or dimension tag — each named by its field (`conditions.0.item`).
 */
export function checkCaseRule(rule: CaseRuleInput, framework: Dimension[], journey: Stage[]): FieldError[] {
  const errors: FieldError[] = [];
  const dims = new Set(customerDimensions(framework).map((d) => d.key));
  const tps = new Set(touchpointsOf(journey).map((t) => t.key));
  rule.conditions.forEach((c, i) => {
    const at = `conditions.${i}`;
    if (c.kind === 'answer') {
      const scale = scaleOf(c.item);
      const known = c.item.startsWith('dim:') ? dims.has(c.item.slice(4)) : scale !== undefined && c.item !== 'predict:excellent_share' && !c.item.startsWith('imp:') && !c.item.startsWith(TOUCHPOINT_PREDICTION_PREFIX); // leader-only items
      if (!known || !scale) errors.push({ field: `${at}.item`, message: `"${c.item}" is not an item of the customer survey (nps, csat, ces, excellent or dim:<key>)` });
      else if (c.value < scale.min || c.value > scale.max) errors.push({ field: `${at}.value`, message: `must be on the item's scale, ${scale.min} to ${scale.max}` });
    } else if (c.kind === 'sentiment') {
      if (c.tag !== undefined && !dims.has(c.tag)) errors.push({ field: `${at}.tag`, message: `"${c.tag}" is not a dimension of the framework` });
    } else {
      c.touchpoints.forEach((t, j) => {
        if (!tps.has(t)) errors.push({ field: `${at}.touchpoints.${j}`, message: `"${t}" is not a touchpoint of the journey` });
      });
    }
  });
  return errors;
}

/** What a rule is matched against: one customer response as stored, with its comment's analysis. */
export interface CaseCandidate {
  answers: Readonly<Record<string, number>>;
  touchpoint: string | null;
  /** null: no comment (a sentiment condition does not hold). */
  sentiment: { label: string; dimensions: readonly string[] } | null;
}

const compare = (a: number, op: Operator, b: number): boolean =>
  op === '<=' ? a <= b : op === '<' ? a < b : op === '=' ? a === b : op === '>=' ? a >= b : a > b;

function holds(c: CaseCondition, r: CaseCandidate): boolean {
  if (c.kind === 'answer') {
    const v = Object.hasOwn(r.answers, c.item) ? r.answers[c.item] : undefined;
    return v !== undefined && compare(v, c.op, c.value); // an unanswered item never opens a case
  }
  if (c.kind === 'sentiment') return r.sentiment !== null && r.sentiment.label === c.sentiment && (c.tag === undefined || r.sentiment.dimensions.includes(c.tag));
  return r.touchpoint !== null && c.touchpoints.includes(r.touchpoint);
}

/** The rule that opens a case for this response: the first active one (by position) whose conditions all hold. */
export function matchingRule<R extends CaseRule>(rules: readonly R[], r: CaseCandidate): R | undefined {
  return [...rules].sort((a, b) => a.position - b.position).find((rule) => rule.active && rule.conditions.every((c) => holds(c, r)));
}

/** The department that owns a touchpoint (null: none, or no touchpoint: the case is the CX lead's). */
export function owningDepartment(journey: Stage[], touchpoint: string | null): string | null {
  if (!touchpoint) return null;
  return touchpointsOf(journey).find((t) => t.key === touchpoint)?.department ?? null;
}

/** A rule in words, for the board and the e-mails: "nps <= 6 and negative comment on communication". */
export function describeConditions(conditions: readonly CaseCondition[]): string {
  return conditions
    .map((c) =>
      c.kind === 'answer' ? `${c.item} ${c.op} ${c.value}` : c.kind === 'sentiment' ? `${c.sentiment} comment${c.tag ? ` on ${c.tag}` : ''}` : `touchpoint in ${c.touchpoints.join(', ')}`,
    )
    .join(' and ');
}
