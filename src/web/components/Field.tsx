// A labelled input with its help and error text wired up for assistive technology.
import { useId, type ReactNode } from 'react';

export function TextField({
  label,
  value,
  onChange,
  error,
  help,
  multiline,
  disabled,
  readOnly,
  type = 'text',
  autoComplete,
  inputMode,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  help?: ReactNode;
  multiline?: boolean;
  disabled?: boolean;
  readOnly?: boolean;
  type?: string;
  autoComplete?: string;
  inputMode?: 'numeric' | 'text' | 'email';
}) {
  const id = useId();
  const describedBy = [help ? `${id}-h` : '', error ? `${id}-e` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    value,
    disabled,
    readOnly,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  } as const;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={2} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type={type} autoComplete={autoComplete} inputMode={inputMode} onChange={(e) => onChange(e.target.value)} />
      )}
      {help && (
        <span className="help" id={`${id}-h`}>
          {help}
        </span>
      )}
      {error && (
        <span className="error-text" id={`${id}-e`}>
          {error}
        </span>
      )}
    </div>
  );
}

export function SelectField({
  label,
  value,
  onChange,
  options,
  error,
  disabled,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; label: string }[];
  error?: string;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-e` : undefined}
        onChange={(e) => onChange(e.target.value)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && (
        <span className="error-text" id={`${id}-e`}>
          {error}
        </span>
      )}
    </div>
  );
}

/** Save and discard for an editor's <form>; saving is the form's submit. */
export function SaveBar({
  dirty,
  saving,
  saved,
  error,
  onReset,
  label = 'Save changes',
}: {
  dirty: boolean;
  saving: boolean;
  saved: boolean;
  error: string | null;
  onReset: () => void;
  label?: string;
}) {
  return (
    <div className={`sticky-actions${dirty ? ' dirty' : ''}`}>
      <button type="submit" className="btn primary" disabled={!dirty || saving}>
        {saving ? 'Saving…' : label}
      </button>
      <button type="button" className="btn ghost" disabled={!dirty || saving} onClick={onReset}>
        Discard changes
      </button>
      <span role="status" aria-live="polite" className="small" style={{ color: error ? 'var(--danger)' : 'var(--good)', fontWeight: 600 }}>
        {error ? `Not saved: ${error}` : saved && !dirty ? 'Saved.' : dirty ? <span className="muted">Unsaved changes</span> : ''}
      </span>
    </div>
  );
}
