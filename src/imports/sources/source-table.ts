// What every source reader shares: the SourceTable type (defined in core/import-mapping.ts, which maps it,
// and re-exported here for the readers), decoding a file's bytes (BOM, UTF-16, Windows-1252), CSV parsing
// with bounded sizes, and detecting each column's kind from its cells. Each platform's reader
// (qualtrics.ts, surveymonkey.ts, limesurvey.ts, plain-csv.ts) only knows its own header layout and codes.
import { parse } from 'csv-parse/sync';
import { dateFormatOf, isNotApplicableLabel, looksLikeDate, verbalScaleOf, type ColumnKind, type SourceColumn, type SourceTable } from '../../core/import-mapping.ts';

export type { ColumnKind, SourceColumn, SourceTable } from '../../core/import-mapping.ts';

/** Bounds on what a reader accepts: an export larger than this is refused, never half-read. */
export const LIMITS = { bytes: 200 * 1024 * 1024, rows: 1_000_000, columns: 2_000, cellChars: 100_000 } as const;

/** Why a file cannot be read as the format asked for (the CLI prints it; nothing is written). */
export class SourceError extends Error {}

/**
 * Text from a file's bytes: UTF-8 (with or without BOM), UTF-16 LE/BE (with BOM, or LE without one when
 * every other byte is NUL, as older Qualtrics exports are), else Windows-1252 — the legacy encoding of
 * Excel-saved exports such as SurveyMonkey's StarWars.csv, where invalid UTF-8 would otherwise become U+FFFD.
 */
export function decode(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes.length > LIMITS.bytes) throw new SourceError(`the file is larger than ${LIMITS.bytes / 1024 / 1024} MiB`);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'UTF-8 with BOM' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'UTF-16 LE' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'UTF-16 BE' };
  const head = bytes.subarray(0, 200);
  let oddNul = 0;
  for (let i = 1; i < head.length; i += 2) if (head[i] === 0) oddNul++;
  if (head.length >= 4 && oddNul >= head.length / 2 - 2) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'UTF-16 LE (no BOM)' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'Windows-1252 (not valid UTF-8)' };
  }
}

// 0x80–0x9F in Windows-1252 (undefined bytes 81 8D 8F 90 9D keep their C1 code point, as WHATWG decodes them).
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * Windows-1252 by hand: Node 20's TextDecoder('windows-1252') decodes as ISO-8859-1, which turns 0x80–0x9F
 * (€ ‚ „ … Œ “ ” – — …) into invisible C1 controls — StarWars.csv's 0x8C would lose its "Œ".
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(...chunk).replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
  }
  return out;
}

/** Every record of a CSV (or tab-separated) text, all fields as strings; bounded in rows, columns and cell size. */
export function parseRecords(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : ',';
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, max_record_size: LIMITS.cellChars * 4, bom: true, relax_quotes: false });
  } catch (e) {
    throw new SourceError(`not readable as CSV: ${(e as Error).message}`);
  }
  if (records.length > LIMITS.rows + 3) throw new SourceError(`more than ${LIMITS.rows} rows`);
  if (records.some((r) => r.length > LIMITS.columns)) throw new SourceError(`more than ${LIMITS.columns} columns`);
  return records;
}

/** Column ids made unique (a repeated id gets " #2", " #3"): mappings refer to columns by id. */
export function uniqueIds(ids: string[]): string[] {
  const seen = new Map<string, number>();
  return ids.map((raw, i) => {
    const id = raw.trim() || `column ${i + 1}`;
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id} #${n}`;
  });
}

const ID_NAME = /^(response ?id|respondent ?id|_?record ?id|id|customer ?id|record ?id|responseid|respondentid)$/i;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** The kind of a column from its (trimmed) cells. */
export function detectKind(id: string, question: string, cells: readonly string[]): ColumnKind {
  const values = cells.filter((c) => c !== '');
  if (!values.length) return { kind: 'empty' };
  const distinct = [...new Set(values)];
  if ((ID_NAME.test(id) || ID_NAME.test(question)) && distinct.length === values.length) return { kind: 'identifier' };
  if (values.every((v) => NUMBER.test(v))) {
    const nums = values.map(Number);
    return { kind: 'numeric', min: Math.min(...nums), max: Math.max(...nums), integer: nums.every(Number.isInteger) };
  }
  if (values.every(looksLikeDate)) return { kind: 'date', ...dateFormatOf(distinct) };
  const verbal = verbalScaleOf(distinct);
  if (verbal) return verbal;
  const avg = values.reduce((n, v) => n + v.length, 0) / values.length;
  // Few distinct values, each repeated: options (a multi-select column holds one long label or nothing).
  if ((avg <= 40 || distinct.length <= 5) && distinct.length <= 60 && distinct.length * 2 <= values.length) return { kind: 'categorical', values: distinct.sort() };
  return { kind: 'text' };
}

/**
 * Builds the table: pads/trims rows to the header, trims cells, blanks "not applicable" labels in a column
 * whose other labels form a verbal scale ("Unfamiliar (N/A)" beside "Very favorably" …), detects kinds.
 * `blanked` counts cells the reader already blanked as N/A codes (Qualtrics −1/−99), per column.
 * A column without any answer is "empty" whatever was stated.
 */
export function buildTable(
  format: string,
  header: { id: string; question: string }[],
  rows: string[][],
  notes: string[],
  blanked: number[] = [],
  /** Kinds the export states (LimeSurvey's answer lists), used instead of guessing from a few cells. */
  stated: (ColumnKind | undefined)[] = [],
): SourceTable {
  const width = header.length;
  const body = rows.map((r) => Array.from({ length: width }, (_, i) => (r[i] ?? '').trim()));
  const columns: SourceColumn[] = header.map((h, i) => {
    let notApplicable = blanked[i] ?? 0;
    const cells = body.map((r) => r[i]!);
    const distinct = [...new Set(cells.filter(Boolean))];
    const na = distinct.filter(isNotApplicableLabel);
    if (na.length && na.length < distinct.length && verbalScaleOf(distinct.filter((d) => !na.includes(d)))) {
      for (const r of body) {
        if (na.includes(r[i]!)) {
          r[i] = '';
          notApplicable++;
        }
      }
    }
    const detected = detectKind(h.id, h.question, body.map((r) => r[i]!));
    return { id: h.id, question: h.question, kind: detected.kind !== 'empty' && stated[i] ? stated[i] : detected, notApplicable };
  });
  const na = columns.reduce((n, c) => n + c.notApplicable, 0);
  if (na) notes.push(`${na} "not applicable" cells blanked (not answered)`);
  return { format, columns, rows: body, notes };
}
