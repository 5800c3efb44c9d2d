// The mapping step on hand-made tables: verbal scales and dates recognised, a mapping suggested from
// column kinds and texts, the user's JSON validated (bounded, user keys kept off prototypes, names
// checked against the file and the organisation), and rows turned into responses or "row N, column C" errors.
import { describe, it, expect } from 'vitest';
import { applyMapping, checkMapping, dateFormatOf, Mapping, mappingToJson, matchTouchpoint, parseDateCell, suggestMapping, verbalScaleOf, type ImportTarget, type SourceTable } from './import-mapping.ts';
import { customerSurvey } from './survey.ts';
import { DEFAULT_FRAMEWORK } from './framework.ts';
import { DEFAULT_JOURNEY } from './journey.ts';

const target: ImportTarget = {
  survey: customerSurvey('Telco', DEFAULT_FRAMEWORK, DEFAULT_JOURNEY),
  rules: { origin: 'trusted', segments: [{ key: 'region', label: 'Region', public: false, kind: 'values', values: [{ value: 'north', label: 'North' }, { value: 'south', label: 'South' }] }] },
};
const now = new Date('2026-01-01T00:00:00Z');

const table: SourceTable = {
  format: 'test',
  notes: [],
  columns: [
    { id: 'when', question: 'Response date', kind: { kind: 'date', format: 'dmy', ambiguous: false }, notApplicable: 0 },
    { id: 'score', question: 'How likely are you to recommend us?', kind: { kind: 'numeric', min: 0, max: 10, integer: true }, notApplicable: 0 },
    { id: 'sat', question: 'Overall, how satisfied are you?', kind: verbalScaleOf(['Satisfied', 'Very dissatisfied', 'Very satisfied'])!, notApplicable: 0 },
    { id: 'stage', question: 'Journey stage', kind: { kind: 'categorical', values: ['First Payment', 'Order', 'Moon landing'] }, notApplicable: 0 },
    { id: 'Region', question: 'Region', kind: { kind: 'categorical', values: ['North', 'South'] }, notApplicable: 0 },
    { id: 'why', question: 'Why did you give this score?', kind: { kind: 'text' }, notApplicable: 0 },
    { id: 'email', question: 'E-mail address', kind: { kind: 'text' }, notApplicable: 0 },
  ],
  rows: [
    ['11/04/2018 20:09', '7', 'Satisfied', 'Order', 'North', 'fine', 'a@b.c'],
    ['31/02/2018', '11', 'Quite happy', 'Moon landing', '', '', ''],
    ['01/05/2018', '', '', '', '', '', ''],
    ['', '3', '', 'First Payment', 'South', 'slow', ''],
  ],
};

describe('verbal scales and dates', () => {
  it('orders the labels of a known scale and refuses a set that fits none', () => {
    expect(verbalScaleOf(['Agree', 'Strongly disagree', 'Neither agree nor disagree'])).toEqual({ kind: 'verbal', scale: 'agreement', points: 5, labels: ['Strongly disagree', 'Neither agree nor disagree', 'Agree'], ranks: [1, 3, 4] });
    expect(verbalScaleOf(['Yes', 'No'])).toBeUndefined();
    expect(verbalScaleOf(['Agree'])).toBeUndefined(); // one label says nothing about a scale
  });
  it('reads day-first, month-first and ISO dates, refusing impossible ones', () => {
    expect(dateFormatOf(['11/04/2018', '21/02/2018'])).toEqual({ format: 'dmy', ambiguous: false });
    expect(dateFormatOf(['04/11/2018', '02/21/2018'])).toEqual({ format: 'mdy', ambiguous: false });
    expect(dateFormatOf(['04/11/2018'])).toEqual({ format: 'dmy', ambiguous: true });
    expect(parseDateCell('11/04/2018 20:09', 'dmy')).toEqual({ ok: true, iso: '2018-04-11T20:09:00.000Z' });
    expect(parseDateCell('04/11/2018 20:09', 'mdy')).toEqual({ ok: true, iso: '2018-04-11T20:09:00.000Z' });
    expect(parseDateCell('2017-07-18 08:28:09', 'iso')).toEqual({ ok: true, iso: '2017-07-18T08:28:09.000Z' });
    expect(parseDateCell('2017-07-18T08:28:09+02:00', 'iso')).toEqual({ ok: true, iso: '2017-07-18T06:28:09.000Z' });
    expect(parseDateCell('31/02/2018', 'dmy')).toEqual({ ok: false, reason: '"31/02/2018" is not a valid date' });
    expect(parseDateCell('2018-04-11', 'dmy').ok).toBe(false);
  });
  it('maps stage names onto the journey', () => {
    expect(['Order', 'First Payment', 'Equipment Received', 'Service in Use', 'Billing', 'Moon landing'].map((v) => matchTouchpoint(v, target.survey))).toEqual(['checkout', 'billing', 'welcome', 'app', 'billing', null]);
  });
});

describe('suggestMapping', () => {
  it('proposes date, NPS, a verbal satisfaction scale as CSAT, the stage, a declared segment and the comment, leaving personal data out', () => {
    const s = suggestMapping(table, target);
    expect(s.complete).toBe(true);
    expect(s.mapping).toEqual({
      version: 1,
      date: { column: 'when', format: 'dmy' },
      respondentId: null,
      comment: { columns: ['why'] },
      touchpoint: { column: 'stage', values: { 'First Payment': 'billing', Order: 'checkout' } },
      items: [
        { column: 'score', item: 'nps' },
        { column: 'sat', item: 'csat', values: { 'Very dissatisfied': 1, Satisfied: 4, 'Very satisfied': 5 } },
      ],
      segments: [{ column: 'Region', segment: 'region', values: { North: 'north', South: 'south' } }],
    });
    expect(s.notes).toContain('touchpoint: no touchpoint found for "Moon landing" (column "stage"); map it in touchpoint.values, or to null');
    expect(s.notes).toContain('left out: "email" (personal data or an upload)');
  });
  it('is incomplete, with a placeholder date, when the file has no date', () => {
    const s = suggestMapping({ ...table, columns: table.columns.slice(1), rows: table.rows.map((r) => r.slice(1)) }, target);
    expect(s.complete).toBe(false);
    expect(Mapping.safeParse(s.mapping).success).toBe(false);
  });
});

describe('Mapping (the user-editable JSON)', () => {
  it('keeps user value keys in a Map, so "__proto__" and "constructor" are plain values', () => {
    const m = Mapping.parse(JSON.parse('{"version":1,"date":{"column":"when","format":"dmy"},"touchpoint":{"column":"stage","values":{"__proto__":"billing","constructor":null}}}'));
    expect(m.touchpoint!.values).toBeInstanceOf(Map);
    expect([...m.touchpoint!.values]).toEqual([['__proto__', 'billing'], ['constructor', null]]);
    expect(mappingToJson(m).touchpoint!.values).toEqual(JSON.parse('{"__proto__":"billing","constructor":null}'));
  });
  it('refuses unknown fields, bad keys and oversized lists, naming the field', () => {
    const issues = (v: unknown) => Mapping.safeParse(v).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ version: 1, date: { column: 'when', format: 'dmy' }, extra: 1 })).toEqual([': Unrecognized key: "extra"']);
    expect(issues({ version: 1, date: { column: 'when', format: 'dmy' }, segments: [{ column: 'Region', segment: 'Bad Key' }] })![0]).toMatch(/^segments\.0\.segment: /);
    const many = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`v${i}`, 'billing']));
    expect(issues({ version: 1, date: { column: 'when', format: 'dmy' }, touchpoint: { column: 'stage', values: many } })).toEqual(['touchpoint.values: at most 500 values']);
  });
  it('checkMapping names columns, items, touchpoints and segments the file or organisation lacks', () => {
    const m = Mapping.parse({
      version: 1,
      date: { column: 'nope', format: 'iso' },
      touchpoint: { column: 'stage', values: { Order: 'shop' } },
      items: [{ column: 'score', item: 'nps' }, { column: 'score', item: 'nps' }, { column: 'sat', item: 'dim:moon' }],
      segments: [{ column: 'Region', segment: 'planet' }],
    });
    expect(checkMapping(m, table, target)).toEqual([
      'date.column: no column "nope" in this file',
      'touchpoint.values."Order": unknown touchpoint "shop"',
      'items.1.item: "nps" is mapped twice',
      'items.2.item: "dim:moon" is not an item of this organisation\'s customer survey',
      'segments.0.segment: "planet" is not a segment this organisation declares',
    ]);
  });
});

describe('applyMapping', () => {
  it('turns rows into responses, and every problem into "row N, column C: reason"', () => {
    const m = Mapping.parse(suggestMapping(table, target).mapping);
    const { rows, errors } = applyMapping(table, m, target, now);
    expect(rows).toEqual([
      { row: 1, submission: { respondentId: null, submittedAt: '2018-04-11T20:09:00.000Z', touchpoint: 'checkout', segments: { region: 'north' }, answers: { nps: 7, csat: 4 }, comment: 'fine' } },
    ]);
    expect(errors).toEqual([
      { row: 2, column: 'when', reason: '"31/02/2018" is not a valid date' },
      { row: 2, column: 'stage', reason: '"Moon landing" has no touchpoint in the mapping (add it to touchpoint.values)' },
      { row: 2, column: 'sat', reason: '"Quite happy" is not a number and has no value in the mapping (add it to the item\'s values)' },
      { row: 3, column: '(all mapped columns)', reason: 'has no answer and no comment (at least one is needed)' },
      { row: 4, column: 'when', reason: 'is empty (the date is required)' },
    ]);
  });
  it('range-checks mapped values against the item and maps null to "not answered"', () => {
    const m = Mapping.parse({ version: 1, date: { value: '2020-01-01T00:00:00Z' }, items: [{ column: 'score', item: 'csat', values: { '7': null } }] });
    const { rows, errors } = applyMapping(table, m, target, now);
    expect(errors).toEqual([
      { row: 1, column: '(all mapped columns)', reason: 'has no answer and no comment (at least one is needed)' },
      { row: 2, column: 'score', reason: 'must be a whole number from 1 to 5' },
      { row: 3, column: '(all mapped columns)', reason: 'has no answer and no comment (at least one is needed)' },
    ]);
    expect(rows.map((r) => [r.row, r.submission.answers, r.submission.submittedAt])).toEqual([[4, { csat: 3 }, '2020-01-01T00:00:00.000Z']]);
  });
});
