// Follow-up cases (issue 13): the case board — counts by state and SLA state, filters, each case's age and
// SLA state — and a case page with the answer that opened it (under the anonymity rules: the comment
// redacted, the contact only with consent), its history, and a form to move it on. Every update carries
// the version the page read; when someone else changed the case meanwhile the page says so and shows the
// current case, so nobody overwrites a colleague's work. Owners see their department's cases; admins and
// analysts all; viewers none (the API says the same).
import { useState } from 'react';
import { Link, Route, Switch } from 'wouter';
import { orgPath, useOrg } from '../lib/org.tsx';
import { useApi } from '../lib/use-api.ts';
import { api, ApiFailure, describeFailure } from '../lib/api.ts';
import { count, fixed, interval, pct } from '../../core/number-format.ts';
import type { CaseDetailView, CaseMetricsView, CaseSummaryView } from '../../server/routes/cases.ts';
import { usePageTitle } from '../components/Shell.tsx';
import { Card } from '../components/Card.tsx';
import { SelectField, TextField } from '../components/Field.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { DataTable } from '../components/DataTable.tsx';

const STATE_LABELS: Record<string, string> = { open: 'Open', in_progress: 'In progress', contacted: 'Contacted', resolved: 'Resolved', closed: 'Closed' };
const SLA_LABELS: Record<string, string> = { on_track: 'On track', due_soon: 'Due soon', breached: 'Breached', met: 'Met' };
const CLOSE_LABELS: Record<string, string> = { could_not_reach: 'Could not reach', no_action_needed: 'No action needed', duplicate: 'Duplicate', declined: 'Customer declined', other: 'Other' };
const SLA_COLOURS: Record<string, string> = { on_track: 'var(--good)', due_soon: '#b45309', breached: 'var(--danger)', met: 'var(--good)' };

interface Board {
  items: CaseSummaryView[];
  next: string | null;
  counts: { total: number; byState: Record<string, number>; bySla: Record<string, number> };
}

const age = (h: number) => (h < 48 ? `${Math.round(h)} h` : `${Math.round(h / 24)} d`);

function SlaBadge({ sla }: { sla: string }) {
  return (
    <span className="chip" style={{ color: SLA_COLOURS[sla], borderColor: 'currentColor', fontWeight: 600 }}>
      {SLA_LABELS[sla] ?? sla}
    </span>
  );
}

function Metrics() {
  const { orgId } = useOrg();
  const m = useApi<CaseMetricsView>(orgPath(orgId, 'case-metrics'));
  if (m.error && !m.data) return <ErrorState error={m.error} onRetry={m.reload} title="The case metrics could not be loaded" />;
  if (!m.data) return <Loading label="case metrics" height={80} />;
  const d = m.data;
  const median = (x: CaseMetricsView['timeToFirstContactHours']) =>
    x.median === null ? '—' : `${fixed(x.median)} h${x.ci95 ? ` (95% CI ${interval(x.ci95)})` : ''} over ${count(x.n)}`;
  const diff = d.npsResolvedVsUnreached.difference;
  return (
    <dl className="small" style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 16px', margin: 0 }}>
      <dt>Median time to first contact</dt>
      <dd style={{ margin: 0 }}>{median(d.timeToFirstContactHours)}</dd>
      <dt>Median time to resolve</dt>
      <dd style={{ margin: 0 }}>{median(d.timeToResolveHours)}</dd>
      <dt>SLA met</dt>
      <dd style={{ margin: 0 }}>
        {d.slaByDepartment.filter((x) => x.compliance !== null).map((x) => `${x.department ?? 'CX lead'} ${pct(x.compliance!)}`).join(' · ') || '—'}
      </dd>
      <dt>NPS, resolved − never reached</dt>
      <dd style={{ margin: 0 }}>{diff ? `${fixed(diff.diff)} points (95% CI ${interval(diff.ci95)}); an association, not an effect` : 'not enough cases to compare'}</dd>
    </dl>
  );
}

function CaseBoard() {
  usePageTitle('Cases');
  const { orgId } = useOrg();
  const [state, setState] = useState('');
  const [sla, setSla] = useState('');
  const q = new URLSearchParams({ limit: '50', ...(state ? { state } : {}), ...(sla ? { sla } : {}) });
  const board = useApi<Board>(orgPath(orgId, `cases?${q}`));
  return (
    <div className="page">
      <div className="page-head">
        <h1>Cases</h1>
        <p>Every answer your case rules pick out, with the team that owns it and the time left to contact the customer.</p>
      </div>
      <div className="grid">
        <Card id="case-metrics" title="How follow-up is going" className="span-12">
          <Metrics />
        </Card>
        <Card id="case-board" title="Case board" hint={board.data ? `${count(board.data.counts.total)} cases` : undefined}>
          <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
            <SelectField
              label="State"
              value={state}
              onChange={setState}
              options={[{ value: '', label: `All states` }, ...Object.entries(STATE_LABELS).map(([value, label]) => ({ value, label: `${label} (${count(board.data?.counts.byState[value] ?? 0)})` }))]}
            />
            <SelectField
              label="SLA"
              value={sla}
              onChange={setSla}
              options={[{ value: '', label: 'Any SLA state' }, ...Object.entries(SLA_LABELS).map(([value, label]) => ({ value, label: `${label} (${count(board.data?.counts.bySla[value] ?? 0)})` }))]}
            />
          </div>
          {board.error && !board.data ? (
            <ErrorState error={board.error} onRetry={board.reload} title="The cases could not be loaded" />
          ) : !board.data ? (
            <Loading label="cases" height={160} />
          ) : board.data.items.length === 0 ? (
            <EmptyState title="No cases here">Cases open when an answer matches one of your case rules.</EmptyState>
          ) : (
            <DataTable
              caption="Cases, newest first"
              scroll={false}
              columns={[{ label: 'Case' }, { label: 'Department' }, { label: 'State' }, { label: 'SLA' }, { label: 'Age', numeric: true }, { label: 'Assignee' }]}
            >
              {board.data.items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link href={`/${encodeURIComponent(c.id)}`}>{c.rule.name}</Link>
                    {c.contactable ? <span className="small muted"> · may be contacted</span> : null}
                  </th>
                  <td>{c.department ?? 'CX lead'}</td>
                  <td>{STATE_LABELS[c.state]}</td>
                  <td>
                    <SlaBadge sla={c.sla} />
                  </td>
                  <td className="num">{age(c.ageHours)}</td>
                  <td>{c.assignee?.name || c.assignee?.email || '—'}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </Card>
      </div>
    </div>
  );
}

function CasePage({ id }: { id: string }) {
  usePageTitle('Case');
  const { orgId, framework } = useOrg();
  const detail = useApi<CaseDetailView>(orgPath(orgId, `cases/${encodeURIComponent(id)}`));
  const [next, setNext] = useState('');
  const [reason, setReason] = useState('could_not_reach');
  const [note, setNote] = useState('');
  const [rootCause, setRootCause] = useState('');
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (detail.error && !detail.data) return <div className="page"><ErrorState error={detail.error} onRetry={detail.reload} title="This case could not be loaded" /></div>;
  if (!detail.data) return <div className="page"><Loading label="case" height={320} /></div>;
  const c = detail.data;
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setMessage(null);
    try {
      await api(orgPath(orgId, `cases/${encodeURIComponent(id)}`), {
        method: 'PATCH',
        body: { version: c.version, ...(next ? { state: next } : {}), ...(next === 'closed' ? { closeReason: reason } : {}), ...(note.trim() ? { note: note.trim() } : {}), ...(rootCause ? { rootCause } : {}) },
      });
      setNext('');
      setNote('');
      setMessage({ ok: true, text: 'Saved.' });
    } catch (err) {
      // Someone else changed the case since this page read it: nothing was written; show the case as it is now.
      if (err instanceof ApiFailure && err.status === 409) setMessage({ ok: false, text: 'Someone else changed this case meanwhile; nothing was saved. Here it is as it is now: check and apply your change again.' });
      else setMessage({ ok: false, text: describeFailure(err) });
    } finally {
      setSaving(false);
      detail.reload();
    }
  };
  return (
    <div className="page">
      <div className="page-head">
        <p className="small"><Link href="/">← All cases</Link></p>
        <h1>{c.rule.name}</h1>
        <p>
          {c.department ?? 'CX lead'} · {STATE_LABELS[c.state]} · <SlaBadge sla={c.sla} /> · first contact due {new Date(c.dueAt).toLocaleString()} · open {age(c.ageHours)}
        </p>
      </div>
      <div className="grid">
        <Card id="case-answer" title="The answer" className="span-6" hint={c.contactable ? 'The customer agreed to be contacted' : 'Anonymous: nobody sees who gave it'}>
          {c.response ? (
            <>
              <table className="data">
                <caption className="sr-only">Answers</caption>
                <tbody>
                  {Object.entries(c.response.answers).map(([k, v]) => (
                    <tr key={k}>
                      <th scope="row">{k}</th>
                      <td className="num">{v}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {c.response.comment && <blockquote style={{ margin: '12px 0 0' }}>{c.response.comment}</blockquote>}
            </>
          ) : (
            <p>The answer has been erased.</p>
          )}
          {c.contact && (
            <p>
              Contact: <a href={`mailto:${c.contact.email}`}>{c.contact.email}</a>
            </p>
          )}
        </Card>
        <Card id="case-update" title="Move it on" className="span-6">
          <form onSubmit={save}>
            <SelectField
              label="Next state"
              value={next}
              onChange={setNext}
              options={[{ value: '', label: `Keep: ${STATE_LABELS[c.state]}` }, ...Object.entries(STATE_LABELS).filter(([v]) => v !== c.state).map(([value, label]) => ({ value, label }))]}
            />
            {next === 'closed' && <SelectField label="Why closed" value={reason} onChange={setReason} options={Object.entries(CLOSE_LABELS).map(([value, label]) => ({ value, label }))} />}
            <SelectField
              label="Root cause"
              value={rootCause || c.rootCause || ''}
              onChange={setRootCause}
              options={[{ value: '', label: 'Not known yet' }, ...(framework.data?.dimensions ?? []).map((d) => ({ value: d.key, label: d.label }))]}
            />
            <TextField label="Note" value={note} onChange={setNote} multiline />
            <button type="submit" className="btn primary" disabled={saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
            <p role="status" aria-live="polite" className="small" style={{ color: message?.ok === false ? 'var(--danger)' : 'var(--good)', fontWeight: 600 }}>
              {message?.text ?? ''}
            </p>
          </form>
        </Card>
        <Card id="case-history" title="History">
          <ol style={{ margin: 0, paddingLeft: 20 }}>
            {c.history.map((h, i) => (
              <li key={i}>
                <span className="muted small">{new Date(h.at).toLocaleString()} · {h.actor}</span> — {h.kind.replace('_', ' ')}
                {typeof h.details.text === 'string' ? `: ${h.details.text}` : h.details.to !== undefined && typeof h.details.to !== 'object' ? `: ${String(h.details.to)}` : ''}
              </li>
            ))}
          </ol>
        </Card>
      </div>
    </div>
  );
}

export default function Cases() {
  const { membership } = useOrg();
  if (membership.role === 'viewer')
    return (
      <div className="page">
        <EmptyState title="Cases">A case is one customer's answer: viewers do not see them.</EmptyState>
      </div>
    );
  return (
    <Switch>
      <Route path="/" component={CaseBoard} />
      <Route path="/:id">{(p: { id: string }) => <CasePage id={decodeURIComponent(p.id)} />}</Route>
    </Switch>
  );
}
