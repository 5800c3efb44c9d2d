// Contacts from CSV and JSON: e-mail lower-cased and de-duplicated, declared segments only, known
// touchpoints only, a function only for leaders, each error as `row N, column C: reason`.
import { describe, it, expect } from 'vitest';
import { checkContact, ContactsCsvError, formatContactError, parseContactsCsv, type ContactContext } from './contacts.ts';

const ctx: ContactContext = {
  segments: [
    { key: 'region', label: 'Region', kind: 'values', public: false, values: [{ value: 'EMEA', label: 'EMEA' }, { value: 'APAC', label: 'APAC' }] },
    { key: 'plan', label: 'Plan', kind: 'text', public: true, maxLength: 5 },
  ],
  touchpoints: ['onboarding', 'support'],
};

describe('parseContactsCsv', () => {
  it('reads good rows and reports every bad one by row and column', () => {
    const csv = [
      'email,name,kind,function,touchpoint,segment:region,segment:plan',
      ' Ana@Example.COM ,Ana,,,onboarding,EMEA,pro',
      'lea@example.com,Lea,leader,Sales,,,',
      'bad@,Bob,,,,,',
      'cara@example.com,Cara,customer,Sales,,,',
      'dan@example.com,Dan,,,nowhere,MARS,premium',
      'ana@example.com,Ana twice,,,,,',
      'eve@example.com,Eve,boss,,,,',
    ].join('\n');
    const out = parseContactsCsv(csv, ctx);
    expect(out.contacts.map((c) => [c.row, c.value.email])).toEqual([
      [1, 'ana@example.com'],
      [2, 'lea@example.com'],
    ]);
    expect(out.contacts[0]!.value).toEqual({ email: 'ana@example.com', name: 'Ana', language: null, kind: null, function: null, touchpoint: 'onboarding', segments: { region: 'EMEA', plan: 'pro' } });
    expect(out.contacts[1]!.value).toMatchObject({ kind: 'leader', function: 'Sales' });
    expect(out.errors.map(formatContactError)).toEqual([
      'row 3, column email: must be an e-mail address such as ana@example.com',
      'row 4, column function: only a leader has a function',
      'row 5, column segment:region: must be one of "EMEA", "APAC"',
      'row 5, column segment:plan: must be at most 5 characters',
      'row 5, column touchpoint: unknown touchpoint "nowhere"',
      'row 6, column email: "ana@example.com" is already on row 1',
      expect.stringMatching(/^row 7, column kind: /),
    ]);
  });

  it('refuses a bad header as a whole', () => {
    expect(() => parseContactsCsv('name\nAna', ctx)).toThrow(ContactsCsvError);
    expect(() => parseContactsCsv('email,colour\na@b.co,red', ctx)).toThrow(/unknown column "colour"/);
    expect(() => parseContactsCsv('email,email\na@b.co,a@b.co', ctx)).toThrow(/appears twice/);
    expect(() => parseContactsCsv('', ctx)).toThrow(/empty/);
    expect(() => parseContactsCsv('email\n"unterminated', ctx)).toThrow(/not a readable CSV/);
  });

  it('refuses an undeclared segment and a reserved segment name', () => {
    const out = parseContactsCsv('email,segment:planet,segment:__proto__\na@example.com,Mars,x', ctx);
    expect(out.contacts).toEqual([]);
    expect(out.errors.map((e) => e.column).sort()).toEqual(['segment:__proto__', 'segment:planet']);
  });
});

describe('checkContact', () => {
  it('names the JSON field of an error', () => {
    const r = checkContact({ email: 'a@example.com', segments: { region: 'MARS' }, extra: 1 }, ctx, 1, (f) => `contacts.0.${f}`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.column)).toEqual(['contacts.0.extra']);
    const s = checkContact({ email: 'a@example.com', segments: { region: 'MARS' } }, ctx, 1, (f) => `contacts.0.${f}`);
    expect(s.ok).toBe(false);
    if (!s.ok) expect(s.errors).toEqual([{ row: 1, column: 'contacts.0.segments.region', reason: 'must be one of "EMEA", "APAC"' }]);
  });
});
