// Importing a survey platform's export (Qualtrics, SurveyMonkey, LimeSurvey, SPSS .sav, or a plain CSV) as history:
// read the file into a SourceTable (src/imports/sources/*), take the user's mapping or suggest one
// (core/import-mapping.ts), validate every row as a historical response (core/history.ts: any subset of
// items) except the rows the reader marks as previews or spam (unless includePreviews), then — unless it
// is a dry run — store the valid rows all-or-nothing with import keys, so the same file imported again
// stores each response once. The one function behind `parallax import --from …`
// (and, later, the API and the dashboard); callers only print.
import { createHash } from 'node:crypto';
import type { Store } from '../store/db.ts';
import { surveyFor } from '../store/surveys.ts';
import { storeResponses, type NewResponse } from '../store/responses.ts';
import { getSegmentDeclarations } from '../store/segments.ts';
import { importKey, type RowError } from '../core/canonical-csv.ts';
import { applyMapping, checkMapping, Mapping, mappingToJson, suggestMapping, type ImportTarget, type MappingJson, type SourceTable } from '../core/import-mapping.ts';
import { ImportRefused, whileBusy, type ImportProgress } from './canonical-import.ts';
import { SourceError } from './sources/source-table.ts';
import { readPlainCsv } from './sources/plain-csv.ts';
import { qualtricsLeftOut, readQualtrics } from './sources/qualtrics.ts';
import { readSurveyMonkey } from './sources/surveymonkey.ts';
import { readLimeSurvey } from './sources/limesurvey.ts';
import { isSav, readSpss, writtenByQualtrics } from './sources/spss.ts';

export const SOURCE_FORMATS = ['qualtrics', 'surveymonkey', 'limesurvey', 'spss', 'csv'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** A mapping file larger than this is refused before parsing (it holds names and small value maps). */
export const MAX_MAPPING_BYTES = 1024 * 1024;

export interface SourceImportOptions {
  orgId: string;
  format: SourceFormat;
  /** The export's bytes (decoded by the reader: BOM, UTF-16, Windows-1252). */
  bytes: Uint8Array;
  /** LimeSurvey: the R syntax file's text (codes, labels and answer codes of each column), or the survey structure (.lss, TSV export). */
  syntax?: string;
  /** The user's mapping (parsed JSON); without one, the suggested mapping is used. */
  mapping?: unknown;
  /** Read, map and validate every row; store nothing. */
  dryRun?: boolean;
  /** Store the valid rows and report the others, instead of storing nothing when any row is invalid. */
  skipInvalid?: boolean;
  /** Keep the rows the reader marks as survey previews or spam (Qualtrics Status/DistributionChannel/reCAPTCHA). */
  includePreviews?: boolean;
  now?: Date;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportCounts {
  /** Answers per item, touchpoint (or "(none)") and month (yyyy-mm) among the valid rows, and comments. */
  items: Map<string, number>;
  touchpoints: Map<string, number>;
  months: Map<string, number>;
  comments: number;
}

export interface SourceImportResult {
  table: { format: string; columns: number; rows: number; notes: string[] };
  /** The mapping used, as JSON the user can edit and pass back with --mapping. */
  mapping: MappingJson;
  /** Whether the mapping was suggested (no --mapping given), and the suggestion's notes. */
  suggested: boolean;
  mappingNotes: string[];
  rows: number;
  /** Rows left out as survey previews or spam (empty with includePreviews): not valid, not invalid, not stored. */
  leftOut: { row: number; reason: string }[];
  validRows: number;
  invalidRows: number;
  errors: RowError[];
  counts: ImportCounts;
  dryRun: boolean;
  /** Stored now, and valid rows already stored by an earlier import of the same file (0 on a dry run). */
  inserted: number;
  skipped: number;
}

const hash = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 32);

/**
 * The file's table, as the named platform exports it; SourceError becomes a refusal about the file. A file
 * that starts like a .sav ("$FL2"/"$FL3") is read as SPSS whatever the name or platform given (Qualtrics'
 * SPSS download is one); `spss` for a file that does not is refused.
 */
export function readSource(format: SourceFormat, bytes: Uint8Array, syntax?: string): SourceTable {
  try {
    if (isSav(bytes) || format === 'spss') {
      const t = readSpss(bytes);
      if (format !== 'spss' && format !== 'qualtrics') t.notes.push(`read as SPSS .sav (the file starts with "$FL"), not as ${format}`);
      return format === 'qualtrics' || writtenByQualtrics(t) ? { ...t, leftOut: qualtricsLeftOut(t) } : t;
    }
    if (format === 'qualtrics') return readQualtrics(bytes);
    if (format === 'surveymonkey') return readSurveyMonkey(bytes);
    if (format === 'limesurvey') return readLimeSurvey(bytes, syntax);
    return readPlainCsv(bytes);
  } catch (e) {
    if (e instanceof SourceError) throw new ImportRefused(e.message, 'file');
    throw e;
  }
}

export async function importSource(store: Store, opts: SourceImportOptions): Promise<SourceImportResult> {
  const { orgId } = opts;
  const now = opts.now ?? new Date();
  const read = readSource(opts.format, opts.bytes, opts.syntax);
  const table = opts.includePreviews ? { ...read, leftOut: [] } : read;
  if (!table.rows.length) throw new ImportRefused('the file has no responses', 'file');
  const survey = (await surveyFor(store.db, orgId, 'customer'))!;
  // Trusted (imports may backdate and set non-public segments), but only the organisation's declared segments.
  const target: ImportTarget = { survey: survey.definition, rules: { origin: 'trusted', segments: await getSegmentDeclarations(store.db, orgId) } };

  const suggestion = opts.mapping === undefined ? suggestMapping(table, target) : undefined;
  if (suggestion && !suggestion.complete) {
    throw new MappingRefused(['date: the file has no date column; set "date": {"value": "YYYY-MM-DDT00:00:00Z"} (or name a column) in the saved mapping and pass it back'], suggestion.mapping);
  }
  const parsed = Mapping.safeParse(opts.mapping ?? suggestion!.mapping);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(mapping)'}: ${i.message}`);
    throw new MappingRefused(lines, suggestion?.mapping);
  }
  const mapping = parsed.data;
  const problems = checkMapping(mapping, table, target);
  if (problems.length) throw new MappingRefused(problems, suggestion?.mapping);

  const { rows, errors } = applyMapping(table, mapping, target, now);
  const invalidRows = new Set(errors.map((e) => e.row)).size;
  const counts: ImportCounts = { items: new Map(), touchpoints: new Map(), months: new Map(), comments: 0 };
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const r of rows) {
    for (const item of Object.keys(r.submission.answers)) bump(counts.items, item);
    bump(counts.touchpoints, r.submission.touchpoint ?? '(none)');
    bump(counts.months, r.submission.submittedAt.slice(0, 7));
    if (r.submission.comment) counts.comments++;
  }
  const result: SourceImportResult = {
    table: { format: table.format, columns: table.columns.length, rows: table.rows.length, notes: table.notes },
    mapping: mappingToJson(mapping),
    suggested: !!suggestion,
    mappingNotes: suggestion?.notes ?? [],
    rows: table.rows.length,
    leftOut: table.leftOut ?? [],
    validRows: rows.length,
    invalidRows,
    errors,
    counts,
    dryRun: !!opts.dryRun,
    inserted: 0,
    skipped: 0,
  };
  if (opts.dryRun) return result;
  if (errors.length && !opts.skipInvalid) {
    throw new ImportRefused(`${invalidRows} of ${table.rows.length} rows have errors; nothing was imported (fix them or the mapping, or use --skip-invalid)`, 'rows', errors);
  }
  // Import keys from each row's content; a row repeated in the same file (same date, answers, comment) is
  // a distinct response, so its n-th occurrence gets its own key — and the same again on a re-import.
  const occurrences = new Map<string, number>();
  const toStore: NewResponse[] = rows.map((r) => {
    const base = importKey({ perspective: 'customer', submission: r.submission }, hash);
    const n = (occurrences.get(base) ?? 0) + 1;
    occurrences.set(base, n);
    return { orgId, surveyId: survey.id, perspective: 'customer', submission: r.submission, idempotencyKey: n === 1 ? `src:${base}` : `src:${hash(`${base}#${n}`)}` };
  });
  const stored = await whileBusy(
    () => storeResponses(store.db, toStore, (done, total) => opts.onProgress?.({ stage: 'storing', done, total })),
    opts.onProgress,
  );
  return { ...result, ...stored };
}

/** The mapping names something the file or the organisation does not have, or is malformed: one line per problem. */
export class MappingRefused extends ImportRefused {
  constructor(
    readonly problems: string[],
    /** The suggested mapping, when the refused one was the suggestion (so the user can save and fix it). */
    readonly suggestion?: MappingJson,
  ) {
    super(`the mapping is not usable: ${problems.join('; ')}`, 'mapping');
  }
}
