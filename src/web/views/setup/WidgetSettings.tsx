// Organisation settings, part two: the web sites that may show the customer survey in the embeddable
// widget (the organisation's `widgetOrigins`, saved by PATCH /organisations/:org), and the snippet to
// paste on those sites, with a touchpoint picker. Admins change the sites; others see them.
import { useCallback, useState } from 'react';
import { api } from '../../lib/api.ts';
import { useOrg, orgPath } from '../../lib/org.tsx';
import { useApi } from '../../lib/use-api.ts';
import type { Organisation, SurveySummary } from '../../lib/types.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { useEditor, listEdits } from './editing.ts';
import { EditorForm, RemoveButton } from './EditorList.tsx';

/** What the API takes at most (src/server/widget/origins.ts MAX_WIDGET_ORIGINS). */
const MAX_ORIGINS = 20;

/** The HTML a site pastes; attribute values escaped for a double-quoted attribute. */
export function widgetSnippet(base: string, surveyId: string, touchpoint: string): string {
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<script src="${attr(base)}/widget.js" data-survey="${attr(surveyId)}"${touchpoint ? ` data-touchpoint="${attr(touchpoint)}"` : ''} async></script>`;
}

function Snippet() {
  const { orgId, journey } = useOrg();
  const surveys = useApi<{ surveys: SurveySummary[] }>(orgPath(orgId, 'surveys'));
  const [touchpoint, setTouchpoint] = useState('');
  const [copied, setCopied] = useState(false);
  const survey = surveys.data?.surveys.find((s) => s.perspective === 'customer');
  if (!survey) return null;
  // The dashboard is served by the same Parallax that serves /widget.js and the survey.
  const code = widgetSnippet(window.location.origin, survey.id, touchpoint);
  const options = [{ value: '', label: 'None: the survey asks' }];
  for (const s of journey.data?.stages ?? []) for (const t of s.touchpoints) options.push({ value: t.key, label: `${s.label} · ${t.label}` });
  return (
    <div className="card stack" style={{ margin: 0 }}>
      <h3 style={{ margin: 0 }}>Snippet for your pages</h3>
      <p className="muted small" style={{ margin: 0 }}>
        Paste it where the customer survey should appear{survey.active ? '' : ' (the customer survey is switched off: turn it on under Surveys first)'}. Pick the touchpoint the page stands for, so the
        survey records it without asking.
      </p>
      <SelectField label="Touchpoint of the page" value={touchpoint} options={options} onChange={setTouchpoint} />
      <div className="link-box">
        <code id="widget-snippet">{code}</code>
        <button
          type="button"
          className="btn small"
          onClick={() => {
            void navigator.clipboard?.writeText(code).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 2000);
            });
          }}
        >
          {copied ? 'Copied' : 'Copy snippet'}
        </button>
      </div>
    </div>
  );
}

export function WidgetSettings() {
  const { orgId, org, membership } = useOrg();
  const loaded = org.data && (org.data.widgetOrigins ?? []);
  const persist = useCallback(
    async (origins: string[]) => {
      const saved = await api<Organisation>(`/api/v1/organisations/${encodeURIComponent(orgId)}`, { method: 'PATCH', body: { widgetOrigins: origins } });
      org.reload();
      // The server stores each origin as browsers write it: show that form.
      return saved.widgetOrigins ?? [];
    },
    [orgId, org],
  );
  const ed = useEditor<string[]>(loaded, persist, orgPath(orgId, ''));
  if (!ed.draft) return null;
  const origins = ed.draft;
  const intro = 'The customer survey can be shown inside an iframe only on these sites: scheme, host and optional port, such as https://shop.example. None: the widget is off.';
  if (!membership.canAdmin)
    return (
      <section className="stack" aria-labelledby="widget-title">
        <div>
          <h2 id="widget-title">Survey on your web site</h2>
          <p className="muted small" style={{ marginTop: 4 }}>
            {intro}
          </p>
        </div>
        <p className="banner info small">Only admins change these sites.</p>
        {origins.length === 0 ? <p>No sites: the widget is off.</p> : <ul aria-label="Sites that may show the survey">{origins.map((o, i) => <li key={i}>{o}</li>)}</ul>}
        <Snippet />
      </section>
    );
  // listEdits' set merges objects; the origins are strings, so only its add and remove are used.
  const edits = listEdits(origins, ed.setDraft);
  return (
    <div className="stack">
      <EditorForm
        id="widget"
        title="Survey on your web site"
        intro={intro}
        what="the sites"
        ed={ed}
        readOnly={false}
        listField="widgetOrigins"
        add={{ label: 'Add a site', disabled: origins.length >= MAX_ORIGINS, onAdd: () => edits.add('') }}
      >
        {ed.fieldError('widgetOrigins') && (
          <p className="error-text" role="alert">
            {ed.fieldError('widgetOrigins')}
          </p>
        )}
        {origins.length === 0 ? (
          <p className="muted">No sites: the widget is off.</p>
        ) : (
          <ol className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {origins.map((o, i) => (
              <li key={i} style={{ display: 'flex', gap: 8, alignItems: 'flex-end' }}>
                <div style={{ flex: 1 }}>
                  <TextField label={`Site ${i + 1}`} value={o} type="url" autoComplete="off" error={ed.fieldError(`widgetOrigins.${i}`)} onChange={(v) => ed.setDraft(origins.map((x, j) => (j === i ? v : x)))} />
                </div>
                <RemoveButton name={`Remove site ${i + 1}${o ? ` (${o})` : ''}`} onClick={() => edits.remove(i)} />
              </li>
            ))}
          </ol>
        )}
      </EditorForm>
      <Snippet />
    </div>
  );
}
