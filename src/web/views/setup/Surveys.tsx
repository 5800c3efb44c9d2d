// Surveys: the customer survey and its leader mirror — on/off, a preview of the questions as
// respondents see them, the customer survey's public link and QR code, and the leaders' personal links
// (the leader survey takes answers only through a personal, single-use link or from logged-in members).
import { useState } from 'react';
import { api, describeFailure } from '../../lib/api.ts';
import { useOrg, orgPath } from '../../lib/org.tsx';
import { useApi } from '../../lib/use-api.ts';
import type { LeaderLink, SurveyDefinition, SurveySummary } from '../../lib/types.ts';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';
import { ReadOnlyNote } from './Setup.tsx';

function Preview({ id }: { id: string }) {
  const s = useApi<SurveyDefinition & { id: string }>(`/api/v1/surveys/${encodeURIComponent(id)}`);
  if (s.error) return <ErrorState error={s.error} onRetry={s.reload} />;
  if (!s.data) return <Loading label="questions" lines={5} height={160} />;
  const d = s.data;
  return (
    <div className="preview">
      <h4>{d.title}</h4>
      <p className="small muted">{d.intro}</p>
      <ol>
        {d.questions.map((q) => (
          <li key={q.key}>
            <div>
              {q.text}
              {q.required && <span className="muted small"> (required)</span>}
            </div>
            <div className="scale">
              {q.kind === 'constant_sum'
                ? `${q.total} points shared across ${q.options?.length ?? 0}: ${(q.options ?? []).map((o) => o.label).join(', ')}`
                : q.options
                ? `Choice of ${q.options.length}`
                : q.kind === 'text'
                  ? 'Open answer'
                  : `${q.min}${q.lowLabel ? ` ${q.lowLabel}` : ''} … ${q.max}${q.highLabel ? ` ${q.highLabel}` : ''}`}
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Personal, single-use links for leaders: made here, each shown once; the list shows only whether used. */
function LeaderLinks({ canEdit }: { canEdit: boolean }) {
  const { orgId } = useOrg();
  // The first page only for its totals: the links themselves are never listed here (each is shown once, when made).
  const list = useApi<{ totals: { made: number; used: number } }>(canEdit ? `${orgPath(orgId, 'leader-links')}?limit=1` : null);
  const [count, setCount] = useState(5);
  const [fn, setFn] = useState('');
  const [made, setMade] = useState<LeaderLink[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ links: LeaderLink[] }>(orgPath(orgId, 'leader-links'), { method: 'POST', body: { count, ...(fn.trim() ? { function: fn.trim() } : {}) } });
      setMade(r.links);
      list.reload();
    } catch (e) {
      setError(describeFailure(e));
    } finally {
      setBusy(false);
    }
  };
  const urls = made.map((l) => `${window.location.origin}${l.path}`);
  return (
    <div className="stack leader-links">
      <p className="small muted">
        Leaders answer through <strong>personal links</strong>: each link takes one response, so nobody can answer in another leader’s name.
        Members can also answer while logged in. The survey’s own address is not shared.
      </p>
      {list.data && (
        <p className="small">
          {list.data.totals.made} personal link{list.data.totals.made === 1 ? '' : 's'} made, {list.data.totals.used} used.
        </p>
      )}
      {canEdit && (
        <form
          style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'flex-end' }}
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <label className="small" style={{ display: 'grid', gap: 2 }}>
            How many
            <input type="number" min={1} max={200} value={count} onChange={(e) => setCount(Math.max(1, Math.min(200, Number(e.target.value) || 1)))} style={{ width: '6em' }} />
          </label>
          <label className="small" style={{ display: 'grid', gap: 2 }}>
            Function (optional)
            <input type="text" maxLength={80} value={fn} placeholder="e.g. Sales" onChange={(e) => setFn(e.target.value)} style={{ maxWidth: '14em' }} />
          </label>
          <button type="submit" className="btn small" disabled={busy}>
            Create personal links
          </button>
        </form>
      )}
      {error && (
        <p className="banner error small" role="alert">
          {error}
        </p>
      )}
      {urls.length > 0 && (
        <div className="stack" aria-live="polite">
          <p className="small">
            <strong>Copy these now:</strong> each is shown only once. Send one to each leader.
          </p>
          <textarea readOnly rows={Math.min(8, urls.length)} value={urls.join('\n')} aria-label="The new personal links, one a line" style={{ width: '100%', fontFamily: 'monospace' }} />
          <div>
            <button
              type="button"
              className="btn small"
              onClick={() => {
                void navigator.clipboard?.writeText(urls.join('\n')).then(() => {
                  setCopied(true);
                  setTimeout(() => setCopied(false), 2000);
                });
              }}
            >
              {copied ? 'Copied' : 'Copy the links'}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function SurveyCard({ s, onChanged, canEdit }: { s: SurveySummary; onChanged: () => void; canEdit: boolean }) {
  const { orgId } = useOrg();
  const [preview, setPreview] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const url = `${window.location.origin}${s.link}`;
  const title = s.perspective === 'customer' ? 'Customer survey' : 'Leader mirror survey';
  const toggle = async (active: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await api(orgPath(orgId, `surveys/${encodeURIComponent(s.id)}`), { method: 'PATCH', body: { active } });
      onChanged();
    } catch (e) {
      setError(describeFailure(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby={`sv-${s.id}`}>
      <div className="survey-card">
        <div className="stack">
          <div className="card-head" style={{ marginBottom: 0 }}>
            <h3 id={`sv-${s.id}`}>
              <span className={`swatch ${s.perspective === 'customer' ? 'customers' : 'leaders'}`} aria-hidden="true" />
              {title}
            </h3>
            <label className="switch">
              <input type="checkbox" role="switch" checked={s.active} disabled={!canEdit || busy} onChange={(e) => void toggle(e.target.checked)} />
              {s.active ? 'Open for answers' : 'Closed'}
            </label>
          </div>
          <p className="small muted">
            {s.perspective === 'customer'
              ? 'Share with customers: by e-mail, on a receipt, in the app. Add ?touchpoint=<key> to a link to tag the answers.'
              : 'For leaders and employees: they predict how customers answer.'}
          </p>
          {s.perspective === 'leader' ? (
            <LeaderLinks canEdit={canEdit} />
          ) : (
            <div className="link-box">
              <code>{url}</code>
              <button
                type="button"
                className="btn small"
                onClick={() => {
                  void navigator.clipboard?.writeText(url).then(() => {
                    setCopied(true);
                    setTimeout(() => setCopied(false), 2000);
                  });
                }}
              >
                {copied ? 'Copied' : 'Copy link'}
              </button>
              <a className="btn small ghost" href={s.link} target="_blank" rel="noreferrer">
                Open<span className="sr-only"> the {title.toLowerCase()} (new tab)</span>
              </a>
            </div>
          )}
          {error && (
            <p className="banner error small" role="alert">
              {error}
            </p>
          )}
          <div>
            <button type="button" className="btn small ghost" aria-expanded={preview} onClick={() => setPreview(!preview)}>
              {preview ? 'Hide the questions' : 'Preview the questions'}
            </button>
          </div>
        </div>
        {s.perspective === 'customer' && (
          <figure style={{ margin: 0, textAlign: 'center' }}>
            <img className="qr" src={`/api/v1/surveys/${encodeURIComponent(s.id)}/qr.svg`} alt={`QR code for the ${title.toLowerCase()} link`} width={132} height={132} />
            <figcaption className="small">
              <a href={`/api/v1/surveys/${encodeURIComponent(s.id)}/qr.svg`} download={`parallax-${s.perspective}-survey-qr.svg`}>
                Download QR
              </a>
            </figcaption>
          </figure>
        )}
      </div>
      {preview && <Preview id={s.id} />}
    </section>
  );
}

export default function Surveys() {
  const { orgId, membership } = useOrg();
  const res = useApi<{ surveys: SurveySummary[] }>(orgPath(orgId, 'surveys'));
  return (
    <div className="stack">
      <div>
        <h2>Surveys</h2>
        <p className="muted small" style={{ marginTop: 4 }}>
          A survey pair, generated from the framework and journey: customers answer one, leaders the mirror.
        </p>
      </div>
      {!membership.canSetup && <ReadOnlyNote what="the surveys" />}
      {res.error && !res.data ? (
        <ErrorState error={res.error} onRetry={res.reload} />
      ) : !res.data ? (
        <Loading label="surveys" height={420} />
      ) : res.data.surveys.length === 0 ? (
        <EmptyState title="No surveys">This organisation has no surveys yet.</EmptyState>
      ) : (
        res.data.surveys.map((s) => <SurveyCard key={s.id} s={s} canEdit={membership.canSetup} onChanged={res.reload} />)
      )}
    </div>
  );
}
