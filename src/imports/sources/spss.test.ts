// The SPSS reader on Qualtrics' real .sav download (test/fixtures/qualtrics-export/testproject_menu.sav),
// checked cell by cell against the numeric CSV export of the same 7 responses beside it
// (testproject_menu_numeric.csv, parsed here with csv-parse, not with our readers); user-missing values
// and "not applicable" value labels on copies of the file edited byte by byte; and Qualtrics' preview and
// spam rows (qualtricsLeftOut) on a copy of the CSV whose Status/DistributionChannel cells were edited.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { isSav, readSpss, writtenByQualtrics } from './spss.ts';
import { parseSav } from './sav-file.ts';
import { readQualtrics } from './qualtrics.ts';
import { SourceError, type SourceTable } from './source-table.ts';

const FIX = join(import.meta.dirname, '../../../test/fixtures/qualtrics-export');
const SAV = readFileSync(join(FIX, 'testproject_menu.sav'));
const CSV = readFileSync(join(FIX, 'testproject_menu_numeric.csv'));
const cells = (t: SourceTable, id: string) => t.rows.map((r) => r[t.columns.findIndex((c) => c.id === id)]!);
// Q5's value labels as the .sav's dictionary states them (also what Qualtrics' "choice text" export shows).
const Q5_LABELS: Record<string, string> = { '11': 'Strongly agree', '12': 'Somewhat agree', '13': 'Neither agree nor disagree', '14': 'Somewhat disagree', '15': 'Strongly disagree' };

/** A copy of the .sav with `from` replaced by `to` (same length) once. */
function edited(from: string, to: string): Buffer {
  const at = SAV.indexOf(from, 0, 'latin1');
  expect(at).toBeGreaterThan(0);
  expect(SAV.indexOf(from, at + 1, 'latin1')).toBe(-1);
  const copy = Buffer.from(SAV);
  copy.write(to.padEnd(from.length), at, 'latin1');
  return copy;
}

/** A copy of the .sav where variable `short` declares one discrete user-missing value (record 2's n_missing_values = 1). */
function withUserMissing(short: string, value: number): Buffer {
  const at = SAV.indexOf(Buffer.from(short.padEnd(8, '\0'), 'latin1'));
  expect(at).toBeGreaterThan(0);
  const copy = Buffer.from(SAV);
  expect(copy.readInt32LE(at - 16)).toBe(1); // has_var_label
  copy.writeInt32LE(1, at - 12);
  const labelEnd = at + 12 + Math.ceil(copy.readInt32LE(at + 8) / 4) * 4;
  const missing = Buffer.alloc(8);
  missing.writeDoubleLE(value);
  return Buffer.concat([copy.subarray(0, labelEnd), missing, copy.subarray(labelEnd)]);
}

describe('SPSS .sav: Qualtrics testproject_menu.sav', () => {
  it('is recognised by its magic bytes, not its name', () => {
    expect(isSav(SAV)).toBe(true);
    expect(isSav(CSV)).toBe(false);
    expect(isSav(Buffer.from('$FL'))).toBe(false);
  });

  it('recovers the long variable names Qualtrics writes beside NUL-padded short names, and every value label', () => {
    const f = parseSav(SAV);
    expect([f.product, f.encoding, f.nCases, f.variables.length, f.rows.length]).toEqual(['SPSS DATA FILE Java Writer (c) Qualtrics - 0.1.0', 'UTF-8', -1, 34, 7]);
    const v = (name: string) => f.variables.find((x) => x.name === name)!;
    expect(f.variables.slice(0, 3).map((x) => x.name)).toEqual(['StartDate', 'EndDate', 'Status']);
    expect([v('IPAddress').width, v('StartDate').format, v('Q5').width]).toEqual([2000, 22, 0]); // a 2000-byte string in 8 segments; DATETIME
    expect(Object.fromEntries(v('Status').labels)).toEqual({ 0: 'IP Address', 1: 'Survey Preview', 2: 'Survey Test', 4: 'Imported', 8: 'Spam', 9: 'Survey Preview Spam', 12: 'Imported Spam', 16: 'Offline', 17: 'Offline Survey Preview', 32: 'EX', 40: 'EX Spam', 48: 'EX Offline' });
    expect(Object.fromEntries(v('Q5').labels)).toEqual(Object.fromEntries(Object.entries(Q5_LABELS).map(([k, l]) => [Number(k), l])));
  });

  it('gives the same rows and values as the numeric CSV export: dates as ISO, Q5 as its agreement labels', () => {
    const t = readSpss(SAV);
    expect(t.format).toBe('spss (.sav)');
    expect(t.notes[0]).toBe('SPSS $FL2 written by "SPSS DATA FILE Java Writer (c) Qualtrics - 0.1.0"');
    expect(writtenByQualtrics(t)).toBe(true);
    const records = parse(CSV, { bom: true }) as string[][];
    const [ids, questions] = records as [string[], string[]];
    const data = records.slice(3);
    expect(t.rows.length).toBe(7);
    expect(t.columns.length).toBe(34);
    // SPSS names cannot hold spaces or brackets: Qualtrics writes "Duration (in seconds)" as Duration__in_seconds_.
    expect(t.columns.map((c) => c.id)).toEqual(ids.map((id) => (id === 'Duration (in seconds)' ? 'Duration__in_seconds_' : id)));
    // Variable labels are the question texts (the CSV's second row joins choice texts with " - ").
    expect(t.columns.map((c) => c.question)).toEqual(questions.map((q) => q.replace(' - ', ' ')));
    const dates = new Set(['StartDate', 'EndDate', 'RecordedDate']);
    const expected = data.map((row) =>
      row.map((cell, i) => (dates.has(ids[i]!) ? cell.replace(' ', 'T') : ids[i] === 'Q5' && cell ? Q5_LABELS[cell]! : cell)),
    );
    expect(t.rows).toEqual(expected);
  });

  it('states the kinds the mapping step suggests from: dates, the response id, Q5 as a 5-point agreement scale', () => {
    const t = readSpss(SAV);
    const kind = (id: string) => t.columns.find((c) => c.id === id)!.kind;
    expect(kind('RecordedDate')).toEqual({ kind: 'date', format: 'iso', ambiguous: false });
    expect(kind('ResponseId')).toEqual({ kind: 'identifier' });
    // The whole scale from the value labels, though only 3 of its 5 labels were chosen.
    expect(kind('Q5')).toEqual({ kind: 'verbal', scale: 'agreement', points: 5, labels: ['Strongly disagree', 'Somewhat disagree', 'Neither agree nor disagree', 'Somewhat agree', 'Strongly agree'], ranks: [1, 2, 3, 4, 5] });
    // A speed scale is no known verbal scale: its recode values stay numbers, as in the numeric CSV.
    expect(kind('Q6')).toEqual({ kind: 'numeric', min: 35, max: 40, integer: true });
    expect(kind('RecipientEmail')).toEqual({ kind: 'empty' });
    expect(t.leftOut).toBeUndefined(); // the reader marks nothing; source-import adds Qualtrics' marks
  });

  it('reads user-missing values and "not applicable" value labels as not answered', () => {
    // Q6 (A_Y) = 40 in one response (R_8cvyStNQe7hFvY5).
    const missing = readSpss(withUserMissing('A_Y', 40));
    expect(cells(missing, 'Q6')).toEqual(['', '', '38', '', '36', '', '35']);
    expect(missing.columns.find((c) => c.id === 'Q6')!.notApplicable).toBe(1);
    // Q5's 13 relabelled "Don't know": its three answers are blanked and the rest is still the agreement scale.
    const dontKnow = readSpss(edited('Neither agree nor disagree', "Don't know"));
    expect(cells(dontKnow, 'Q5')).toEqual(['', '', 'Somewhat disagree', '', '', 'Strongly agree', '']);
    const q5 = dontKnow.columns.find((c) => c.id === 'Q5')!;
    expect([q5.notApplicable, q5.kind.kind]).toEqual([3, 'verbal']);
    expect(dontKnow.notes).toContain('3 "not applicable" cells blanked (not answered)');
  });

  it('refuses a file that is not a .sav, or one cut short, naming why', () => {
    expect(() => readSpss(CSV)).toThrow(new SourceError('not an SPSS .sav file (it does not start with "$FL2" or "$FL3")'));
    expect(() => readSpss(SAV.subarray(0, 2000))).toThrow(new SourceError('not readable as an SPSS .sav file: the file ends inside its dictionary'));
    const zlib = Buffer.from(SAV);
    zlib.write('3', 3, 'latin1'); // "$FL3": ZLIB-compressed, not decoded
    expect(() => readSpss(zlib)).toThrow(/^not readable as an SPSS \.sav file: ZLIB-compressed/);
    const announced = Buffer.from(SAV);
    announced.writeInt32LE(8, 80); // the header's case count (Qualtrics writes −1, "unknown")
    expect(() => readSpss(announced)).toThrow(new SourceError('not readable as an SPSS .sav file: the file ends after 7 of the 8 rows its header announces'));
    // Cut short inside a row: refused, whether or not the header states the count.
    expect(() => readSpss(SAV.subarray(0, SAV.length - 300))).toThrow(new SourceError('not readable as an SPSS .sav file: the file ends inside row 7'));
  });
});

describe('Qualtrics survey previews and spam', () => {
  /** The numeric CSV with Status/DistributionChannel edited in some rows and a Q_RecaptchaScore column added. */
  function markedCsv(): Buffer {
    const records = parse(CSV, { bom: true }) as string[][];
    const ids = records[0]!;
    const status = ids.indexOf('Status');
    const channel = ids.indexOf('DistributionChannel');
    records[3 + 2]![status] = '1'; // row 3: "Survey Preview"
    records[3 + 3]![status] = '8'; // row 4: "Spam"
    records[3 + 4]![channel] = 'preview'; // row 5
    const scores = ['', '', '', '0.9', '0.9', '0.3', '1.0'];
    records[0]!.push('Q_RecaptchaScore');
    records[1]!.push('Q_RecaptchaScore');
    records[2]!.push('{"ImportId":"Q_RecaptchaScore"}');
    records.slice(3).forEach((r, i) => r.push(scores[i]!));
    return Buffer.from(records.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n'));
  }

  it('marks previews (Status 1, channel "preview"), spam (Status 8) and likely bots (reCAPTCHA < 0.5), with why', () => {
    const t = readQualtrics(markedCsv());
    expect(t.rows.length).toBe(7);
    expect(t.leftOut).toEqual([
      { row: 3, reason: 'survey preview' },
      { row: 4, reason: 'spam' },
      { row: 5, reason: 'survey preview' },
      { row: 6, reason: 'likely a bot (Q_RecaptchaScore 0.3 is below 0.5)' },
    ]);
    // The real exports carry Status 0 ("IP Address") or 2 ("Survey Test", the QualtricsTools files): nothing left out.
    expect(readQualtrics(CSV).leftOut).toEqual([]);
    expect(readQualtrics(readFileSync(join(FIX, 'no_basis_for_evaluation_insights.csv'))).leftOut).toEqual([]);
  });

  it('reads Status as text too ("Survey Preview", "Spam" in a choice-text export)', () => {
    const text = CSV.toString('utf8').replace(/(\n2021-01-11 18:06:54,2021-01-11 18:07:12,)0,/, '$1Survey Preview,').replace(/(\n2021-01-13 18:46:27,2021-01-13 18:47:53,)0,/, '$1Spam,');
    expect(readQualtrics(Buffer.from(text)).leftOut).toEqual([
      { row: 2, reason: 'survey preview' },
      { row: 3, reason: 'spam' },
    ]);
  });
});
