// A secret the API returns once (an API key, an invitation link, a webhook's signing secret): shown in a
// banner with Copy and Done, since nobody can see it again after it is dismissed.
import { useState, type ReactNode } from 'react';

export function SecretOnce({
  value,
  id,
  copyLabel = 'Copy',
  copiedLabel,
  onDone,
  children,
}: {
  value: string;
  id?: string;
  copyLabel?: string;
  /** The button's text once the copy succeeded; without it the button keeps its label. */
  copiedLabel?: string;
  onDone: () => void;
  /** What it is and what to do with it. */
  children: ReactNode;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="banner ok" role="status">
      <p>{children}</p>
      <div className="link-box" style={{ marginTop: 6 }}>
        <code id={id}>{value}</code>
        <button type="button" className="btn small" onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true))}>
          {copied && copiedLabel ? copiedLabel : copyLabel}
        </button>
        <button type="button" className="btn small ghost" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
