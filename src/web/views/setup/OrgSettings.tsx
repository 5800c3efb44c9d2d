// Organisation settings: name, industry (which picks the published benchmarks), the minimum group size
// below which figures are hidden, and the CX lead (who receives overdue cases' last escalation and alert
// e-mails; admins choose, from the members); below them the widget's sites (WidgetSettings.tsx).
import { useCallback, type FormEvent } from 'react';
import { api } from '../../lib/api.ts';
import { useOrg, orgPath } from '../../lib/org.tsx';
import { useSession } from '../../lib/session.tsx';
import { INDUSTRY_LABELS } from '../../../core/number-format.ts';
import { useApi } from '../../lib/use-api.ts';
import type { Member, Organisation } from '../../lib/types.ts';
import { ErrorState, Loading } from '../../components/states.tsx';
import { useEditor } from './editing.ts';
import { SaveBar, SelectField, TextField } from '../../components/Field.tsx';
import { ReadOnlyNote } from './Setup.tsx';
import { WidgetSettings } from './WidgetSettings.tsx';

// cxLeadUserId: '' for none (the admins act as CX lead).
type Draft = { name: string; industry: string; minResponses: string; cxLeadUserId: string };

const draftOf = (o: Organisation): Draft => ({ name: o.name, industry: o.industry, minResponses: String(o.minResponses), cxLeadUserId: o.cxLeadUserId ?? '' });

export default function OrgSettings() {
  const { orgId, org, membership } = useOrg();
  const { refresh } = useSession();
  const loaded: Draft | undefined = org.data && draftOf(org.data);
  const canAdmin = membership.canAdmin;
  // Only admins may list members and choose the CX lead; one page of the most the API gives (200).
  const members = useApi<{ members: Member[]; next: string | null }>(canAdmin ? orgPath(orgId, 'members?limit=200') : null);
  const persist = useCallback(
    async (d: Draft) => {
      const min = Number(d.minResponses);
      const saved = await api<Organisation>(`/api/v1/organisations/${encodeURIComponent(orgId)}`, {
        method: 'PATCH',
        body: {
          name: d.name,
          industry: d.industry,
          minResponses: Number.isInteger(min) && d.minResponses.trim() !== '' ? min : d.minResponses,
          // An analyst's save leaves the CX lead alone (the API allows only admins to set it).
          ...(canAdmin ? { cxLeadUserId: d.cxLeadUserId || null } : {}),
        },
      });
      org.reload();
      void refresh(); // the organisation's name appears in the switcher
      return draftOf(saved);
    },
    [orgId, org, refresh, canAdmin],
  );
  const ed = useEditor<Draft>(loaded, persist, orgPath(orgId, ''));
  if (org.error && !org.data) return <ErrorState error={org.error} onRetry={org.reload} />;
  if (!ed.draft) return <Loading label="settings" lines={4} height={260} />;
  const d = ed.draft;
  const readOnly = !membership.canSetup;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void ed.save();
  };
  return (
    <div className="stack" style={{ gap: 32 }}>
      <form className="stack" onSubmit={submit} aria-labelledby="org-title" noValidate>
        <div>
          <h2 id="org-title">Organisation</h2>
          <p className="muted small" style={{ marginTop: 4 }}>
            The industry chooses the published benchmarks shown beside your gap.
          </p>
        </div>
        {readOnly && <ReadOnlyNote what="these settings" />}
        <fieldset className="card stack" disabled={readOnly} style={{ margin: 0 }}>
          <legend className="sr-only">Organisation settings</legend>
          <TextField label="Name" value={d.name} error={ed.fieldError('name')} onChange={(v) => ed.setDraft({ ...d, name: v })} />
          <SelectField
            label="Industry"
            value={d.industry}
            error={ed.fieldError('industry')}
            options={Object.entries(INDUSTRY_LABELS).map(([value, label]) => ({ value, label }))}
            onChange={(v) => ed.setDraft({ ...d, industry: v })}
          />
          <TextField
            label="Minimum responses per group"
            type="number"
            inputMode="numeric"
            value={d.minResponses}
            error={ed.fieldError('minResponses')}
            help="Any figure from fewer respondents than this is hidden, so no one can be singled out (3 to 1,000; 5 is the default)."
            onChange={(v) => ed.setDraft({ ...d, minResponses: v })}
          />
          {canAdmin ? (
            <SelectField
              label="CX lead"
              value={d.cxLeadUserId}
              error={ed.fieldError('cxLeadUserId') ?? (members.error ? 'The members could not be loaded; reload the page to choose a CX lead.' : undefined)}
              options={[
                { value: '', label: 'None: the admins' },
                ...(members.data?.members ?? []).map((m) => ({ value: m.userId, label: m.name ? `${m.name} (${m.email})` : m.email })),
                // A lead beyond the first page of members still shows as chosen.
                ...(d.cxLeadUserId && !(members.data?.members ?? []).some((m) => m.userId === d.cxLeadUserId) ? [{ value: d.cxLeadUserId, label: 'The current CX lead' }] : []),
              ]}
              onChange={(v) => ed.setDraft({ ...d, cxLeadUserId: v })}
            />
          ) : (
            <p className="muted small">
              CX lead: {d.cxLeadUserId ? 'a member chosen by an admin' : 'none, so the admins'}. The CX lead receives the last escalation of overdue follow-up cases and the alert e-mails; only an admin can change who it is.
            </p>
          )}
          {canAdmin && (
            <p className="muted small" style={{ marginTop: -8 }}>
              The CX lead receives the last escalation of overdue follow-up cases and the alert e-mails. With none chosen, or once the chosen member leaves, the admins do.
            </p>
          )}
        </fieldset>
        {!readOnly && <SaveBar dirty={ed.dirty} saving={ed.saving} saved={ed.saved} error={ed.error} onReset={ed.reset} />}
      </form>
      <WidgetSettings />
    </div>
  );
}
