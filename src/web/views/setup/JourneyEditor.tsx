// The journey editor: stages in order, each with its touchpoints and the department that owns each
// one (owners see the touchpoints of their department). Saved as a whole (PUT …/journey).
import { useCallback } from 'react';
import { api } from '../../lib/api.ts';
import { useOrg, orgPath } from '../../lib/org.tsx';
import type { Stage } from '../../lib/types.ts';
import { ErrorState, Loading } from '../../components/states.tsx';
import { keyFrom, listEdits, useEditor } from './editing.ts';
import { TextField } from '../../components/Field.tsx';
import { EditorForm, EditorItem, MoveButtons, RemoveButton } from './EditorList.tsx';
import { besideField, fieldInWords } from './field-words.ts';

const FIELD_NAMES: Record<string, string> = { label: 'name', key: 'key', department: 'department' };

/** Where a refused path ("stages.2.touchpoints.2.department") points, in the words the form uses. */
function placeOf(path: string[]): { where: string; field: string } | null {
  const [root, stage, part, tp, field] = path;
  if (root !== 'stages' || stage === undefined || !/^\d+$/.test(stage)) return root === 'stages' && path.length === 1 ? { where: 'Journey', field: 'stages' } : null;
  const s = `Stage ${Number(stage) + 1}`;
  if (part === 'touchpoints' && tp !== undefined && /^\d+$/.test(tp)) {
    const name = field === 'label' ? 'touchpoint name' : field === undefined ? 'touchpoint' : (FIELD_NAMES[field] ?? field);
    return { where: `${s}, touchpoint ${Number(tp) + 1}`, field: name };
  }
  if (part === 'touchpoints') return { where: s, field: 'touchpoints' };
  return { where: s, field: part === 'label' ? 'stage name' : part === 'key' ? 'stage key' : (part ?? 'stage') };
}

type Draft = { stages: Stage[] };

export default function JourneyEditor() {
  const { orgId, journey, membership } = useOrg();
  const persist = useCallback(
    async (d: Draft) => {
      const saved = await api<Draft>(orgPath(orgId, 'journey'), { method: 'PUT', body: d });
      journey.reload();
      return saved;
    },
    [orgId, journey],
  );
  const ed = useEditor<Draft>(journey.data, persist, orgPath(orgId, ''));
  const readOnly = !membership.canSetup;
  if (journey.error && !journey.data) return <ErrorState error={journey.error} onRetry={journey.reload} />;
  if (!ed.draft) return <Loading label="the journey" lines={8} height={480} />;
  const stages = ed.draft.stages;
  const list = listEdits(stages, (next) => ed.setDraft({ stages: next }));
  const touchpoints = (i: number) => listEdits(stages[i]!.touchpoints, (next) => list.set(i, { touchpoints: next }));
  // Beside each input, the error in words ("Department is required"); the banner lists them with their place.
  const err = (path: string) => {
    const p = placeOf(['stages', ...path.split('.')]);
    return besideField(p?.field ?? path, ed.fieldError(`stages.${path}`));
  };

  return (
    <EditorForm
      id="jr"
      title="Journey"
      intro="Stages and touchpoints of the customer journey. Customers pick the touchpoint they are thinking of; each touchpoint’s owner sees its gap."
      what="the journey"
      ed={ed}
      inWords={(f) => fieldInWords(f, placeOf)}
      readOnly={readOnly}
      add={{ label: '+ Add a stage', onAdd: () => list.add({ key: '', label: '', touchpoints: [] }) }}
    >
      <ol className="editor-list">
        {stages.map((s, i) => (
          <EditorItem
            key={i}
            title={`Stage ${i + 1}: ${s.label || 'new stage'}`}
            readOnly={readOnly}
            actions={
              <>
                <button type="button" className="btn small" onClick={() => touchpoints(i).add({ key: '', label: '', department: '' })}>
                  + Touchpoint
                </button>
                <MoveButtons i={i} count={stages.length} name={`stage ${s.label}`} words={['earlier', 'later']} onMove={list.move} />
                <RemoveButton name={`Remove stage ${s.label}`} text="Remove stage" disabled={stages.length === 1} onClick={() => list.remove(i)} />
              </>
            }
          >
            <div className="row two">
              <TextField label="Stage name" value={s.label} error={err(`${i}.label`)} onChange={(v) => list.set(i, { label: v })} />
              <TextField label="Stage key" value={s.key} error={err(`${i}.key`)} onChange={(v) => list.set(i, { key: v })} />
            </div>
            <div className="tp-rows" role="group" aria-label={`Touchpoints of ${s.label || 'this stage'}`}>
              {s.touchpoints.map((t, k) => (
                <div className="tp-row" key={k}>
                  <TextField
                    label="Touchpoint"
                    value={t.label}
                    error={err(`${i}.touchpoints.${k}.label`)}
                    onChange={(v) => touchpoints(i).set(k, t.key ? { label: v } : { label: v, key: keyFrom(v) })}
                  />
                  <TextField label="Key" value={t.key} error={err(`${i}.touchpoints.${k}.key`)} onChange={(v) => touchpoints(i).set(k, { key: v })} />
                  <TextField label="Owning department" value={t.department} error={err(`${i}.touchpoints.${k}.department`)} onChange={(v) => touchpoints(i).set(k, { department: v })} />
                  {!readOnly && <RemoveButton name={`Remove touchpoint ${t.label || k + 1}`} onClick={() => touchpoints(i).remove(k)} />}
                </div>
              ))}
            </div>
          </EditorItem>
        ))}
      </ol>
    </EditorForm>
  );
}
