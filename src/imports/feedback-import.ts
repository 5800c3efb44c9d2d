// Importing feedback items from a file (issue 9): CSV with a header row, or JSON Lines (one item per line, as
// POST …/feedback takes it), into one declared source. The one implementation behind `parallax feedback import`
// and POST …/feedback/import.
// Every row is shaped by the API's zod schema and checked against the organisation's declarations
// (core/feedback.ts); any problem refuses the whole file — each reported as `row N, column C: reason` — so an
// import stores all of its rows or none. Rows whose externalId the source already holds are skipped (an import
// run twice stores each item once). A dry run checks everything and stores nothing. The CLI and the API
// (POST …/feedback/import) both go through checkFeedbackFile and storeFeedbackFile; the API can also store
// the valid rows and leave the others out (skipInvalid).
//
// CSV columns (names case-insensitive; snake_case or camelCase): text (required), external_id, rating,
// rating_min, rating_max, touchpoint, author_ref, occurred_at, channel, and one `segment.<name>` (or
// `segment:<name>`) per segment. Unknown columns are refused, so a misspelt one is not silently dropped.
import { parse } from 'csv-parse/sync';
import type { Store } from '../store/db.ts';
import { checkFeedbackItem, FeedbackItemInput, zodFields, type ValidFeedbackItem } from '../core/feedback.ts';
import { existingExternalIds, storeFeedback } from '../store/feedback.ts';
import { feedbackContext } from '../store/feedback-context.ts';

export type FeedbackFileFormat = 'csv' | 'jsonl';

export interface FeedbackProblem {
  /** 1-based data row (CSV: the header is row 0) or line (JSON Lines). */
  row: number;
  column: string;
  reason: string;
}

export interface FeedbackImportResult {
  rows: number;
  /** Stored now (a dry run: would be). */
  created: number;
  /** Already held by the source (same externalId), not stored again. */
  duplicates: number;
  dryRun: boolean;
}

export class FeedbackImportRefused extends Error {
  constructor(
    message: string,
    readonly problems: FeedbackProblem[] = [],
    /** What is wrong: the file as a whole, its rows (each in `problems`), or the source it is imported into. */
    readonly about: 'file' | 'rows' | 'source' = problems.length ? 'rows' : 'file',
  ) {
    super(message);
  }
}

/** Rows per file: the import is one transaction, and every text is analysed in it. */
export const MAX_IMPORT_ROWS = 100_000;

const COLUMN_OF: Record<string, string> = {
  text: 'text', externalid: 'externalId', rating: 'rating.value', ratingvalue: 'rating.value', ratingmin: 'rating.min', ratingmax: 'rating.max',
  touchpoint: 'touchpoint', authorref: 'authorRef', occurredat: 'occurredAt', channel: 'channel', source: 'source',
};
const squash = (h: string) => h.trim().toLowerCase().replace(/[_\s-]/g, '');

/** The format a file name or its first character says. */
export function feedbackFormatOf(name: string, text: string): FeedbackFileFormat {
  if (/\.(jsonl|ndjson)$/i.test(name)) return 'jsonl';
  if (/\.csv$/i.test(name)) return 'csv';
  return text.trimStart().startsWith('{') ? 'jsonl' : 'csv';
}

/** CSV → raw items (each with the header name of each field, to name a problem by its column). */
function csvItems(text: string): { raw: Record<string, unknown>; columnOf: (field: string) => string }[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: false, skip_empty_lines: true });
  } catch (e) {
    throw new FeedbackImportRefused(`not a readable CSV file: ${(e as Error).message}`);
  }
  const [header, ...rows] = records;
  if (!header) throw new FeedbackImportRefused('the file is empty');
  const fields = header.map((h) => {
    const seg = /^segments?[.:](.+)$/i.exec(h.trim());
    return seg ? `segments.${seg[1]}` : COLUMN_OF[squash(h)];
  });
  const unknown = header.filter((_, i) => fields[i] === undefined);
  if (unknown.length) throw new FeedbackImportRefused(`unknown column(s): ${unknown.join(', ')} (known: text, external_id, rating, rating_min, rating_max, touchpoint, author_ref, occurred_at, channel, segment.<name>)`);
  if (!fields.includes('text')) throw new FeedbackImportRefused('the header has no "text" column');
  const headerOf = new Map(fields.map((f, i) => [f!, header[i]!]));
  const columnOf = (field: string) => headerOf.get(field) ?? headerOf.get(field.split('.').slice(0, 2).join('.')) ?? field;
  return rows.map((cells) => {
    const raw: Record<string, unknown> = {};
    cells.forEach((cell, i) => {
      const f = fields[i]!;
      if (cell.trim() === '') return; // an empty cell is a field not given
      const [head, sub] = f.split('.') as [string, string | undefined];
      if (head === 'rating') {
        const n = Number(cell.trim());
        ((raw.rating ??= {}) as Record<string, unknown>)[sub!] = Number.isFinite(n) ? n : cell;
      } else if (head === 'segments') ((raw.segments ??= {}) as Record<string, unknown>)[sub!] = cell;
      else raw[head] = cell;
    });
    return { raw, columnOf };
  });
}

/** JSON Lines → raw items; lines that are not JSON refuse the file before any item is checked. */
function jsonlItems(text: string): { raw: unknown; columnOf: (field: string) => string; line: number }[] {
  const items: { raw: unknown; columnOf: (f: string) => string; line: number }[] = [];
  const problems: FeedbackProblem[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      items.push({ raw: JSON.parse(line), columnOf: (f) => f, line: i + 1 });
    } catch {
      problems.push({ row: i + 1, column: '(line)', reason: 'is not JSON' });
    }
  });
  if (problems.length) throw new FeedbackImportRefused(`${problems.length} invalid line(s); nothing was imported`, problems);
  return items;
}

/** A file read and every row checked: the doors (CLI, API) decide from it what to answer or store. */
export interface FeedbackFileCheck {
  rows: number;
  /** The rows without a problem, in file order. */
  valid: ValidFeedbackItem[];
  /** Every problem of every invalid row. */
  problems: FeedbackProblem[];
  invalidRows: number;
  /** Valid rows the source already holds (same externalId), or repeating an earlier row's externalId. */
  duplicates: number;
  /** Over the valid rows: how many carry a rating, per touchpoint ('' none) and per month (yyyy-mm). */
  counts: { rated: number; touchpoints: Map<string, number>; months: Map<string, number> };
}

/** A file's bytes as text: UTF-8 (with or without BOM) only, as the CLI and the API read it. */
export function feedbackFileText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new FeedbackImportRefused('is not UTF-8 text (save the file as UTF-8)');
  }
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/**
 * Reads a file and checks every row against the API's item schema and the organisation's declarations.
 * Refuses (FeedbackImportRefused, `about` naming the source or the file) only what makes the file unreadable.
 */
export async function checkFeedbackFile(store: Store, opts: { orgId: string; sourceId: string; text: string; format: FeedbackFileFormat }): Promise<FeedbackFileCheck> {
  const ctx = await feedbackContext(store.db, opts.orgId);
  if (!ctx.sources.has(opts.sourceId)) throw new FeedbackImportRefused(`no feedback source "${opts.sourceId}" in this organisation (see GET …/feedback-sources)`, [], 'source');
  const items = opts.format === 'csv' ? csvItems(opts.text).map((x, i) => ({ ...x, line: i + 1 })) : jsonlItems(opts.text);
  const rows = items.length;
  if (rows === 0) throw new FeedbackImportRefused('the file holds no item');
  if (rows > MAX_IMPORT_ROWS) throw new FeedbackImportRefused(`at most ${MAX_IMPORT_ROWS} rows per file; split it`);
  const problems: FeedbackProblem[] = [];
  const valid: ValidFeedbackItem[] = [];
  for (const { raw, columnOf, line } of items) {
    const withSource = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { source: opts.sourceId, ...(raw as object) } : raw;
    const shaped = FeedbackItemInput.safeParse(withSource);
    if (!shaped.success) {
      for (const e of zodFields(shaped.error)) problems.push({ row: line, column: columnOf(e.field), reason: e.message });
      continue;
    }
    if (shaped.data.source !== opts.sourceId) {
      problems.push({ row: line, column: columnOf('source'), reason: `must be the imported source ("${opts.sourceId}") or left out` });
      continue;
    }
    const c = checkFeedbackItem(shaped.data, ctx);
    if (!c.ok) for (const e of c.errors) problems.push({ row: line, column: columnOf(e.field), reason: e.message });
    else valid.push(c.value);
  }
  const ext = valid.flatMap((v) => (v.externalId === null ? [] : [v.externalId]));
  const held = await existingExternalIds(store.db, opts.orgId, opts.sourceId, ext);
  const seen = new Set<string>();
  let duplicates = 0;
  for (const e of ext) {
    if (held.has(e) || seen.has(e)) duplicates++;
    seen.add(e);
  }
  const counts = { rated: 0, touchpoints: new Map<string, number>(), months: new Map<string, number>() };
  for (const v of valid) {
    if (v.rating) counts.rated++;
    bump(counts.touchpoints, v.touchpoint);
    bump(counts.months, v.occurredAt.slice(0, 7));
  }
  return { rows, valid, problems, invalidRows: new Set(problems.map((p) => p.row)).size, duplicates, counts };
}

/** The refusal of a file with bad rows, each problem in it. */
const refusedRows = (check: FeedbackFileCheck) => new FeedbackImportRefused(`${check.invalidRows} invalid row(s); nothing was imported`, check.problems, 'rows');

/**
 * Stores a checked file's items in one transaction: all rows or none — any problem refuses the file, listing
 * every one — unless `skipInvalid`, which stores the valid rows and leaves the others out.
 */
export async function storeFeedbackFile(store: Store, orgId: string, check: FeedbackFileCheck, opts: { skipInvalid?: boolean } = {}): Promise<{ created: number; duplicates: number }> {
  if (check.problems.length && !opts.skipInvalid) throw refusedRows(check);
  if (!check.valid.length) return { created: 0, duplicates: 0 };
  const stored = await storeFeedback(store.db, orgId, check.valid);
  return { created: stored.created, duplicates: stored.duplicates };
}

/** `parallax feedback import`: check the file, then (unless a dry run) store it all or nothing. */
export async function importFeedback(
  store: Store,
  opts: { orgId: string; sourceId: string; text: string; format: FeedbackFileFormat; dryRun?: boolean },
): Promise<FeedbackImportResult> {
  const check = await checkFeedbackFile(store, opts);
  if (check.problems.length) throw refusedRows(check);
  if (opts.dryRun) return { rows: check.rows, created: check.valid.length - check.duplicates, duplicates: check.duplicates, dryRun: true };
  const stored = await storeFeedbackFile(store, opts.orgId, check);
  return { rows: check.rows, created: stored.created, duplicates: stored.duplicates, dryRun: false };
}
