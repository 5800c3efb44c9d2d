// The gap framework editor: dimensions with their customer item and the leaders' mirror item,
// added, removed, reordered and saved as a whole (PUT …/framework). A dimension's key stays fixed
// once saved, because answers are stored by key and history must survive a relabelling.
import { useCallback, type FormEvent } from 'react';
import { api } from '../../lib/api.ts';
import { useOrg, orgPath } from '../../lib/org.tsx';
import type { Dimension } from '../../lib/types.ts';
import { ErrorState, Loading } from '../../components/states.tsx';
import { keyFrom, useEditor } from './editing.ts';
import { SaveBar, SelectField, TextField } from '../../components/Field.tsx';
import { ReadOnlyNote } from './Setup.tsx';

const SOURCES = [
  { value: 'named-gap', label: 'Named gap (Stellar Elements)' },
  { value: 'servqual', label: 'SERVQUAL' },
  { value: 'custom', label: 'Custom' },
];

type Draft = { dimensions: (Dimension & { isNew?: boolean })[] };

export function FrameworkEditor() {
  const { orgId, framework, membership } = useOrg();
  const persist = useCallback(
    async (d: Draft) => {
      const body = { dimensions: d.dimensions.map(({ isNew: _n, ...dim }) => dim) };
      const saved = await api<{ dimensions: Dimension[] }>(orgPath(orgId, 'framework'), { method: 'PUT', body });
      framework.reload();
      return saved as Draft;
    },
    [orgId, framework],
  );
  const ed = useEditor<Draft>(framework.data, persist, orgPath(orgId, ''));
  const readOnly = !membership.canSetup;

  if (framework.error && !framework.data) return <ErrorState error={framework.error} onRetry={framework.reload} />;
  if (!ed.draft) return <Loading label="the framework" lines={8} height={480} />;
  const dims = ed.draft.dimensions;
  const set = (i: number, patch: Partial<Dimension & { isNew?: boolean }>) =>
    ed.setDraft({ dimensions: dims.map((d, j) => (j === i ? { ...d, ...patch } : d)) });
  const move = (i: number, by: number) => {
    const next = [...dims];
    const [d] = next.splice(i, 1);
    next.splice(i + by, 0, d!);
    ed.setDraft({ dimensions: next });
  };
  const err = (i: number, f: string) => ed.fieldError(`dimensions.${i}.${f}`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void ed.save();
  };

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="fw-title" noValidate>
      <div>
        <h2 id="fw-title">Gap framework</h2>
        <p className="muted small" style={{ marginTop: 4 }}>
          Each dimension is measured from both sides: customers rate it, leaders predict how customers rate it. Changes apply to surveys from now on;
          answers already given stay with their dimension.
        </p>
      </div>
      {readOnly && <ReadOnlyNote what="the framework" />}
      {ed.error && !ed.fieldError('dimensions') && (
        <p className="banner error" role="alert">
          {ed.error}
        </p>
      )}
      <ol className="editor-list">
        {dims.map((d, i) => (
          <li key={d.isNew ? `new-${i}` : d.key} className="editor-item">
            <fieldset style={{ border: 0, padding: 0, margin: 0, display: 'grid', gap: 10 }} disabled={readOnly}>
              <legend className="item-head" style={{ width: '100%', padding: 0 }}>
                <strong>
                  {i + 1}. {d.label || 'New dimension'}
                </strong>
              </legend>
              <div className="row">
                <TextField label="Label" value={d.label} error={err(i, 'label')} onChange={(v) => set(i, d.isNew ? { label: v, key: keyFrom(v) } : { label: v })} />
                <TextField
                  label="Key"
                  value={d.key}
                  readOnly={!d.isNew}
                  error={err(i, 'key')}
                  help={d.isNew ? 'Fixed once saved' : 'Fixed: answers are stored by key'}
                  onChange={(v) => set(i, { key: v })}
                />
                <SelectField label="Source" value={d.source ?? 'custom'} options={SOURCES} onChange={(v) => set(i, { source: v as Dimension['source'] })} />
              </div>
              <div className="row two">
                <div className="stack" style={{ gap: 6 }}>
                  <TextField
                    label="Customers are asked"
                    multiline
                    value={d.customerItem ?? ''}
                    disabled={d.customerItem === null}
                    error={err(i, 'customerItem')}
                    help={d.customerItem === null ? 'Leaders only: customers are not asked.' : '{org} becomes the organisation’s name.'}
                    onChange={(v) => set(i, { customerItem: v })}
                  />
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={d.customerItem === null}
                      onChange={(e) => set(i, { customerItem: e.target.checked ? null : '' })}
                    />
                    Leaders only (e.g. AI readiness)
                  </label>
                </div>
                <TextField label="Leaders are asked (the mirror)" multiline value={d.leaderItem} error={err(i, 'leaderItem')} onChange={(v) => set(i, { leaderItem: v })} />
              </div>
              {!readOnly && (
                <div className="btn-row">
                  <button type="button" className="btn small ghost" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move ${d.label || 'dimension'} up`}>
                    ↑ Up
                  </button>
                  <button
                    type="button"
                    className="btn small ghost"
                    disabled={i === dims.length - 1}
                    onClick={() => move(i, 1)}
                    aria-label={`Move ${d.label || 'dimension'} down`}
                  >
                    ↓ Down
                  </button>
                  <button
                    type="button"
                    className="btn small danger"
                    disabled={dims.length === 1}
                    onClick={() => ed.setDraft({ dimensions: dims.filter((_, j) => j !== i) })}
                    aria-label={`Remove ${d.label || 'dimension'}`}
                  >
                    Remove
                  </button>
                </div>
              )}
            </fieldset>
          </li>
        ))}
      </ol>
      {!readOnly && (
        <>
          <div>
            <button
              type="button"
              className="btn"
              disabled={dims.length >= 30}
              onClick={() =>
                ed.setDraft({ dimensions: [...dims, { key: '', label: '', customerItem: '', leaderItem: '', source: 'custom', isNew: true }] })
              }
            >
              + Add a dimension
            </button>
          </div>
          <SaveBar dirty={ed.dirty} saving={ed.saving} saved={ed.saved} error={ed.error} onReset={ed.reset} />
        </>
      )}
    </form>
  );
}
