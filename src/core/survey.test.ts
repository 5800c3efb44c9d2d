import { describe, it, expect } from 'vitest';
import { customerSurvey, leaderSurvey, validateSubmission, segmentKey, parseSegmentKey, ResponseInput } from './survey.ts';
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

describe('segment keys', () => {
  it('are canonical (sorted) and reversible', () => {
    expect(segmentKey({ region: 'EMEA', plan: 'pro' })).toBe('plan=pro;region=EMEA');
    expect(parseSegmentKey('plan=pro;region=EMEA')).toEqual({ plan: 'pro', region: 'EMEA' });
    expect(parseSegmentKey('')).toEqual({});
  });
});
