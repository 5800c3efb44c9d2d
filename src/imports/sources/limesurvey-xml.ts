// LimeSurvey's XML files: the survey structure (.lss, `<LimeSurveyDocType>Survey`) and the response archive
// (.lsr, `<LimeSurveyDocType>Responses`). Both are database tables dumped as `<table><rows><row><column>`,
// values in CDATA, a NULL column left out. XML is treated as hostile: no DOCTYPE (so no entity expansion at
// all), only the five predefined entities and character references decoded, sizes bounded as the CSV readers.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { LsAnswer, LsQuestion, LsStructure, LsSubquestion } from './limesurvey-structure.ts';
import { LIMITS, SourceError } from './source-table.ts';

/** The LimeSurvey document type a text declares ("Survey", "Responses", …), or undefined when it is no LimeSurvey XML. */
export function limeSurveyDocType(text: string): string | undefined {
  return /^\uFEFF?\s*(?:<\?xml[^>]{0,200}\?>\s*)?<document>\s*<LimeSurveyDocType>\s*(\w+)\s*<\/LimeSurveyDocType>/.exec(text.slice(0, 1000))?.[1];
}

/** Whether a text is XML (a data or syntax file starting with "<" is never CSV or R). */
export const looksLikeXml = (text: string) => /^\uFEFF?\s*</.test(text);

/** A table's rows: column → value; a column absent from a row was NULL. */
type Rows = Map<string, string>[];

const XML_ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Character references and the `named` entities decoded; any other "&name;" is left as text (never expanded). */
export function decodeEntities(s: string, named: Record<string, string> = XML_ENTITY): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] !== '#') return named[e] ?? named[e.toLowerCase()] ?? m;
    const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
    return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
  });
}
const decodeXmlText = (s: string) => decodeEntities(s);

/** A column's text: CDATA as is, element text with its entities decoded; nested elements are not values. */
function textOf(node: unknown): string {
  if (typeof node === 'string') return decodeXmlText(node);
  if (node && typeof node === 'object' && !Array.isArray(node)) {
    const n = node as Record<string, unknown>;
    const cdata = n.__cdata;
    return (typeof n['#text'] === 'string' ? decodeXmlText(n['#text']) : '') + (Array.isArray(cdata) ? cdata.join('') : typeof cdata === 'string' ? cdata : '');
  }
  return '';
}

/** Parses a LimeSurvey XML document of the given type into its tables; `file` names it in every error. */
export function parseLimeSurveyXml(text: string, docType: 'Survey' | 'Responses', file: string): Map<string, Rows> {
  if (text.length > LIMITS.bytes) throw new SourceError(`${file}: larger than ${LIMITS.bytes / 1024 / 1024} MiB`);
  // LimeSurvey never writes a DOCTYPE; refusing it rules out entity expansion ("billion laughs") and external entities.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new SourceError(`${file}: a DOCTYPE or ENTITY declaration is not accepted in a LimeSurvey file`);
  const found = limeSurveyDocType(text);
  if (found !== docType) throw new SourceError(`${file}: not a LimeSurvey ${docType === 'Survey' ? 'survey structure (.lss)' : 'response archive (.lsr)'}: <LimeSurveyDocType> is ${found ? `"${found}"` : 'missing'}`);
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) throw new SourceError(`${file}: not well-formed XML at line ${valid.err.line}: ${valid.err.msg}`);
  let doc: unknown;
  try {
    doc = new XMLParser({
      processEntities: false,
      htmlEntities: false,
      ignoreAttributes: true,
      ignoreDeclaration: true,
      ignorePiTags: true,
      parseTagValue: false,
      trimValues: true,
      cdataPropName: '__cdata',
      isArray: (_name: string, jpath: unknown) => typeof jpath === 'string' && /^document\.[^.]+\.rows\.row$/.test(jpath),
    }).parse(text);
  } catch (e) {
    throw new SourceError(`${file}: not readable as XML: ${(e as Error).message}`);
  }
  const root = (doc as { document?: unknown }).document;
  if (!root || typeof root !== 'object') throw new SourceError(`${file}: no <document> element`);
  const tables = new Map<string, Rows>();
  for (const [name, table] of Object.entries(root as Record<string, unknown>)) {
    const rows = (table as { rows?: { row?: unknown[] } } | undefined)?.rows?.row;
    if (!Array.isArray(rows)) continue;
    if (rows.length > LIMITS.rows) throw new SourceError(`${file}: <${name}> has more than ${LIMITS.rows} rows`);
    tables.set(
      name,
      rows.map((row, i) => {
        const cells = new Map<string, string>();
        if (!row || typeof row !== 'object') return cells;
        const entries = Object.entries(row as Record<string, unknown>);
        if (entries.length > LIMITS.columns) throw new SourceError(`${file}: <${name}> row ${i + 1} has more than ${LIMITS.columns} columns`);
        for (const [col, node] of entries) {
          if (Array.isArray(node)) throw new SourceError(`${file}: <${name}> row ${i + 1} repeats <${col}>`);
          const value = textOf(node);
          if (value.length > LIMITS.cellChars) throw new SourceError(`${file}: <${name}> row ${i + 1}, <${col}> is longer than ${LIMITS.cellChars} characters`);
          cells.set(col, value);
        }
        return cells;
      }),
    );
  }
  return tables;
}

/** A column every row of a table must have. */
function need(row: Map<string, string>, col: string, table: string, i: number, file: string): string {
  const v = row.get(col);
  if (v === undefined || v === '') throw new SourceError(`${file}: <${table}> row ${i + 1} has no <${col}>`);
  return v;
}
const num = (s: string | undefined) => (s && /^-?\d+$/.test(s) ? Number(s) : 0);

/**
 * The survey structure of a .lss, in its base language. Reads both layouts: LimeSurvey ≤ 3 (texts in
 * questions/answers/groups rows, one row per language) and ≥ 4 (texts in question_l10ns/answer_l10ns).
 */
export function readLss(text: string, file = '.lss'): LsStructure {
  const t = parseLimeSurveyXml(text, 'Survey', file);
  const survey = t.get('surveys')?.[0];
  if (!survey) throw new SourceError(`${file}: no <surveys> row`);
  const sid = need(survey, 'sid', 'surveys', 0, file);
  if (!/^\d+$/.test(sid)) throw new SourceError(`${file}: <surveys> <sid> is "${sid.slice(0, 40)}", not a number`);
  const language = survey.get('language') || t.get('surveys_languagesettings')?.[0]?.get('surveyls_language') || 'en';
  const inBase = (r: Map<string, string>) => !r.has('language') || r.get('language') === language;
  const groupOrder = new Map<string, number>();
  (t.get('groups') ?? []).forEach((g, i) => groupOrder.set(need(g, 'gid', 'groups', i, file), num(g.get('group_order'))));
  // LimeSurvey ≥ 4 keeps texts apart, keyed by qid/aid and language.
  const qText = new Map<string, string>();
  (t.get('question_l10ns') ?? []).forEach((r, i) => inBase(r) && qText.set(need(r, 'qid', 'question_l10ns', i, file), r.get('question') ?? ''));
  const aText = new Map<string, string>();
  (t.get('answer_l10ns') ?? []).forEach((r, i) => inBase(r) && aText.set(need(r, 'aid', 'answer_l10ns', i, file), r.get('answer') ?? ''));

  const questions = new Map<string, LsQuestion & { order: number }>();
  (t.get('questions') ?? []).forEach((r, i) => {
    if (!inBase(r) || num(r.get('parent_qid')) !== 0) return;
    const qid = need(r, 'qid', 'questions', i, file);
    const gid = need(r, 'gid', 'questions', i, file);
    if (!/^\d+$/.test(qid) || !/^\d+$/.test(gid)) throw new SourceError(`${file}: <questions> row ${i + 1}: <qid> and <gid> must be numbers`);
    questions.set(qid, {
      qid,
      gid,
      type: need(r, 'type', 'questions', i, file),
      title: need(r, 'title', 'questions', i, file),
      text: r.get('question') ?? qText.get(qid) ?? '',
      other: r.get('other') === 'Y',
      sub: [[], []],
      answers: [[], []],
      order: num(r.get('question_order')),
    });
  });
  const subs: (LsSubquestion & { parent: string; scale: number; order: number })[] = [];
  for (const table of ['subquestions', 'questions']) {
    (t.get(table) ?? []).forEach((r, i) => {
      if (!inBase(r) || num(r.get('parent_qid')) === 0) return;
      const qid = need(r, 'qid', table, i, file);
      subs.push({ parent: need(r, 'parent_qid', table, i, file), code: need(r, 'title', table, i, file), text: r.get('question') ?? qText.get(qid) ?? '', scale: num(r.get('scale_id')), order: num(r.get('question_order')) });
    });
  }
  subs.sort((a, b) => a.order - b.order);
  for (const s of subs) questions.get(s.parent)?.sub[s.scale === 1 ? 1 : 0].push({ code: s.code, text: s.text });
  const answers: (LsAnswer & { qid: string; scale: number; order: number })[] = [];
  (t.get('answers') ?? []).forEach((r, i) => {
    if (!inBase(r)) return;
    answers.push({
      qid: need(r, 'qid', 'answers', i, file),
      code: need(r, 'code', 'answers', i, file),
      label: r.get('answer') ?? aText.get(r.get('aid') ?? '') ?? '',
      scale: num(r.get('scale_id')),
      order: num(r.get('sortorder')),
    });
  });
  answers.sort((a, b) => a.order - b.order);
  for (const a of answers) questions.get(a.qid)?.answers[a.scale === 1 ? 1 : 0].push({ code: a.code, label: a.label });
  for (const q of questions.values()) if (!groupOrder.has(q.gid)) throw new SourceError(`${file}: question ${q.title} is in group ${q.gid}, which <groups> does not have`);
  const ordered = [...questions.values()].sort((a, b) => groupOrder.get(a.gid)! - groupOrder.get(b.gid)! || a.order - b.order || Number(a.qid) - Number(b.qid));
  return {
    source: file,
    sid,
    language,
    settings: { datestamp: survey.get('datestamp') === 'Y', ipaddr: survey.get('ipaddr') === 'Y', refurl: survey.get('refurl') === 'Y', token: survey.get('anonymized') === 'N' && survey.get('usetokens') === 'Y' },
    questions: ordered.map(({ order: _order, ...q }) => q),
  };
}

/** The response rows of a .lsr: its field names (unmasked: "_998192X1X2" → "998192X1X2", "-" → "#") and cells. */
export function readLsr(text: string, file = '.lsr'): { head: string[]; rows: { cells: string[]; present: boolean[] }[] } {
  const t = parseLimeSurveyXml(text, 'Responses', file);
  const rows = t.get('responses');
  if (!rows?.length) throw new SourceError(`${file}: no <responses> rows`);
  // Rows mask names ("_998192X1X2" for a leading digit, "-" for "#"); <fields> does not. A NULL column is left
  // out of a row, so every column seen counts, in the <fields> order first.
  const unmask = (f: string) => f.replace(/^_(?=\d)/, '').replace(/-/g, '#');
  const head: string[] = [];
  const columnOf = new Map<string, number>();
  const column = (name: string) => {
    let i = columnOf.get(name);
    if (i === undefined) columnOf.set(name, (i = head.push(name) - 1));
    return i;
  };
  const fieldsList = /<responses>\s*<fields>([\s\S]*?)<\/fields>/.exec(text)?.[1] ?? '';
  for (const m of fieldsList.matchAll(/<fieldname>([^<]*)<\/fieldname>/g)) column(unmask(decodeXmlText(m[1]!.trim())));
  const rawColumn = new Map<string, number>();
  for (const r of rows) for (const k of r.keys()) if (!rawColumn.has(k)) rawColumn.set(k, column(unmask(k)));
  if (head.length > LIMITS.columns) throw new SourceError(`${file}: more than ${LIMITS.columns} columns`);
  return {
    head,
    rows: rows.map((r) => {
      const cells = new Array<string>(head.length).fill('');
      const present = new Array<boolean>(head.length).fill(false);
      for (const [k, v] of r) {
        const i = rawColumn.get(k)!;
        cells[i] = v;
        present[i] = true;
      }
      return { cells, present };
    }),
  };
}
