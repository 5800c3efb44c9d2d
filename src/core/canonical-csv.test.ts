import { describe, it, expect } from 'vitest';
import { checkHeader, parseRow, exportHeader, exportRow, HeaderError } from './canonical-csv.ts';
import { customerSurvey, leaderSurvey } from './survey.ts';
import { DEFAULT_FRAMEWORK } from './framework.ts';
import { DEFAULT_JOURNEY } from './journey.ts';

const surveys = { customer: customerSurvey('Acme', DEFAULT_FRAMEWORK, DEFAULT_JOURNEY), leader: leaderSurvey('Acme', DEFAULT_FRAMEWORK) };

// An import may set the organisation's declared segments only.
const REGION = { origin: 'trusted' as const, segments: [{ key: 'region', label: 'Region', public: false, kind: 'text' as const, maxLength: 80 }] };

describe('canonical CSV', () => {
  it('accepts columns in any order and names unknown columns', () => {
    expect(() => checkHeader(['nps', 'perspective', 'segment:region', 'submitted_at', 'dim:empathy'], DEFAULT_FRAMEWORK)).not.toThrow();
    expect(() => checkHeader(['perspective', 'submitted_at', 'score', 'dim:nope'], DEFAULT_FRAMEWORK)).toThrow(new HeaderError('unknown columns: "score", "dim:nope"'));
    expect(() => checkHeader(['nps'], DEFAULT_FRAMEWORK)).toThrow(/missing column "perspective"/);
  });
  it('turns a row into a validated submission; empty cells are unanswered', () => {
    const r = parseRow({ perspective: 'customer', submitted_at: '2025-02-03T04:05:06Z', nps: '9', csat: '', excellent: '4', 'segment:region': 'EMEA', touchpoint: 'app', comment: 'ok' }, 1, surveys, REGION);
    expect(r.ok && r.value).toMatchObject({ perspective: 'customer', submission: { answers: { nps: 9, excellent: 4 }, segments: { region: 'EMEA' }, touchpoint: 'app', comment: 'ok', submittedAt: '2025-02-03T04:05:06.000Z' } });
  });
  it('reports row, column and reason for every problem', () => {
    const r = parseRow({ perspective: 'customer', submitted_at: 'yesterday', nps: 'ten', excellent: '9' }, 7, surveys);
    expect(r.ok).toBe(false);
    const errs = (r as { errors: { row: number; column: string; reason: string }[] }).errors;
    expect(errs.map((e) => [e.row, e.column])).toEqual([
      [7, 'nps'],
      [7, 'submitted_at'],
    ]);
    expect(errs[0]!.reason).toBe('"ten" is not a whole number');
    const r2 = parseRow({ perspective: 'customer', submitted_at: '2025-01-01T00:00:00Z', excellent: '9' }, 8, surveys);
    expect((r2 as { errors: unknown[] }).errors).toEqual([{ row: 8, column: 'excellent', reason: 'must be a whole number from 1 to 5' }]);
    const r3 = parseRow({ perspective: 'boss', submitted_at: '2025-01-01T00:00:00Z' }, 9, surveys);
    expect((r3 as { errors: unknown[] }).errors).toEqual([{ row: 9, column: 'perspective', reason: 'must be "customer" or "leader"' }]);
  });
  it('exports the same columns it imports', () => {
    const header = exportHeader(DEFAULT_FRAMEWORK, ['region']);
    expect(() => checkHeader(header, DEFAULT_FRAMEWORK)).not.toThrow();
    const row = exportRow(header, { perspective: 'leader', respondentId: 'x', submittedAt: '2025-01-01T00:00:00.000Z', touchpoint: '', segments: {}, answers: { excellent: 5, 'predict:excellent_share': 70 }, comment: null });
    const rec = Object.fromEntries(header.map((h, i) => [h, row[i]!]));
    const back = parseRow(rec, 1, surveys);
    expect(back.ok && back.value.submission.answers).toEqual({ excellent: 5, 'predict:excellent_share': 70 });
  });
  it("carries leaders' importance points (imp:<key>, issue 11): exported, imported, and the sum checked", () => {
    const header = exportHeader(DEFAULT_FRAMEWORK, []);
    const imp = header.filter((c) => c.startsWith('imp:'));
    expect(imp).toHaveLength(9); // customer dimensions only: AI readiness has no customer weight
    expect(imp).not.toContain('imp:ai_readiness');
    expect(header.slice(header.indexOf('predict:excellent_share') + 1, -1)).toEqual(imp);
    const points = Object.fromEntries(imp.map((c, i) => [c, i === 0 ? 52 : 6])); // 52 + 8 × 6 = 100
    const answers = { excellent: 5, ...points };
    const row = exportRow(header, { perspective: 'leader', respondentId: 'l1', submittedAt: '2025-01-01T00:00:00.000Z', touchpoint: '', segments: {}, answers, comment: null });
    const rec = Object.fromEntries(header.map((h, i) => [h, row[i]!]));
    const back = parseRow(rec, 1, surveys);
    expect(back.ok && back.value.submission.answers).toEqual(answers);
    const wrong = parseRow({ ...rec, 'imp:service': '40' }, 2, surveys);
    expect(wrong).toEqual({ ok: false, errors: [{ row: 2, column: 'imp:*', reason: 'the points must add up to 100; they add up to 88 (12 left)' }] });
    const customer = parseRow({ perspective: 'customer', submitted_at: '2025-01-01T00:00:00Z', excellent: '4', 'imp:service': '100' }, 3, surveys);
    expect(customer.ok || customer.errors.map((e) => e.column)).toEqual(['imp:service']);
    expect(() => checkHeader(['perspective', 'submitted_at', 'imp:ai_readiness'], DEFAULT_FRAMEWORK)).toThrow(new HeaderError('unknown column: "imp:ai_readiness"'));
  });
});
