// The gap framework editor: dimensions with their customer item and the leaders' mirror item,
// added, removed, reordered and saved as a whole (PUT …/framework). A dimension's key stays fixed
// once saved, because answers are stored by key and history must survive a relabelling.
import { useCallback } from 'react';
import { api } from '../../lib/api.ts';
import { useOrg, orgPath } from '../../lib/org.tsx';
import type { Dimension } from '../../lib/types.ts';
import { ErrorState, Loading } from '../../components/states.tsx';
import { listEdits, useEditor } from './editing.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { EditorForm, EditorItem, LabelAndKey, MoveButtons, RemoveButton } from './EditorList.tsx';

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
  const list = listEdits(dims, (dimensions) => ed.setDraft({ dimensions }));
  const err = (i: number, f: string) => ed.fieldError(`dimensions.${i}.${f}`);

  return (
    <EditorForm
      id="fw"
      title="Gap framework"
      intro="Each dimension is measured from both sides: customers rate it, leaders predict how customers rate it. Changes apply to surveys from now on; answers already given stay with their dimension."
      what="the framework"
      ed={ed}
      readOnly={readOnly}
      listField="dimensions"
      add={{
        label: '+ Add a dimension',
        disabled: dims.length >= 30,
        onAdd: () => list.add({ key: '', label: '', customerItem: '', leaderItem: '', source: 'custom', isNew: true }),
      }}
    >
      <ol className="editor-list">
        {dims.map((d, i) => (
          <EditorItem
            key={d.isNew ? `new-${i}` : d.key}
            title={`${i + 1}. ${d.label || 'New dimension'}`}
            readOnly={readOnly}
            actions={
              <>
                <MoveButtons i={i} count={dims.length} name={d.label || 'dimension'} onMove={list.move} />
                <RemoveButton name={`Remove ${d.label || 'dimension'}`} disabled={dims.length === 1} onClick={() => list.remove(i)} />
              </>
            }
          >
            <div className="row two">
              <LabelAndKey item={d} error={(f) => err(i, f)} newHelp="Fixed once saved" fixedHelp="Fixed: answers are stored by key" onChange={(patch) => list.set(i, patch)} />
            </div>
            {/* On a row of its own, so its longest option ("Named gap (Stellar Elements)") is never cut off at 360–1280 px. */}
            <div style={{ maxWidth: 360 }}>
              <SelectField label="Source" value={d.source ?? 'custom'} options={SOURCES} onChange={(v) => list.set(i, { source: v as Dimension['source'] })} />
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
                  onChange={(v) => list.set(i, { customerItem: v })}
                />
                <label className="check">
                  <input type="checkbox" checked={d.customerItem === null} onChange={(e) => list.set(i, { customerItem: e.target.checked ? null : '' })} />
                  Leaders only (e.g. AI readiness)
                </label>
              </div>
              <TextField label="Leaders are asked (the mirror)" multiline value={d.leaderItem} error={err(i, 'leaderItem')} onChange={(v) => list.set(i, { leaderItem: v })} />
            </div>
          </EditorItem>
        ))}
      </ol>
    </EditorForm>
  );
}
