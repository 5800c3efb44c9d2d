// CSV formula neutralisation (canonical-csv.ts): exported text cells never start a formula, and the
// import's inverse gives back exactly the stored text, for any text at all.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { exportRow, neutraliseCell, restoreCell } from './canonical-csv.ts';

const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];
// Text dense in the characters that matter: quotes and formula starters, then anything.
const risky = fc.oneof(
  fc.string(),
  fc.array(fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', 'a', ' ', '1'), { maxLength: 8 }).map((a) => a.join('')),
);

describe('CSV formula neutralisation', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `'=HYPERLINK("http://evil.example","click")`],
    ['+1+1', "'+1+1"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ["'=1", "''=1"],
    ["'quoted", "'quoted"],
    ['plain text', 'plain text'],
    ['', ''],
  ])('%j is exported as %j', (text, cell) => {
    expect(neutraliseCell(text)).toBe(cell);
    expect(restoreCell(cell)).toBe(text);
  });

  it('never exports a cell that a spreadsheet would run, and always round-trips', () => {
    fc.assert(
      fc.property(risky, (text) => {
        const cell = neutraliseCell(text);
        expect(TRIGGERS.includes(cell[0] ?? '')).toBe(false);
        expect(restoreCell(cell)).toBe(text);
      }),
      { numRuns: 5000 },
    );
  });

  it('neutralises text columns only: numbers (and the server-written columns) are left alone', () => {
    const header = ['respondent_id', 'perspective', 'submitted_at', 'touchpoint', 'segment:region', 'nps', 'comment'];
    const row = exportRow(header, {
      respondentId: '=id',
      perspective: 'customer',
      submittedAt: '2025-01-01T00:00:00.000Z',
      touchpoint: '-tp',
      segments: { region: '@EMEA' },
      answers: { nps: 0 },
      comment: '+comment',
    });
    expect(row).toEqual(["'=id", 'customer', '2025-01-01T00:00:00.000Z', "'-tp", "'@EMEA", '0', "'+comment"]);
  });
});
