// Changing one's password (POST /auth/password): a modal dialog from the user menu. The server ends
// the user's other sessions; this one stays.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiFailure, describeFailure } from '../lib/api.ts';
import { TextField } from './Field.tsx';
import { useSubmit } from '../lib/use-submit.ts';

export function PasswordDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const { busy, failure, run } = useSubmit();
  const [done, setDone] = useState(false);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const field = (f: string) => (failure instanceof ApiFailure ? failure.fieldMessage(f) : undefined);
  const mismatch = again !== '' && again !== next ? 'does not match the new password' : undefined;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    await run(async () => {
      await api('/api/v1/auth/password', { method: 'POST', body: { currentPassword: current, newPassword: next } });
      setDone(true);
    });
  };
  const general = failure && !(failure instanceof ApiFailure && failure.fields.length) ? describeFailure(failure) : null;
  return (
    <dialog ref={ref} aria-labelledby="pw-title" onClose={onClose} onCancel={onClose}>
      <form className="stack" onSubmit={submit} noValidate style={{ minWidth: 'min(420px, 80vw)' }}>
        <h2 id="pw-title">Change password</h2>
        {done ? (
          <p className="banner ok" role="status">
            Your password is changed. Your other sessions have been logged out.
          </p>
        ) : (
          <>
            {general && (
              <p className="banner error" role="alert">
                {general}
              </p>
            )}
            <TextField label="Current password" type="password" autoComplete="current-password" value={current} onChange={setCurrent} error={field('currentPassword')} />
            <TextField
              label="New password"
              type="password"
              autoComplete="new-password"
              value={next}
              onChange={setNext}
              error={field('newPassword')}
              help="At least 10 characters."
            />
            <TextField label="New password again" type="password" autoComplete="new-password" value={again} onChange={setAgain} error={mismatch} />
          </>
        )}
        <div className="btn-row">
          {!done && (
            <button type="submit" className="btn primary" disabled={busy || !current || !next || !again}>
              {busy ? 'Changing…' : 'Change password'}
            </button>
          )}
          <button type="button" className="btn ghost" onClick={() => ref.current?.close()}>
            {done ? 'Close' : 'Cancel'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
