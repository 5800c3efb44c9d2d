// validateHistoricalResponse: history accepts any subset of the organisation's items (no question is
// required), still range-checks every value, needs a date and at least one answer or a comment — while
// the live survey's validateSubmission keeps its required question.
import { describe, it, expect } from 'vitest';
import { validateHistoricalResponse, EMPTY_HISTORY_MESSAGE } from './history.ts';
import { customerSurvey, validateSubmission } from './survey.ts';
import { DEFAULT_FRAMEWORK } from './framework.ts';
import { DEFAULT_JOURNEY } from './journey.ts';

const survey = customerSurvey('Telco', DEFAULT_FRAMEWORK, DEFAULT_JOURNEY);
const rules = { origin: 'trusted' as const, segments: [] };
const now = new Date('2026-01-01T00:00:00Z');
const at = '2018-04-11T20:09:00Z';

describe('validateHistoricalResponse', () => {
  it('accepts NPS only, a rating only, or a comment only', () => {
    const nps = validateHistoricalResponse(survey, { submittedAt: at, answers: { nps: 0 } }, rules, now);
    expect(nps.ok && nps.value.answers).toEqual({ nps: 0 });
    const dim = validateHistoricalResponse(survey, { submittedAt: at, answers: { 'dim:reliability': 5 }, touchpoint: 'billing' }, rules, now);
    expect(dim.ok && [dim.value.answers['dim:reliability'], dim.value.touchpoint]).toEqual([5, 'billing']);
    const comment = validateHistoricalResponse(survey, { submittedAt: at, answers: {}, comment: 'Router was faulty' }, rules, now);
    expect(comment.ok && comment.value.comment).toBe('Router was faulty');
  });

  it('still range-checks values, items and touchpoints, and needs a date and something to count', () => {
    const r = validateHistoricalResponse(survey, { submittedAt: at, answers: { nps: 11, csat: 0, 'predict:excellent_share': 50 }, touchpoint: 'moon' }, rules, now);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual([
        { field: 'answers.nps', message: 'must be a whole number from 0 to 10' },
        { field: 'answers.csat', message: 'must be a whole number from 1 to 5' },
        { field: 'answers.predict:excellent_share', message: '"predict:excellent_share" is not a question of this customer survey' },
        { field: 'touchpoint', message: 'unknown touchpoint "moon"' },
      ]);
    const empty = validateHistoricalResponse(survey, { submittedAt: at, answers: {} }, rules, now);
    expect(!empty.ok && empty.errors).toEqual([{ field: 'answers', message: EMPTY_HISTORY_MESSAGE }]);
    const undated = validateHistoricalResponse(survey, { answers: { nps: 9 } }, rules, now);
    expect(!undated.ok && undated.errors.map((e) => e.field)).toEqual(['submittedAt']);
    const future = validateHistoricalResponse(survey, { submittedAt: '2027-01-01T00:00:00Z', answers: { nps: 9 } }, rules, now);
    expect(!future.ok && future.errors).toEqual([{ field: 'submittedAt', message: 'is in the future' }]);
  });

  it('leaves the live survey as it was: "excellent" stays required there', () => {
    const live = validateSubmission(survey, { answers: { nps: 9 } }, now);
    expect(!live.ok && live.errors).toEqual([{ field: 'answers.excellent', message: 'please answer this question' }]);
    expect(survey.questions.find((q) => q.key === 'excellent')!.required).toBe(true); // not mutated by the relaxed copy
  });
});
