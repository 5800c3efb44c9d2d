// LimeSurvey's other files as sources (test/fixtures/limesurvey, see its SOURCE.md): the survey structure
// (.lss) in place of the R syntax file, the response archive (.lsr) in place of the R data file, and the real
// TSV structure export. The reference is the R syntax reader on the real 998192 export: with the .lss the same
// data file must give the same table cell by cell, and the .lsr (+ .lss) the same 51 response columns.
// Independent reference values (python3 csv module on survey_998192_R_data_file.csv, columns by 1-based index):
//   age (12): "", 66, 44, "", "", "", 4; education_primary (13): "", 0, 1, "", 0, "", 0; yesno (43): 1, "", …, 1;
//   pets_cats (44): 40, "", "", "", "", "", 28 — and in the .lsr the same cells are stored as LimeSurvey stores them
//   (66.0000000000, Y / empty element / absent, Y), which the reader must recode as LimeSurvey's R export does.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLimeSurvey, limeSurveyStructure } from './limesurvey.ts';
import { fieldMap } from './limesurvey-structure.ts';
import { readLss } from './limesurvey-xml.ts';
import { readLimeSurveyTsv } from './limesurvey-tsv.ts';
import { decode, parseRecords, SourceError, type SourceTable } from './source-table.ts';

const FIX = join(import.meta.dirname, '../../../test/fixtures');
const bytes = (p: string) => readFileSync(join(FIX, p));
const text = (p: string) => readFileSync(join(FIX, p), 'utf8');
const R_DATA = bytes('limesurvey-export/survey_998192_R_data_file.csv');
const R_SYNTAX = text('limesurvey-export/survey_998192_R_syntax_file.R');
const LSS = text('limesurvey/survey_998192.lss');
const LSR = bytes('limesurvey/survey_998192.lsr');
const TSV = text('limesurvey/export-of-minimal-survey-as-tsv.txt');
const cells = (t: SourceTable, id: string) => t.rows.map((r) => r[t.columns.findIndex((c) => c.id === id)]!);
const refused = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return (e as Error).message;
  }
  throw new Error('not refused');
};

describe('LimeSurvey .lss as the syntax of the R data file', () => {
  it('gives the same table as the R syntax file, cell by cell: ids, labels, kinds, answers as texts', () => {
    const viaR = readLimeSurvey(R_DATA, R_SYNTAX);
    const viaLss = readLimeSurvey(R_DATA, LSS);
    expect(viaLss.format).toBe('limesurvey (R data file + .lss)');
    expect(viaLss.columns).toEqual(viaR.columns); // id, question (label), kind, "not applicable" count of all 71
    expect(viaLss.rows).toEqual(viaR.rows);
    expect(viaLss.notes).toContain('.lss: columns 1–51 by position (44 of 44 question headers checked against the structure)');
    expect(cells(viaLss, 'informedConsent')).toEqual(['Over my dead body', 'Yes please', 'Yes please', '', 'Yes please', 'Yes please', 'Yes please']);
    expect(viaLss.columns.find((c) => c.id === 'activities_exp#1')!.question).toMatch(/^\[Activiteiten waarin je al veel ervaring hebt opgedaan\] \[Scale 2\] Geef voor/);
  });

  it('reads the .lss in its base language, in group and question order, with subquestions and answers by scale', () => {
    const s = readLss(LSS);
    expect([s.sid, s.language, s.questions.length]).toEqual(['998192', 'en', 15]);
    expect(s.questions.map((q) => q.title).slice(0, 4)).toEqual(['generalIntro', 'informedConsent', 'gender', 'age']);
    const consent = s.questions.find((q) => q.title === 'informedConsent')!;
    expect(consent.answers[0]).toEqual([{ code: 'no', label: 'Over my dead body' }, { code: 'yes', label: 'Yes please' }]); // not the nl-informal texts
    const act = s.questions.find((q) => q.title === 'activities')!;
    expect([act.sub[0].length, act.answers[0][6]!.label, act.answers[1][6]!.label]).toEqual([6, '7 in zeer ruime mate', '7 in zeer beperkte mate']);
    expect(fieldMap(s).map((f) => f.name).slice(6, 12)).toEqual(['datestamp', '998192X1X1', '998192X1X2', '998192X2X3', '998192X2X3other', '998192X2X4']);
  });

  it('fits an R export that leaves the text-display question out (some LimeSurvey versions do)', () => {
    const quote = (c: string) => `"${c.replace(/"/g, '""')}"`;
    const without8 = parseRecords(decode(R_DATA).text).map((r) => r.filter((_, i) => i !== 7).map(quote).join(',')).join('\n');
    const t = readLimeSurvey(Buffer.from(without8), LSS);
    const viaR = readLimeSurvey(R_DATA, R_SYNTAX);
    expect(t.columns).toEqual(viaR.columns.filter((c) => c.id !== 'generalIntro'));
    expect(t.notes).toContain("the data file has no columns for the .lss's 1 text-display questions");
  });

  it('reads the LimeSurvey ≤ 3 layout too: texts in the question and answer rows, one row per language', () => {
    // Written here in the ≤ 3 layout (DBVersion 366): base language de, a copy of each text in en.
    const t = (name: string, rows: Record<string, string>[]) =>
      `<${name}><rows>${rows.map((r) => `<row>${Object.entries(r).map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`).join('')}</row>`).join('')}</rows></${name}>`;
    const lss = `<?xml version="1.0" encoding="UTF-8"?>\n<document><LimeSurveyDocType>Survey</LimeSurveyDocType><DBVersion>366</DBVersion>${[
      t('surveys', [{ sid: '111', language: 'de', additional_languages: 'en', datestamp: 'N' }]),
      t('groups', [{ gid: '5', group_order: '0', group_name: 'Eins', language: 'de' }, { gid: '5', group_order: '0', group_name: 'One', language: 'en' }]),
      t('questions', [
        { qid: '7', parent_qid: '0', gid: '5', type: 'L', title: 'zufr', question: '<p>Wie zufrieden?</p>', other: 'N', question_order: '1', language: 'de' },
        { qid: '7', parent_qid: '0', gid: '5', type: 'L', title: 'zufr', question: '<p>How satisfied?</p>', other: 'N', question_order: '1', language: 'en' },
        { qid: '8', parent_qid: '0', gid: '5', type: 'Y', title: 'wieder', question: 'Wieder?', other: 'N', question_order: '2', language: 'de' },
      ]),
      t('answers', [
        { qid: '7', code: 'A2', answer: 'Sehr zufrieden', sortorder: '2', scale_id: '0', language: 'de' },
        { qid: '7', code: 'A1', answer: 'Gar nicht', sortorder: '1', scale_id: '0', language: 'de' },
        { qid: '7', code: 'A1', answer: 'Not at all', sortorder: '1', scale_id: '0', language: 'en' },
      ]),
    ].join('')}</document>`;
    const s = limeSurveyStructure(lss)!;
    expect(fieldMap(s).map((f) => [f.name, f.code, f.label])).toEqual([
      ['id', 'id', 'id'],
      ['submitdate', 'submitdate', 'submitdate'],
      ['lastpage', 'lastpage', 'lastpage'],
      ['startlanguage', 'startlanguage', 'startlanguage'],
      ['seed', 'seed', 'seed'],
      ['111X5X7', 'zufr', 'Wie zufrieden?'],
      ['111X5X8', 'wieder', 'Wieder?'],
    ]);
    const lsr = `<?xml version="1.0"?>\n<document><LimeSurveyDocType>Responses</LimeSurveyDocType><responses><rows><row><id>1</id><submitdate>2020-01-02 03:04:05</submitdate><_111X5X7>A2</_111X5X7><_111X5X8>N</_111X5X8></row></rows></responses></document>`;
    const table = readLimeSurvey(Buffer.from(lsr), lss);
    expect(table.columns.map((c) => c.id)).toEqual(['id', 'submitdate', 'zufr', 'wieder']);
    expect(table.rows).toEqual([['1', '2020-01-02 03:04:05', 'Sehr zufrieden', '2']]); // Y/N stored N → 2 ("No")
    expect(table.columns[2]!.kind).toEqual({ kind: 'categorical', values: ['Gar nicht', 'Sehr zufrieden'] }); // in sort order
  });

  it('refuses a structure that does not describe the data file, naming what differs', () => {
    const m = refused(() => readLimeSurvey(R_DATA, TSV));
    expect(m).toMatch(/^data file: the data file's columns do not follow the TSV structure's questions \(column 8 is "Dear colleague/);
  });
});

describe('LimeSurvey .lsr response archive', () => {
  it('with the .lss gives the R export\'s 51 response columns: same ids, labels, kinds and values', () => {
    const viaR = readLimeSurvey(R_DATA, R_SYNTAX);
    const lsr = readLimeSurvey(LSR, LSS);
    expect(lsr.format).toBe('limesurvey (.lsr response archive + .lss)');
    expect(lsr.columns).toEqual(viaR.columns.slice(0, 51));
    expect(lsr.rows).toEqual(viaR.rows.map((r) => r.slice(0, 51)));
    // Stored 66.0000000000 / Y / empty-vs-absent, read as the R export writes them (python3 csv values above).
    expect(cells(lsr, 'age')).toEqual(['', '66', '44', '', '', '', '4']);
    expect(cells(lsr, 'education_primary')).toEqual(['', '0', '1', '', '0', '', '0']);
    expect(cells(lsr, 'yesno')).toEqual(['1', '', '', '', '', '', '1']);
    expect(cells(lsr, 'pets_cats')).toEqual(['40', '', '', '', '', '', '28']);
  });

  it('without the .lss keeps the field names (SGQA) and the stored values', () => {
    const t = readLimeSurvey(LSR);
    expect(t.format).toBe('limesurvey (.lsr response archive)');
    expect(t.columns.map((c) => c.id).slice(0, 9)).toEqual(['id', 'submitdate', 'lastpage', 'startlanguage', 'seed', 'startdate', 'datestamp', '998192X1X1', '998192X1X2']);
    expect(t.columns.map((c) => c.id)).toContain('998192X3X9exp#0'); // stored as <_998192X3X9exp-0>
    expect(cells(t, '998192X2X4')).toEqual(['', '66.0000000000', '44.0000000000', '', '', '', '4.0000000000']);
    expect(cells(t, '998192X4X13')).toEqual(['Y', '', '', '', '', '', 'Y']);
  });

  it('refuses the R syntax file with a .lsr, and a response archive given as the syntax', () => {
    expect(refused(() => readLimeSurvey(LSR, R_SYNTAX))).toMatch(/give the survey structure \(\.lss\) with it/);
    expect(refused(() => readLimeSurvey(R_DATA, LSR.toString('utf8')))).toMatch(/LimeSurvey "Responses" document/);
  });
});

describe('LimeSurvey XML treated as hostile', () => {
  const lsr = (rows: string) => Buffer.from(`<?xml version="1.0"?>\n<document><LimeSurveyDocType>Responses</LimeSurveyDocType><responses><rows>${rows}</rows></responses></document>`);
  it('refuses a DOCTYPE (no entity is ever expanded) and malformed XML, naming the file and line', () => {
    const bomb = '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<document><LimeSurveyDocType>Responses</LimeSurveyDocType></document>';
    expect(refused(() => readLimeSurvey(Buffer.from(bomb)))).toBe('.lsr: a DOCTYPE or ENTITY declaration is not accepted in a LimeSurvey file');
    expect(refused(() => limeSurveyStructure(bomb))).toBe('.lss: a DOCTYPE or ENTITY declaration is not accepted in a LimeSurvey file');
    expect(refused(() => readLimeSurvey(Buffer.from('<?xml version="1.0"?><document><LimeSurveyDocType>Survey</LimeSurveyDocType></document>')))).toBe(
      '.lsr: not a LimeSurvey response archive (.lsr): <LimeSurveyDocType> is "Survey"',
    );
    const declared = Buffer.from('<?xml version="1.0"?>\n<document><LimeSurveyDocType>Responses</LimeSurveyDocType><!DOCTYPE x><responses/></document>');
    expect(refused(() => readLimeSurvey(declared))).toMatch(/^\.lsr: a DOCTYPE or ENTITY declaration is not accepted/);
    expect(refused(() => readLimeSurvey(lsr('<row><id>1</id></row>\n<row><id>2</row>')))).toMatch(/^\.lsr: not well-formed XML at line 3: /);
  });

  it('keeps entity references as text, decodes only the predefined ones, and names a missing element', () => {
    const t = readLimeSurvey(lsr('<row><id>1</id><t>a &amp; b &#233; &foo;</t><c><![CDATA[&amp; <b>]]></c></row>'));
    expect(t.rows[0]).toEqual(['1', 'a & b é &foo;', '&amp; <b>']);
    const noQid = LSS.replace('<qid><![CDATA[3]]></qid>', ''); // the first one is answer 3's (gender: man)
    expect(refused(() => limeSurveyStructure(noQid))).toBe('.lss: <answers> row 3 has no <qid>');
    expect(refused(() => limeSurveyStructure('<?xml version="1.0"?><document><LimeSurveyDocType>Survey</LimeSurveyDocType><surveys><rows><row><sid>x</sid></row></rows></surveys></document>'))).toBe(
      '.lss: <surveys> <sid> is "x", not a number',
    );
  });
});

describe('LimeSurvey TSV structure export (real file, survey 165572)', () => {
  it('reads groups, questions, subquestions and answers of the base language into the field map', () => {
    const s = readLimeSurveyTsv(TSV);
    // python3 csv (tab): 18 Q rows with language en; S sid 165572, language en, datestamp Y.
    expect([s.sid, s.language, s.questions.length, s.settings.datestamp]).toEqual(['165572', 'en', 18, true]);
    const fields = fieldMap(s);
    const work = fields.filter((f) => f.title === 'work');
    expect(work.map((f) => f.code)).toEqual(['work_ptnts', 'work_chldr', 'work_publc', 'work_home']);
    expect(work[0]!.label).toBe('[Yes, with patients or other vulnerable people] Currently, do you work within a short distance of others?');
    expect(fields.find((f) => f.code === 'siTrigger_other')).toMatchObject({ name: '165572X8X29other', label: '[Other] I would leave my house less (or not at all) if:' });
    expect([...fields.find((f) => f.code === 'age')!.levels!.entries()].slice(0, 2)).toEqual([['1', 'Younger than 20'], ['2', '20-29']]);
  });

  it('names the columns of a CSV export with question codes as headings, recoding stored values', () => {
    // Written here: three responses of survey 165572 as LimeSurvey's CSV export ("question code" headings, answer codes).
    const csv = 'id,submitdate,age,work[ptnts],work[home],AttExExWeird,gender,gender[other]\n1,2024-05-01 10:00:00,3,Y,,5,fem,\n2,2024-05-02 10:00:00,0,,Y,0,-oth-,fluid\n3,2024-05-03 10:00:00,8,Y,Y,1,unknw,\n';
    const t = readLimeSurvey(Buffer.from(csv), TSV);
    expect(t.format).toBe('limesurvey (CSV with question codes + TSV structure)');
    expect(t.columns.map((c) => c.id)).toEqual(['id', 'submitdate', 'age', 'work_ptnts', 'work_home', 'AttExExWeird', 'gender', 'gender_other']);
    // age's codes are numbers (1 "Younger than 20" … 8 "80 or older"), so they stay numbers; 0 "I prefer not to say" is blanked.
    expect(cells(t, 'age')).toEqual(['3', '', '8']);
    // Y → 1; empty stays not answered (a CSV cannot tell "seen, not ticked" from "never shown"; a .lsr can).
    expect(cells(t, 'work_ptnts')).toEqual(['1', '', '1']);
    expect(t.columns.find((c) => c.id === 'work_ptnts')!.kind).toEqual({ kind: 'numeric', min: 0, max: 1, integer: true });
    // 0 = "Not applicable" on a numeric 1–5 list: blanked, not a score.
    expect(cells(t, 'AttExExWeird')).toEqual(['5', '', '1']);
    expect(t.columns.find((c) => c.id === 'AttExExWeird')).toMatchObject({ kind: { kind: 'numeric', min: 1, max: 5, integer: true }, notApplicable: 1 });
    expect(cells(t, 'gender')).toEqual(['I am female', '-oth-', 'I prefer not to say']);
  });
});
