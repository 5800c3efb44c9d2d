import { describe, it, expect } from 'vitest';
import { customerSurvey, leaderSurvey, validateSubmission, segmentKey, parseSegmentKey, ResponseInput, scaleOf } from './survey.ts';
import { validateHistoricalResponse } from './history.ts';
import { checkCaseRule } from './cases/case-rules.ts';
import { DEFAULT_FRAMEWORK } from './framework.ts';
import { DEFAULT_JOURNEY } from './journey.ts';

const cs = customerSurvey('Acme', DEFAULT_FRAMEWORK, DEFAULT_JOURNEY);
const ls = leaderSurvey('Acme', DEFAULT_FRAMEWORK);

describe('survey pair', () => {
  it('asks customers NPS, CSAT, CES, the excellence statement, one rating per customer dimension, touchpoint and comment', () => {
    const keys = cs.questions.map((q) => q.key);
    expect(keys.slice(0, 4)).toEqual(['nps', 'excellent', 'csat', 'ces']);
    expect(keys.filter((k) => k.startsWith('dim:'))).toHaveLength(9); // AI readiness is leader-only
    expect(keys).not.toContain('dim:ai_readiness');
    expect(keys.slice(-2)).toEqual(['touchpoint', 'comment']);
    expect(cs.questions.find((q) => q.key === 'excellent')!.text).toBe('The experience I received from Acme is excellent.');
    expect(cs.questions.find((q) => q.key === 'dim:communication')!.text).toBe('How clearly and consistently did Acme communicate with you?');
  });

  it('mirrors every dimension for leaders, with the excellence statement and the predicted share', () => {
    const keys = ls.questions.map((q) => q.key);
    expect(keys).toContain('predict:excellent_share');
    expect(keys.filter((k) => k.startsWith('dim:'))).toHaveLength(10);
    expect(ls.questions.find((q) => q.key === 'excellent')!.text).toBe('The experience Acme delivers to its customers is excellent.');
  });
});

describe('validateSubmission', () => {
  const now = new Date('2025-06-01T00:00:00Z');
  it('accepts a valid answer set', () => {
    const v = validateSubmission(cs, { answers: { nps: 10, excellent: 4, 'dim:empathy': 2 }, touchpoint: 'billing' }, now);
    expect(v.ok && v.value).toMatchObject({ touchpoint: 'billing', answers: { nps: 10, excellent: 4, 'dim:empathy': 2 } });
  });
  it('names each bad field: out of range, not integer, unknown item, unknown touchpoint, missing required, future date', () => {
    const v = validateSubmission(cs, { answers: { nps: 11, csat: 2.5, 'dim:nope': 3 }, touchpoint: 'moon', submittedAt: '2030-01-01T00:00:00Z' }, now, { origin: 'trusted', segments: [] });
    expect(v.ok).toBe(false);
    const fields = (v as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['answers.csat', 'answers.dim:nope', 'answers.excellent', 'answers.nps', 'submittedAt', 'touchpoint']);
  });
  it('requires the predicted share from leaders and rejects customer-only items', () => {
    const v = validateSubmission(ls, { answers: { excellent: 5, nps: 9 } }, now);
    const fields = (v as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['answers.nps', 'answers.predict:excellent_share']);
  });
  it('rejects unknown body fields and segment values that would break the segment key', () => {
    expect(ResponseInput.safeParse({ answers: {}, extra: 1 }).success).toBe(false);
    expect(ResponseInput.safeParse({ answers: {}, segments: { region: 'a;b=c' } }).success).toBe(false);
    expect(ResponseInput.safeParse({ answers: {}, segments: { Region: 'EMEA' } }).success).toBe(false);
    expect(ResponseInput.safeParse({ answers: {}, segments: { constructor: 'EMEA' } }).success).toBe(false);
    expect(ResponseInput.safeParse({ answers: {}, comment: 'a\u0000b' }).success).toBe(false);
  });
  it('dates public responses by the clock and lets trusted callers backdate within limits', () => {
    const trusted = { origin: 'trusted' as const, segments: [] };
    const pub = validateSubmission(cs, { answers: { excellent: 4 }, submittedAt: '2025-01-01T00:00:00Z' }, now);
    expect(pub).toMatchObject({ ok: false, errors: [{ field: 'submittedAt', message: expect.stringContaining('set by the server') }] });
    expect(validateSubmission(cs, { answers: { excellent: 4 } }, now)).toMatchObject({ ok: true, value: { submittedAt: now.toISOString() } });
    expect(validateSubmission(cs, { answers: { excellent: 4 }, submittedAt: '2025-01-01T00:00:00Z' }, now, trusted)).toMatchObject({ ok: true, value: { submittedAt: '2025-01-01T00:00:00.000Z' } });
    expect(validateSubmission(cs, { answers: { excellent: 4 }, submittedAt: '2025-06-01T00:04:00Z' }, now, trusted).ok).toBe(true); // 4 min skew
    expect(validateSubmission(cs, { answers: { excellent: 4 }, submittedAt: '2025-06-01T00:06:00Z' }, now, trusted).ok).toBe(false);
    expect(validateSubmission(cs, { answers: { excellent: 4 }, submittedAt: '1999-12-31T23:59:59Z' }, now, trusted).ok).toBe(false);
  });
  it('takes only declared segments: public ones from the public, any declared one from a trusted caller', () => {
    const segments = [
      { key: 'region', label: 'Region', public: true, kind: 'values' as const, values: [{ value: 'EMEA', label: 'EMEA' }] },
      { key: 'account', label: 'Account', public: false, kind: 'text' as const, maxLength: 5 },
    ];
    const check = (seg: Record<string, string>, origin: 'public' | 'trusted') => {
      const v = validateSubmission(cs, { answers: { excellent: 4 }, segments: seg }, now, { origin, segments });
      return v.ok ? 'ok' : v.errors.map((e) => e.field).join(' ');
    };
    expect(check({ region: 'EMEA' }, 'public')).toBe('ok');
    expect(check({ region: 'APAC' }, 'public')).toBe('segments.region');
    expect(check({ account: 'acme' }, 'public')).toBe('segments.account');
    expect(check({ account: 'acme' }, 'trusted')).toBe('ok');
    expect(check({ account: 'acme-corp' }, 'trusted')).toBe('segments.account');
    expect(check({ other: 'x' }, 'trusted')).toBe('segments.other');
  });
});

describe('the constant-sum importance question (issue 11)', () => {
  const now = new Date('2025-06-01T00:00:00Z');
  const parts = ls.questions.find((q) => q.key === 'importance')!.options!.map((o) => o.value);
  /** Points per customer dimension, in framework order, as imp:<key> answers. */
  const shares = (points: number[]) => Object.fromEntries(parts.map((p, i) => [p, points[i]!]));
  const even = [12, 11, 11, 11, 11, 11, 11, 11, 11]; // 100
  const fieldsOf = (v: ReturnType<typeof validateSubmission>) => (v.ok ? [] : v.errors.map((e) => e.field).sort());
  const base = { excellent: 4, 'predict:excellent_share': 60 };

  it('is asked of leaders after the dimension ratings, one part per customer dimension, and never of customers', () => {
    const keys = ls.questions.map((q) => q.key);
    expect(keys.indexOf('importance')).toBeGreaterThan(keys.lastIndexOf('dim:tangibles'));
    expect(keys.slice(-2)).toEqual(['importance', 'comment']);
    const q = ls.questions.find((x) => x.key === 'importance')!;
    expect(q).toMatchObject({ kind: 'constant_sum', required: false, min: 0, max: 100, total: 100 });
    expect(q.text).toContain('Share 100 points');
    expect(parts).toEqual(['service', 'understanding', 'integration', 'communication', 'reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'].map((k) => `imp:${k}`));
    expect(q.options![0]).toEqual({ value: 'imp:service', label: 'Service delivered vs expected' });
    expect(cs.questions.some((x) => x.kind === 'constant_sum')).toBe(false);
    expect(scaleOf('imp:service')).toEqual({ min: 0, max: 100 });
  });
  it('is left out when fewer than two customer dimensions would share the points', () => {
    const one = DEFAULT_FRAMEWORK.filter((d) => d.key === 'service' || d.customerItem === null);
    expect(leaderSurvey('Acme', one).questions.some((q) => q.kind === 'constant_sum')).toBe(false);
    expect(validateSubmission(leaderSurvey('Acme', one), { answers: { ...base, 'imp:service': 100 } }, now).ok).toBe(false);
  });
  it('accepts points summing to exactly 100, zeros included, and a leader who skips it', () => {
    const v = validateSubmission(ls, { answers: { ...base, ...shares([40, 0, 0, 10, 30, 0, 0, 0, 20]) } }, now);
    expect(v.ok && v.value.answers).toMatchObject({ 'imp:service': 40, 'imp:understanding': 0, 'imp:tangibles': 20 });
    expect(validateSubmission(ls, { answers: { ...base, ...shares(even) } }, now).ok).toBe(true);
    expect(validateSubmission(ls, { answers: base }, now).ok).toBe(true);
  });
  it('refuses a sum other than 100 under answers.importance, saying by how much', () => {
    const under = validateSubmission(ls, { answers: { ...base, ...shares([10, 10, 10, 10, 10, 10, 10, 10, 5]) } }, now);
    expect(under).toMatchObject({ ok: false, errors: [{ field: 'answers.importance', message: 'the points must add up to 100; they add up to 85 (15 left)' }] });
    const over = validateSubmission(ls, { answers: { ...base, ...shares([100, 1, 0, 0, 0, 0, 0, 0, 0]) } }, now);
    expect(over).toMatchObject({ ok: false, errors: [{ field: 'answers.importance', message: expect.stringContaining('1 too many') }] });
  });
  it('names each negative, over-100 or fractional part, and then does not add them up', () => {
    const v = validateSubmission(ls, { answers: { ...base, ...shares([-10, 110, 0.5, 0, 0, 0, 0, 0, 0]) } }, now);
    expect(fieldsOf(v)).toEqual(['answers.imp:integration', 'answers.imp:service', 'answers.imp:understanding']);
    expect((v as { errors: { message: string }[] }).errors[0]!.message).toBe('must be a whole number from 0 to 100');
  });
  it('refuses a partial answer, naming each part left out', () => {
    const v = validateSubmission(ls, { answers: { ...base, 'imp:service': 60, 'imp:reliability': 40 } }, now);
    expect(fieldsOf(v)).toEqual(parts.filter((p) => p !== 'imp:service' && p !== 'imp:reliability').map((p) => `answers.${p}`).sort());
  });
  it('refuses imp: items from customers, an unknown or leader-only dimension, and the question key as an answer', () => {
    expect(fieldsOf(validateSubmission(cs, { answers: { excellent: 4, ...shares(even) } }, now))).toEqual(parts.map((p) => `answers.${p}`).sort());
    expect(fieldsOf(validateSubmission(ls, { answers: { ...base, ...shares(even), 'imp:ai_readiness': 0 } }, now))).toEqual(['answers.imp:ai_readiness']);
    expect(fieldsOf(validateSubmission(ls, { answers: { ...base, ...shares(even), 'imp:nope': 0 } }, now))).toEqual(['answers.imp:nope']);
    expect(fieldsOf(validateSubmission(ls, { answers: { ...base, importance: 100 } }, now))).toEqual(['answers.importance']);
  });
  it('is no item a case rule may watch: case rules read customer answers', () => {
    const errors = checkCaseRule({ name: 'x', slaHours: 48, active: true, conditions: [{ kind: 'answer', item: 'imp:service', op: '>=', value: 50 }] }, DEFAULT_FRAMEWORK, DEFAULT_JOURNEY);
    expect(errors.map((e) => e.field)).toEqual(['conditions.0.item']);
  });
  it('holds in the history import too (the same validator), where nothing else is required', () => {
    const trusted = { origin: 'trusted' as const, segments: [] };
    const partial = validateHistoricalResponse(ls, { answers: { 'imp:service': 100 }, submittedAt: '2025-01-01T00:00:00Z' }, trusted, now);
    expect(partial.ok).toBe(false);
    const whole = validateHistoricalResponse(ls, { answers: shares(even), submittedAt: '2025-01-01T00:00:00Z' }, trusted, now);
    expect(whole.ok).toBe(true);
  });
});

describe('segment keys', () => {
  it('are canonical (sorted) and reversible', () => {
    expect(segmentKey({ region: 'EMEA', plan: 'pro' })).toBe('plan=pro;region=EMEA');
    expect(parseSegmentKey('plan=pro;region=EMEA')).toEqual({ plan: 'pro', region: 'EMEA' });
    expect(parseSegmentKey('')).toEqual({});
  });
});
