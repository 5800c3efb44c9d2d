// The frame the list editors of the set-up share (framework, journey, segments): a form saved as a whole
// with its title, read-only note, error banner, add button and save bar; one item of the list as a
// fieldset; and an item's label with the key made from it, fixed once saved.
import type { FormEvent, ReactNode } from 'react';
import type { FieldError } from '../../lib/api.ts';
import type { Editor } from './editing.ts';
import { keyFrom } from './editing.ts';
import { SaveBar, TextField } from '../../components/Field.tsx';
import { ReadOnlyNote } from './Setup.tsx';

export function EditorForm<T>({
  id,
  title,
  intro,
  what,
  ed,
  readOnly,
  listField,
  inWords,
  add,
  children,
}: {
  /** Prefix of the heading's id, which names the form. */
  id: string;
  title: string;
  intro: ReactNode;
  /** What the read-only note says cannot be changed ("the journey"). */
  what: string;
  ed: Editor<T>;
  readOnly: boolean;
  /** The list's own field: its error is shown beside the list, so the banner leaves it out. */
  listField?: string;
  /** Words for a refused field ("Stage 3, touchpoint 3: department is required"); the banner lists them instead of the API's paths. */
  inWords?: (f: FieldError) => string;
  add: { label: string; disabled?: boolean; onAdd: () => void };
  children: ReactNode;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void ed.save();
  };
  return (
    <form className="stack" onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
      <div>
        <h2 id={`${id}-title`}>{title}</h2>
        <p className="muted small" style={{ marginTop: 4 }}>
          {intro}
        </p>
      </div>
      {readOnly && <ReadOnlyNote what={what} />}
      {ed.error && !(listField && ed.fieldError(listField)) &&
        (inWords && ed.fieldErrors.length > 0 ? (
          <div className="banner error" role="alert">
            <p style={{ margin: 0 }}>Not saved. Fix {ed.fieldErrors.length === 1 ? 'this' : `these ${ed.fieldErrors.length}`}, marked beside each field:</p>
            <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
              {ed.fieldErrors.map((f) => (
                <li key={f.field}>{inWords(f)}</li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="banner error" role="alert">
            {ed.error}
          </p>
        ))}
      {children}
      {!readOnly && (
        <>
          <div>
            <button type="button" className="btn" disabled={add.disabled} onClick={add.onAdd}>
              {add.label}
            </button>
          </div>
          <SaveBar
            dirty={ed.dirty}
            saving={ed.saving}
            saved={ed.saved}
            error={inWords && ed.fieldErrors.length > 0 ? `${ed.fieldErrors.length === 1 ? 'one field' : `${ed.fieldErrors.length} fields`} to fix, listed above` : ed.error}
            onReset={ed.reset}
          />
        </>
      )}
    </form>
  );
}

/** One item of an editor's list; its actions (buttons) show only to those who may change it. */
export function EditorItem({ title, readOnly, actions, children }: { title: ReactNode; readOnly: boolean; actions: ReactNode; children: ReactNode }) {
  return (
    <li className="editor-item">
      <fieldset style={{ border: 0, padding: 0, margin: 0, display: 'grid', gap: 10 }} disabled={readOnly}>
        <legend className="item-head" style={{ width: '100%', padding: 0 }}>
          <strong>{title}</strong>
        </legend>
        {children}
        {!readOnly && <div className="btn-row">{actions}</div>}
      </fieldset>
    </li>
  );
}

/**
 * An item's label and key. A new item's key follows its label until edited; a saved item's key is fixed,
 * because what is stored refers to it by key (`fixedHelp` says what).
 */
export function LabelAndKey({
  item,
  error,
  newHelp,
  fixedHelp,
  onChange,
}: {
  item: { label: string; key: string; isNew?: boolean };
  error: (field: 'label' | 'key') => string | undefined;
  newHelp: string;
  fixedHelp: string;
  onChange: (patch: { label?: string; key?: string }) => void;
}) {
  return (
    <>
      <TextField label="Label" value={item.label} error={error('label')} onChange={(v) => onChange(item.isNew ? { label: v, key: keyFrom(v) } : { label: v })} />
      <TextField
        label="Key"
        value={item.key}
        readOnly={!item.isNew}
        error={error('key')}
        help={item.isNew ? newHelp : fixedHelp}
        onChange={(v) => onChange({ key: v })}
      />
    </>
  );
}

/** The remove button of an item (or of a part of one), named for what it removes. */
export function RemoveButton({ name, text = 'Remove', disabled, onClick }: { name: string; text?: string; disabled?: boolean; onClick: () => void }) {
  return (
    <button type="button" className="btn small danger" disabled={disabled} onClick={onClick} aria-label={name}>
      {text}
    </button>
  );
}

/** Moves an item one place up or down the list ("↑ Up" / "↓ Down", or earlier / later for stages in time). */
export function MoveButtons({
  i,
  count,
  name,
  words = ['up', 'down'],
  onMove,
}: {
  i: number;
  count: number;
  /** What moves, for screen readers ("Reliability", "stage Onboarding"). */
  name: string;
  words?: [string, string];
  onMove: (i: number, by: number) => void;
}) {
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  return (
    <>
      <button type="button" className="btn small ghost" disabled={i === 0} onClick={() => onMove(i, -1)} aria-label={`Move ${name} ${words[0]}`}>
        ↑ {cap(words[0])}
      </button>
      <button type="button" className="btn small ghost" disabled={i === count - 1} onClick={() => onMove(i, 1)} aria-label={`Move ${name} ${words[1]}`}>
        ↓ {cap(words[1])}
      </button>
    </>
  );
}
