// SPSS .sav files (Qualtrics' "SPSS" download, or any SPSS/PSPP data file) → the same SourceTable the CSV
// readers produce: variable names as column ids, variable labels as the question text, system-missing and
// user-missing values as "not answered", value labels that say "not applicable" (98 "Don't know") blanked,
// value labels that form a known verbal scale (11 "Strongly agree" … 15 "Strongly disagree") written as
// their labels so the mapping step suggests them as it does for a CSV with labels, every other value kept
// as its number (as Qualtrics' numeric CSV export has it), and SPSS date formats written as ISO dates.
// The binary format itself is sav-file.ts.
import { isNotApplicableLabel, verbalScaleOf } from '../../core/import-mapping.ts';
import { parseSav, SavError, type Missing, type SavFile } from './sav-file.ts';
import { buildTable, LIMITS, SourceError, uniqueIds, type ColumnKind, type SourceTable } from './source-table.ts';

/** A .sav file starts with "$FL2" (or "$FL3" for ZLIB-compressed files), whatever its name. */
export function isSav(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x24 && bytes[1] === 0x46 && bytes[2] === 0x4c && (bytes[3] === 0x32 || bytes[3] === 0x33);
}

/** Seconds from the SPSS epoch (1582-10-14, the Gregorian calendar's start) to the Unix epoch. */
const SPSS_EPOCH_OFFSET = 12_219_379_200;
// SPSS format type codes (PSPP's documentation, "System File Format" → format types).
const DATE_ONLY = new Set([20, 23, 24, 28, 29, 30, 38, 39]); // DATE ADATE JDATE MOYR QYR WKYR EDATE SDATE
const DATE_TIME = new Set([22, 41]); // DATETIME YMDHMS

const isUserMissing = (v: number, m: Missing): boolean => !!m && 'values' in m && (m.values.includes(v) || (!!m.range && v >= m.range[0] && v <= m.range[1]));

/** A number as the numeric CSV writes it: 20, 0.5 (no "20.0", no exponent for ordinary values). */
const numberCell = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15))));

function dateCell(seconds: number, withTime: boolean): string {
  const d = new Date(Math.round((seconds - SPSS_EPOCH_OFFSET) * 1000));
  const iso = d.toISOString(); // SPSS dates carry no zone: written without one (parseDateCell reads them as UTC)
  return withTime ? iso.slice(0, d.getUTCMilliseconds() ? 23 : 19) : iso.slice(0, 10);
}

export function readSpss(bytes: Uint8Array): SourceTable {
  if (!isSav(bytes)) throw new SourceError('not an SPSS .sav file (it does not start with "$FL2" or "$FL3")');
  if (bytes.length > LIMITS.bytes) throw new SourceError(`the file is larger than ${LIMITS.bytes / 1024 / 1024} MiB`);
  let file: SavFile;
  try {
    file = parseSav(bytes, LIMITS.rows);
  } catch (e) {
    if (e instanceof SavError) throw new SourceError(`not readable as an SPSS .sav file: ${e.message}`);
    throw e;
  }
  if (file.rows.length > LIMITS.rows) throw new SourceError(`more than ${LIMITS.rows} rows`);
  const vars = file.variables;
  if (vars.length > LIMITS.columns) throw new SourceError(`more than ${LIMITS.columns} columns`);
  const ids = uniqueIds(vars.map((v) => v.name));
  const header = ids.map((id, i) => ({ id, question: vars[i]!.label.replace(/\s+/g, ' ').trim() || id }));

  const blanked = new Array<number>(vars.length).fill(0);
  const stated: (ColumnKind | undefined)[] = [];
  // Per numeric column: code → label for the codes written as labels, and the codes that mean "not applicable".
  const plan = vars.map((v, i) => {
    const labels = [...v.labels];
    const naCodes = new Set(labels.filter(([code, label]) => isNotApplicableLabel(label) || isUserMissing(code, v.missing)).map(([code]) => code));
    const real = labels.filter(([code]) => !naCodes.has(code));
    const verbal = v.width === 0 ? verbalScaleOf(real.map(([, label]) => label)) : undefined;
    if (verbal) stated[i] = verbal;
    return { naCodes, asLabel: verbal ? new Map(real) : undefined, date: DATE_ONLY.has(v.format) ? 'date' : DATE_TIME.has(v.format) ? 'datetime' : undefined };
  });

  const rows = file.rows.map((r) =>
    vars.map((v, i) => {
      const value = r[i];
      if (value === null || value === undefined) return ''; // system-missing
      if (typeof value === 'string') {
        if (v.missing && 'strings' in v.missing && v.missing.strings.includes(value)) {
          blanked[i]!++;
          return '';
        }
        return value;
      }
      const p = plan[i]!;
      if (isUserMissing(value, v.missing) || p.naCodes.has(value)) {
        blanked[i]!++;
        return '';
      }
      if (p.date) return dateCell(value, p.date === 'datetime');
      return p.asLabel?.get(value) ?? numberCell(value);
    }),
  );
  const notes = [`SPSS $FL2${file.product ? ` written by "${file.product}"` : ''}`, `encoding: ${file.encoding}`];
  // Without a stated count a file cut short between rows cannot be told from a complete one: say so.
  if (file.nCases < 0) notes.push(`the header does not state the number of rows: ${rows.length} read to the end of the data`);
  const labelled = plan.filter((p) => p.asLabel).length;
  if (labelled) notes.push(`${labelled} column${labelled === 1 ? '' : 's'} with a verbal scale in their value labels, written as the labels`);
  return buildTable('spss (.sav)', header, rows, notes, blanked, stated);
}

/** Whether a .sav file was written by Qualtrics (its Status codes then mean previews, tests and spam). */
export const writtenByQualtrics = (table: SourceTable) => table.notes.some((n) => /^SPSS .*Qualtrics/i.test(n));
