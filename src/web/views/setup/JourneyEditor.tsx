// The journey editor: stages in order, each with its touchpoints and the department that owns each
// one (owners see the touchpoints of their department). Saved as a whole (PUT …/journey).
import { useCallback, type FormEvent } from 'react';
import { api } from '../../lib/api.ts';
import { useOrg, orgPath } from '../../lib/org.tsx';
import type { Stage } from '../../lib/types.ts';
import { ErrorState, Loading } from '../../components/states.tsx';
import { keyFrom, useEditor } from './editing.ts';
import { SaveBar, TextField } from '../../components/Field.tsx';
import { ReadOnlyNote } from './Setup.tsx';

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
  const setStage = (i: number, patch: Partial<Stage>) => ed.setDraft({ stages: stages.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const setTp = (i: number, k: number, patch: Partial<Stage['touchpoints'][number]>) =>
    setStage(i, { touchpoints: stages[i]!.touchpoints.map((t, j) => (j === k ? { ...t, ...patch } : t)) });
  const move = (i: number, by: number) => {
    const next = [...stages];
    const [s] = next.splice(i, 1);
    next.splice(i + by, 0, s!);
    ed.setDraft({ stages: next });
  };
  const err = (path: string) => ed.fieldError(`stages.${path}`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void ed.save();
  };

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="jr-title" noValidate>
      <div>
        <h2 id="jr-title">Journey</h2>
        <p className="muted small" style={{ marginTop: 4 }}>
          Stages and touchpoints of the customer journey. Customers pick the touchpoint they are thinking of; each touchpoint’s owner sees its gap.
        </p>
      </div>
      {readOnly && <ReadOnlyNote what="the journey" />}
      {ed.error && (
        <p className="banner error" role="alert">
          {ed.error}
        </p>
      )}
      <ol className="editor-list">
        {stages.map((s, i) => (
          <li key={i} className="editor-item">
            <fieldset style={{ border: 0, padding: 0, margin: 0, display: 'grid', gap: 10 }} disabled={readOnly}>
              <legend style={{ padding: 0 }}>
                <strong>
                  Stage {i + 1}: {s.label || 'new stage'}
                </strong>
              </legend>
              <div className="row two">
                <TextField label="Stage name" value={s.label} error={err(`${i}.label`)} onChange={(v) => setStage(i, { label: v })} />
                <TextField label="Stage key" value={s.key} error={err(`${i}.key`)} onChange={(v) => setStage(i, { key: v })} />
              </div>
              <div className="tp-rows" role="group" aria-label={`Touchpoints of ${s.label || 'this stage'}`}>
                {s.touchpoints.map((t, k) => (
                  <div className="tp-row" key={k}>
                    <TextField
                      label="Touchpoint"
                      value={t.label}
                      error={err(`${i}.touchpoints.${k}.label`)}
                      onChange={(v) => setTp(i, k, t.key ? { label: v } : { label: v, key: keyFrom(v) })}
                    />
                    <TextField label="Key" value={t.key} error={err(`${i}.touchpoints.${k}.key`)} onChange={(v) => setTp(i, k, { key: v })} />
                    <TextField label="Owning department" value={t.department} error={err(`${i}.touchpoints.${k}.department`)} onChange={(v) => setTp(i, k, { department: v })} />
                    {!readOnly && (
                      <button
                        type="button"
                        className="btn small danger"
                        onClick={() => setStage(i, { touchpoints: s.touchpoints.filter((_, j) => j !== k) })}
                        aria-label={`Remove touchpoint ${t.label || k + 1}`}
                      >
                        Remove
                      </button>
                    )}
                  </div>
                ))}
              </div>
              {!readOnly && (
                <div className="btn-row">
                  <button type="button" className="btn small" onClick={() => setStage(i, { touchpoints: [...s.touchpoints, { key: '', label: '', department: '' }] })}>
                    + Touchpoint
                  </button>
                  <button type="button" className="btn small ghost" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move stage ${s.label} earlier`}>
                    ↑ Earlier
                  </button>
                  <button type="button" className="btn small ghost" disabled={i === stages.length - 1} onClick={() => move(i, 1)} aria-label={`Move stage ${s.label} later`}>
                    ↓ Later
                  </button>
                  <button
                    type="button"
                    className="btn small danger"
                    disabled={stages.length === 1}
                    onClick={() => ed.setDraft({ stages: stages.filter((_, j) => j !== i) })}
                    aria-label={`Remove stage ${s.label}`}
                  >
                    Remove stage
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
            <button type="button" className="btn" onClick={() => ed.setDraft({ stages: [...stages, { key: '', label: '', touchpoints: [] }] })}>
              + Add a stage
            </button>
          </div>
          <SaveBar dirty={ed.dirty} saving={ed.saving} saved={ed.saved} error={ed.error} onReset={ed.reset} />
        </>
      )}
    </form>
  );
}
