// Set-up → Alerts & webhooks (issue 13): which alerts are raised and how strictly (admins change them,
// analysts see them; GET/PUT …/alert-settings), the latest alerts raised (…/alerts), the outgoing
// webhooks that receive them (WebhooksSettings.tsx, admins only) and the member's own weekly digest
// (DigestSettings.tsx, every role). Owners and viewers see neither settings nor alerts: an alert names
// touchpoints outside their department.
import { useCallback, type FormEvent } from 'react';
import { api } from '../../lib/api.ts';
import { useOrg, orgPath } from '../../lib/org.tsx';
import { useApi } from '../../lib/use-api.ts';
import { ErrorState, EmptyState, Loading } from '../../components/states.tsx';
import { SaveBar, TextField } from '../../components/Field.tsx';
import { useEditor } from './editing.ts';
import { WebhooksSettings } from './WebhooksSettings.tsx';
import { DigestSettings } from './DigestSettings.tsx';
// Types only: core/alerts.ts holds the tests themselves (and jStat), which stay on the server.
import type { AlertKind, AlertSettings as Settings } from '../../../core/alerts.ts';
import { DataTable } from '../../components/DataTable.tsx';

interface RaisedAlert {
  kind: string;
  subject: string;
  period: string;
  summary: string;
  raisedAt: string;
}

/** Each kind (core/alerts.ts) with one plain sentence on what is tested; typed so a new kind is not forgotten. */
export const ALERT_KIND_TEXT: Record<AlertKind, { label: string; tests: string }> = {
  gap_widened: {
    label: 'The gap widens',
    tests: "The month-by-month trend of the headline gap (leaders' expectation minus customers' excellence share) rises by more than chance explains.",
  },
  customer_drop: {
    label: 'Customers rate something lower',
    tests: "A dimension's or touchpoint's customer rating last month is below the three months before, by more than chance explains (one-sided Welch test).",
  },
  sla_backlog: {
    label: 'SLA backlog',
    tests: 'The open follow-up cases past their SLA reach the threshold set below; checked daily.',
  },
  negative_burst: {
    label: 'Negative feedback bursts',
    tests: "A touchpoint's share of negative comments last week is above its own history, by more than chance explains (exact binomial test).",
  },
};
const KINDS = Object.keys(ALERT_KIND_TEXT) as AlertKind[];

type Draft = { kinds: AlertKind[]; alpha: string; slaBacklog: string; email: boolean };
const toDraft = (s: Settings): Draft => ({ kinds: KINDS.filter((k) => s.kinds.includes(k)), alpha: String(s.alpha), slaBacklog: String(s.slaBacklog), email: s.email });
/** A number typed as one, else the text as typed, so the API names the field it refuses. */
const numberOr = (v: string) => (v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);

function AlertSettingsForm() {
  const { orgId, membership } = useOrg();
  const res = useApi<{ settings: Settings }>(orgPath(orgId, 'alert-settings'));
  const persist = useCallback(
    async (d: Draft) =>
      toDraft(
        (
          await api<{ settings: Settings }>(orgPath(orgId, 'alert-settings'), {
            method: 'PUT',
            body: { kinds: d.kinds, alpha: numberOr(d.alpha), slaBacklog: numberOr(d.slaBacklog), email: d.email },
          })
        ).settings,
      ),
    [orgId],
  );
  const ed = useEditor<Draft>(res.data && toDraft(res.data.settings), persist, orgPath(orgId, 'alert-settings'));
  if (res.error && !res.data) return <ErrorState error={res.error} onRetry={res.reload} />;
  if (!ed.draft) return <Loading label="alert settings" lines={6} height={300} />;
  const d = ed.draft;
  const readOnly = !membership.canAdmin;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void ed.save();
  };
  const kindsError = ed.fieldError('kinds');
  return (
    <form className="stack" onSubmit={submit} aria-labelledby="alert-settings-title" noValidate>
      <div>
        <h2 id="alert-settings-title">Alert settings</h2>
        <p className="muted small" style={{ marginTop: 4 }}>
          Alerts are tests, not thresholds on noise: each fires once per subject and period, and only on figures the reports would show.
        </p>
      </div>
      {readOnly && <p className="banner info small">You can see the alert settings; only admins change them.</p>}
      {ed.error && (
        <p className="banner error" role="alert">
          {ed.error}
        </p>
      )}
      <fieldset className="card stack" disabled={readOnly} style={{ margin: 0 }}>
        <legend className="sr-only">Alert settings</legend>
        <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0, gap: 10 }} aria-describedby={kindsError ? 'alert-kinds-error' : undefined}>
          <legend style={{ fontWeight: 650 }}>Alerts raised</legend>
          {KINDS.map((k) => (
            <div key={k}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={d.kinds.includes(k)}
                  aria-describedby={`alert-kind-${k}`}
                  onChange={(e) => ed.setDraft({ ...d, kinds: e.target.checked ? KINDS.filter((x) => x === k || d.kinds.includes(x)) : d.kinds.filter((x) => x !== k) })}
                />{' '}
                {ALERT_KIND_TEXT[k].label}
              </label>
              <p className="small muted" id={`alert-kind-${k}`} style={{ margin: '2px 0 0 22px' }}>
                {ALERT_KIND_TEXT[k].tests}
              </p>
            </div>
          ))}
          {kindsError && (
            <span className="error-text" id="alert-kinds-error">
              {kindsError}
            </span>
          )}
        </fieldset>
        <TextField
          label="Significance level"
          inputMode="text"
          value={d.alpha}
          error={ed.fieldError('alpha')}
          help="How surprising a change must be to raise an alert: the chance of an alert when nothing changed (0.0001 to 0.2; 0.05 is usual). Smaller: fewer, surer alerts."
          onChange={(v) => ed.setDraft({ ...d, alpha: v })}
        />
        <TextField
          label="SLA backlog threshold"
          type="number"
          inputMode="numeric"
          value={d.slaBacklog}
          error={ed.fieldError('slaBacklog')}
          help="Open follow-up cases past their SLA that raise the backlog alert (1 to 100,000)."
          onChange={(v) => ed.setDraft({ ...d, slaBacklog: v })}
        />
        <label className="check">
          <input type="checkbox" checked={d.email} onChange={(e) => ed.setDraft({ ...d, email: e.target.checked })} /> E-mail alerts to the CX lead (the admins
          when no CX lead is set)
        </label>
        {ed.fieldError('email') && <span className="error-text">{ed.fieldError('email')}</span>}
      </fieldset>
      {!readOnly && <SaveBar dirty={ed.dirty} saving={ed.saving} saved={ed.saved} error={ed.error} onReset={ed.reset} />}
    </form>
  );
}

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function RecentAlerts() {
  const { orgId } = useOrg();
  const res = useApi<{ alerts: RaisedAlert[] }>(orgPath(orgId, 'alerts?limit=50'));
  const body = () => {
    if (res.error && !res.data) return <ErrorState error={res.error} onRetry={res.reload} />;
    if (!res.data) return <Loading label="alerts" lines={3} height={100} />;
    if (res.data.alerts.length === 0)
      return (
        <EmptyState title="No alerts raised">
          Alerts are evaluated every 15 minutes by default, on the last full month's figures (the last full week's for negative feedback, the
          open cases for the SLA backlog). Nothing has passed a test yet.
        </EmptyState>
      );
    return (
      <DataTable
        caption="Recent alerts, newest first"
        label="Recent alerts"
        columns={[{ label: 'Alert' }, { label: 'Kind' }, { label: 'Period' }, { label: 'Raised' }]}
      >
        {res.data.alerts.map((a) => (
          <tr key={`${a.kind}:${a.subject}:${a.period}`}>
            <th scope="row" style={{ fontWeight: 'normal' }}>
              {a.summary}
            </th>
            <td>{ALERT_KIND_TEXT[a.kind as AlertKind]?.label ?? a.kind}</td>
            <td>{a.period}</td>
            <td>
              <time dateTime={a.raisedAt}>{when(a.raisedAt)}</time>
            </td>
          </tr>
        ))}
      </DataTable>
    );
  };
  return (
    <section className="stack" aria-labelledby="recent-alerts-title">
      <h2 id="recent-alerts-title">Recent alerts</h2>
      {body()}
    </section>
  );
}

export default function AlertsSettings() {
  const { membership } = useOrg();
  return (
    <div className="stack" style={{ gap: 32 }}>
      {membership.canSetup ? (
        <>
          <AlertSettingsForm />
          <RecentAlerts />
        </>
      ) : (
        <section className="stack" aria-labelledby="alert-settings-title">
          <h2 id="alert-settings-title">Alerts</h2>
          <p className="banner info small">Admins and analysts see the alerts and their settings: an alert can name touchpoints of every department.</p>
        </section>
      )}
      <WebhooksSettings />
      <DigestSettings />
    </div>
  );
}
