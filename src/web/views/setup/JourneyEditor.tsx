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
  const err = (path: string) => ed.fieldError(`stages.${path}`);

  return (
    <EditorForm
      id="jr"
      title="Journey"
      intro="Stages and touchpoints of the customer journey. Customers pick the touchpoint they are thinking of; each touchpoint’s owner sees its gap."
      what="the journey"
      ed={ed}
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
