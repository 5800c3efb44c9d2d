// A LimeSurvey survey's structure (groups, questions, subquestions, answer options), read from a .lss or the
// tab-separated structure export, and what LimeSurvey derives from it: the response table's columns in order
// (its "field map": id, submitdate, …, then one field per question/subquestion/scale/other) with, for each, the
// code, label and answer list its R syntax file would give. That lets a data file be read with the same column
// model as with the R syntax file (limesurvey.ts), whichever of the three the user has.
import type { LimeSurveySyntax } from './limesurvey.ts';
import { SourceError } from './source-table.ts';
import { decodeEntities } from './limesurvey-xml.ts';

export interface LsAnswer {
  code: string;
  label: string;
}
export interface LsSubquestion {
  code: string;
  text: string;
}
export interface LsQuestion {
  qid: string;
  gid: string;
  /** LimeSurvey's one-character question type (L list, M multiple choice, F array, 1 dual scale, …). */
  type: string;
  /** The question code ("title"). */
  title: string;
  text: string;
  other: boolean;
  /** Subquestions on scale 0 (rows) and scale 1 (the columns of a :/; array). */
  sub: [LsSubquestion[], LsSubquestion[]];
  /** Answer options per scale, in sort order. */
  answers: [LsAnswer[], LsAnswer[]];
}
export interface LsStructure {
  /** Which file it came from, for notes and errors (".lss", "TSV structure"). */
  source: string;
  sid: string;
  language: string;
  /** Survey settings that add columns: datestamp (startdate, datestamp), ipaddr, refurl; not anonymized: token. */
  settings: { datestamp: boolean; ipaddr: boolean; refurl: boolean; token: boolean };
  /** Main questions in survey order (group order, then question order). */
  questions: LsQuestion[];
}

/** One column of the response table. */
export interface LsField {
  /** The database column: a standard name (id, submitdate…) or SGQA (`998192X2X5primary`, `…X7exp#0`). */
  name: string;
  /** The R syntax code: title, or title_subcode (`education_primary`, `activities_exp#0`, `image__filecount`). */
  code: string;
  /** The R syntax label: "[Subquestion] [Scale 1] Question text". */
  label: string;
  /** The question's code and plain text ('' for the standard columns), and the label's "[…]" parts. */
  title: string;
  question: string;
  parts: string[];
  /** The question type ('' for the standard columns) and how a raw cell is recoded as the R export does. */
  type: string;
  recode?: 'yes-no' | 'multi' | 'gender' | 'ync' | 'isd' | 'number';
  /** Answer code → text, as the R syntax file's factor levels. */
  levels?: Map<string, string>;
}

const HTML_ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
/**
 * LimeSurvey stores question texts as HTML; labels are plain text (as its exports' stripTagsFull does). A
 * subquestion's text is not trimmed in its "[…]" label (998192's "[… onderzoek. ] [Scale 1]"): `trim` false keeps that.
 */
export function plainText(html: string, trim = true): string {
  // Tags end at the next "<" or ">" ([^<>]), so many unclosed "<" cost linear time, not quadratic.
  return decodeEntities(withoutScripts(html).replace(/<[^<>]*>/g, ' '), HTML_ENTITY).replace(/\s+/g, (w, at: number, all: string) =>
    trim && (at === 0 || at + w.length === all.length) ? '' : ' ',
  );
}

/** Question texts may hold <script>/<style> (LimeSurvey authors add JavaScript): their content is no text. */
function withoutScripts(html: string): string {
  let out = '';
  let inside = false;
  let last = 0;
  for (const m of html.matchAll(/<(\/?)(?:script|style)\b[^<>]*>/gi)) {
    if (!inside) out += html.slice(last, m.index);
    inside = m[1] !== '/';
    last = m.index + m[0].length;
  }
  return inside ? out : out + html.slice(last);
}

const YES_NOT_SELECTED = () => new Map([['1', 'Yes'], ['0', 'Not selected']]);
// Types whose answer options are the survey's own list (LimeSurvey's SPSS/R export: "!LORFWZH1" plus ranking).
const LISTED = new Set(['!', 'L', 'O', 'R', 'F', 'W', 'Z', 'H', '1']);
const FIXED: Record<string, { recode: LsField['recode']; levels: [string, string][] }> = {
  Y: { recode: 'yes-no', levels: [['1', 'Yes'], ['2', 'No']] },
  G: { recode: 'gender', levels: [['1', 'Female'], ['2', 'Male']] },
  C: { recode: 'ync', levels: [['1', 'Yes'], ['2', 'No'], ['3', 'Uncertain']] },
  E: { recode: 'isd', levels: [['1', 'Increase'], ['2', 'Same'], ['3', 'Decrease']] },
};
const NUMERIC = new Set(['N', 'K', ':']);
const ARRAYS = new Set(['A', 'B', 'C', 'E', 'F', 'H', 'K', 'Q']);

/** The response table's columns, in LimeSurvey's order (its createFieldMap). */
export function fieldMap(s: LsStructure): LsField[] {
  const std = (name: string): LsField => ({ name, code: name, label: name, title: '', question: '', parts: [], type: '' });
  const fields: LsField[] = [std('id')];
  if (s.settings.token) fields.push(std('token'));
  fields.push(std('submitdate'), std('lastpage'), std('startlanguage'), std('seed'));
  if (s.settings.datestamp) fields.push(std('startdate'), std('datestamp'));
  if (s.settings.ipaddr) fields.push(std('ipaddr'));
  if (s.settings.refurl) fields.push(std('refurl'));
  for (const q of s.questions) {
    const sgqa = `${s.sid}X${q.gid}X${q.qid}`;
    const text = plainText(q.text);
    const subText = (sq: LsSubquestion) => plainText(sq.text, false);
    const levelsOf = (scale: 0 | 1) => (q.answers[scale].length ? new Map(q.answers[scale].map((a) => [a.code, plainText(a.label)])) : undefined);
    const add = (suffix: string, prefix: string[], extra: Partial<LsField> = {}) => {
      const fixed = FIXED[q.type];
      fields.push({
        name: sgqa + suffix,
        code: suffix ? `${q.title}_${suffix}` : q.title,
        label: [...prefix.map((p) => `[${p}]`), text].join(' ').trimEnd(),
        title: q.title,
        question: text,
        parts: prefix,
        type: q.type,
        ...(NUMERIC.has(q.type) ? { recode: 'number' as const } : {}),
        ...(fixed ? { recode: fixed.recode, levels: new Map(fixed.levels) } : {}),
        ...(LISTED.has(q.type) ? { levels: levelsOf(0) } : {}),
        ...extra,
      });
    };
    const free = { recode: undefined, levels: undefined };
    const [rows, cols] = q.sub;
    switch (q.type) {
      case 'M':
      case 'P':
        for (const sq of rows) {
          add(sq.code, [subText(sq)], { recode: 'multi', levels: YES_NOT_SELECTED() });
          if (q.type === 'P') add(`${sq.code}comment`, [`${subText(sq)} comment`], free);
        }
        if (q.other) add('other', ['Other'], free);
        if (q.other && q.type === 'P') add('othercomment', ['Other comment'], free);
        break;
      case '1':
        for (const sq of rows)
          for (const scale of [0, 1] as const) add(`${sq.code}#${scale}`, [subText(sq), `Scale ${scale + 1}`], { levels: levelsOf(scale) });
        break;
      case ':':
      case ';':
        for (const sq of rows) for (const c of cols) add(`${sq.code}_${c.code}`, [subText(sq), subText(c)]);
        break;
      case 'R':
        for (let i = 1; i <= q.answers[0].length; i++) add(String(i), [`Rank ${i}`]);
        break;
      case '|':
        add('', []);
        add('_filecount', [], { label: `filecount - ${text}`, parts: ['filecount'] });
        break;
      default:
        if (ARRAYS.has(q.type)) {
          for (const sq of rows) add(sq.code, [subText(sq)]);
          break;
        }
        add('', []);
        if (q.other && (q.type === 'L' || q.type === '!')) add('other', ['Other'], free);
        if (q.type === 'O') add('comment', ['Comment'], free);
    }
  }
  return fields;
}

/** A field map as the R syntax model, for the data file's columns `at` (1-based column → field). */
export function syntaxOf(at: Map<number, LsField>): LimeSurveySyntax {
  const syntax: LimeSurveySyntax = { codes: new Map(), labels: new Map(), levels: new Map() };
  for (const [col, f] of at) {
    syntax.codes.set(col, f.code);
    syntax.labels.set(col, f.label);
    if (f.levels?.size) syntax.levels.set(col, f.levels);
  }
  return syntax;
}

const RAW: Record<string, Record<string, string>> = {
  'yes-no': { Y: '1', N: '2' },
  gender: { F: '1', M: '2' },
  ync: { Y: '1', N: '2', U: '3' },
  isd: { I: '1', S: '2', D: '3' },
};
/**
 * A cell as stored by LimeSurvey (.lsr, CSV export with answer codes) as its R export writes it: Y/N → 1/2,
 * a multiple-choice box ticked "Y" → 1 and seen-but-unticked "" → 0 (unseen: absent → ''), decimals
 * without the database's trailing zeros ("66.0000000000" → "66"). `present` is false for an absent (NULL)
 * cell, and for a file that cannot tell absent from empty (a CSV).
 */
export function recodeRaw(f: LsField | undefined, cell: string, present = true): string {
  if (!f?.recode) return cell;
  if (f.recode === 'multi') return cell === 'Y' ? '1' : present && cell === '' ? '0' : cell;
  if (f.recode === 'number') return /^-?\d+\.\d+$/.test(cell) ? cell.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') : cell;
  return RAW[f.recode]![cell] ?? cell;
}

/** Names a data file may use for a field: SGQA (as the .lsr masks it too), the R code, LimeSurvey's "code[sub]" heading. */
export function fieldKeys(f: LsField): string[] {
  const keys = [f.name, `_${f.name}`, f.name.replace(/#/g, '-'), `_${f.name.replace(/#/g, '-')}`, f.code];
  const sub = f.code.slice(f.title.length + 1);
  if (f.title && sub) keys.push(`${f.title}[${sub}]`);
  return keys;
}

/**
 * Which field each of a data file's columns is. By name when most columns are named by SGQA or code (the .lsr,
 * the CSV export with question codes as headings): `raw` then says cells are as stored. Otherwise by position
 * (the R data file, whose headers are question texts): the fields, in order, must be the file's first columns —
 * checked against the header texts, so a .lss of another survey is refused rather than misapplied.
 */
export function matchColumns(head: string[], s: LsStructure, what: string): { at: Map<number, LsField>; raw: boolean; notes: string[] } {
  const fields = fieldMap(s);
  const byName = new Map<string, LsField>();
  for (const f of fields) for (const k of fieldKeys(f)) if (!byName.has(k)) byName.set(k, f);
  const named = head.filter((h) => byName.has(h.trim())).length;
  if (named * 2 > head.length || named * 2 > fields.length) {
    const at = new Map<number, LsField>();
    head.forEach((h, i) => {
      const f = byName.get(h.trim());
      if (f) at.set(i + 1, f);
    });
    const unknown = head.length - at.size;
    return { at, raw: true, notes: [`${s.source}: ${at.size} of ${head.length} columns named by the survey structure${unknown ? `; ${unknown} not in it keep their names` : ''}`] };
  }
  // Some LimeSurvey versions leave text-display (X) questions out of the R export: try the map without them too.
  const tries = [fields, fields.filter((f) => f.type !== 'X')].filter((c, i) => i === 0 || c.length < fields.length).map((c) => fitOf(head, c));
  const best = tries.reduce((a, b) => (b.fits > a.fits ? b : a));
  if (best.fields.length > head.length) throw new SourceError(`${what}: the ${s.source} describes ${best.fields.length} columns but the data file has ${head.length}: are they from the same survey?`);
  if (best.fits * 2 < best.checked) {
    const { at, field } = best.firstMisfit!;
    throw new SourceError(`${what}: the data file's columns do not follow the ${s.source}'s questions (column ${at + 1} is "${head[at]!.slice(0, 60)}", the structure says ${field.code}): are they from the same survey?`);
  }
  const n = best.fields.length;
  const notes = [`${s.source}: columns 1–${n} by position (${best.fits} of ${best.checked} question headers checked against the structure)`];
  if (n < fields.length) notes.push(`the data file has no columns for the ${s.source}'s ${fields.length - n} text-display questions`);
  if (n < head.length) notes.push(`the ${s.source} describes ${n} of the ${head.length} columns; the others keep their header texts as ids and their cells as exported`);
  return { at: new Map(best.fields.map((f, i) => [i + 1, f])), raw: false, notes };
}

/** How many of the fields, in order from column 1, fall on a header holding their question's text (R data file: "Question [Subquestion]"). */
function fitOf(head: string[], fields: LsField[]) {
  const norm = (t: string) => plainText(t).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  let fits = 0;
  let checked = 0;
  let firstMisfit: { at: number; field: LsField } | undefined;
  fields.forEach((field, at) => {
    const q = norm(field.question).slice(0, 24);
    if (q.length < 4 || at >= head.length) return;
    checked++;
    // The question's text and each of its "[…]" parts (subquestion, scale, rank, other): a column off by one
    // still shows its question's text (subquestions share it) but not its subquestion's.
    const h = norm(head[at]!);
    if (h.includes(q) && field.parts.every((p) => h.includes(norm(p)))) fits++;
    else firstMisfit ??= { at, field };
  });
  return { fields, fits, checked, firstMisfit };
}

