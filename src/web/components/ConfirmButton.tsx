// A button for an action that cannot be undone (remove, revoke, delete): it asks first, and runs the action
// only when the user agrees.
import type { ReactNode } from 'react';

export function ConfirmButton({ question, onConfirm, disabled, children }: { question: string; onConfirm: () => void; disabled?: boolean; children: ReactNode }) {
  return (
    <button
      type="button"
      className="btn small danger"
      disabled={disabled}
      onClick={() => {
        if (window.confirm(question)) onConfirm();
      }}
    >
      {children}
    </button>
  );
}
