// Organisation settings: name, industry (which picks the published benchmarks) and the minimum
// group size below which figures are hidden; below them the widget's sites (WidgetSettings.tsx).
import { useCallback, type FormEvent } from 'react';
import { api } from '../../lib/api.ts';
import { useOrg, orgPath } from '../../lib/org.tsx';
import { useSession } from '../../lib/session.tsx';
import { INDUSTRY_LABELS } from '../../../core/number-format.ts';
import type { Organisation } from '../../lib/types.ts';
import { ErrorState, Loading } from '../../components/states.tsx';
import { useEditor } from './editing.ts';
import { SaveBar, SelectField, TextField } from '../../components/Field.tsx';
import { ReadOnlyNote } from './Setup.tsx';
import { WidgetSettings } from './WidgetSettings.tsx';

type Draft = { name: string; industry: string; minResponses: string };

export default function OrgSettings() {
  const { orgId, org, membership } = useOrg();
  const { refresh } = useSession();
  const loaded: Draft | undefined = org.data && { name: org.data.name, industry: org.data.industry, minResponses: String(org.data.minResponses) };
  const persist = useCallback(
    async (d: Draft) => {
      const min = Number(d.minResponses);
      const saved = await api<Organisation>(`/api/v1/organisations/${encodeURIComponent(orgId)}`, {
        method: 'PATCH',
        body: { name: d.name, industry: d.industry, minResponses: Number.isInteger(min) && d.minResponses.trim() !== '' ? min : d.minResponses },
      });
      org.reload();
      void refresh(); // the organisation's name appears in the switcher
      return { name: saved.name, industry: saved.industry, minResponses: String(saved.minResponses) };
    },
    [orgId, org, refresh],
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
        </fieldset>
        {!readOnly && <SaveBar dirty={ed.dirty} saving={ed.saving} saved={ed.saved} error={ed.error} onReset={ed.reset} />}
      </form>
      <WidgetSettings />
    </div>
  );
}
