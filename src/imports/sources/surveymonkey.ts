// SurveyMonkey response exports (CSV): row 1 holds each question's text in its first column only, row 2
// the sub-header ("Response", "Open-Ended Response", or the option/row label of a multi-select, matrix or
// ranking question); data start on row 3. Columns get ids Q1, Q2_1, Q2_2 … (question number, option
// number) and the question text "question [option]". Verbal labels such as "Unfamiliar (N/A)" become
// "not answered" (source-table.ts). A file already flattened to one header row is read as a plain CSV.
import { readPlainCsv } from './plain-csv.ts';
import { buildTable, decode, parseRecords, SourceError, type SourceTable } from './source-table.ts';

const SINGLE = new Set(['Response', 'Open-Ended Response', '']);

export function readSurveyMonkey(bytes: Uint8Array): SourceTable {
  const { text, encoding } = decode(bytes);
  const records = parseRecords(text);
  if (!records.length) throw new SourceError('the file is empty');
  const [r1, r2 = []] = records as [string[], string[]?];
  const twoRows = (r2[0] ?? '').trim() === '' && r2.some((c) => SINGLE.has(c.trim()) && c.trim() !== '');
  if (!twoRows) {
    const t = readPlainCsv(bytes);
    return { ...t, format: 'surveymonkey (1 header row, already flattened)' };
  }
  // Group columns by question: a non-empty row-1 cell starts a question.
  const groups: number[][] = [];
  r1.forEach((q, i) => {
    if (q.trim() || !groups.length) groups.push([i]);
    else groups[groups.length - 1]!.push(i);
  });
  const header: { id: string; question: string }[] = [];
  groups.forEach((cols, g) => {
    const question = r1[cols[0]!]!.trim();
    cols.forEach((i, k) => {
      const sub = (r2[i] ?? '').trim();
      const first = i === 0 && /respondent ?id/i.test(question);
      header[i] = {
        id: first ? 'RespondentID' : cols.length === 1 ? `Q${g}` : `Q${g}_${k + 1}`,
        question: SINGLE.has(sub) ? question : `${question} [${sub}]`,
      };
    });
  });
  return buildTable('surveymonkey (2 header rows)', header, records.slice(2), [`encoding: ${encoding}`]);
}
