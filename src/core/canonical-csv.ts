// The canonical CSV of responses (import and export): one row a response, columns
// respondent_id, perspective, submitted_at, touchpoint, segment:<name>…, nps, csat, ces, excellent,
// dim:<key>…, predict:excellent_share, predict:excellent_share@<touchpoint>… (leaders' prediction at one
// touchpoint), imp:<key>… (leaders' points of 100, one per customer dimension), comment — in any order; an empty cell is "not answered".
import { customerDimensions, type Dimension } from './framework.ts';
import { KEY_PATTERN } from './keys.ts';
import type { SubmissionRules } from './segments.ts';
import { IMPORTANCE_PREFIX, IMPORTANCE_QUESTION, TOUCHPOINT_PREDICTION_PREFIX, touchpointPredictionKey, Perspective, ResponseInput, segmentKey, type SurveyDefinition, type ValidSubmission } from './survey.ts';
import { validateHistoricalResponse } from './history.ts';

export const FIXED_COLUMNS = ['respondent_id', 'perspective', 'submitted_at', 'touchpoint', 'nps', 'csat', 'ces', 'excellent', 'predict:excellent_share', 'comment'] as const;

export interface RowError {
  /** 1-based data row number (the header is row 0; the first response is row 1). */
  row: number;
  column: string;
  reason: string;
}

export class HeaderError extends Error {}

/** The leaders' constant-sum columns (core/survey.ts importanceQuestion): imp:<key> per customer dimension. */
const importanceColumns = (framework: Dimension[]) => customerDimensions(framework).map((d) => `${IMPORTANCE_PREFIX}${d.key}`);

/** Checks the header: known columns only (naming the unknown ones), no duplicates, perspective present. */
export function checkHeader(header: string[], framework: Dimension[]): void {
  const dims = new Set([...framework.map((d) => `dim:${d.key}`), ...importanceColumns(framework)]);
  // A touchpoint prediction column is known by its shape here; whether the touchpoint exists is the row's
  // validation (the leader survey's questions), which names the column.
  const unknown = header.filter(
    (c) =>
      !(FIXED_COLUMNS as readonly string[]).includes(c) &&
      !dims.has(c) &&
      !(c.startsWith('segment:') && KEY_PATTERN.test(c.slice('segment:'.length))) &&
      !(c.startsWith(TOUCHPOINT_PREDICTION_PREFIX) && KEY_PATTERN.test(c.slice(TOUCHPOINT_PREDICTION_PREFIX.length))),
  );
  if (unknown.length) throw new HeaderError(`unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.map((c) => `"${c}"`).join(', ')}`);
  const dup = header.find((c, i) => header.indexOf(c) !== i);
  if (dup) throw new HeaderError(`column "${dup}" appears twice`);
  for (const required of ['perspective', 'submitted_at']) {
    if (!header.includes(required)) throw new HeaderError(`missing column "${required}"`);
  }
}

/**
 * CSV formula injection (OWASP): a spreadsheet runs a cell that begins with = + - @ (or a tab or carriage
 * return before one) as a formula, so a respondent's comment "=HYPERLINK(…)" would run on the analyst's
 * machine. Exported text cells that begin so — after any leading single quotes — get one more quote in
 * front, which spreadsheets show as text. Counting the quotes already there keeps it reversible: the
 * import strips exactly one quote from such cells, so "'=x" (a value that began with a quote) exports as
 * "''=x" and comes back as "'=x". Numbers are never touched: a numeric column is not text.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** An exported text cell, safe to open in a spreadsheet. */
export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The inverse of neutraliseCell, for imported text cells. */
export function restoreCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell) ? cell.slice(1) : cell;
}

const NUMERIC = (c: string) =>
  ['nps', 'csat', 'ces', 'excellent', 'predict:excellent_share'].includes(c) || c.startsWith('dim:') || c.startsWith(IMPORTANCE_PREFIX) || c.startsWith(TOUCHPOINT_PREDICTION_PREFIX);

/** Maps a validation field back to the CSV column it came from. */
const columnOf = (field: string) =>
  field === `answers.${IMPORTANCE_QUESTION}`
    ? `${IMPORTANCE_PREFIX}*` // the constant sum's total: all the imp: columns together
    : field.startsWith('answers.')
      ? field.slice('answers.'.length)
      : field.startsWith('segments.')
        ? `segment:${field.slice('segments.'.length)}`
        : field === 'submittedAt'
          ? 'submitted_at'
          : field === 'respondentId'
            ? 'respondent_id'
            : field;

export interface ParsedRow {
  perspective: Perspective;
  submission: ValidSubmission;
}

/**
 * Turns one record (column → cell) into a validated historical response for the survey of its perspective
 * (any subset of its items), or the row's errors (row number, column, reason).
 */
export function parseRow(
  record: Record<string, string>,
  row: number,
  surveys: Record<Perspective, SurveyDefinition>,
  // An import is trusted (it may backdate and set non-public segments) but holds to the organisation's
  // declared segments: pass them; without, any segment column is refused.
  rules: SubmissionRules = { origin: 'trusted', segments: [] },
  now: Date = new Date(),
): { ok: true; value: ParsedRow } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const persp = Perspective.safeParse((record.perspective ?? '').trim());
  if (!persp.success) return { ok: false, errors: [{ row, column: 'perspective', reason: 'must be "customer" or "leader"' }] };
  const input: Record<string, any> = { answers: {} };
  const segments: Record<string, string> = Object.create(null);
  for (const [column, raw] of Object.entries(record)) {
    const cell = (raw ?? '').trim();
    if (cell === '' || column === 'perspective') continue;
    if (NUMERIC(column)) {
      if (!/^-?\d+(\.0+)?$/.test(cell)) errors.push({ row, column, reason: `"${cell}" is not a whole number` });
      else input.answers[column] = Number(cell);
    } else if (column.startsWith('segment:')) segments[column.slice('segment:'.length)] = restoreCell(cell);
    else if (column === 'respondent_id') input.respondentId = restoreCell(cell);
    else if (column === 'submitted_at') input.submittedAt = cell;
    else if (column === 'touchpoint') input.touchpoint = restoreCell(cell);
    else if (column === 'comment') input.comment = restoreCell(raw);
  }
  if (Object.keys(segments).length) input.segments = segments;
  if (!record.submitted_at?.trim()) errors.push({ row, column: 'submitted_at', reason: 'is required' });
  const shaped = ResponseInput.safeParse(input);
  if (!shaped.success) {
    for (const issue of shaped.error.issues) {
      const path = issue.path.map(String);
      const column = path[0] === 'segments' ? `segment:${path[1]}` : columnOf(path.join('.'));
      errors.push({ row, column, reason: issue.message });
    }
  }
  if (errors.length) return { ok: false, errors };
  // History, not a live submission: any subset of the items (core/history.ts), no question required.
  const v = validateHistoricalResponse(surveys[persp.data], shaped.data!, rules, now);
  if (!v.ok) return { ok: false, errors: v.errors.map((e) => ({ row, column: columnOf(e.field), reason: e.message })) };
  return { ok: true, value: { perspective: persp.data, submission: v.value } };
}

/** A stable idempotency key for an imported row, so importing the same file twice stores each row once. */
export function importKey(p: ParsedRow, hash: (s: string) => string): string {
  const s = p.submission;
  return `csv:${hash(JSON.stringify([p.perspective, s.respondentId, s.submittedAt, s.touchpoint, segmentKey(s.segments), Object.entries(s.answers).sort(), s.comment]))}`;
}

/** `touchpoints`: the journey's touchpoint keys, for the leaders' per-touchpoint predictions (none when omitted). */
export function exportHeader(framework: Dimension[], segmentNames: string[], touchpoints: string[] = []): string[] {
  return [
    'respondent_id',
    'perspective',
    'submitted_at',
    'touchpoint',
    ...segmentNames.map((s) => `segment:${s}`),
    'nps',
    'csat',
    'ces',
    'excellent',
    ...framework.map((d) => `dim:${d.key}`),
    'predict:excellent_share',
    ...touchpoints.map(touchpointPredictionKey),
    ...importanceColumns(framework),
    'comment',
  ];
}

export function exportRow(
  header: string[],
  r: { perspective: string; respondentId: string | null; submittedAt: string; touchpoint: string; segments: Record<string, string>; answers: Record<string, number>; comment: string | null },
): string[] {
  // Text cells (ids, touchpoint, segments, comment) are neutralised against formula injection.
  return header.map((c) => {
    if (c === 'respondent_id') return neutraliseCell(r.respondentId ?? '');
    if (c === 'perspective') return r.perspective;
    if (c === 'submitted_at') return r.submittedAt;
    if (c === 'touchpoint') return neutraliseCell(r.touchpoint);
    if (c === 'comment') return neutraliseCell(r.comment ?? '');
    // Own values only: a stored segment named like an Object.prototype member must not reach the member.
    if (c.startsWith('segment:')) return neutraliseCell(Object.hasOwn(r.segments, c.slice(8)) ? r.segments[c.slice(8)]! : '');
    const v = r.answers[c];
    return v === undefined ? '' : String(v);
  });
}
