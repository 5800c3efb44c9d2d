// Each source reader on the real exports copied into test/fixtures (see each folder's SOURCE.md):
// layout variant, encoding, header rows, column ids and kinds, and "not applicable" codes blanked.
// Reference counts were computed independently with python3's csv module, e.g. for the Qualtrics
// −1/−2/−99 codes: python3 -c "import csv,re; r=list(csv.reader(open(F,encoding='utf-8-sig')));
// print(sum(1 for row in r[3:] for i,c in enumerate(row) if 'QID' in r[2][i] and re.fullmatch(r'-\d+',c.strip())))" → 46.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPlainCsv } from './plain-csv.ts';
import { readQualtrics } from './qualtrics.ts';
import { readSurveyMonkey } from './surveymonkey.ts';
import { readLimeSurvey, parseLimeSurveySyntax } from './limesurvey.ts';
import { decode, SourceError, type SourceTable } from './source-table.ts';

const FIX = join(import.meta.dirname, '../../../test/fixtures');
const bytes = (p: string) => readFileSync(join(FIX, p));
const col = (t: SourceTable, id: string) => {
  const c = t.columns.find((c) => c.id === id);
  if (!c) throw new Error(`no column ${id}`);
  return c;
};
const cells = (t: SourceTable, id: string) => t.rows.map((r) => r[t.columns.findIndex((c) => c.id === id)]!);

describe('decode', () => {
  it('reads UTF-8 with and without BOM, UTF-16 LE/BE and falls back to Windows-1252', () => {
    const text = 'Réponse,NPS\n';
    expect(decode(new TextEncoder().encode(text))).toEqual({ text, encoding: 'UTF-8' });
    expect(decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({ text, encoding: 'UTF-8 with BOM' });
    expect(decode(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toEqual({ text, encoding: 'UTF-16 LE' });
    expect(decode(Buffer.from(text, 'utf16le')).encoding).toBe('UTF-16 LE (no BOM)');
    expect(decode(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])).text).toBe(text);
    expect(decode(Buffer.from([0x52, 0xe9, 0x8c, 0x80, 0x93, 0x94]))).toEqual({ text: 'RéŒ€“”', encoding: 'Windows-1252 (not valid UTF-8)' });
  });
});

describe('plain CSV: nps-verbatims-telecom/verbatim.csv', () => {
  it('reads 2,385 responses with a day-first date, a 0–10 score, four stages and the verbatim', () => {
    const t = readPlainCsv(bytes('nps-verbatims-telecom/verbatim.csv'));
    expect(t.rows.length).toBe(2385);
    expect(t.columns.map((c) => [c.id, c.kind.kind])).toEqual([
      ['CUSTOMER_RESPONSE_DATE', 'date'],
      ['SURVEY_SUB_TYPE', 'categorical'],
      ['NPS_RATING', 'categorical'],
      ['NPS_SCORE', 'numeric'],
      ['text', 'text'],
      ['Qtr', 'categorical'],
    ]);
    expect(col(t, 'CUSTOMER_RESPONSE_DATE').kind).toEqual({ kind: 'date', format: 'dmy', ambiguous: false });
    expect(col(t, 'NPS_SCORE').kind).toEqual({ kind: 'numeric', min: 0, max: 10, integer: true });
    expect(col(t, 'SURVEY_SUB_TYPE').kind).toEqual({ kind: 'categorical', values: ['Equipment Received', 'First Payment', 'Order', 'Service in Use'] });
    expect(cells(t, 'NPS_SCORE').filter((c) => c === '').length).toBe(32); // SOURCE.md: empty for 32 rows
  });
});

describe('Qualtrics', () => {
  it('qualtRics/sample.csv: current layout, German label row, one response', () => {
    const t = readQualtrics(bytes('qualtrics-export/sample.csv'));
    expect(t.format).toBe('qualtrics (current, 3 header rows)');
    expect(t.rows.length).toBe(1);
    expect(t.columns.length).toBe(20);
    expect(col(t, 'ResponseId')).toMatchObject({ question: 'Antwort-ID', kind: { kind: 'identifier' } });
    expect(col(t, 'RecordedDate').kind).toEqual({ kind: 'date', format: 'iso', ambiguous: false });
    expect(col(t, 'Q2')).toMatchObject({ question: 'This is a free text question.', kind: { kind: 'text' } });
    expect(cells(t, 'Q2')).toEqual(['Hello World!']);
  });

  it('qualtRics/sample_legacy.csv: legacy V1… layout with BOM; metadata named from row 2, trailing empty column dropped', () => {
    const t = readQualtrics(bytes('qualtrics-export/sample_legacy.csv'));
    expect(t.format).toBe('qualtrics (legacy, 2 header rows)');
    expect(t.notes).toContain('encoding: UTF-8 with BOM');
    expect(t.columns.map((c) => c.id)).toEqual(['ResponseID', 'ResponseSet', 'Name', 'ExternalDataReference', 'EmailAddress', 'IPAddress', 'Status', 'StartDate', 'EndDate', 'Finished', 'Q1', 'Q2', 'LocationLatitude', 'LocationLongitude', 'LocationAccuracy']);
    expect(cells(t, 'ResponseID')).toEqual(['R_2YPOQ602ER1jkf1']);
    // LocationAccuracy −1 is metadata, not a question: kept.
    expect(cells(t, 'LocationAccuracy')).toEqual(['-1']);
  });

  it('no_basis_for_evaluation_insights.csv: Insights layout; the 46 negative "no basis / never tried" codes are not answers', () => {
    const t = readQualtrics(bytes('qualtrics-export/no_basis_for_evaluation_insights.csv'));
    expect(t.format).toBe('qualtrics (Insights, 3 header rows)');
    expect([t.rows.length, t.columns.length]).toEqual([15, 49]);
    expect(t.columns.reduce((n, c) => n + c.notApplicable, 0)).toBe(46);
    expect(t.rows.flat().filter((c) => /^-\d+$/.test(c)).length).toBe(15); // only LocationAccuracy (metadata) keeps −1
    expect(col(t, 'Q3_1').kind).toMatchObject({ kind: 'numeric', min: 1 });
  });

  it('no_basis_for_evaluation_legacy.csv: legacy layout of the same survey, the same 46 codes blanked', () => {
    const t = readQualtrics(bytes('qualtrics-export/no_basis_for_evaluation_legacy.csv'));
    expect(t.format).toBe('qualtrics (legacy, 2 header rows)');
    expect([t.rows.length, t.columns.length]).toEqual([15, 48]);
    expect(t.columns.reduce((n, c) => n + c.notApplicable, 0)).toBe(46);
  });

  it('testproject_menu_numeric.csv: current layout with choice ids; recode values kept as numbers', () => {
    const t = readQualtrics(bytes('qualtrics-export/testproject_menu_numeric.csv'));
    expect([t.rows.length, t.columns.length]).toEqual([7, 34]);
    expect(col(t, 'ResponseId').kind.kind).toBe('identifier');
    expect(col(t, 'Q5').kind).toMatchObject({ kind: 'numeric', integer: true });
    const q5 = col(t, 'Q5').kind as { min: number; max: number };
    expect(q5.min).toBeGreaterThanOrEqual(11);
    expect(q5.max).toBeLessThanOrEqual(14);
  });

  it('refuses a file that is no Qualtrics layout', () => {
    expect(() => readQualtrics(Buffer.from('a,b\n1,2\n3,4\n'))).toThrow(SourceError);
  });
});

describe('SurveyMonkey: StarWars.csv (first 60 responses, bytes unchanged)', () => {
  it('decodes Windows-1252, joins the two header rows and blanks "Unfamiliar (N/A)" on the favourability scale', () => {
    const t = readSurveyMonkey(bytes('surveymonkey-export/StarWars-first60.csv'));
    expect(t.format).toBe('surveymonkey (2 header rows)');
    expect(t.notes).toContain('encoding: Windows-1252 (not valid UTF-8)');
    expect([t.rows.length, t.columns.length]).toEqual([60, 38]);
    expect(col(t, 'Q8').question).toBe('Do you consider yourself to be a fan of the Expanded Universe?Œæ');
    expect(col(t, 'Q3_1').question).toBe('Which of the following Star Wars films have you seen? Please select all that apply. [Star Wars: Episode I  The Phantom Menace]');
    expect(col(t, 'Q5_1')).toMatchObject({ question: 'Please state whether you view the following characters favorably, unfavorably, or are unfamiliar with him/her. [Han Solo]' });
    expect(col(t, 'Q5_1').kind).toMatchObject({ kind: 'verbal', scale: 'favourability', points: 5 });
    // python3 (cp1252): 22 "Unfamiliar (N/A)" cells in the 14 character columns of these 60 rows.
    expect(t.columns.reduce((n, c) => n + c.notApplicable, 0)).toBe(22);
    expect(t.rows.flat()).not.toContain('Unfamiliar (N/A)');
    expect(col(t, 'Q4_1').kind).toEqual({ kind: 'numeric', min: 1, max: 6, integer: true });
  });
});

describe('LimeSurvey: survey_998192 R data + syntax files', () => {
  it('takes column codes and labels from the syntax file and turns answer codes into their texts', () => {
    const t = readLimeSurvey(bytes('limesurvey-export/survey_998192_R_data_file.csv'), bytes('limesurvey-export/survey_998192_R_syntax_file.R').toString('utf8'));
    expect(t.format).toBe('limesurvey (R data file + syntax file)');
    expect([t.rows.length, t.columns.length]).toEqual([7, 71]); // 7 responses (python3 csv: 8 records less the header)
    expect(t.columns.slice(0, 4).map((c) => c.id)).toEqual(['id', 'submitdate', 'lastpage', 'startlanguage']);
    expect(col(t, 'submitdate').kind).toMatchObject({ kind: 'date', format: 'iso' });
    // python3 csv on the data file: informedConsent codes no, yes, yes, "", yes, yes, yes; gender "", man, -oth-, "", "", "", woman.
    expect(cells(t, 'informedConsent')).toEqual(['Over my dead body', 'Yes please', 'Yes please', '', 'Yes please', 'Yes please', 'Yes please']);
    expect(cells(t, 'gender')).toEqual(['', 'Man', '-oth-', '', '', '', 'Woman']); // "-oth-" is LimeSurvey's "other" code, not in the levels
    expect(cells(t, 'order_1')).toEqual(['How the west was won', '', '', '', '', '', 'Titanic']);
    // A closed question's kind comes from its answer list: a 1–7 item answered only with a 3 is still 1–7.
    expect(cells(t, 'activities_exp#0').filter(Boolean)).toEqual(['3']);
    expect(col(t, 'activities_exp#0').kind).toEqual({ kind: 'numeric', min: 1, max: 7, integer: true });
    expect(col(t, 'gender').kind).toEqual({ kind: 'categorical', values: ['Man', 'Woman'] });
    // The syntax file stops at column 51: the rest keep header texts.
    expect(t.notes.some((n) => n.includes('describes 51 of the 71 columns'))).toBe(true);
    expect(t.columns[70]!.id).toBe('Question time: order');
  });

  it('parses R string lists with escapes, and refuses a syntax file that names no column', () => {
    const s = parseLimeSurveySyntax('names(data)[1] <- "q1"\ndata[, 1] <- factor(data[, 1], levels=c("a","b"),labels=c("Cote d\\\'Ivoire", "say \\"hi\\""))\n');
    expect([...s.levels.get(1)!]).toEqual([['a', "Cote d'Ivoire"], ['b', 'say "hi"']]);
    expect(() => parseLimeSurveySyntax('x <- 1')).toThrow(SourceError);
  });
});
