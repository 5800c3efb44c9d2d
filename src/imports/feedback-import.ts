// Importing feedback items from a file (issue 9): CSV with a header row, or JSON Lines (one item per line, as
// POST …/feedback takes it), into one declared source. The one implementation behind `parallax feedback import`.
// Every row is shaped by the API's zod schema and checked against the organisation's declarations
// (core/feedback.ts); any problem refuses the whole file — each reported as `row N, column C: reason` — so an
// import stores all of its rows or none. Rows whose externalId the source already holds are skipped (an import
// run twice stores each item once). A dry run checks everything and stores nothing.
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

function jsonlItems(text: string): { raw: unknown; columnOf: (field: string) => string; line: number }[] {
  const out: { raw: unknown; columnOf: (f: string) => string; line: number }[] = [];
  const problems: FeedbackProblem[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push({ raw: JSON.parse(line), columnOf: (f) => f, line: i + 1 });
    } catch {
      problems.push({ row: i + 1, column: '(line)', reason: 'is not JSON' });
    }
  });
  if (problems.length) throw new FeedbackImportRefused(`${problems.length} invalid line(s); nothing was imported`, problems);
  return out;
}

export async function importFeedback(
  store: Store,
  opts: { orgId: string; sourceId: string; text: string; format: FeedbackFileFormat; dryRun?: boolean },
): Promise<FeedbackImportResult> {
  const ctx = await feedbackContext(store.db, opts.orgId);
  if (!ctx.sources.has(opts.sourceId)) throw new FeedbackImportRefused(`no feedback source "${opts.sourceId}" in this organisation (see GET …/feedback-sources)`);
  const items = opts.format === 'csv' ? csvItems(opts.text).map((x, i) => ({ ...x, line: i + 1 })) : jsonlItems(opts.text);
  if (items.length === 0) throw new FeedbackImportRefused('the file holds no item');
  if (items.length > MAX_IMPORT_ROWS) throw new FeedbackImportRefused(`at most ${MAX_IMPORT_ROWS} rows per file; split it`);
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
  if (problems.length) throw new FeedbackImportRefused(`${new Set(problems.map((p) => p.row)).size} invalid row(s); nothing was imported`, problems);
  if (opts.dryRun) {
    const ext = valid.flatMap((v) => (v.externalId === null ? [] : [v.externalId]));
    const held = await existingExternalIds(store.db, opts.orgId, opts.sourceId, ext);
    const seen = new Set<string>();
    let duplicates = 0;
    for (const e of ext) {
      if (held.has(e) || seen.has(e)) duplicates++;
      seen.add(e);
    }
    return { rows: items.length, created: valid.length - duplicates, duplicates, dryRun: true };
  }
  const stored = await storeFeedback(store.db, opts.orgId, valid);
  return { rows: items.length, created: stored.created, duplicates: stored.duplicates, dryRun: false };
}
