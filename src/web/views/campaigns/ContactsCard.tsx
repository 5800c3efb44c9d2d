// The campaigns view's contacts card: how many contacts there are of each kind and status, and a CSV
// upload through the contacts API — first its dry run, which lists every bad row as "row N, column C:
// reason" and writes nothing, then the upload itself (the API refuses the whole file if any row is bad).
import { useId, useState } from 'react';
import { api, describeFailure } from '../../lib/api.ts';
import { orgPath, useOrg } from '../../lib/org.tsx';
import type { Resource } from '../../lib/use-api.ts';
import { count } from '../../../core/number-format.ts';
import { Card } from '../../components/Card.tsx';
import { ErrorState, Loading } from '../../components/states.tsx';
import { DataTable } from '../../components/DataTable.tsx';

type Kind = 'customer' | 'leader';
type Status = 'active' | 'unsubscribed' | 'bounced';
export interface ContactCounts {
  counts: { kind: Kind; status: Status; count: number }[];
}
interface UploadOutcome {
  dryRun: boolean;
  valid: number;
  created: number;
  updated: number;
  keptInactive: number;
  errors: { row: number; column: string; reason: string }[];
}

const KINDS: { kind: Kind; label: string }[] = [
  { kind: 'customer', label: 'Customers' },
  { kind: 'leader', label: 'Leaders' },
];
const STATUSES: { status: Status; label: string }[] = [
  { status: 'active', label: 'Active' },
  { status: 'unsubscribed', label: 'Unsubscribed' },
  { status: 'bounced', label: 'Bounced' },
];

function CountsTable({ data }: { data: ContactCounts }) {
  const n = (kind: Kind, status?: Status) => data.counts.filter((c) => c.kind === kind && (!status || c.status === status)).reduce((a, c) => a + c.count, 0);
  return (
    <DataTable
      caption="Contacts by kind and status"
      scroll={false}
      columns={[{ label: 'Kind' }, ...STATUSES.map((s) => ({ label: s.label, numeric: true })), { label: 'All', numeric: true }]}
    >
      {KINDS.map((k) => (
        <tr key={k.kind}>
          <th scope="row">{k.label}</th>
          {STATUSES.map((s) => (
            <td key={s.status} className="num">
              {count(n(k.kind, s.status))}
            </td>
          ))}
          <td className="num">{count(n(k.kind))}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function ContactsCard({ counts }: { counts: Resource<ContactCounts> }) {
  const { orgId } = useOrg();
  const inputId = useId();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [check, setCheck] = useState<UploadOutcome | null>(null);
  const [done, setDone] = useState<UploadOutcome | null>(null);
  const [busy, setBusy] = useState<null | 'checking' | 'uploading'>(null);
  const [error, setError] = useState<unknown>(null);

  // The CSV goes to the contacts API as the body itself. The API client sends JSON, and a JSON string body
  // is read by that route exactly as a text/csv one (its body is "CSV text or a JSON batch"), with the
  // same row and column errors.
  const send = (text: string, dryRun: boolean) => api<UploadOutcome>(orgPath(orgId, `contacts${dryRun ? '?dryRun=true' : ''}`), { method: 'POST', body: text });

  async function onFile(list: FileList | null) {
    const f = list?.[0];
    setCheck(null);
    setDone(null);
    setError(null);
    if (!f) return setFile(null);
    setBusy('checking');
    try {
      const text = await f.text();
      setFile({ name: f.name, text });
      setCheck(await send(text, true));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  async function upload() {
    if (!file) return;
    setBusy('uploading');
    setError(null);
    try {
      setDone(await send(file.text, false));
      setCheck(null);
      counts.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card id="cmp-contacts" title="Contacts" className="span-12 stack">
      {counts.error && !counts.data ? <ErrorState error={counts.error} onRetry={counts.reload} title="The contact counts could not be loaded" /> : counts.data ? <CountsTable data={counts.data} /> : <Loading label="contact counts" height={120} />}
      <div className="field">
        <label htmlFor={inputId}>Upload contacts (CSV)</label>
        <input id={inputId} type="file" accept=".csv,text/csv" onChange={(e) => void onFile(e.target.files)} aria-describedby={`${inputId}-help`} />
        <span className="help" id={`${inputId}-help`}>
          Header: <code>email</code> and any of <code>name</code>, <code>language</code>, <code>kind</code> (customer or leader), <code>function</code>, <code>touchpoint</code>,{' '}
          <code>segment:&lt;name&gt;</code>. Up to 10,000 rows and 5 MB. The file is checked first; nothing is written until you press Upload. A known address is updated;
          unsubscribed and bounced contacts stay so.
        </span>
      </div>
      <div role="status" aria-live="polite" className={busy ? 'banner info' : undefined}>
        {busy === 'checking' && 'Checking every row (nothing is written)…'}
        {busy === 'uploading' && 'Uploading…'}
      </div>
      {error ? (
        <div className="banner error" role="alert">
          <strong>Error: </strong>
          {describeFailure(error)}
        </div>
      ) : null}
      {check && file && (
        <div className="stack" aria-labelledby="cmp-check">
          <h3 id="cmp-check">Check of {file.name} (nothing written yet)</h3>
          {check.errors.length > 0 ? (
            <>
              <p>
                {count(check.errors.length)} {check.errors.length === 1 ? 'problem' : 'problems'}: fix the file and choose it again. A file with any bad row is not uploaded.
              </p>
              <ul className="small" aria-label="Problems in the contacts file" style={{ maxHeight: 240, overflow: 'auto' }}>
                {check.errors.map((e, i) => (
                  <li key={i}>
                    row {e.row}, column {e.column}: {e.reason}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>
              Every row is valid: {count(check.created)} new, {count(check.updated)} updated
              {check.keptInactive ? ` (${count(check.keptInactive)} stay unsubscribed or bounced)` : ''}.
            </p>
          )}
          <div className="btn-row">
            <button type="button" className="btn primary" disabled={!!busy || check.errors.length > 0} onClick={() => void upload()}>
              Upload {count(check.valid)} contacts
            </button>
          </div>
        </div>
      )}
      {done && (
        <p className="banner ok" role="status">
          Uploaded: {count(done.created)} new, {count(done.updated)} updated{done.keptInactive ? `, ${count(done.keptInactive)} kept unsubscribed or bounced` : ''}.
        </p>
      )}
    </Card>
  );
}
