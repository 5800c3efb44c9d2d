// The login page: e-mail and password, with the perception gap in one line beside it.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useSession } from '../lib/session.tsx';
import { ApiFailure, describeFailure } from '../lib/api.ts';
import { Logo } from '../components/Shell.tsx';

export function Login() {
  const { login } = useSession();
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.title = 'Log in · Parallax';
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!email.trim() || !password) {
      setError('Enter your e-mail address and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
    } catch (err) {
      setError(err instanceof ApiFailure && err.status === 401 ? 'That e-mail and password do not match an account.' : describeFailure(err));
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <section className="login-hero" aria-label="About Parallax">
        <div className="brand">
          <Logo size={30} />
          <span>Parallax</span>
        </div>
        <div className="stack">
          <h1>See your experience from where your customers stand.</h1>
          <div className="stat">
            <div>
              <strong className="l">81%</strong>
              of leaders believe they deliver an excellent experience
            </div>
            <div>
              <strong className="c">21%</strong>
              of customers agree
            </div>
          </div>
          <cite>Stellar Elements CX survey, 2024 (500+ leaders, 2,000 consumers)</cite>
        </div>
        <p className="small" style={{ color: '#94a3b8' }}>
          Parallax measures that gap for your organisation — with the uncertainty shown — and tells you where it is widest.
        </p>
      </section>
      <main className="login-main" id="main">
        <form className="login-form" onSubmit={submit} noValidate aria-describedby={error ? `${id}-err` : undefined}>
          <h2 style={{ fontSize: '1.4rem' }}>Log in</h2>
          {error && (
            <p className="banner error" role="alert" id={`${id}-err`}>
              {error}
            </p>
          )}
          <div className="field">
            <label htmlFor={`${id}-email`}>E-mail</label>
            <input
              id={`${id}-email`}
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={error ? true : undefined}
              required
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-password`}>Password</label>
            <input
              id={`${id}-password`}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={error ? true : undefined}
              required
            />
          </div>
          <button type="submit" className="btn primary" disabled={busy}>
            {busy ? 'Logging in…' : 'Log in'}
          </button>
        </form>
      </main>
    </div>
  );
}
