// Feedback batches (issue 9), in the Import area (admins only; the API refuses others): the organisation's
// feedback sources (name, channel, created, their webhook), a form to add one (its signing secret shown once),
// and a CSV / JSON Lines file of items for a source: previewed by the API's dry run (counts and every problem as
// "row N, column C: reason", nothing written), then imported in one request, the result announced in a live
// region. The same import as `parallax feedback import` (POST …/feedback/import).
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api } from '../lib/api.ts';
import { FailureListBanner } from '../components/FormError.tsx';
import { clearApiCache, useApi } from '../lib/use-api.ts';
import { orgPath, useOrg } from '../lib/org.tsx';
import { useSubmit } from '../lib/use-submit.ts';
import { toBase64 } from '../lib/file-upload.ts';
import { CHANNEL_LABEL, channelLabel, type FeedbackChannel } from '../lib/channels.ts';
import { usePageTitle } from '../components/Shell.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { SelectField, TextField } from '../components/Field.tsx';
import { fieldError, FormErrorBanner } from '../components/FormError.tsx';
import { SecretOnce } from '../components/SecretOnce.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { RowProblems, type RowProblem } from '../components/RowProblems.tsx';

interface Source {
  id: string;
  name: string;
  channel: FeedbackChannel;
  createdAt: string;
}
type FileFormat = 'csv' | 'jsonl';
/** POST …/feedback/import's answer (src/server/routes/feedback-import.ts). */
interface ImportAnswer {
  dryRun: boolean;
  format: FileFormat;
  rows: number;
  validRows: number;
  invalidRows: number;
  created: number;
  duplicates: number;
  counts: { rated: number; touchpoints: Record<string, number>; months: Record<string, number> };
  problems: RowProblem[];
  problemCount: number;
}

const CHANNELS = Object.keys(CHANNEL_LABEL) as FeedbackChannel[];
const FORMAT_LABELS: Record<FileFormat, string> = { csv: 'CSV (header row)', jsonl: 'JSON Lines (one item per line)' };
const n = (x: number) => x.toLocaleString();
const when = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });
const list = (rec: Record<string, number>, blank: string) =>
  Object.entries(rec)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k || blank}: ${n(v)}`)
    .join(' · ') || '—';

/** The format a file's name says, else its first character (`{`: JSON Lines), as the CLI decides. */
async function formatOf(file: File): Promise<FileFormat> {
  if (/\.(jsonl|ndjson)$/i.test(file.name)) return 'jsonl';
  if (/\.csv$/i.test(file.name)) return 'csv';
  return (await file.slice(0, 256).text()).replace(/^\uFEFF/, '').trimStart().startsWith('{') ? 'jsonl' : 'csv';
}

function AddSource({ onAdded }: { onAdded: (s: Source & { secret: string }) => void }) {
  const { orgId } = useOrg();
  const [name, setName] = useState('');
  const [channel, setChannel] = useState<FeedbackChannel>('review');
  const { busy, failure, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const s = await api<Source & { secret: string }>(orgPath(orgId, 'feedback-sources'), { method: 'POST', body: { name: name.trim(), channel } });
      setName('');
      onAdded(s);
    });
  };
  return (
    <form className="stack" onSubmit={submit} aria-labelledby="fb-add-title" noValidate>
      <h3 id="fb-add-title" style={{ margin: 0 }}>
        Add a source
      </h3>
      <FormErrorBanner error={failure} notDone="Not added" />
      <TextField label="Source name" value={name} onChange={setName} error={fieldError(failure, 'name')} help="Where the items come from, e.g. Trustpilot or Zendesk (1–100 characters)." />
      <SelectField label="Channel" value={channel} onChange={(v) => setChannel(v as FeedbackChannel)} error={fieldError(failure, 'channel')} options={CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABEL[c] }))} />
      <div>
        <button type="submit" className="btn" disabled={busy || !name.trim()}>
          {busy ? 'Adding…' : 'Add source'}
        </button>
      </div>
    </form>
  );
}

export default function Feedback() {
  usePageTitle('Feedback batches');
  const { orgId, membership } = useOrg();
  const sources = useApi<{ sources: Source[] }>(membership.canAdmin ? orgPath(orgId, 'feedback-sources') : null);
  const [added, setAdded] = useState<(Source & { secret: string }) | null>(null);
  const [sourceId, setSourceId] = useState('');
  const [file, setFile] = useState<{ name: string; size: number; base64: string } | null>(null);
  const [format, setFormat] = useState<FileFormat>('csv');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [busy, setBusy] = useState<null | 'reading' | 'previewing' | 'importing'>(null);
  const [error, setError] = useState<unknown>(null);
  const [preview, setPreview] = useState<ImportAnswer | null>(null);
  const [result, setResult] = useState<ImportAnswer | null>(null);

  if (!membership.canAdmin)
    return (
      <div className="page">
        <EmptyState title="Feedback batches">Only admins can add feedback sources and import feedback files.</EmptyState>
      </div>
    );

  const all = sources.data?.sources ?? [];
  const chosen = all.find((s) => s.id === sourceId) ?? all[0];

  async function send(dryRun: boolean, f = file, fmt = format, src = chosen) {
    if (!f || !src) return;
    setBusy(dryRun ? 'previewing' : 'importing');
    setError(null);
    if (dryRun) setPreview(null);
    setResult(null);
    try {
      const q = `source=${encodeURIComponent(src.id)}&format=${fmt}${dryRun ? '&dryRun=true' : skipInvalid ? '&skipInvalid=true' : ''}`;
      const r = await api<ImportAnswer>(orgPath(orgId, `feedback/import?${q}`), { method: 'POST', body: { file: f.base64 } });
      if (dryRun) setPreview(r);
      else {
        setResult(r);
        setPreview(null);
        clearApiCache(); // the verbatims and themes now hold the items
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  async function onFile(files: FileList | null) {
    const f = files?.[0];
    setPreview(null);
    setResult(null);
    setError(null);
    if (!f) return setFile(null);
    setBusy('reading');
    try {
      const guessed = await formatOf(f);
      const loaded = { name: f.name, size: f.size, base64: await toBase64(f) };
      setFormat(guessed);
      setFile(loaded);
      setBusy(null);
      await send(true, loaded, guessed);
    } catch (e) {
      setBusy(null);
      setError(e);
    }
  }

  return (
    <div className="page">
      <div className="page-head">
        <h1>Feedback batches</h1>
        <p>
          Bring in reviews, tickets, chats, e-mails and interview notes as a CSV or JSON Lines file. They appear in the verbatims and themes with their channel, and never
          change a survey figure. <Link href="/import">Import survey history instead</Link>.
        </p>
      </div>
      <div className="stack">
        <section className="card stack" aria-labelledby="fb-sources">
          <h2 id="fb-sources">1. Sources</h2>
          {added && (
            <SecretOnce value={added.secret} id="fb-secret" copyLabel="Copy secret" copiedLabel="Copied" onDone={() => setAdded(null)}>
              <strong>Source “{added.name}” added.</strong> Its inbound webhook is <code>POST /hooks/feedback/{added.id}</code>; its signing secret is below — copy it now, it
              will not be shown again.
            </SecretOnce>
          )}
          {sources.error && !sources.data ? (
            <ErrorState error={sources.error} onRetry={sources.reload} />
          ) : !sources.data ? (
            <Loading label="sources" height={80} />
          ) : all.length === 0 ? (
            <p className="muted">No source yet: add one below, then import its items.</p>
          ) : (
            <DataTable caption="Feedback sources" className="small" columns={[{ label: 'Name' }, { label: 'Channel' }, { label: 'Created' }, { label: 'Id' }]}>
              {all.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.name}</th>
                  <td>{channelLabel(s.channel)}</td>
                  <td>
                    <time dateTime={s.createdAt}>{when(s.createdAt)}</time>
                  </td>
                  <td>
                    <code style={{ overflowWrap: 'anywhere' }}>{s.id}</code>
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
          {all.length > 0 && (
            <p className="small muted" style={{ margin: 0 }}>
              A help desk or review tool can also push items to a source’s signed webhook, <code>POST /hooks/feedback/&lt;id&gt;</code>, with the secret shown when the
              source was added.
            </p>
          )}
          <AddSource
            onAdded={(s) => {
              setAdded(s);
              setSourceId(s.id);
              sources.reload();
            }}
          />
        </section>

        <section className="card stack" aria-labelledby="fb-file">
          <h2 id="fb-file">2. The file</h2>
          {all.length === 0 ? (
            <p className="muted">Add a source first: every item belongs to one.</p>
          ) : (
            <>
              <SelectField
                label="Source of the items"
                value={chosen?.id ?? ''}
                disabled={!!busy}
                onChange={(v) => {
                  setSourceId(v);
                  const src = all.find((s) => s.id === v);
                  if (file && src) void send(true, file, format, src);
                }}
                options={all.map((s) => ({ value: s.id, label: `${s.name} (${channelLabel(s.channel)})` }))}
              />
              <div className="field">
                <label htmlFor="fb-upload">Feedback file (CSV or JSON Lines)</label>
                <input id="fb-upload" type="file" accept=".csv,.jsonl,.ndjson,.txt,text/csv,application/x-ndjson" disabled={!!busy} onChange={(e) => void onFile(e.target.files)} aria-describedby="fb-upload-help" />
                <span className="help" id="fb-upload-help">
                  UTF-8, up to 32 MiB and 100,000 rows. CSV columns: <code>text</code> (required), <code>external_id</code>, <code>rating</code>, <code>rating_min</code>,{' '}
                  <code>rating_max</code>, <code>touchpoint</code>, <code>author_ref</code>, <code>occurred_at</code>, <code>channel</code>, <code>segment.&lt;name&gt;</code>. Nothing
                  is written until you press Import; items whose external id the source already holds are not stored again.
                </span>
              </div>
              <div className="btn-row" style={{ alignItems: 'flex-end', flexWrap: 'wrap', gap: 12 }}>
                <SelectField
                  label="Format"
                  value={format}
                  disabled={!!busy}
                  onChange={(v) => {
                    setFormat(v as FileFormat);
                    if (file) void send(true, file, v as FileFormat);
                  }}
                  options={(Object.keys(FORMAT_LABELS) as FileFormat[]).map((f) => ({ value: f, label: FORMAT_LABELS[f] }))}
                />
                <button type="button" className="btn" disabled={!file || !!busy} onClick={() => void send(true)}>
                  Preview again
                </button>
              </div>
              {file && (
                <p className="small" style={{ overflowWrap: 'anywhere' }}>
                  {file.name} · {(file.size / 1024).toFixed(0)} KiB
                </p>
              )}
            </>
          )}
        </section>

        <div role="status" aria-live="polite" className={busy ? 'banner info' : undefined}>
          {busy === 'reading' && 'Reading the file…'}
          {busy === 'previewing' && 'Checking every row (nothing is written)…'}
          {busy === 'importing' && 'Importing… one request: please keep this page open.'}
          {result &&
            `Stored ${n(result.created)} of ${n(result.rows)} items${result.duplicates ? `; ${n(result.duplicates)} were already held by the source` : ''}${
              result.invalidRows ? `; left out ${n(result.invalidRows)} rows with problems` : ''
            }.`}
        </div>
        <FailureListBanner error={error} />

        {preview && (
          <section className="card stack" aria-labelledby="fb-preview">
            <h2 id="fb-preview">3. Preview (nothing written yet)</h2>
            <p>
              <strong>{n(preview.created)}</strong> of {n(preview.rows)} items would be stored ({preview.format === 'csv' ? 'CSV' : 'JSON Lines'})
              {preview.duplicates ? `; ${n(preview.duplicates)} already held by the source` : ''}
              {preview.invalidRows ? `; ${n(preview.invalidRows)} rows have problems` : ''}.
            </p>
            <dl className="small">
              <dt>With a rating</dt>
              <dd>{n(preview.counts.rated)}</dd>
              <dt>Per touchpoint</dt>
              <dd>{list(preview.counts.touchpoints, '(none)')}</dd>
              <dt>Per month</dt>
              <dd>{list(preview.counts.months, '—')}</dd>
            </dl>
            <RowProblems errors={preview.problems} total={preview.problemCount} what="row" label="Problems found in the feedback file" />
            <div className="btn-row" style={{ alignItems: 'center', gap: 16, flexWrap: 'wrap' }}>
              {preview.invalidRows > 0 && (
                <label className="check">
                  <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} /> Leave out the rows with problems (otherwise all or nothing)
                </label>
              )}
              <button type="button" className="btn primary" disabled={!!busy} aria-busy={busy === 'importing'} onClick={() => void send(false)}>
                {busy === 'importing' ? 'Importing…' : 'Import'}
              </button>
            </div>
          </section>
        )}

        {result && chosen && (
          <section className="card stack" aria-labelledby="fb-done">
            <h2 id="fb-done">Imported</h2>
            <p>
              {n(result.created)} new {result.created === 1 ? 'item' : 'items'} from “{chosen.name}”. <Link href={`/verbatims?channel=${chosen.channel}`}>See them in the verbatims</Link>.
            </p>
            {result.problemCount > 0 && <RowProblems errors={result.problems} total={result.problemCount} label="Rows left out" />}
          </section>
        )}
      </div>
    </div>
  );
}
