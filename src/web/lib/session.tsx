// The signed-in person: who they are, the organisations they belong to (with their role in each)
// and the CSRF token for writes. Loaded once from /auth/me; cleared on logout or any 401.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { navigate } from 'wouter/use-browser-location';
import { api, ApiFailure, setCsrfToken, setUnauthorisedHandler } from './api.ts';
import { clearApiCache } from './use-api.ts';
import type { OrgMembership, SessionInfo } from './types.ts';
import { roleAllows } from './roles.ts';

type Status = 'loading' | 'signed-out' | 'signed-in' | 'unavailable';

interface SessionContextValue {
  status: Status;
  session: SessionInfo | null;
  error: string | null;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('loading');
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  const accept = useCallback((s: SessionInfo) => {
    setCsrfToken(s.csrfToken);
    setSession(s);
    setStatus('signed-in');
    setError(null);
  }, []);

  const signOutLocally = useCallback(() => {
    setCsrfToken(null);
    clearApiCache();
    setSession(null);
    setStatus('signed-out');
  }, []);

  const refresh = useCallback(async () => {
    try {
      accept(await api<SessionInfo>('/api/v1/auth/me', { quiet401: true }));
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 401) signOutLocally();
      else {
        setError(e instanceof Error ? e.message : String(e));
        setStatus('unavailable');
      }
    }
  }, [accept, signOutLocally]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setUnauthorisedHandler(() => {
      signOutLocally();
    });
    return () => setUnauthorisedHandler(null);
  }, [signOutLocally]);

  const login = useCallback(
    async (email: string, password: string) => {
      const s = await api<SessionInfo>('/api/v1/auth/login', { method: 'POST', body: { email, password }, quiet401: true });
      clearApiCache();
      accept(s);
    },
    [accept],
  );

  const logout = useCallback(async () => {
    try {
      await api('/api/v1/auth/logout', { method: 'POST', body: {} });
    } finally {
      // A deliberate logout lands on a plain login page, not one that returns to where the user was.
      navigate('/login', { replace: true });
      signOutLocally();
    }
  }, [signOutLocally]);

  const value = useMemo(() => ({ status, session, error, login, logout, refresh }), [status, session, error, login, logout, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

/** The caller's membership of an organisation, and what their role lets them do there. */
export function useMembership(orgId: string): (OrgMembership & { canSetup: boolean; canAdmin: boolean }) | undefined {
  const { session } = useSession();
  const m = session?.organisations.find((o) => o.id === orgId);
  if (!m) return undefined;
  return { ...m, canSetup: roleAllows(m.role, 'setup'), canAdmin: roleAllows(m.role, 'admin') };
}
