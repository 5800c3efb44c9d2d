// The page an invitation link opens (/invite/:token), logged in or not. No account with the invited
// e-mail yet: the person chooses their name and their own password, and is logged in. An account
// exists: they accept while logged in as it, or are sent to log in as it and brought back here.
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { navigate } from 'wouter/use-browser-location';
import { api, ApiFailure, describeFailure } from '../lib/api.ts';
import { useSession } from '../lib/session.tsx';
import { clearApiCache } from '../lib/use-api.ts';
import { ROLE_LABELS } from '../../core/number-format.ts';
import { Logo } from '../components/Shell.tsx';
import { EmptyState, Loading } from '../components/states.tsx';
import { TextField } from '../components/Field.tsx';

interface Offer {
  organisation: { id: string; name: string };
  email: string;
  role: string;
  department: string | null;
  expiresAt: string;
  newAccount: boolean;
}

const MIN_PASSWORD = 10;

function Frame({ children }: { children: ReactNode }) {
  return (
    <main className="login-main" id="main" style={{ minHeight: '100vh' }}>
      <div className="login-form">
        <div style={{ display: 'flex', alignItems: 'center', gap: 8, fontWeight: 650 }}>
          <Logo size={26} />
          <span>Parallax</span>
        </div>
        {children}
      </div>
    </main>
  );
}

export default function Invite({ token }: { token: string }) {
  const { status, session, refresh, logout } = useSession();
  const id = useId();
  const [offer, setOffer] = useState<Offer | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    document.title = 'Invitation · Parallax';
    const ctrl = new AbortController();
    api<Offer>(`/api/v1/invitations/${encodeURIComponent(token)}`, { signal: ctrl.signal, quiet401: true }).then(setOffer, (e) => {
      if ((e as Error).name !== 'AbortError') setLoadError(e);
    });
    return () => ctrl.abort();
  }, [token]);

  const here = `/invite/${encodeURIComponent(token)}`;
  const fieldError = (f: string) => localErrors[f] ?? (failure instanceof ApiFailure ? failure.fieldMessage(f) : undefined);

  async function accept(body: { name?: string; password?: string }) {
    setBusy(true);
    setFailure(null);
    try {
      await api(`/api/v1/invitations/${encodeURIComponent(token)}/accept`, { method: 'POST', body, quiet401: true });
      clearApiCache();
      await refresh(); // a new account is logged in now; an existing one has a new organisation
      navigate(`/o/${encodeURIComponent(offer!.organisation.id)}`, { replace: true });
    } catch (e) {
      setFailure(e);
      setBusy(false);
    }
  }

  function submitNew(e: FormEvent) {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (!name.trim()) errors.name = 'Enter your name.';
    if (password.length < MIN_PASSWORD) errors.password = `Choose a password of at least ${MIN_PASSWORD} characters.`;
    else if (repeat !== password) errors.repeat = 'The two passwords differ.';
    setLocalErrors(errors);
    if (Object.keys(errors).length === 0) void accept({ name: name.trim(), password });
  }

  if (loadError)
    return (
      <Frame>
        <EmptyState title="This invitation cannot be used" action={<a href="/login">Go to the login page</a>}>
          {loadError instanceof ApiFailure && (loadError.status === 404 || loadError.status === 410)
            ? `${loadError.message.charAt(0).toUpperCase()}${loadError.message.slice(1)}.`
            : describeFailure(loadError)}
        </EmptyState>
      </Frame>
    );
  if (!offer || status === 'loading')
    return (
      <Frame>
        <Loading label="invitation" lines={4} height={160} />
      </Frame>
    );

  const role = `${ROLE_LABELS[offer.role] ?? offer.role}${offer.department ? ` of ${offer.department}` : ''}`;
  // Name and password problems show beside their fields; anything else (a spent link, "log in as …") here.
  const byField = failure instanceof ApiFailure && failure.fields.some((f) => f.field === 'name' || f.field === 'password');
  const general = failure && !byField ? (failure instanceof ApiFailure && failure.status < 500 ? failure.message : describeFailure(failure)) : null;
  const me = session?.user.email;
  return (
    <Frame>
      <h1 style={{ fontSize: '1.4rem' }}>Join {offer.organisation.name}</h1>
      <p>
        You are invited to <strong>{offer.organisation.name}</strong> as <strong>{role}</strong>. This invitation is for <strong>{offer.email}</strong> and
        can be used once, until {new Date(offer.expiresAt).toLocaleDateString()}.
      </p>
      {general && (
        <p className="banner error" role="alert" id={`${id}-err`}>
          {general}
        </p>
      )}
      {offer.newAccount ? (
        <form className="stack" onSubmit={submitNew} noValidate aria-describedby={general ? `${id}-err` : undefined}>
          <h2 style={{ fontSize: '1.1rem' }}>Create your account</h2>
          {me && <p className="banner info small">You are logged in as {me}; creating this account logs you in as {offer.email} instead.</p>}
          <TextField label="Your name" value={name} onChange={setName} autoComplete="name" error={fieldError('name')} />
          <TextField
            label="Choose a password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            help={`At least ${MIN_PASSWORD} characters. Only you will know it.`}
            error={fieldError('password')}
          />
          <TextField label="Repeat the password" type="password" autoComplete="new-password" value={repeat} onChange={setRepeat} error={fieldError('repeat')} />
          {/* The e-mail, for password managers to file the new password under. */}
          <input type="email" autoComplete="username" value={offer.email} readOnly hidden />
          <button type="submit" className="btn primary" disabled={busy}>
            {busy ? 'Creating your account…' : 'Create account and join'}
          </button>
        </form>
      ) : me === offer.email ? (
        <div className="stack">
          <p>You are logged in as {me}.</p>
          <button type="button" className="btn primary" disabled={busy} onClick={() => void accept({})}>
            {busy ? 'Joining…' : `Accept as ${me}`}
          </button>
        </div>
      ) : me ? (
        <div className="stack">
          <p className="banner info">
            You are logged in as {me}, but this invitation is for {offer.email}. Log out, then log in as {offer.email} to accept it.
          </p>
          <button
            type="button"
            className="btn primary"
            onClick={() => {
              // logout() lands on /login; come back here once logged in as the invited account.
              void logout().then(() => navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true }));
            }}
          >
            Log out and log in as {offer.email}
          </button>
        </div>
      ) : (
        <div className="stack">
          <p>{offer.email} already has a Parallax account. Log in as {offer.email} to accept.</p>
          <a className="btn primary" href={`/login?next=${encodeURIComponent(here)}`}>
            Log in to accept
          </a>
        </div>
      )}
    </Frame>
  );
}
