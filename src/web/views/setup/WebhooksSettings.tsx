// Outgoing webhooks on the Alerts & webhooks tab (admins only; the API refuses others): the endpoints,
// a form to add one (its signing secret shown once, as the API answers it only then), enable/disable,
// delete, "Send test event", and per endpoint its delivery log, newest first, paged with the API's cursor.
import { useEffect, useState, type FormEvent } from 'react';
import { api, describeFailure } from '../../lib/api.ts';
import { useOrg, orgPath } from '../../lib/org.tsx';
import { useApi } from '../../lib/use-api.ts';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { fieldError, FormErrorBanner } from '../../components/FormError.tsx';
// Types only: the module itself holds node:crypto, which stays on the server.
import type { WebhookEventType, WebhookFormat } from '../../../core/webhooks/webhooks.ts';
import type { DeliveryView, WebhookView } from '../../../server/routes/webhooks.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { useSubmit } from '../../lib/use-submit.ts';
import { SecretOnce } from '../../components/SecretOnce.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';

type Webhook = WebhookView;
type Delivery = DeliveryView;

/** Every event type an endpoint may subscribe to (core/webhooks/webhooks.ts), in words; typed so a new one is not forgotten. */
export const EVENT_LABELS: Record<WebhookEventType, string> = {
  'alert.gap_widened': 'The gap widens',
  'alert.customer_drop': 'Customers rate something lower',
  'alert.sla_backlog': 'SLA backlog',
  'alert.negative_burst': 'Negative feedback bursts',
  'webhook.test': 'Test events',
};
const FORMAT_LABELS: Record<WebhookFormat, string> = {
  standard: 'Standard Webhooks (signed JSON)',
  slack: 'Slack / Microsoft Teams (a "text" message)',
};
const ALERT_EVENTS = (Object.keys(EVENT_LABELS) as WebhookEventType[]).filter((t) => t.startsWith('alert.'));
const PAGE = 10;

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : '—');
const STATE_WORDS: Record<Delivery['state'], string> = { queued: 'Queued', sending: 'Sending', delivered: 'Delivered', failed: 'Failed' };

function AddWebhook({ onAdded }: { onAdded: (secret: string) => void }) {
  const { orgId } = useOrg();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([...ALERT_EVENTS]);
  const [format, setFormat] = useState<WebhookFormat>('standard');
  const { busy, failure, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const r = await api<{ webhook: Webhook; secret: string }>(orgPath(orgId, 'webhooks'), {
        method: 'POST',
        body: { url: url.trim(), description: description.trim() || null, eventTypes: events, format },
      });
      setUrl('');
      setDescription('');
      onAdded(r.secret);
    });
  };
  const eventsError = fieldError(failure, 'eventTypes');
  return (
    <form className="card stack" style={{ margin: 0 }} onSubmit={submit} aria-labelledby="add-webhook-title" noValidate>
      <h3 id="add-webhook-title" style={{ margin: 0 }}>
        Add a webhook
      </h3>
      <FormErrorBanner error={failure} notDone="Not added" />
      <TextField label="URL" type="url" autoComplete="off" value={url} onChange={setUrl} error={fieldError(failure, 'url')} help="An https address that accepts POST requests." />
      <TextField label="Description (optional)" value={description} onChange={setDescription} error={fieldError(failure, 'description')} />
      <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0, gap: 6 }} aria-describedby={eventsError ? 'webhook-events-error' : undefined}>
        <legend className="small" style={{ fontWeight: 650 }}>
          Events sent
        </legend>
        {ALERT_EVENTS.map((t) => (
          <div key={t}>
            <label className="check">
              <input type="checkbox" checked={events.includes(t)} onChange={(e) => setEvents((cur) => (e.target.checked ? [...cur, t] : cur.filter((x) => x !== t)))} />{' '}
              {EVENT_LABELS[t]}
            </label>
          </div>
        ))}
        <p className="small muted" style={{ margin: 0 }}>
          "Send test event" reaches an endpoint whatever it subscribes to.
        </p>
        {eventsError && (
          <span className="error-text" id="webhook-events-error">
            {eventsError}
          </span>
        )}
      </fieldset>
      <SelectField
        label="Format"
        value={format}
        error={fieldError(failure, 'format')}
        options={(Object.keys(FORMAT_LABELS) as WebhookFormat[]).map((f) => ({ value: f, label: FORMAT_LABELS[f] }))}
        onChange={(v) => setFormat(v as WebhookFormat)}
      />
      <div>
        <button type="submit" className="btn primary" disabled={busy || !url.trim()}>
          {busy ? 'Adding…' : 'Add webhook'}
        </button>
      </div>
    </form>
  );
}

/** One endpoint's delivery log, a page at a time ("Older" follows the API's cursor); refreshed while a delivery is in flight. */
function DeliveryLog({ webhook, nonce }: { webhook: Webhook; nonce: number }) {
  const { orgId } = useOrg();
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors[cursors.length - 1];
  const res = useApi<{ deliveries: Delivery[]; next: string | null }>(
    orgPath(orgId, `webhooks/${encodeURIComponent(webhook.id)}/deliveries?limit=${PAGE}${after ? `&after=${encodeURIComponent(after)}` : ''}`),
  );
  const rows = res.data?.deliveries ?? [];
  // A delivery about to be sent or retried soon: look again shortly (a retry hours away is not waited for).
  const soon = rows.some((d) => d.state === 'sending' || (d.state === 'queued' && (!d.nextAttemptAt || Date.parse(d.nextAttemptAt) - Date.now() < 60_000)));
  const { reload } = res;
  // A test event was just queued: back to the newest page, read afresh.
  useEffect(() => {
    if (nonce === 0) return;
    setCursors([]);
    reload();
  }, [nonce, reload]);
  useEffect(() => {
    if (!soon) return;
    const t = setTimeout(reload, 1500);
    return () => clearTimeout(t);
  }, [soon, res.data, reload]);
  const caption = `Delivery log of ${webhook.description || webhook.url}, newest first`;
  return (
    <div className="stack" style={{ gap: 8 }}>
      <h4 style={{ margin: 0 }}>Delivery log</h4>
      {res.error && !res.data ? (
        <ErrorState error={res.error} onRetry={reload} />
      ) : !res.data ? (
        <Loading label="deliveries" height={60} />
      ) : rows.length === 0 ? (
        <p className="muted small" style={{ margin: 0 }}>
          Nothing sent yet. Alerts are sent as they are raised; "Send test event" sends one now.
        </p>
      ) : (
        <DataTable
          caption={caption}
          className="small"
          columns={[{ label: 'Event' }, { label: 'State' }, { label: 'Attempts' }, { label: 'Last status' }, { label: 'Last error' }, { label: 'Created' }, { label: 'Finished or next try' }]}
        >
          {rows.map((d) => (
            <tr key={d.id}>
              <th scope="row">
                <code>{d.eventType}</code>
              </th>
              <td>{STATE_WORDS[d.state]}</td>
              <td>{d.attempts}</td>
              <td>{d.lastStatus ?? (d.attempts ? 'no answer' : '—')}</td>
              <td>{d.lastError ?? '—'}</td>
              <td>
                <time dateTime={d.createdAt}>{when(d.createdAt)}</time>
              </td>
              <td>{d.finishedAt ? <time dateTime={d.finishedAt}>{when(d.finishedAt)}</time> : d.nextAttemptAt ? `next try ${when(d.nextAttemptAt)}` : '—'}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <div className="btn-row">
        <button type="button" className="btn small" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer<span className="sr-only"> deliveries</span>
        </button>
        <button type="button" className="btn small" disabled={!res.data?.next} onClick={() => res.data?.next && setCursors((c) => [...c, res.data!.next!])}>
          Older<span className="sr-only"> deliveries</span>
        </button>
        <button type="button" className="btn small ghost" onClick={reload}>
          Refresh<span className="sr-only"> the delivery log</span>
        </button>
      </div>
    </div>
  );
}

function WebhookCard({ webhook, onChanged }: { webhook: Webhook; onChanged: () => void }) {
  const { orgId } = useOrg();
  const path = orgPath(orgId, `webhooks/${encodeURIComponent(webhook.id)}`);
  const { busy, failure, run } = useSubmit();
  const [note, setNote] = useState('');
  const [nonce, setNonce] = useState(0);
  // The switch moves at once; it goes back if the change is refused.
  const [enabled, setEnabled] = useState(webhook.enabled);
  useEffect(() => setEnabled(webhook.enabled), [webhook.enabled]);
  const name = webhook.description || webhook.url;
  const act = async (f: () => Promise<unknown>, done?: string) => {
    setNote('');
    await run(async () => {
      await f();
      if (done) setNote(done);
    });
  };
  return (
    <li className="card stack" style={{ margin: 0 }} aria-label={`Webhook ${name}`}>
      <div className="card-head" style={{ marginBottom: 0, flexWrap: 'wrap', gap: 8 }}>
        <div>
          <h3 style={{ margin: 0, overflowWrap: 'anywhere' }}>{name}</h3>
          {webhook.description && <p className="small muted" style={{ margin: 0, overflowWrap: 'anywhere' }}>{webhook.url}</p>}
        </div>
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={enabled}
            disabled={busy}
            onChange={(e) => {
              const on = e.target.checked;
              setEnabled(on);
              void act(() => api(path, { method: 'PATCH', body: { enabled: on } }).then(onChanged, (err) => {
                setEnabled(!on);
                throw err;
              }));
            }}
          />
          {enabled ? 'Enabled' : 'Disabled'}
          <span className="sr-only"> {name}</span>
        </label>
      </div>
      <p className="small" style={{ margin: 0 }}>
        {FORMAT_LABELS[webhook.format]} · {webhook.eventTypes.map((t) => EVENT_LABELS[t as WebhookEventType] ?? t).join(', ')}
      </p>
      {failure ? (
        <p className="banner error" role="alert">
          {describeFailure(failure)}
        </p>
      ) : null}
      <div className="btn-row">
        <button
          type="button"
          className="btn small"
          disabled={busy}
          onClick={() => void act(() => api(`${path}/test`, { method: 'POST' }).then(() => setNonce((n) => n + 1)), 'Test event queued: see the delivery log.')}
        >
          Send test event<span className="sr-only"> to {name}</span>
        </button>
        <ConfirmButton
          question={`Delete the webhook ${name}? Its delivery log goes too, and it receives nothing more.`}
          disabled={busy}
          onConfirm={() => void act(() => api(path, { method: 'DELETE' }).then(onChanged))}
        >
          Delete<span className="sr-only"> {name}</span>
        </ConfirmButton>
        <span role="status" aria-live="polite" className="small">
          {note}
        </span>
      </div>
      <DeliveryLog webhook={webhook} nonce={nonce} />
    </li>
  );
}

export function WebhooksSettings() {
  const { orgId, membership } = useOrg();
  const res = useApi<{ webhooks: Webhook[] }>(membership.canAdmin ? orgPath(orgId, 'webhooks') : null);
  const [secret, setSecret] = useState<string | null>(null);
  const intro = (
    <>
      Each raised alert is sent as a signed POST to the endpoints that subscribe to it (Standard Webhooks: <code>webhook-id</code>,{' '}
      <code>webhook-timestamp</code> and an HMAC-SHA256 <code>webhook-signature</code>), retried with growing pauses for about a day when the
      receiver fails.
    </>
  );
  const head = (
    <div>
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="muted small" style={{ marginTop: 4 }}>
        {intro}
      </p>
    </div>
  );
  if (!membership.canAdmin)
    return (
      <section className="stack" aria-labelledby="webhooks-title">
        {head}
        <p className="banner info small">Only admins see and change the webhooks: an endpoint receives the organisation's alerts.</p>
      </section>
    );
  const list = () => {
    if (res.error && !res.data) return <ErrorState error={res.error} onRetry={res.reload} />;
    if (!res.data) return <Loading label="webhooks" height={120} />;
    if (res.data.webhooks.length === 0) return <EmptyState title="No webhooks yet">Add one below to receive alerts in your own systems, Slack or Teams.</EmptyState>;
    return (
      <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Webhooks">
        {res.data.webhooks.map((w) => (
          <WebhookCard key={w.id} webhook={w} onChanged={res.reload} />
        ))}
      </ul>
    );
  };
  return (
    <section className="stack" aria-labelledby="webhooks-title">
      {head}
      {secret && (
        // The API gives the secret once, so this is the only time anyone sees it.
        <SecretOnce value={secret} id="webhook-secret" copyLabel="Copy secret" copiedLabel="Copied" onDone={() => setSecret(null)}>
          <strong>Webhook added. Its signing secret:</strong> copy it into your receiver now — it will not be shown again. Receivers check each request's{' '}
          <code>webhook-signature</code> with it.
        </SecretOnce>
      )}
      {list()}
      <AddWebhook
        onAdded={(s) => {
          setSecret(s);
          res.reload();
        }}
      />
    </section>
  );
}
