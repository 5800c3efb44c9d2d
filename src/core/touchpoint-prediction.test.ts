// Leaders' belief by touchpoint (issue 11), the pure parts: the leader survey's per-touchpoint questions,
// their validation (known touchpoints only, 0–100, never from customers), the function ↔ department match,
// the canonical CSV columns (import and export), and the report's arithmetic on a small input.
import { describe, it, expect } from 'vitest';
import {
  customerSurvey,
  leaderSurvey,
  ownsTouchpoint,
  scaleOf,
  touchpointOfPrediction,
  touchpointPredictionKey,
  validateSubmission,
  ResponseInput,
} from './survey.ts';
import { DEFAULT_FRAMEWORK } from './framework.ts';
import { DEFAULT_JOURNEY, type Stage } from './journey.ts';
import { checkHeader, exportHeader, exportRow, HeaderError, parseRow } from './canonical-csv.ts';
import { journeyBeliefReport } from './analytics/journey-belief.ts';
import { checkCaseRule } from './cases/case-rules.ts';

const leader = leaderSurvey('Acme', DEFAULT_FRAMEWORK, DEFAULT_JOURNEY);
const customer = customerSurvey('Acme', DEFAULT_FRAMEWORK, DEFAULT_JOURNEY);
const send = (answers: Record<string, number>, survey = leader) => validateSubmission(survey, ResponseInput.parse({ answers }));

describe("leaders' belief by touchpoint: the survey", () => {
  it('asks one optional 0–100 prediction per touchpoint, after the company-wide one, each with its owner', () => {
    const qs = leader.questions.filter((q) => q.touchpoint);
    expect(qs.map((q) => q.key)).toEqual(DEFAULT_JOURNEY.flatMap((s) => s.touchpoints.map((t) => `predict:excellent_share@${t.key}`)));
    expect(qs.every((q) => q.kind === 'predict_share' && !q.required && q.min === 0 && q.max === 100)).toBe(true);
    expect(qs.find((q) => q.key === 'predict:excellent_share@billing')!.touchpoint).toEqual({ key: 'billing', department: 'Finance' });
    const keys = leader.questions.map((q) => q.key);
    expect(keys.indexOf('predict:excellent_share@advertising')).toBe(keys.indexOf('predict:excellent_share') + 1);
    // No journey given: no touchpoint questions (and the customer survey never has them).
    expect(leaderSurvey('Acme', DEFAULT_FRAMEWORK).questions.some((q) => q.touchpoint)).toBe(false);
    expect(customer.questions.some((q) => q.key.startsWith('predict:'))).toBe(false);
  });

  it('names the item by the touchpoint and back, on the 0–100 scale', () => {
    expect(touchpointPredictionKey('app')).toBe('predict:excellent_share@app');
    expect(touchpointOfPrediction('predict:excellent_share@app')).toBe('app');
    expect(touchpointOfPrediction('predict:excellent_share')).toBeUndefined();
    expect(scaleOf('predict:excellent_share@app')).toEqual({ min: 0, max: 100 });
  });

  it('accepts a known touchpoint on the scale; refuses unknown touchpoints, off-scale values and customers', () => {
    const ok = send({ excellent: 4, 'predict:excellent_share': 60, 'predict:excellent_share@app': 0, 'predict:excellent_share@billing': 100 });
    expect(ok.ok && ok.value.answers).toEqual({ excellent: 4, 'predict:excellent_share': 60, 'predict:excellent_share@app': 0, 'predict:excellent_share@billing': 100 });
    const bad = send({ excellent: 4, 'predict:excellent_share': 60, 'predict:excellent_share@nowhere': 50, 'predict:excellent_share@app': 101, 'predict:excellent_share@website': 12.5 });
    expect(bad.ok ? [] : bad.errors).toEqual([
      { field: 'answers.predict:excellent_share@nowhere', message: '"predict:excellent_share@nowhere" is not a question of this leader survey' },
      { field: 'answers.predict:excellent_share@app', message: 'must be a whole number from 0 to 100' },
      { field: 'answers.predict:excellent_share@website', message: 'must be a whole number from 0 to 100' },
    ]);
    const fromCustomer = send({ excellent: 4, 'predict:excellent_share@app': 50 }, customer);
    expect(fromCustomer.ok ? [] : fromCustomer.errors).toEqual([{ field: 'answers.predict:excellent_share@app', message: '"predict:excellent_share@app" is not a question of this customer survey' }]);
  });

  it('takes a touchpoint key of the longest length (40) through the request schema', () => {
    const long = `t${'x'.repeat(39)}`;
    const journey: Stage[] = [{ key: 'use', label: 'Use', touchpoints: [{ key: long, label: 'Long', department: 'Ops' }] }];
    const v = send({ excellent: 4, 'predict:excellent_share': 50, [touchpointPredictionKey(long)]: 30 }, leaderSurvey('Acme', DEFAULT_FRAMEWORK, journey));
    expect(v.ok).toBe(true);
  });

  it('is a leader-only item: a case rule (on customers\' answers) may not name it', () => {
    const errors = checkCaseRule({ name: 'x', slaHours: 48, active: true, conditions: [{ kind: 'answer', item: 'predict:excellent_share@app', op: '<=', value: 6 }] }, DEFAULT_FRAMEWORK, DEFAULT_JOURNEY);
    expect(errors.map((e) => e.field)).toEqual(['conditions.0.item']);
  });

  it("matches a leader's function to a department trimmed and in any case; no function owns nothing", () => {
    expect(ownsTouchpoint('Support', 'Support')).toBe(true);
    expect(ownsTouchpoint('  customer success ', 'Customer Success')).toBe(true);
    expect(ownsTouchpoint('Product', 'Support')).toBe(false);
    expect(ownsTouchpoint(null, 'Support')).toBe(false);
    expect(ownsTouchpoint('  ', ' ')).toBe(false);
  });
});

describe("leaders' belief by touchpoint: the canonical CSV", () => {
  const surveys = { customer, leader };
  it('accepts the columns, checks the touchpoint per row (naming the column) and exports them', () => {
    expect(() => checkHeader(['perspective', 'submitted_at', 'predict:excellent_share@app'], DEFAULT_FRAMEWORK)).not.toThrow();
    expect(() => checkHeader(['perspective', 'submitted_at', 'predict:excellent_share@Not A Key'], DEFAULT_FRAMEWORK)).toThrow(HeaderError);
    const r = parseRow({ perspective: 'leader', submitted_at: '2025-02-03T04:05:06Z', 'predict:excellent_share@app': '70' }, 1, surveys);
    expect(r.ok && r.value.submission.answers).toEqual({ 'predict:excellent_share@app': 70 });
    const unknown = parseRow({ perspective: 'leader', submitted_at: '2025-02-03T04:05:06Z', 'predict:excellent_share@nowhere': '70' }, 2, surveys);
    expect(unknown.ok ? [] : unknown.errors.map((e) => e.column)).toEqual(['predict:excellent_share@nowhere']);
    const header = exportHeader(DEFAULT_FRAMEWORK, [], ['app', 'billing']);
    expect(header.slice(header.indexOf('predict:excellent_share'), header.indexOf('predict:excellent_share') + 3)).toEqual(['predict:excellent_share', 'predict:excellent_share@app', 'predict:excellent_share@billing']);
    expect(() => checkHeader(header, DEFAULT_FRAMEWORK)).not.toThrow();
    const row = exportRow(header, { perspective: 'leader', respondentId: 'l1', submittedAt: '2025-01-01T00:00:00.000Z', touchpoint: '', segments: {}, answers: { 'predict:excellent_share@billing': 35 }, comment: null });
    expect(row[header.indexOf('predict:excellent_share@billing')]).toBe('35');
    expect(row[header.indexOf('predict:excellent_share@app')]).toBe('');
  });
});

describe("leaders' belief by touchpoint: the report's arithmetic", () => {
  const tp = { key: 'app', label: 'App', stage: 'use', stageLabel: 'Use', department: 'Product' };
  const base = { organisation: { id: 'o', name: 'O', industry: 'x', minResponses: 5 }, filters: {}, touchpoints: [tp] };
  it('a single-valued prediction has no t interval, so no gap interval, yet a gap', () => {
    const r = journeyBeliefReport({
      ...base,
      customers: new Map([['app', { respondents: 10, items: { excellent: { 5: 4, 2: 6 } } }]]),
      leaders: { respondents: 5, items: { 'predict:excellent_share@app': { 70: 5 } } },
      hidden: { customers: null, leaders: null },
    });
    expect(r.touchpoints[0]!.believed).toEqual({ n: 5, mean: 0.7, sd: 0, ci95: [0.7, 0.7] });
    expect(r.touchpoints[0]!.gap).toBeCloseTo(0.3, 12);
  });
  it('a side hidden as a whole is hidden on every touchpoint with its reason', () => {
    const r = journeyBeliefReport({ ...base, customers: new Map(), leaders: { respondents: 0, items: {} }, hidden: { customers: 'too rare', leaders: 'too few' } });
    expect(r.touchpoints[0]).toMatchObject({ believed: { suppressed: true, reason: 'too few' }, actual: { suppressed: true, reason: 'too rare' }, gap: null, gapCi: null });
  });
});
