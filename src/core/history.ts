// Validation of a historical response: one brought in from elsewhere (a canonical CSV, a Qualtrics,
// SurveyMonkey or LimeSurvey export, a plain CSV), as opposed to a live survey submission. History is not a
// submission of the current survey: a source may hold any subset of the organisation's items (NPS only,
// ratings only, a comment only), so no item is required; every value is still checked against its item's
// scale, the touchpoint and segments against the organisation's, and the date must be given (a history row
// dated "now" would be silently misplaced in every trend). Every import path calls this one function.
import type { SubmissionRules } from './segments.ts';
import { validateSubmission, type FieldError, type ResponseInput, type SurveyDefinition, type ValidSubmission } from './survey.ts';

/** Why a historical response needs at least this: an empty row carries nothing to count. */
export const EMPTY_HISTORY_MESSAGE = 'has no answer and no comment (at least one is needed)';

// The survey as a history import sees it: the same items and touchpoints, none required. Cached per
// definition object, since an import validates thousands of rows against the same survey.
const relaxed = new WeakMap<SurveyDefinition, SurveyDefinition>();
function withoutRequired(survey: SurveyDefinition): SurveyDefinition {
  let r = relaxed.get(survey);
  if (!r) {
    r = { ...survey, questions: survey.questions.map((q) => ({ ...q, required: false })) };
    relaxed.set(survey, r);
  }
  return r;
}

/**
 * Checks one historical response against the organisation's survey of its perspective: known items with
 * whole-number values on each item's scale (blank = not answered, so simply absent), a known touchpoint,
 * declared segments, a date between 2000-01-01 and now, and at least one answer or a comment. Returns every
 * error at once, each naming its field (answers.nps, touchpoint, segments.region, submittedAt, answers).
 * The live survey route keeps core/survey.ts validateSubmission, whose required questions still hold there.
 */
export function validateHistoricalResponse(
  survey: SurveyDefinition,
  input: ResponseInput,
  rules: SubmissionRules,
  now: Date = new Date(),
): { ok: true; value: ValidSubmission } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (input.submittedAt === undefined) errors.push({ field: 'submittedAt', message: 'is required (the date the customer answered)' });
  const v = validateSubmission(withoutRequired(survey), input, now, rules);
  if (!v.ok) {
    errors.push(...v.errors.map((e) => (e.field === 'answers' && e.message.startsWith('a response needs') ? { field: 'answers', message: EMPTY_HISTORY_MESSAGE } : e)));
  }
  if (errors.length || !v.ok) return { ok: false, errors };
  return v;
}
