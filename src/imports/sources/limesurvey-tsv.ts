// LimeSurvey's tab-separated survey structure ("Export survey as tab-separated"): one row per survey setting (S),
// language setting (SL), group (G), question (Q), subquestion (SQ) and answer option (A), each language's rows
// repeated. Read into the same structure as a .lss (limesurvey-structure.ts) in the survey's base language:
// a question's subquestions and answers follow it, its group precedes it.
import type { LsQuestion, LsStructure } from './limesurvey-structure.ts';
import { parseRecords, SourceError } from './source-table.ts';

const COLUMNS = ['id', 'class', 'type/scale', 'name', 'text', 'language'] as const;

/** Whether a text is LimeSurvey's TSV structure export (its header row names these columns). */
export function isLimeSurveyTsv(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').slice(0, 400).split(/\r?\n/, 1)[0]!.split('\t');
  return COLUMNS.every((c) => first.includes(c));
}

export function readLimeSurveyTsv(text: string, file = 'TSV structure'): LsStructure {
  const records = parseRecords(text.replace(/^\uFEFF/, ''));
  const head = records[0] ?? [];
  const at = Object.fromEntries(COLUMNS.map((c) => [c, head.indexOf(c)])) as Record<(typeof COLUMNS)[number], number>;
  const other = head.indexOf('other');
  if (Object.values(at).some((i) => i < 0)) throw new SourceError(`${file}: the header row lacks ${COLUMNS.filter((c) => at[c] < 0).join(', ')}`);
  const cell = (r: string[], c: (typeof COLUMNS)[number]) => (r[at[c]] ?? '').trim();
  const settings = new Map<string, string>();
  for (const r of records.slice(1)) if (cell(r, 'class') === 'S') settings.set(cell(r, 'name'), cell(r, 'text'));
  const sid = settings.get('sid') ?? '';
  if (!/^\d+$/.test(sid)) throw new SourceError(`${file}: no survey id (a row of class S named "sid")`);
  const language = settings.get('language') || 'en';
  const questions: LsQuestion[] = [];
  let gid = '';
  let q: LsQuestion | undefined;
  records.slice(1).forEach((r, i) => {
    const cls = cell(r, 'class');
    if (cls === 'S' || cls === 'SL' || cell(r, 'language') !== language) return;
    const row = i + 2;
    const scale = cell(r, 'type/scale') === '1' ? 1 : 0;
    if (cls === 'G') {
      gid = cell(r, 'id');
      q = undefined;
    } else if (cls === 'Q') {
      if (!/^\d+$/.test(cell(r, 'id')) || !/^\d+$/.test(gid)) throw new SourceError(`${file}: row ${row}: question ${cell(r, 'name')} has no numeric id or follows no group`);
      q = { qid: cell(r, 'id'), gid, type: cell(r, 'type/scale'), title: cell(r, 'name'), text: cell(r, 'text'), other: (r[other] ?? '').trim() === 'Y', sub: [[], []], answers: [[], []] };
      questions.push(q);
    } else if (cls === 'SQ' || cls === 'A') {
      if (!q) throw new SourceError(`${file}: row ${row}: ${cls === 'SQ' ? 'a subquestion' : 'an answer'} that follows no question`);
      if (cls === 'SQ') q.sub[scale].push({ code: cell(r, 'name'), text: cell(r, 'text') });
      else q.answers[scale].push({ code: cell(r, 'name'), label: cell(r, 'text') });
    }
  });
  if (!questions.length) throw new SourceError(`${file}: no questions (rows of class Q) in language ${language}`);
  return {
    source: file,
    sid,
    language,
    settings: { datestamp: settings.get('datestamp') === 'Y', ipaddr: settings.get('ipaddr') === 'Y', refurl: settings.get('refurl') === 'Y', token: settings.get('anonymized') === 'N' && settings.get('usetokens') === 'Y' },
    questions,
  };
}
