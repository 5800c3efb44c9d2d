// Importing a canonical CSV of responses into an organisation: the one implementation behind `parallax import`
// and the fuzz suite's import test. It combines core parsing (src/core/canonical-csv.ts) with store writes,
// so it sits one layer above the store and below the CLI: the CLI only prints and picks exit codes.
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse';
import type { Store } from '../store/db.ts';
import { getFramework } from '../store/organisations.ts';
import { surveyFor } from '../store/surveys.ts';
import { storeResponses, type NewResponse } from '../store/responses.ts';
import { getSegmentDeclarations } from '../store/segments.ts';
import { isSqliteBusy } from '../store/write-transaction.ts';
import { checkHeader, HeaderError, importKey, parseRow, type RowError } from '../core/canonical-csv.ts';
import type { Perspective, SurveyDefinition } from '../core/survey.ts';

/** How often an import retries a write lock that another process (the server) still holds after the busy timeout. */
const BUSY_RETRIES = 5;

export type ImportProgress =
  | { stage: 'reading'; rows: number }
  | { stage: 'storing'; done: number; total: number }
  | { stage: 'waiting'; attempt: number; attempts: number };

export interface ImportOptions {
  orgId: string;
  /** The whole file as text, or a stream of its bytes (a large file is parsed as it is read). */
  source: string | NodeJS.ReadableStream;
  /** Store the valid rows and report the others, instead of storing nothing when any row is invalid. */
  skipInvalid?: boolean;
  /** Called every 10,000 rows read, after each stored batch, and before each wait for a busy database. */
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportResult {
  inserted: number;
  /** Valid rows already stored by an earlier import of the same rows (import keys). */
  skipped: number;
  /** Data rows read, and how many of them were invalid (not stored; only with skipInvalid). */
  rows: number;
  invalidRows: number;
  errors: RowError[];
}

/**
 * Why nothing was imported. `about` says what to blame: the file (unreadable CSV, bad header, empty),
 * its rows (any invalid row without skipInvalid; `errors` lists them), the database (locked too long), or
 * (source imports, src/imports/source-import.ts) the mapping of the source's columns.
 */
export class ImportRefused extends Error {
  constructor(
    message: string,
    readonly about: 'file' | 'rows' | 'database' | 'mapping',
    readonly errors: RowError[] = [],
  ) {
    super(message);
  }
}

// A stable, short digest for import keys: importing the same row twice stores it once.
const hash = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 32);

/** Imports a canonical CSV all-or-nothing (unless skipInvalid); throws ImportRefused when nothing was imported. */
export async function importCanonicalCsv(store: Store, opts: ImportOptions): Promise<ImportResult> {
  const { orgId, onProgress } = opts;
  const framework = await getFramework(store.db, orgId);
  const customer = (await surveyFor(store.db, orgId, 'customer'))!;
  const leader = (await surveyFor(store.db, orgId, 'leader'))!;
  const defs: Record<Perspective, SurveyDefinition> = { customer: customer.definition, leader: leader.definition };
  // Trusted (may backdate, may set non-public segments), but only the organisation's declared segments.
  const rules = { origin: 'trusted' as const, segments: await getSegmentDeclarations(store.db, orgId) };
  const ids = { customer: customer.id, leader: leader.id };
  const rows: NewResponse[] = [];
  const errors: RowError[] = [];
  let row = 0;
  const input = typeof opts.source === 'string' ? Readable.from([opts.source]) : opts.source;
  const parser = input.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: false }));
  let header: string[] | undefined;
  try {
    for await (const rec of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = rec.map((h) => h.trim());
        checkHeader(header, framework);
        continue;
      }
      row++;
      const record = Object.fromEntries(header.map((h, i) => [h, rec[i] ?? '']));
      const parsed = parseRow(record, row, defs, rules);
      if (!parsed.ok) errors.push(...parsed.errors);
      else
        rows.push({
          orgId,
          surveyId: ids[parsed.value.perspective],
          perspective: parsed.value.perspective,
          submission: parsed.value.submission,
          idempotencyKey: importKey(parsed.value, hash),
        });
      if (row % 10000 === 0) onProgress?.({ stage: 'reading', rows: row });
    }
  } catch (e) {
    if (e instanceof HeaderError) throw new ImportRefused(e.message, 'file');
    if ((e as any).code?.startsWith?.('CSV_')) throw new ImportRefused((e as Error).message, 'file');
    throw e;
  }
  if (!header) throw new ImportRefused('the file is empty', 'file');
  const invalidRows = new Set(errors.map((e) => e.row)).size;
  if (errors.length && !opts.skipInvalid) {
    throw new ImportRefused(`${invalidRows} of ${row} rows have errors; nothing was imported (fix them, or use --skip-invalid)`, 'rows', errors);
  }
  const stored = await whileBusy(
    () => storeResponses(store.db, rows, (done, total) => onProgress?.({ stage: 'storing', done, total })),
    onProgress,
  );
  return { ...stored, rows: row, invalidRows, errors };
}

/**
 * Runs the all-or-nothing write, retrying while another process holds the SQLite write lock past the busy
 * timeout (safe: a rolled-back import stored nothing, and import keys make a retry store each row once).
 * Still locked after that: ImportRefused about the database, never a raw driver error.
 */
export async function whileBusy<T>(write: () => Promise<T>, onProgress: ImportOptions['onProgress']): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (e) {
      if (!isSqliteBusy(e)) throw e;
      if (attempt > BUSY_RETRIES) throw new ImportRefused('the database is locked by another process (is a long import or backup running?); nothing was imported — try again', 'database');
      onProgress?.({ stage: 'waiting', attempt: attempt + 1, attempts: BUSY_RETRIES + 1 });
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}
