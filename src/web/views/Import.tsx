// Import history from another platform (issue 9): upload an export, pick its platform (guessed from the
// file), see its columns with the saved or suggested mapping in an editable table (what each column is,
// and value maps for stages and verbal scales), preview the dry run (counts and every problem as
// "row N, column C: reason"), import it in one request, and save the mapping under a source name so the
// next file from that source reuses it. Admins only (the API refuses others; this view says so).
// SPSS .sav files are recognised by their first bytes and travel as base64, like every file here.
import { useId, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { api } from '../lib/api.ts';
import { FailureListBanner } from '../components/FormError.tsx';
import { clearApiCache } from '../lib/use-api.ts';
import { orgPath, useOrg } from '../lib/org.tsx';
import { usePageTitle } from '../components/Shell.tsx';
import { EmptyState } from '../components/states.tsx';
import { RowProblems as Problems, type RowProblem as RowError } from '../components/RowProblems.tsx';
import { isSpssFile, toBase64 } from '../lib/file-upload.ts';

type Format = 'qualtrics' | 'surveymonkey' | 'limesurvey' | 'spss' | 'csv';
const FORMATS: { value: Format; label: string }[] = [
  { value: 'csv', label: 'Plain CSV (one header row)' },
  { value: 'qualtrics', label: 'Qualtrics (CSV export)' },
  { value: 'surveymonkey', label: 'SurveyMonkey (CSV export)' },
  { value: 'limesurvey', label: 'LimeSurvey (R export or .lsr, with its syntax file or .lss)' },
  { value: 'spss', label: 'SPSS (.sav)' },
];
type ValueMap = Record<string, string | number | null>;
interface MappingJson {
  version: 1;
  date: { column: string; format: 'iso' | 'dmy' | 'mdy' } | { value: string };
  respondentId?: { column: string } | null;
  comment?: { columns: string[] } | null;
  touchpoint?: { column: string; values: Record<string, string | null> } | null;
  items?: { column: string; item: string; values?: Record<string, number | null> }[];
  segments?: { column: string; segment: string; values?: Record<string, string | null> }[];
}
interface Column {
  id: string;
  question: string;
  kind: string;
  detail: string;
  values: string[];
  ranks: number[];
  notApplicable: number;
}
/** A row the import leaves out as a Qualtrics survey preview or spam (unless previews are kept). */
interface LeftOut {
  row: number;
  reason: string;
}
interface Counts {
  items: Record<string, number>;
  touchpoints: Record<string, number>;
  months: Record<string, number>;
  comments: number;
}
interface Preview {
  table: { format: string; rows: number; columns: Column[]; notes: string[] };
  mapping: MappingJson;
  mappingOrigin: 'given' | 'saved' | 'suggested';
  suggestion: MappingJson;
  suggestionNotes: string[];
  mappingProblems: string[];
  dryRun: { rows: number; leftOut: LeftOut[]; leftOutTotal?: number; validRows: number; invalidRows: number; counts: Counts; errors: RowError[]; errorCount: number } | null;
  targets: { items: { key: string; label: string; min: number; max: number }[]; touchpoints: { key: string; label: string }[]; segments: { key: string; label: string }[] };
}
interface ImportResult {
  rows: number;
  leftOut: LeftOut[];
  /** How many in all: `leftOut` holds the first of them. */
  leftOutTotal?: number;
  inserted: number;
  skipped: number;
  invalidRows: number;
  errors: RowError[];
  counts: Counts;
  mappingOrigin: string;
  saved: boolean;
}

type Role =
  | { role: 'skip' }
  | { role: 'date'; format: 'iso' | 'dmy' | 'mdy' }
  | { role: 'respondent' }
  | { role: 'comment' }
  | { role: 'touchpoint'; values: Record<string, string | null> }
  | { role: 'item'; item: string; values?: Record<string, number | null> }
  | { role: 'segment'; segment: string; values?: Record<string, string | null> };
type Roles = Record<string, Role>;

const ROLE_LABELS: Record<Role['role'], string> = {
  skip: 'Leave out',
  item: 'Answers an item',
  touchpoint: 'Touchpoint / stage',
  segment: 'Segment',
  date: 'Date',
  respondent: 'Respondent id',
  comment: 'Comment',
};
const SINGLE: Role['role'][] = ['date', 'respondent', 'touchpoint'];

/** A mapping as one role per column (columns the mapping does not name are left out). */
function rolesOf(m: MappingJson, columns: Column[]): Roles {
  const r: Roles = Object.create(null);
  for (const c of columns) r[c.id] = { role: 'skip' };
  if ('column' in m.date) r[m.date.column] = { role: 'date', format: m.date.format };
  if (m.respondentId) r[m.respondentId.column] = { role: 'respondent' };
  for (const c of m.comment?.columns ?? []) r[c] = { role: 'comment' };
  if (m.touchpoint) r[m.touchpoint.column] = { role: 'touchpoint', values: { ...m.touchpoint.values } };
  for (const i of m.items ?? []) r[i.column] = { role: 'item', item: i.item, values: i.values && { ...i.values } };
  for (const s of m.segments ?? []) r[s.column] = { role: 'segment', segment: s.segment, values: s.values && { ...s.values } };
  return r;
}

function mappingOf(roles: Roles, columns: Column[], fixedDate: string): MappingJson {
  const m: MappingJson = { version: 1, date: { value: fixedDate ? `${fixedDate}T00:00:00Z` : '' }, respondentId: null, comment: null, touchpoint: null, items: [], segments: [] };
  const comments: string[] = [];
  for (const c of columns) {
    const r = roles[c.id];
    if (!r) continue;
    if (r.role === 'date') m.date = { column: c.id, format: r.format };
    else if (r.role === 'respondent') m.respondentId = { column: c.id };
    else if (r.role === 'comment') comments.push(c.id);
    else if (r.role === 'touchpoint') m.touchpoint = { column: c.id, values: r.values };
    else if (r.role === 'item') m.items!.push({ column: c.id, item: r.item, ...(r.values ? { values: r.values } : {}) });
    else if (r.role === 'segment') m.segments!.push({ column: c.id, segment: r.segment, ...(r.values ? { values: r.values } : {}) });
  }
  if (comments.length) m.comment = { columns: comments };
  return m;
}

/** The platform an export most likely comes from, from its name and first lines. */
export function guessFormat(name: string, head: string): Format {
  if (/_R_data_file\.csv$/i.test(name) || /\.lsr$/i.test(name) || /<LimeSurveyDocType>\s*Responses/.test(head)) return 'limesurvey';
  const lines = head.replace(/^\uFEFF/, '').split(/\r?\n/, 3);
  if (/^"?V1"?,/.test(lines[0] ?? '') || /\{\s*"*'?ImportId/.test(lines[2] ?? '')) return 'qualtrics';
  if (/(^|,)"?Response"?(,|$)/.test(lines[1] ?? '') && /,,/.test(lines[0] ?? '')) return 'surveymonkey';
  return 'csv';
}

const list = (rec: Record<string, number>) =>
  Object.entries(rec)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}: ${n.toLocaleString()}`)
    .join(' · ') || '—';

/** The rows a Qualtrics export marks as survey previews or spam: left out, one line each. */
function LeftOutRows({ rows, total = rows.length, label }: { rows: LeftOut[]; total?: number; label: string }) {
  if (!total) return null;
  return (
    <div>
      <h4>
        {total.toLocaleString()} {total === 1 ? 'row' : 'rows'} left out as survey previews or spam
        {rows.length < total ? ` (the first ${rows.length.toLocaleString()} shown)` : ''}
      </h4>
      <ul className="small" aria-label={label} tabIndex={0} style={{ maxHeight: 160, overflow: 'auto' }}>
        {rows.map((r) => (
          <li key={r.row}>
            row {r.row}: {r.reason}, left out
          </li>
        ))}
      </ul>
    </div>
  );
}

function Select({ label, value, onChange, children, hideLabel }: { label: string; value: string; onChange: (v: string) => void; children: ReactNode; hideLabel?: boolean }) {
  const id = useId();
  return (
    <span className="field" style={{ display: 'inline-flex', flexDirection: 'column', gap: 2 }}>
      <label htmlFor={id} className={hideLabel ? 'sr-only' : 'small'}>
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </span>
  );
}

/** The values of a stage or verbal column and what each becomes: a touchpoint, a number on the item's scale, or nothing. */
function ValueMapEditor({ column, role, preview, onChange }: { column: Column; role: Role; preview: Preview; onChange: (r: Role) => void }) {
  if (role.role !== 'touchpoint' && !(role.role === 'item' && role.values)) return null;
  const current = (role.values ?? {}) as ValueMap;
  const keys = [...new Set([...Object.keys(current), ...column.values])];
  const set = (k: string, v: string | number | null) => onChange({ ...role, values: { ...current, [k]: v } } as Role);
  const item = role.role === 'item' ? preview.targets.items.find((i) => i.key === role.item) : undefined;
  return (
    <details>
      <summary className="small">
        Values ({keys.length}){role.role === 'item' && item ? `, on ${item.min}–${item.max}` : ''}
      </summary>
      <table className="data small">
        <caption className="sr-only">Values of column {column.id}</caption>
        <thead>
          <tr>
            <th scope="col">In the file</th>
            <th scope="col">{role.role === 'touchpoint' ? 'Touchpoint' : 'Score (blank: not answered)'}</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>
                {role.role === 'touchpoint' ? (
                  <Select label={`Touchpoint for "${k}"`} hideLabel value={current[k] == null ? '' : String(current[k])} onChange={(v) => set(k, v || null)}>
                    <option value="">(no touchpoint)</option>
                    {preview.targets.touchpoints.map((t) => (
                      <option key={t.key} value={t.key}>
                        {t.label}
                      </option>
                    ))}
                  </Select>
                ) : (
                  <input
                    aria-label={`Score for "${k}"`}
                    inputMode="numeric"
                    style={{ width: 72 }}
                    value={current[k] == null ? '' : String(current[k])}
                    onChange={(e) => set(k, e.target.value.trim() === '' || !Number.isFinite(Number(e.target.value)) ? null : Math.trunc(Number(e.target.value)))}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

export default function Import() {
  usePageTitle('Import');
  const { orgId, membership } = useOrg();
  const [file, setFile] = useState<{ name: string; size: number; base64: string } | null>(null);
  const [syntax, setSyntax] = useState<string | undefined>(undefined);
  const [format, setFormat] = useState<Format>('csv');
  const [source, setSource] = useState('');
  const [saveMapping, setSaveMapping] = useState(true);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [includePreviews, setIncludePreviews] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [roles, setRoles] = useState<Roles>(Object.create(null));
  const [fixedDate, setFixedDate] = useState('');
  const [busy, setBusy] = useState<null | 'reading' | 'previewing' | 'importing' | 'saving'>(null);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [edited, setEdited] = useState(false);

  if (!membership.canAdmin)
    return (
      <div className="page">
        <EmptyState title="Import">Only admins can import history from other survey platforms.</EmptyState>
      </div>
    );

  const columns = preview?.table.columns ?? [];
  const mapping = preview ? mappingOf(roles, columns, fixedDate) : null;
  const query = (extra = '', fmt = format, keepPreviews = includePreviews) =>
    `?from=${fmt}${source.trim() ? `&source=${encodeURIComponent(source.trim())}` : ''}${keepPreviews ? '&includePreviews=true' : ''}${extra}`;

  async function runPreview(withMapping: boolean, f = file, fmt = format, keepPreviews = includePreviews) {
    if (!f) return;
    setBusy('previewing');
    setError(null);
    setResult(null);
    setNotice(null);
    try {
      const body: Record<string, unknown> = { file: f.base64 };
      if (syntax) body.syntax = syntax;
      if (withMapping && mapping) body.mapping = mapping;
      const p = await api<Preview>(orgPath(orgId, `imports/preview${query('', fmt, keepPreviews)}`), { method: 'POST', body });
      setPreview(p);
      if (!withMapping) {
        setRoles(rolesOf(p.mapping, p.table.columns));
        setFixedDate('value' in p.mapping.date ? p.mapping.date.value.slice(0, 10) : '');
        setEdited(false);
      }
    } catch (e) {
      setError(e);
      if (!withMapping) setPreview(null);
    } finally {
      setBusy(null);
    }
  }

  async function onFile(list: FileList | null) {
    const f = list?.[0];
    setPreview(null);
    setResult(null);
    setError(null);
    if (!f) return setFile(null);
    setBusy('reading');
    try {
      // A .sav is told by its first bytes, whatever its name (Qualtrics' "SPSS" download included).
      const guessed = (await isSpssFile(f)) ? 'spss' : guessFormat(f.name, await f.slice(0, 8192).text());
      const loaded = { name: f.name, size: f.size, base64: await toBase64(f) };
      setFormat(guessed);
      setFile(loaded);
      setBusy(null);
      await runPreview(false, loaded, guessed);
    } catch (e) {
      setBusy(null);
      setError(e);
    }
  }

  async function runImport() {
    if (!file || !mapping) return;
    setBusy('importing');
    setError(null);
    setNotice(null);
    try {
      const save = saveMapping && source.trim() ? '&save=true' : '';
      const r = await api<ImportResult>(orgPath(orgId, `imports${query(`${save}${skipInvalid ? '&skipInvalid=true' : ''}`)}`), {
        method: 'POST',
        body: { file: file.base64, mapping, ...(syntax ? { syntax } : {}) },
      });
      setResult(r);
      clearApiCache(); // the reports now include the imported history
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  async function runSave() {
    if (!mapping || !source.trim()) return;
    setBusy('saving');
    setError(null);
    try {
      await api(orgPath(orgId, `import-mappings/${encodeURIComponent(source.trim())}`), { method: 'PUT', body: { format, mapping } });
      setNotice(`Mapping saved as source “${source.trim()}”: the next file from this source will use it.`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  const setRole = (columnId: string, next: Role) => {
    setEdited(true);
    setRoles((prev) => {
      const out: Roles = Object.assign(Object.create(null), prev);
      // One column only may be the date, the respondent id or the touchpoint.
      if (SINGLE.includes(next.role)) for (const k of Object.keys(out)) if (out[k]!.role === next.role) out[k] = { role: 'skip' };
      out[columnId] = next;
      return out;
    });
  };
  const roleFor = (c: Column, kind: Role['role'], prev: Role): Role => {
    const sug = preview ? rolesOf(preview.suggestion, columns)[c.id] : undefined;
    if (sug && sug.role === kind) return sug;
    switch (kind) {
      case 'date':
        return { role: 'date', format: /mm\/dd/.test(c.detail) ? 'mdy' : /dd\/mm/.test(c.detail) ? 'dmy' : 'iso' };
      case 'touchpoint':
        return { role: 'touchpoint', values: Object.fromEntries(c.values.map((v) => [v, null])) };
      case 'item': {
        const first = preview?.targets.items[0]?.key ?? 'nps';
        return { role: 'item', item: prev.role === 'item' ? prev.item : first, values: c.kind === 'verbal' ? Object.fromEntries(c.values.map((v, i) => [v, c.ranks[i] ?? i + 1])) : undefined };
      }
      case 'segment':
        return { role: 'segment', segment: preview?.targets.segments[0]?.key ?? '' };
      default:
        return { role: kind } as Role;
    }
  };

  const dateMissing = mapping && 'value' in mapping.date && !fixedDate;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Import history</h1>
        <p>Bring in answers from Qualtrics, SurveyMonkey, LimeSurvey, SPSS (.sav) or any CSV: map the columns, preview, then import.</p>
      </div>
      <div className="stack">
        <section className="card stack" aria-labelledby="imp-file">
          <h2 id="imp-file">1. The file</h2>
          <div className="field">
            <label htmlFor="imp-upload">Export file (CSV) or SPSS (.sav)</label>
            <input id="imp-upload" type="file" accept=".csv,.tsv,.txt,.sav,.lsr,text/csv" onChange={(e) => void onFile(e.target.files)} aria-describedby="imp-upload-help" />
            <span className="help" id="imp-upload-help">
              Up to 32 MiB; larger files import with <code>parallax import --from …</code>. Nothing is written until you press Import.
              Feedback items (reviews, tickets, chats…) have their own page: <Link href="/import/feedback">Feedback batches</Link>.
            </span>
          </div>
          <div className="btn-row" style={{ alignItems: 'flex-end', flexWrap: 'wrap', gap: 12 }}>
            <Select label="Platform" value={format} onChange={(v) => setFormat(v as Format)}>
              {FORMATS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </Select>
            <span className="field" style={{ display: 'inline-flex', flexDirection: 'column', gap: 2 }}>
              <label htmlFor="imp-source" className="small">
                Source name (optional)
              </label>
              <input id="imp-source" value={source} maxLength={80} onChange={(e) => setSource(e.target.value)} aria-describedby="imp-source-help" placeholder="e.g. telecom NPS" />
            </span>
            {format === 'limesurvey' && (
              <span className="field" style={{ display: 'inline-flex', flexDirection: 'column', gap: 2 }}>
                <label htmlFor="imp-syntax" className="small">
                  LimeSurvey structure (R syntax file, .lss or .tsv)
                </label>
                <input id="imp-syntax" type="file" accept=".R,.r,.txt,.lss,.tsv" onChange={async (e) => setSyntax(e.target.files?.[0] ? await e.target.files[0].text() : undefined)} />
              </span>
            )}
            <button type="button" className="btn" disabled={!file || !!busy} onClick={() => void runPreview(false)}>
              Read the file again
            </button>
          </div>
          <p className="help small" id="imp-source-help">
            With a source name, a mapping saved under it is used for this file, and the mapping you import with is saved under it.
          </p>
          {file && (
            <p className="small">
              {file.name} · {(file.size / 1024).toFixed(0)} KiB
              {preview ? ` · read as ${preview.table.format}, ${preview.table.rows.toLocaleString()} responses, ${columns.length} columns` : ''}
            </p>
          )}
          {preview?.table.notes.length ? <p className="muted small">{preview.table.notes.join(' · ')}</p> : null}
        </section>

        <div role="status" aria-live="polite" className={busy ? 'banner info' : undefined}>
          {busy === 'reading' && 'Reading the file…'}
          {busy === 'previewing' && 'Checking every row (nothing is written)…'}
          {busy === 'importing' && 'Importing… one request: this can take a minute for a large file. Please keep this page open.'}
          {busy === 'saving' && 'Saving the mapping…'}
        </div>
        <FailureListBanner error={error} />

        {preview && (
          <section className="card stack" aria-labelledby="imp-map">
            <h2 id="imp-map">2. What each column is</h2>
            <p className="small">
              {preview.mappingOrigin === 'saved'
                ? `Using the mapping saved as source “${source.trim()}”.`
                : preview.mappingOrigin === 'suggested'
                  ? 'Suggested from the columns’ contents and questions: check it, then preview.'
                  : 'Your edited mapping.'}
              {edited ? ' (Edited: preview again to check.)' : ''}
            </p>
            {preview.mappingOrigin === 'suggested' && preview.suggestionNotes.length > 0 && (
              <details>
                <summary className="small">Why the suggestion maps or leaves out each column ({preview.suggestionNotes.length})</summary>
                <ul className="small">
                  {preview.suggestionNotes.map((n, i) => (
                    <li key={i}>{n}</li>
                  ))}
                </ul>
              </details>
            )}
            <div className="table-scroll">
              <table className="data">
                <caption className="sr-only">Columns of the file and what each becomes</caption>
                <thead>
                  <tr>
                    <th scope="col">Column</th>
                    <th scope="col">Holds</th>
                    <th scope="col">Use as</th>
                    <th scope="col">Into</th>
                  </tr>
                </thead>
                <tbody>
                  {columns.map((c) => {
                    const r = roles[c.id] ?? { role: 'skip' };
                    return (
                      <tr key={c.id}>
                        <th scope="row">
                          <code>{c.id}</code>
                          {c.question && c.question !== c.id && <div className="muted small">{c.question.slice(0, 120)}</div>}
                        </th>
                        <td className="small">
                          {c.kind}
                          {c.detail ? `: ${c.detail}` : ''}
                          {c.notApplicable ? ` · ${c.notApplicable} “not applicable” blanked` : ''}
                        </td>
                        <td>
                          <Select label={`Use of column ${c.id}`} hideLabel value={r.role} onChange={(v) => setRole(c.id, roleFor(c, v as Role['role'], r))}>
                            {(Object.keys(ROLE_LABELS) as Role['role'][]).map((k) => (
                              <option key={k} value={k} disabled={k === 'segment' && preview.targets.segments.length === 0}>
                                {ROLE_LABELS[k]}
                              </option>
                            ))}
                          </Select>
                        </td>
                        <td>
                          {r.role === 'item' && (
                            <Select label={`Item for column ${c.id}`} hideLabel value={r.item} onChange={(v) => setRole(c.id, { ...r, item: v })}>
                              {preview.targets.items.map((i) => (
                                <option key={i.key} value={i.key}>
                                  {i.key} ({i.min}–{i.max}) {i.label.slice(0, 50)}
                                </option>
                              ))}
                            </Select>
                          )}
                          {r.role === 'segment' && (
                            <Select label={`Segment for column ${c.id}`} hideLabel value={r.segment} onChange={(v) => setRole(c.id, { ...r, segment: v })}>
                              {preview.targets.segments.map((s) => (
                                <option key={s.key} value={s.key}>
                                  {s.label}
                                </option>
                              ))}
                            </Select>
                          )}
                          {r.role === 'date' && (
                            <Select label={`Date format of column ${c.id}`} hideLabel value={r.format} onChange={(v) => setRole(c.id, { ...r, format: v as 'iso' })}>
                              <option value="iso">yyyy-mm-dd</option>
                              <option value="dmy">dd/mm/yyyy (day first)</option>
                              <option value="mdy">mm/dd/yyyy (month first)</option>
                            </Select>
                          )}
                          <ValueMapEditor column={c} role={r} preview={preview} onChange={(n) => setRole(c.id, n)} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {mapping && 'value' in mapping.date && (
              <div className="field">
                <label htmlFor="imp-fixed-date">Date for every row (the file has no date column)</label>
                <input id="imp-fixed-date" type="date" value={fixedDate} onChange={(e) => setFixedDate(e.target.value)} aria-invalid={dateMissing ? true : undefined} />
              </div>
            )}
            {preview.mappingProblems.length > 0 && (
              <div className="banner error" role="alert">
                <strong>The mapping cannot be used yet:</strong>
                <ul className="small">
                  {preview.mappingProblems.map((p, i) => (
                    <li key={i}>{p}</li>
                  ))}
                </ul>
                {preview.mappingOrigin === 'saved' && (
                  <button
                    type="button"
                    className="btn small"
                    onClick={() => {
                      setRoles(rolesOf(preview.suggestion, columns));
                      setEdited(true);
                    }}
                  >
                    Start from the suggestion instead
                  </button>
                )}
              </div>
            )}
            <div className="btn-row">
              <button type="button" className="btn" disabled={!!busy || !!dateMissing} onClick={() => void runPreview(true)}>
                Preview
              </button>
              <button type="button" className="btn" disabled={!!busy || !source.trim() || !!dateMissing} onClick={() => void runSave()} title={source.trim() ? undefined : 'Give a source name first'}>
                Save mapping{source.trim() ? ` as “${source.trim()}”` : ''}
              </button>
            </div>
            {notice && (
              <p className="banner ok" role="status">
                {notice}
              </p>
            )}
          </section>
        )}

        {preview?.dryRun && (
          <section className="card stack" aria-labelledby="imp-preview">
            <h2 id="imp-preview">3. Preview (nothing written yet)</h2>
            <p>
              <strong>{preview.dryRun.validRows.toLocaleString()}</strong> of {preview.dryRun.rows.toLocaleString()} rows would be imported
              {preview.dryRun.invalidRows ? `; ${preview.dryRun.invalidRows.toLocaleString()} have problems` : ''}.
            </p>
            <dl className="small">
              <dt>Answers per item</dt>
              <dd>{list(preview.dryRun.counts.items)}</dd>
              <dt>Responses per touchpoint</dt>
              <dd>{list(preview.dryRun.counts.touchpoints)}</dd>
              <dt>Per month</dt>
              <dd>{list(preview.dryRun.counts.months)}</dd>
              <dt>Comments</dt>
              <dd>{preview.dryRun.counts.comments.toLocaleString()}</dd>
            </dl>
            <LeftOutRows rows={preview.dryRun.leftOut} total={preview.dryRun.leftOutTotal} label="Rows left out as previews or spam" />
            {(preview.dryRun.leftOut.length > 0 || includePreviews) && (
              <label className="check">
                <input
                  type="checkbox"
                  checked={includePreviews}
                  disabled={!!busy}
                  onChange={(e) => {
                    setIncludePreviews(e.target.checked);
                    void runPreview(true, file, format, e.target.checked);
                  }}
                />{' '}
                Keep survey previews and spam (they are left out by default)
              </label>
            )}
            <Problems errors={preview.dryRun.errors} total={preview.dryRun.errorCount} label="Problems found in the preview" />
            <div className="btn-row" style={{ alignItems: 'center', gap: 16, flexWrap: 'wrap' }}>
              <label className="check">
                <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} /> Skip rows with problems (otherwise all or nothing)
              </label>
              <label className="check">
                <input type="checkbox" checked={saveMapping} disabled={!source.trim()} onChange={(e) => setSaveMapping(e.target.checked)} /> Save the mapping under the source name
              </label>
              <button type="button" className="btn primary" disabled={!!busy || !!dateMissing} aria-busy={busy === 'importing'} onClick={() => void runImport()}>
                {busy === 'importing' ? 'Importing…' : 'Import'}
              </button>
            </div>
          </section>
        )}

        {result && (
          <section className="card stack" aria-labelledby="imp-done" role="status">
            <h2 id="imp-done">Imported</h2>
            <p>
              Imported <strong>{result.inserted.toLocaleString()}</strong> responses
              {result.skipped ? `; ${result.skipped.toLocaleString()} were already imported` : ''}
              {result.invalidRows ? `; skipped ${result.invalidRows.toLocaleString()} rows with problems` : ''}
              {result.leftOut.length ? `; left out ${(result.leftOutTotal ?? result.leftOut.length).toLocaleString()} survey previews or spam` : ''}.
              {result.saved ? ` Mapping saved as source “${source.trim()}”.` : ''}
            </p>
            <dl className="small">
              <dt>Answers per item</dt>
              <dd>{list(result.counts.items)}</dd>
              <dt>Responses per touchpoint</dt>
              <dd>{list(result.counts.touchpoints)}</dd>
            </dl>
            {result.errors.length > 0 && <Problems errors={result.errors} total={result.errors.length} label="Rows skipped" />}
            <p>
              <Link href="/journey">See NPS by touchpoint on the Journey view</Link>
            </p>
          </section>
        )}
      </div>
    </div>
  );
}
