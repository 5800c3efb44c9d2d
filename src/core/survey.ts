// Survey pairs: the customer survey and its leader mirror, generated from the gap framework,
// and the pure validation of one submission against a survey (shared by API, pages and CSV import).
import { z } from 'zod';
import { machineKey } from './keys.ts';
import { cleanText } from './text.ts';
import { checkSegments, MAX_SEGMENTS_PER_RESPONSE, PUBLIC_WITHOUT_SEGMENTS, SegmentValue, type SubmissionRules } from './segments.ts';
import { customerDimensions, type Dimension } from './framework.ts';
import type { Stage } from './journey.ts';
import { touchpointsOf } from './journey.ts';

export const Perspective = z.enum(['customer', 'leader']);
export type Perspective = z.infer<typeof Perspective>;

export type QuestionKind = 'nps' | 'csat' | 'ces' | 'excellent' | 'rating' | 'predict_share' | 'constant_sum' | 'touchpoint' | 'text';

export interface Question {
  /**
   * Item key, also the canonical CSV column: nps, csat, ces, excellent, dim:<key>, predict:excellent_share;
   * a constant_sum question's key (importance) names only the question: its parts are answered as imp:<key>.
   */
  key: string;
  kind: QuestionKind;
  text: string;
  required: boolean;
  min?: number;
  max?: number;
  lowLabel?: string;
  highLabel?: string;
  /** touchpoint: the touchpoints (value = touchpoint key); constant_sum: the parts (value = their item key, imp:<key>). */
  options?: { value: string; label: string; group?: string }[];
  /** constant_sum: the points every answer shares out, exactly. */
  total?: number;
  /** A line under the question saying how to answer it. */
  hint?: string;
  /** A touchpoint prediction: the touchpoint and its owning department (the page asks only that department's leaders). */
  touchpoint?: { key: string; department: string };
}

export interface SurveyDefinition {
  perspective: Perspective;
  title: string;
  intro: string;
  questions: Question[];
}

/** Numeric item keys and their scales: the single place that says which values each item accepts. */
export const ITEM_SCALES: Record<string, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
  excellent: { min: 1, max: 5 },
  'predict:excellent_share': { min: 0, max: 100 },
};
export const DIMENSION_SCALE = { min: 1, max: 5 };
/** Leaders' believed importance of a customer dimension: `imp:<dimension key>`, points of 100 (constant sum). */
export const IMPORTANCE_PREFIX = 'imp:';
export const IMPORTANCE_SCALE = { min: 0, max: 100 };
export const IMPORTANCE_TOTAL = 100;
/** The key of the leader survey's constant-sum question, and the field its total's errors are named by. */
export const IMPORTANCE_QUESTION = 'importance';

/**
 * Leaders' predicted excellence share at one touchpoint (issue 11): `predict:excellent_share@<touchpoint key>`.
 * The company-wide item's key plus `@`, so every reader of `predict:*` items sees the same item on a
 * narrower scope. `@` rather than another `:`: `:` already splits the kind from its key (dim:, imp:), while a
 * machine key never holds `@`, so the split is unambiguous; it needs no escaping in a CSV header, a form field
 * name or the answer_items dictionary (plain text), and reads as "at".
 */
export const TOUCHPOINT_PREDICTION_PREFIX = 'predict:excellent_share@';
export const touchpointPredictionKey = (touchpoint: string) => `${TOUCHPOINT_PREDICTION_PREFIX}${touchpoint}`;
/** The touchpoint key of a touchpoint prediction item, or undefined for any other item. */
export const touchpointOfPrediction = (itemKey: string): string | undefined =>
  itemKey.startsWith(TOUCHPOINT_PREDICTION_PREFIX) ? itemKey.slice(TOUCHPOINT_PREDICTION_PREFIX.length) : undefined;

/** A leader's function owns a touchpoint when it names the touchpoint's department, compared trimmed and lower-cased (as access.ts and case-escalation.ts compare departments). */
export const ownsTouchpoint = (fn: string | null | undefined, department: string) =>
  !!fn?.trim() && fn.trim().toLowerCase() === department.trim().toLowerCase();

export function scaleOf(itemKey: string): { min: number; max: number } | undefined {
  if (itemKey.startsWith('dim:')) return DIMENSION_SCALE;
  if (itemKey.startsWith(TOUCHPOINT_PREDICTION_PREFIX)) return ITEM_SCALES['predict:excellent_share'];
  if (itemKey.startsWith(IMPORTANCE_PREFIX)) return IMPORTANCE_SCALE;
  return Object.hasOwn(ITEM_SCALES, itemKey) ? ITEM_SCALES[itemKey] : undefined; // never an inherited member
}

const fill = (text: string, org: string) => text.replaceAll('{org}', org);

export function customerSurvey(orgName: string, framework: Dimension[], journey: Stage[]): SurveyDefinition {
  return {
    perspective: 'customer',
    title: `How was your experience with ${orgName}?`,
    intro: 'About two minutes. Only the starred question is required; skip anything that does not apply. Answers are only ever reported in groups.',
    questions: [
      {
        key: 'nps',
        kind: 'nps',
        text: `How likely are you to recommend ${orgName} to a friend or colleague?`,
        required: false,
        min: 0,
        max: 10,
        lowLabel: 'Not at all likely',
        highLabel: 'Extremely likely',
      },
      {
        key: 'excellent',
        kind: 'excellent',
        text: `The experience I received from ${orgName} is excellent.`,
        required: true,
        min: 1,
        max: 5,
        lowLabel: 'Strongly disagree',
        highLabel: 'Strongly agree',
      },
      {
        key: 'csat',
        kind: 'csat',
        text: `Overall, how satisfied are you with ${orgName}?`,
        required: false,
        min: 1,
        max: 5,
        lowLabel: 'Very dissatisfied',
        highLabel: 'Very satisfied',
      },
      {
        key: 'ces',
        kind: 'ces',
        text: `${orgName} made it easy for me to handle my issue.`,
        required: false,
        min: 1,
        max: 7,
        lowLabel: 'Strongly disagree',
        highLabel: 'Strongly agree',
      },
      ...customerDimensions(framework).map<Question>((d) => ({
        key: `dim:${d.key}`,
        kind: 'rating',
        text: fill(d.customerItem!, orgName),
        required: false,
        min: 1,
        max: 5,
        lowLabel: 'Very poor',
        highLabel: 'Excellent',
      })),
      {
        key: 'touchpoint',
        kind: 'touchpoint',
        text: 'Which part of your experience are you thinking of?',
        required: false,
        options: touchpointsOf(journey).map((t) => ({
          value: t.key,
          label: t.label,
          group: journey.find((s) => s.key === t.stage)?.label,
        })),
      },
      { key: 'comment', kind: 'text', text: 'Anything you would like to tell us?', required: false },
    ],
  };
}

/** `journey`: the organisation's, for the optional per-touchpoint predictions (none without it). */
export function leaderSurvey(orgName: string, framework: Dimension[], journey: Stage[] = []): SurveyDefinition {
  return {
    perspective: 'leader',
    title: `${orgName} leadership mirror survey`,
    intro:
      'Predict how our customers experience us. Your answers are compared with what customers actually say; individual answers are never shown.',
    questions: [
      {
        key: 'excellent',
        kind: 'excellent',
        text: `The experience ${orgName} delivers to its customers is excellent.`,
        required: true,
        min: 1,
        max: 5,
        lowLabel: 'Strongly disagree',
        highLabel: 'Strongly agree',
      },
      {
        key: 'predict:excellent_share',
        kind: 'predict_share',
        text: `What share of our customers would agree that the experience ${orgName} delivers is excellent? (0–100%)`,
        required: true,
        min: 0,
        max: 100,
      },
      ...touchpointPredictions(journey),
      ...framework.map<Question>((d) => ({
        key: `dim:${d.key}`,
        kind: 'rating',
        text: fill(d.leaderItem, orgName),
        required: false,
        min: 1,
        max: 5,
        lowLabel: 'Very poor',
        highLabel: 'Excellent',
      })),
      // Sharing points needs two dimensions at least: with one, its 100 points would say nothing.
      ...(customerDimensions(framework).length >= 2 ? [importanceQuestion(orgName, framework)] : []),
      { key: 'comment', kind: 'text', text: 'What do you think customers would tell us?', required: false },
    ],
  };
}

/**
 * What leaders believe drives customers' view (issue 11, the driver-perception gap), set against the
 * customers' actual drivers (relative weights of the customer dimensions). A constant sum rather than a
 * ranking: points of 100 are interval-scale shares, so the leaders' mean share per dimension has a t
 * interval and sits on the same scale as the customers' weights rescaled to 100; a ranking keeps only the
 * order and loses how far apart two dimensions are ("a little more" and "ten times more" rank alike).
 * Optional as a whole; when answered, every customer dimension gets points and they add up to the total.
 * Only customer dimensions: a leader-only one (AI readiness) has no customer weight to compare with.
 */
export function importanceQuestion(orgName: string, framework: Dimension[]): Question {
  return {
    key: IMPORTANCE_QUESTION,
    kind: 'constant_sum',
    text: `Share ${IMPORTANCE_TOTAL} points across these dimensions by how much each drives whether customers call their experience with ${orgName} excellent.`,
    hint: `More points for what matters more to customers; 0 for what does not matter. The points must add up to ${IMPORTANCE_TOTAL}.`,
    required: false,
    min: IMPORTANCE_SCALE.min,
    max: IMPORTANCE_SCALE.max,
    total: IMPORTANCE_TOTAL,
    options: customerDimensions(framework).map((d) => ({ value: `${IMPORTANCE_PREFIX}${d.key}`, label: d.label })),
  };
}

/**
 * Leaders' belief by touchpoint (issue 11): one optional prediction per touchpoint of the journey, so the
 * journey can set belief against reality touchpoint by touchpoint instead of one company-wide line. Every
 * touchpoint is a question of the survey, so the API, the form and a CSV import accept any touchpoint that
 * exists (a member answering without a link has no function to check); the survey page asks a leader only
 * about the touchpoints their function owns (pages/survey-page.ts), which is what the question is for.
 */
export function touchpointPredictions(journey: Stage[]): Question[] {
  return touchpointsOf(journey).map((t) => ({
    key: touchpointPredictionKey(t.key),
    kind: 'predict_share',
    text: `At ${t.label} (${journey.find((s) => s.key === t.stage)?.label ?? t.stage}), what share of customers would say their experience is excellent? (0–100%)`,
    required: false,
    min: 0,
    max: 100,
    touchpoint: { key: t.key, department: t.department },
  }));
}

/** The constant-sum question of a survey that holds `itemKey` among its parts, if any. */
export const constantSumOf = (survey: SurveyDefinition, itemKey: string): Question | undefined =>
  survey.questions.find((q) => q.kind === 'constant_sum' && q.options?.some((o) => o.value === itemKey));

const segmentName = machineKey;

/** The body of POST /surveys/:id/responses; also the shape one CSV row and one survey form are turned into. */
export const ResponseInput = z
  .object({
    respondentId: cleanText().trim().min(1).max(100).optional(),
    submittedAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2025-06-01T10:00:00Z' }).optional(),
    touchpoint: cleanText().min(1).max(40).optional(),
    segments: z
      // An invalid name is reported with its own reason (reserved, or not a key), under segments.<name>.
      .record(segmentName, SegmentValue, {
        error: (iss) => (iss.code === 'invalid_key' ? `not a segment name: ${iss.issues?.[0]?.message ?? 'invalid'}` : undefined),
      })
      .refine((s) => Object.keys(s).length <= MAX_SEGMENTS_PER_RESPONSE, { message: `at most ${MAX_SEGMENTS_PER_RESPONSE} segments per response` })
      .optional(),
    // 80: the longest item key is a touchpoint prediction, `predict:excellent_share@` + a 40-character key.
    answers: z.record(z.string().max(80), z.number()).default({}),
    comment: cleanText().max(5000).optional(),
  })
  .strict();
export type ResponseInput = z.infer<typeof ResponseInput>;

/** The earliest date a trusted caller may backdate a response to, and the clock skew tolerated ahead. */
export const BACKDATE_LIMIT = { earliest: '2000-01-01T00:00:00.000Z', futureSkewMs: 5 * 60_000 } as const;

export interface FieldError {
  field: string;
  message: string;
}

export interface ValidSubmission {
  respondentId: string | null;
  submittedAt: string;
  touchpoint: string | null;
  segments: Record<string, string>;
  answers: Record<string, number>;
  comment: string | null;
}

/**
 * Checks a submission against its survey: known items, integer values on each item's scale,
 * required items answered, a known touchpoint. Returns every error at once so a form can show them all.
 */
export function validateSubmission(
  survey: SurveyDefinition,
  input: ResponseInput,
  now: Date = new Date(),
  rules: SubmissionRules = PUBLIC_WITHOUT_SEGMENTS,
): { ok: true; value: ValidSubmission } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const byKey = new Map(survey.questions.map((q) => [q.key, q]));
  // Keyed by what the caller sent: no prototype, so no name can reach an inherited member.
  const answers: Record<string, number> = Object.create(null);
  for (const [key, value] of Object.entries(input.answers ?? {})) {
    // A constant-sum part (imp:<key>) is answered under its own item key, not the question's.
    const q = byKey.get(key) ?? constantSumOf(survey, key);
    const scale = scaleOf(key);
    if (!q || !scale || q.kind === 'touchpoint' || q.kind === 'text' || (q.kind === 'constant_sum' && q.key === key)) {
      errors.push({ field: `answers.${key}`, message: `"${key}" is not a question of this ${survey.perspective} survey` });
      continue;
    }
    if (!Number.isInteger(value) || value < scale.min || value > scale.max) {
      errors.push({ field: `answers.${key}`, message: `must be a whole number from ${scale.min} to ${scale.max}` });
      continue;
    }
    answers[key] = value;
  }
  for (const q of survey.questions) {
    if (q.kind === 'constant_sum') {
      errors.push(...checkConstantSum(q, input.answers ?? {}, answers, errors));
      continue;
    }
    if (q.required && answers[q.key] === undefined && !errors.some((e) => e.field === `answers.${q.key}`)) {
      errors.push({ field: `answers.${q.key}`, message: 'please answer this question' });
    }
  }
  let touchpoint: string | null = null;
  if (input.touchpoint !== undefined) {
    const tq = byKey.get('touchpoint');
    const known = tq?.options?.some((o) => o.value === input.touchpoint);
    if (survey.perspective === 'customer' && !known) {
      errors.push({ field: 'touchpoint', message: `unknown touchpoint "${input.touchpoint}"` });
    } else touchpoint = input.touchpoint;
  }
  let submittedAt = now.toISOString();
  if (input.submittedAt !== undefined) {
    const at = new Date(input.submittedAt);
    // The public's responses are dated by the server's clock: a respondent choosing the month could
    // scatter rare months that exhaust the anonymity rule. Integrations and imports may backdate.
    if (rules.origin === 'public') errors.push({ field: 'submittedAt', message: 'is set by the server; only API keys and imports may send it' });
    // A little clock skew is tolerated; answers from the future are not.
    else if (at.getTime() > now.getTime() + BACKDATE_LIMIT.futureSkewMs) errors.push({ field: 'submittedAt', message: 'is in the future' });
    else if (at.toISOString() < BACKDATE_LIMIT.earliest) errors.push({ field: 'submittedAt', message: 'must not be before 2000-01-01' });
    else submittedAt = at.toISOString();
  }
  const segments: Record<string, string> = Object.assign(Object.create(null), input.segments ?? {});
  errors.push(...checkSegments(segments, rules));
  if (Object.keys(answers).length === 0 && !input.comment && errors.length === 0) {
    errors.push({ field: 'answers', message: 'a response needs at least one answer' });
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      respondentId: input.respondentId ?? null,
      submittedAt,
      touchpoint,
      segments,
      answers,
      comment: input.comment?.trim() ? input.comment.trim() : null,
    },
  };
}

/**
 * A constant-sum question's whole: skipped entirely (unless required), or every part given and the parts
 * adding up to the total. A bad part is already named (answers.imp:<key>); a missing part is named too, and
 * the total is checked only when every part is a valid number, under the question's key (answers.importance).
 */
function checkConstantSum(q: Question, sent: Record<string, number>, valid: Record<string, number>, partErrors: FieldError[]): FieldError[] {
  const parts = q.options!.map((o) => o.value);
  const given = parts.filter((p) => Object.hasOwn(sent, p));
  if (given.length === 0) return q.required ? [{ field: `answers.${q.key}`, message: 'please answer this question' }] : [];
  const missing = parts.filter((p) => !Object.hasOwn(sent, p));
  const out: FieldError[] = missing.map((p) => ({ field: `answers.${p}`, message: `give every part its points (0 if it does not matter): the ${q.total} points are shared by all of them` }));
  if (missing.length > 0 || parts.some((p) => partErrors.some((e) => e.field === `answers.${p}`))) return out;
  const sum = parts.reduce((a, p) => a + valid[p]!, 0);
  if (sum !== q.total) {
    const diff = q.total! - sum;
    out.push({ field: `answers.${q.key}`, message: `the points must add up to ${q.total}; they add up to ${sum} (${diff > 0 ? `${diff} left` : `${-diff} too many`})` });
  }
  return out;
}

/**
 * The one validation path for a submission that did not come through the API's body schema (the survey
 * form, a CSV row): shapes it with ResponseInput — the API's schema — then checks it with
 * validateSubmission. Shape errors name the field as the API does ("segments.region", "answers.nps").
 */
export function checkSubmission(
  survey: SurveyDefinition,
  raw: unknown,
  rules: SubmissionRules,
  now: Date = new Date(),
): { ok: true; value: ValidSubmission } | { ok: false; errors: FieldError[] } {
  const shaped = ResponseInput.safeParse(raw);
  if (!shaped.success) {
    return {
      ok: false,
      errors: shaped.error.issues.map((i) => {
        // A refused record key is reported at the record; name the key itself.
        const keys = i.code === 'unrecognized_keys' ? i.keys : [];
        const path = [...i.path.map(String), ...(keys.length === 1 ? keys : [])];
        return { field: path.join('.') || 'body', message: i.message };
      }),
    };
  }
  return validateSubmission(survey, shaped.data, now, rules);
}

/** Canonical key for a set of segment values, e.g. "plan=pro;region=EMEA" (sorted by name). */
export function segmentKey(segments: Record<string, string>): string {
  return Object.keys(segments)
    .sort()
    .map((k) => `${k}=${segments[k]}`)
    .join(';');
}

export function parseSegmentKey(key: string): Record<string, string> {
  // Stored names are user data: no prototype, so `out.constructor` of a key without one is undefined.
  const out: Record<string, string> = Object.create(null);
  if (!key) return out;
  for (const part of key.split(';')) {
    const i = part.indexOf('=');
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}
