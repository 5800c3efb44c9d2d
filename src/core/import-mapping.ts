// Mapping a source table (a survey platform's export, read by src/imports/sources/*) onto Parallax: which
// column is the date, the respondent id, the comment, the touchpoint (with a value map from the source's
// stages to the journey's touchpoints), which columns answer which items (with a value map from verbal
// labels or recode values to the item's scale) and which fill declared segments. suggestMapping proposes
// one; the user may edit it as JSON and pass it back (Mapping validates it); applyMapping turns every row
// into a validated historical response (core/history.ts) or "row N, column C: reason" errors. Pure: no I/O.
// The SourceTable types live here (the readers in src/imports re-export them) so core never imports upward.
import { z } from 'zod';
import { validateHistoricalResponse } from './history.ts';
import { ResponseInput, scaleOf, type SurveyDefinition, type ValidSubmission } from './survey.ts';
import type { SubmissionRules } from './segments.ts';
import type { RowError } from './canonical-csv.ts';
import { KEY_PATTERN } from './keys.ts';

// ---------------------------------------------------------------- the source table

export type DateFormat = 'iso' | 'dmy' | 'mdy';

/** What a column holds, as detected from its cells (and, for LimeSurvey, its syntax file). */
export type ColumnKind =
  | { kind: 'numeric'; min: number; max: number; integer: boolean }
  /** A verbal scale: the labels seen, ordered from the scale's low end; rank = position on a `points`-point scale (1-based). */
  | { kind: 'verbal'; scale: string; points: number; labels: string[]; ranks: number[] }
  | { kind: 'date'; format: DateFormat; ambiguous: boolean }
  | { kind: 'text' }
  | { kind: 'identifier' }
  | { kind: 'categorical'; values: string[] }
  | { kind: 'empty' };

export interface SourceColumn {
  /** Unique within the table: the export's own code (Q3_1, NPS_SCORE, visitPlans_bar …). */
  id: string;
  /** The question (and sub-question) text as the export states it. */
  question: string;
  kind: ColumnKind;
  /** How many cells held a "not applicable" code or label (Qualtrics −1/−99, "Unfamiliar (N/A)") and were blanked. */
  notApplicable: number;
}

export interface SourceTable {
  /** Which reader and layout variant, e.g. "qualtrics (current, 3 header rows)". */
  format: string;
  columns: SourceColumn[];
  /** Data rows only, one cell per column; '' = not answered. Row 1 in errors is rows[0]. */
  rows: string[][];
  /** What the reader noticed (encoding, variant, blanked codes). */
  notes: string[];
  /** Rows (1-based) that are no customer's answers (Qualtrics survey previews, spam), with why: applyMapping leaves them out. */
  leftOut?: { row: number; reason: string }[];
}

// ---------------------------------------------------------------- verbal scales

const norm = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Known verbal scales, each level a list of spellings, ordered from the low end. */
const SCALES: { name: string; levels: string[][] }[] = [
  {
    name: 'agreement',
    levels: [
      ['strongly disagree', 'disagree strongly', 'completely disagree'],
      ['disagree', 'somewhat disagree', 'tend to disagree', 'mostly disagree'],
      ['neither agree nor disagree', 'neutral', 'neither agree or disagree', 'undecided'],
      ['agree', 'somewhat agree', 'tend to agree', 'mostly agree'],
      ['strongly agree', 'agree strongly', 'completely agree'],
    ],
  },
  {
    name: 'satisfaction',
    levels: [
      ['very dissatisfied', 'extremely dissatisfied', 'very unsatisfied'],
      ['dissatisfied', 'somewhat dissatisfied', 'unsatisfied'],
      ['neither satisfied nor dissatisfied', 'neutral', 'neither satisfied or dissatisfied'],
      ['satisfied', 'somewhat satisfied'],
      ['very satisfied', 'extremely satisfied', 'completely satisfied'],
    ],
  },
  {
    name: 'favourability',
    levels: [
      ['very unfavorably', 'very unfavourably', 'very unfavorable', 'very unfavourable'],
      ['somewhat unfavorably', 'somewhat unfavourably', 'unfavorably', 'unfavourably', 'unfavorable'],
      ['neither favorably nor unfavorably neutral', 'neither favorably nor unfavorably', 'neutral'],
      ['somewhat favorably', 'somewhat favourably', 'favorably', 'favourably', 'favorable'],
      ['very favorably', 'very favourably', 'very favorable', 'very favourable'],
    ],
  },
  {
    name: 'quality',
    levels: [['very poor', 'terrible'], ['poor', 'bad'], ['fair', 'average', 'okay', 'ok'], ['good'], ['very good', 'excellent']],
  },
  {
    name: 'likelihood',
    levels: [
      ['very unlikely', 'extremely unlikely'],
      ['unlikely', 'somewhat unlikely'],
      ['neither likely nor unlikely', 'neutral'],
      ['likely', 'somewhat likely'],
      ['very likely', 'extremely likely'],
    ],
  },
  { name: 'amount', levels: [['not at all'], ['not much', 'a little'], ['some', 'somewhat'], ['a lot', 'very much']] },
  { name: 'rudeness', levels: [['no not rude at all', 'no not at all rude'], ['yes somewhat rude'], ['yes very rude']] },
];

/** Labels that mean "no answer on this scale": blanked by the readers, never scored. */
export const NOT_APPLICABLE_LABEL = /\bn ?a\b|not applicable|unfamiliar|don't know|dont know|no opinion|never tried|no basis|prefer not to say|did not participate/;
export const isNotApplicableLabel = (s: string) => NOT_APPLICABLE_LABEL.test(norm(s)) || /\(n\/a\)|^n\/a$/i.test(s.trim());

/** The verbal scale a set of distinct labels fits entirely (at least two labels), or undefined. */
export function verbalScaleOf(values: readonly string[]): Extract<ColumnKind, { kind: 'verbal' }> | undefined {
  if (values.length < 2) return undefined;
  for (const s of SCALES) {
    const rank = (v: string) => s.levels.findIndex((spellings) => spellings.includes(norm(v))) + 1;
    const ranks = values.map(rank);
    if (ranks.some((r) => r === 0) || new Set(ranks).size !== ranks.length) continue;
    const order = values.map((v, i) => ({ v, r: ranks[i]! })).sort((a, b) => a.r - b.r);
    return { kind: 'verbal', scale: s.name, points: s.levels.length, labels: order.map((o) => o.v), ranks: order.map((o) => o.r) };
  }
  return undefined;
}

// ---------------------------------------------------------------- dates

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const SLASH_DATE = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

export const looksLikeDate = (s: string) => ISO_DATE.test(s) || SLASH_DATE.test(s);

/** The day-first/month-first order of slashed dates: day first when a first part exceeds 12, month first when a second does. */
export function dateFormatOf(values: readonly string[]): { format: DateFormat; ambiguous: boolean } {
  if (values.every((v) => ISO_DATE.test(v))) return { format: 'iso', ambiguous: false };
  let dayFirst = false;
  let monthFirst = false;
  for (const v of values) {
    const m = SLASH_DATE.exec(v);
    if (!m) continue;
    if (Number(m[1]) > 12) dayFirst = true;
    if (Number(m[2]) > 12) monthFirst = true;
  }
  if (dayFirst && !monthFirst) return { format: 'dmy', ambiguous: false };
  if (monthFirst && !dayFirst) return { format: 'mdy', ambiguous: false };
  return { format: 'dmy', ambiguous: true };
}

/**
 * An ISO-8601 UTC timestamp for a cell, or an error reason. A time without a zone is taken as UTC (exports
 * rarely state one; the month, which reports use, moves only for answers within hours of midnight).
 */
export function parseDateCell(cell: string, format: DateFormat): { ok: true; iso: string } | { ok: false; reason: string } {
  let y: number, mo: number, d: number, h = 0, mi = 0, s = 0, zone = 'Z';
  const iso = ISO_DATE.exec(cell);
  const sl = iso ? null : SLASH_DATE.exec(cell);
  if (iso && format === 'iso') {
    [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    h = Number(iso[4] ?? 0);
    mi = Number(iso[5] ?? 0);
    s = Number(iso[6] ?? 0);
    if (iso[8]) zone = iso[8] === 'Z' ? 'Z' : iso[8].length === 5 ? `${iso[8].slice(0, 3)}:${iso[8].slice(3)}` : iso[8];
  } else if (sl && format !== 'iso') {
    const [a, b] = [Number(sl[1]), Number(sl[2])];
    [d, mo] = format === 'dmy' ? [a, b] : [b, a];
    y = Number(sl[3]);
    h = Number(sl[4] ?? 0);
    mi = Number(sl[5] ?? 0);
    s = Number(sl[6] ?? 0);
  } else {
    return { ok: false, reason: `"${cell.slice(0, 40)}" is not a date in the ${format === 'iso' ? 'yyyy-mm-dd' : format === 'dmy' ? 'dd/mm/yyyy' : 'mm/dd/yyyy'} format` };
  }
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const text = `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}${zone}`;
  const t = new Date(text);
  // Date rolls 31/02 over into March: compare the calendar date back.
  if (Number.isNaN(t.getTime()) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 || (zone === 'Z' && t.getUTCDate() !== d))
    return { ok: false, reason: `"${cell.slice(0, 40)}" is not a valid date` };
  return { ok: true, iso: t.toISOString() };
}

// ---------------------------------------------------------------- the mapping (user-editable JSON)

export const MAX_MAPPED_VALUES = 500;
const ColumnRef = z.string().min(1).max(300);
// User keys ("constructor", "__proto__" — JSON.parse makes the latter an own key) must never reach an
// inherited member, and zod's record would drop "__proto__": read the object's own entries into a Map.
const valueMap = <T extends z.ZodType>(value: T) =>
  z.unknown().transform((raw, ctx) => {
    const out = new Map<string, z.infer<T>>();
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      ctx.addIssue({ code: 'custom', message: 'must be an object: source value → target' });
      return out;
    }
    const entries = Object.entries(raw);
    if (entries.length > MAX_MAPPED_VALUES) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_MAPPED_VALUES} values` });
      return out;
    }
    for (const [k, v] of entries) {
      if (k.length > 300) ctx.addIssue({ code: 'custom', path: [k.slice(0, 40)], message: 'a source value is at most 300 characters' });
      const r = value.safeParse(v);
      if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', path: [k, ...i.path.map((p) => p as string | number)], message: i.message });
      else out.set(k, r.data);
    }
    return out;
  });

export const Mapping = z
  .object({
    version: z.literal(1),
    /** Where the rows' date comes from: a column (with its format), or one fixed date for a file without any. */
    date: z.union([
      z.object({ column: ColumnRef, format: z.enum(['iso', 'dmy', 'mdy']) }).strict(),
      z.object({ value: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2025-06-01T00:00:00Z' }) }).strict(),
    ]),
    respondentId: z.object({ column: ColumnRef }).strict().nullable().default(null),
    /** Text columns joined (blank line between) into the response's comment. */
    comment: z.object({ columns: z.array(ColumnRef).min(1).max(20) }).strict().nullable().default(null),
    /** A stage/touchpoint column: source value → touchpoint key, or null for "no touchpoint". */
    touchpoint: z.object({ column: ColumnRef, values: valueMap(z.string().regex(KEY_PATTERN, 'must be a touchpoint key').nullable()) }).strict().nullable().default(null),
    /** Columns answering items: without `values` the cell is the number itself; with, cell → number (null = not answered). */
    items: z
      .array(z.object({ column: ColumnRef, item: z.string().min(1).max(60), values: valueMap(z.number().int().min(-1000).max(1000).nullable()).optional() }).strict())
      .max(200)
      .default([]),
    segments: z
      .array(z.object({ column: ColumnRef, segment: z.string().regex(KEY_PATTERN, 'must be a segment key'), values: valueMap(z.string().max(80).nullable()).optional() }).strict())
      .max(20)
      .default([]),
  })
  .strict();
export type Mapping = z.infer<typeof Mapping>;
export type MappingJson = z.input<typeof Mapping>;

/** A mapping as JSON for the user to edit (Maps written back as objects). */
export function mappingToJson(m: Mapping): MappingJson {
  const obj = <V>(map: Map<string, V>) => Object.fromEntries(map);
  return {
    version: 1,
    date: m.date,
    respondentId: m.respondentId,
    comment: m.comment,
    touchpoint: m.touchpoint && { column: m.touchpoint.column, values: obj(m.touchpoint.values) },
    items: m.items.map((i) => ({ column: i.column, item: i.item, ...(i.values ? { values: obj(i.values) } : {}) })),
    segments: m.segments.map((s) => ({ column: s.column, segment: s.segment, ...(s.values ? { values: obj(s.values) } : {}) })),
  };
}

/** What a mapping is applied to: the organisation's customer survey (items, touchpoints) and its segment rules. */
export interface ImportTarget {
  survey: SurveyDefinition;
  /** Trusted (imports may backdate), holding the organisation's declared segments. */
  rules: SubmissionRules;
}

const touchpointKeys = (t: ImportTarget) => new Set(t.survey.questions.find((q) => q.key === 'touchpoint')?.options?.map((o) => o.value) ?? []);
const scoredItems = (t: ImportTarget) => t.survey.questions.filter((q) => q.kind !== 'touchpoint' && q.kind !== 'text' && scaleOf(q.key));

/** Names in a mapping that the table or the organisation does not declare: each a "field: reason" line. */
export function checkMapping(m: Mapping, table: SourceTable, target: ImportTarget): string[] {
  const problems: string[] = [];
  const cols = new Set(table.columns.map((c) => c.id));
  const col = (where: string, c: string) => {
    if (!cols.has(c)) problems.push(`${where}: no column "${c}" in this file`);
  };
  if ('column' in m.date) col('date.column', m.date.column);
  if (m.respondentId) col('respondentId.column', m.respondentId.column);
  m.comment?.columns.forEach((c, i) => col(`comment.columns.${i}`, c));
  if (m.touchpoint) {
    col('touchpoint.column', m.touchpoint.column);
    const known = touchpointKeys(target);
    for (const [v, tp] of m.touchpoint.values) if (tp !== null && !known.has(tp)) problems.push(`touchpoint.values."${v}": unknown touchpoint "${tp}"`);
  }
  const items = new Map(scoredItems(target).map((q) => [q.key, q]));
  const seen = new Set<string>();
  m.items.forEach((it, i) => {
    col(`items.${i}.column`, it.column);
    if (!items.has(it.item)) problems.push(`items.${i}.item: "${it.item}" is not an item of this organisation's customer survey`);
    else if (seen.has(it.item)) problems.push(`items.${i}.item: "${it.item}" is mapped twice`);
    seen.add(it.item);
  });
  const declared = new Map(target.rules.segments.map((d) => [d.key, d]));
  m.segments.forEach((s, i) => {
    col(`segments.${i}.column`, s.column);
    if (!declared.has(s.segment)) problems.push(`segments.${i}.segment: "${s.segment}" is not a segment this organisation declares`);
  });
  return problems;
}

// ---------------------------------------------------------------- applying a mapping

export interface MappedRow {
  /** 1-based data row (the first response is row 1). */
  row: number;
  submission: ValidSubmission;
}

export const MAX_COMMENT_LENGTH = 5000;

/**
 * Turns every data row into a validated historical response, or that row's errors naming the source column.
 * Call checkMapping first: names it refuses are reported here too, but once per row.
 */
export function applyMapping(table: SourceTable, m: Mapping, target: ImportTarget, now: Date = new Date()): { rows: MappedRow[]; errors: RowError[] } {
  const index = new Map(table.columns.map((c, i) => [c.id, i]));
  const at = (cells: string[], column: string) => (cells[index.get(column) ?? -1] ?? '').trim();
  const rows: MappedRow[] = [];
  const errors: RowError[] = [];
  // Which source column each validation field came from, to name it in errors.
  const fieldColumn = new Map<string, string>();
  if ('column' in m.date) fieldColumn.set('submittedAt', m.date.column);
  if (m.respondentId) fieldColumn.set('respondentId', m.respondentId.column);
  if (m.comment) fieldColumn.set('comment', m.comment.columns[0]!);
  if (m.touchpoint) fieldColumn.set('touchpoint', m.touchpoint.column);
  for (const it of m.items) fieldColumn.set(`answers.${it.item}`, it.column);
  for (const s of m.segments) fieldColumn.set(`segments.${s.segment}`, s.column);
  const columnOf = (field: string) => fieldColumn.get(field) ?? (field === 'answers' ? '(all mapped columns)' : field);

  const leftOut = new Set((table.leftOut ?? []).map((l) => l.row));
  table.rows.forEach((cells, i) => {
    const row = i + 1;
    if (leftOut.has(row)) return;
    const rowErrors: RowError[] = [];
    const input: Record<string, any> = { answers: {} };
    if ('value' in m.date) input.submittedAt = m.date.value;
    else {
      const cell = at(cells, m.date.column);
      if (cell) {
        const d = parseDateCell(cell, m.date.format);
        if (d.ok) input.submittedAt = d.iso;
        else rowErrors.push({ row, column: m.date.column, reason: d.reason });
      } else rowErrors.push({ row, column: m.date.column, reason: 'is empty (the date is required)' });
    }
    if (m.respondentId) {
      const id = at(cells, m.respondentId.column);
      if (id) input.respondentId = id;
    }
    if (m.comment) {
      const parts = m.comment.columns.map((c) => at(cells, c)).filter(Boolean);
      const text = parts.join('\n\n');
      if (text.length > MAX_COMMENT_LENGTH) rowErrors.push({ row, column: m.comment.columns[0]!, reason: `the comment is ${text.length} characters; at most ${MAX_COMMENT_LENGTH}` });
      else if (text) input.comment = text;
    }
    if (m.touchpoint) {
      const v = at(cells, m.touchpoint.column);
      if (v) {
        const tp = m.touchpoint.values.get(v);
        if (tp === undefined) rowErrors.push({ row, column: m.touchpoint.column, reason: `"${v.slice(0, 60)}" has no touchpoint in the mapping (add it to touchpoint.values)` });
        else if (tp !== null) input.touchpoint = tp;
      }
    }
    for (const it of m.items) {
      const cell = at(cells, it.column);
      if (!cell) continue;
      const mapped = it.values?.get(cell);
      if (mapped === null) continue; // mapped to "not answered"
      const value = mapped ?? (/^-?\d+(\.0+)?$/.test(cell) ? Number(cell) : undefined);
      if (value === undefined) rowErrors.push({ row, column: it.column, reason: `"${cell.slice(0, 60)}" is not a number and has no value in the mapping (add it to the item's values)` });
      else input.answers[it.item] = value;
    }
    if (m.segments.length) {
      const segs: Record<string, string> = Object.create(null);
      for (const s of m.segments) {
        const cell = at(cells, s.column);
        if (!cell) continue;
        const mapped = s.values ? s.values.get(cell) : cell;
        if (mapped === undefined) rowErrors.push({ row, column: s.column, reason: `"${cell.slice(0, 60)}" has no segment value in the mapping` });
        else if (mapped !== null) segs[s.segment] = mapped;
      }
      if (Object.keys(segs).length) input.segments = segs;
    }
    if (rowErrors.length) {
      errors.push(...rowErrors);
      return;
    }
    const shaped = ResponseInput.safeParse(input);
    if (!shaped.success) {
      for (const issue of shaped.error.issues) errors.push({ row, column: columnOf(issue.path.map(String).join('.')), reason: issue.message });
      return;
    }
    const v = validateHistoricalResponse(target.survey, shaped.data, target.rules, now);
    if (!v.ok) errors.push(...v.errors.map((e) => ({ row, column: columnOf(e.field), reason: e.message })));
    else rows.push({ row, submission: v.value });
  });
  return { rows, errors };
}

// ---------------------------------------------------------------- suggesting a mapping

const words = (s: string) => new Set(norm(s).split(' ').filter((w) => w.length > 2 && !STOP.has(w)));
const STOP = new Set(['the', 'and', 'you', 'your', 'how', 'did', 'does', 'are', 'was', 'what', 'with', 'for', 'from', 'this', 'that', 'org', 'would', 'rate', 'our', 'much', 'well']);
function overlap(a: string, b: string): number {
  const A = words(a);
  const B = words(b);
  if (!A.size || !B.size) return 0;
  let n = 0;
  for (const w of A) if (B.has(w)) n++;
  return n / Math.min(A.size, B.size);
}

// Source stage names that rarely share a word with a journey's touchpoint labels.
const STAGE_SYNONYMS: [RegExp, string[]][] = [
  [/\border|purchase|sign ?up|checkout|buy/, ['checkout', 'buy', 'pricing']],
  [/payment|bill|invoice|charge/, ['billing']],
  [/equipment|deliver|install|setup|set up|activation|welcome|onboard/, ['welcome', 'onboard']],
  [/in use|usage|product|app\b|service in use/, ['app', 'use']],
  [/support|help|contact|call|complaint|repair|fault/, ['contact_centre', 'help_centre', 'support']],
  [/renew|cancel|leave|churn/, ['renewal', 'renew']],
  [/website|web|online/, ['website']],
  [/advert|marketing|social/, ['advertising']],
];

/** The touchpoint a source's stage value most plausibly is, or null. */
export function matchTouchpoint(value: string, survey: SurveyDefinition): string | null {
  const options = survey.questions.find((q) => q.key === 'touchpoint')?.options ?? [];
  const v = norm(value);
  const exact = options.find((o) => norm(o.value) === v || norm(o.label) === v);
  if (exact) return exact.value;
  for (const [re, keys] of STAGE_SYNONYMS) {
    if (!re.test(v)) continue;
    for (const k of keys) {
      const o = options.find((o) => o.value === k) ?? options.find((o) => norm(o.group ?? '') === k);
      if (o) return o.value;
    }
  }
  let best: { key: string; score: number } | null = null;
  for (const o of options) {
    const score = Math.max(overlap(value, o.label), overlap(value, o.group ?? ''));
    if (score > 0 && (!best || score > best.score)) best = { key: o.value, score };
  }
  return best?.key ?? null;
}

const ID_HINT = /^(response ?id|respondent ?id|_?record ?id|id|v1|customer ?id|record ?id|responseid)$/i;
const DATE_PREFERENCE = [/recorded|submit|response.?date|date submitted/i, /end ?date|completed/i, /date|time/i];
const COMMENT_HINT = /comment|why|verbatim|text|feedback|reason|tell us|anything|explain|open.?ended|suggest/i;
// Text columns that are no one's words about the experience: personal data, or an uploaded file's record.
const PERSONAL_HINT = /e-?mail|name|address|ip\b|phone|latitude|longitude|zip|postcode|postal|upload|image|file ?count|url/i;

export interface Suggestion {
  mapping: MappingJson;
  /** False when the file has no date column: the mapping's date is a placeholder the user must fill in. */
  complete: boolean;
  /** Why a column was mapped or left out, one line each. */
  notes: string[];
}

/**
 * Proposes a mapping from the columns' kinds and texts. The user confirms or edits it (--save-mapping writes
 * it as JSON). Without a date column it is incomplete: its date is a placeholder to fill in.
 */
export function suggestMapping(table: SourceTable, target: ImportTarget): Suggestion {
  const notes: string[] = [];
  const used = new Set<string>();
  const text = (c: SourceColumn) => `${c.id} ${c.question}`;

  const ids = table.columns.filter((c) => c.kind.kind === 'identifier');
  const respondent = ids.find((c) => ID_HINT.test(c.id) || ID_HINT.test(c.question)) ?? ids[0];
  if (respondent) used.add(respondent.id);

  const dates = table.columns.filter((c) => c.kind.kind === 'date');
  const dateCol = DATE_PREFERENCE.map((re) => dates.find((c) => re.test(text(c)))).find(Boolean) ?? dates[0];
  if (dateCol) {
    used.add(dateCol.id);
    const k = dateCol.kind as Extract<ColumnKind, { kind: 'date' }>;
    if (k.ambiguous) notes.push(`date: column "${dateCol.id}" could be day-first or month-first; day-first assumed (change date.format to "mdy" if not)`);
  } else notes.push('date: no date column found; set "date": {"value": "YYYY-MM-DDT00:00:00Z"} for the whole file, or name a column');

  const items: NonNullable<MappingJson['items']> = [];
  const taken = new Set<string>();
  // NPS: a 0–10 whole-number column that says it is about recommending.
  for (const c of table.columns) {
    if (taken.has('nps') || used.has(c.id) || c.kind.kind !== 'numeric') continue;
    const k = c.kind;
    if (k.integer && k.min >= 0 && k.max <= 10 && k.max >= 7 && /recommend|\bnps\b|nps_?score|likelihood/i.test(text(c).replace(/_/g, ' ') + ' ' + c.id)) {
      items.push({ column: c.id, item: 'nps' });
      taken.add('nps');
      used.add(c.id);
      notes.push(`nps: column "${c.id}" (whole numbers ${k.min}–${k.max})`);
    }
  }
  // Other items: a column on the item's own scale (numeric, or a 5-point verbal scale for 1–5 items) whose text matches the item's.
  const candidates = scoredItems(target).filter((q) => q.key !== 'nps' && q.kind !== 'predict_share');
  for (const c of table.columns) {
    if (used.has(c.id) || (c.kind.kind !== 'numeric' && c.kind.kind !== 'verbal')) continue;
    let best: { key: string; score: number } | null = null;
    for (const q of candidates) {
      if (taken.has(q.key)) continue;
      const scale = scaleOf(q.key)!;
      const fits = c.kind.kind === 'numeric' ? c.kind.integer && c.kind.min >= scale.min && c.kind.max <= scale.max : c.kind.points === scale.max - scale.min + 1 && scale.min === 1;
      if (!fits) continue;
      let score = overlap(c.question, q.text);
      if (q.key === 'csat' && /satisf/i.test(c.question)) score += 1;
      if (q.key === 'ces' && /easy|effort/i.test(c.question)) score += 1;
      if (q.key === 'excellent' && /excellent/i.test(c.question)) score += 1;
      if (score >= 0.5 && (!best || score > best.score)) best = { key: q.key, score };
    }
    if (!best) continue;
    taken.add(best.key);
    used.add(c.id);
    if (c.kind.kind === 'verbal') {
      const k = c.kind;
      items.push({ column: c.id, item: best.key, values: Object.fromEntries(k.labels.map((l, i) => [l, k.ranks[i]!])) });
      notes.push(`${best.key}: column "${c.id}" (${k.scale} scale, labels → 1–${k.points})`);
    } else {
      items.push({ column: c.id, item: best.key });
      notes.push(`${best.key}: column "${c.id}" (numbers ${c.kind.min}–${c.kind.max})`);
    }
  }

  // Touchpoint: a categorical stage column whose values map onto the journey.
  let touchpoint: MappingJson['touchpoint'] = null;
  const stageCols = table.columns.filter((c) => c.kind.kind === 'categorical' && !used.has(c.id));
  const stageCol = stageCols.find((c) => /stage|touchpoint|journey|sub.?type|step|phase/i.test(text(c)));
  if (stageCol && stageCol.kind.kind === 'categorical') {
    const values: Record<string, string | null> = Object.create(null);
    for (const v of stageCol.kind.values) {
      const tp = matchTouchpoint(v, target.survey);
      if (tp) values[v] = tp;
      else notes.push(`touchpoint: no touchpoint found for "${v}" (column "${stageCol.id}"); map it in touchpoint.values, or to null`);
    }
    touchpoint = { column: stageCol.id, values: { ...values } };
    used.add(stageCol.id);
    notes.push(`touchpoint: column "${stageCol.id}" → ${Object.entries(values).map(([k, v]) => `${k} → ${v}`).join(', ')}`);
  }

  // Segments: a categorical column named like a declared segment, values matched by value or label.
  const segments: NonNullable<MappingJson['segments']> = [];
  for (const d of target.rules.segments) {
    const c = table.columns.find((c) => !used.has(c.id) && (c.kind.kind === 'categorical' || c.kind.kind === 'text') && (norm(c.id) === norm(d.key) || norm(c.question) === norm(d.label)));
    if (!c) continue;
    used.add(c.id);
    if (d.kind === 'values' && c.kind.kind === 'categorical') {
      const values: Record<string, string | null> = {};
      for (const v of c.kind.values) {
        const hit = d.values.find((x) => norm(x.value) === norm(v) || norm(x.label) === norm(v));
        if (hit) values[v] = hit.value;
        else notes.push(`segment ${d.key}: "${v}" is not one of its values; map it in segments[].values or to null`);
      }
      segments.push({ column: c.id, segment: d.key, values });
    } else segments.push({ column: c.id, segment: d.key });
    notes.push(`segment ${d.key}: column "${c.id}"`);
  }

  // Comment: free-text columns that are not personal data.
  const comments = table.columns.filter((c) => !used.has(c.id) && c.kind.kind === 'text' && !PERSONAL_HINT.test(text(c)));
  const chosen = (comments.some((c) => COMMENT_HINT.test(text(c))) ? comments.filter((c) => COMMENT_HINT.test(text(c))) : comments).slice(0, 5);
  for (const c of chosen) used.add(c.id);
  if (chosen.length) notes.push(`comment: ${chosen.map((c) => `"${c.id}"`).join(', ')}`);

  for (const c of table.columns) {
    if (used.has(c.id)) continue;
    const why =
      c.kind.kind === 'empty'
        ? 'empty'
        : c.kind.kind === 'verbal'
          ? `${c.kind.scale} scale with ${c.kind.points} points matches no item's text and scale`
          : c.kind.kind === 'numeric'
            ? `numbers ${c.kind.min}–${c.kind.max} match no item's text and scale`
            : c.kind.kind === 'text' && PERSONAL_HINT.test(text(c))
              ? 'personal data or an upload'
              : `${c.kind.kind}, not mapped`;
    notes.push(`left out: "${c.id}" (${why})`);
  }
  return {
    complete: !!dateCol,
    mapping: {
      version: 1,
      date: dateCol ? { column: dateCol.id, format: (dateCol.kind as Extract<ColumnKind, { kind: 'date' }>).format } : { value: 'YYYY-MM-DDT00:00:00Z' },
      respondentId: respondent ? { column: respondent.id } : null,
      comment: chosen.length ? { columns: chosen.map((c) => c.id) } : null,
      touchpoint,
      items,
      segments,
    },
    notes,
  };
}
