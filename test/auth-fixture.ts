// Authenticated test callers: a user with a role in an organisation (or an API key of it), as the
// headers to pass to `app.inject`, and a real login through the API.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../src/store/db.ts';
import type { Role } from '../src/core/access.ts';
import { createUser, type User } from '../src/store/users.ts';
import { addMembership } from '../src/store/memberships.ts';
import { createSession } from '../src/store/sessions.ts';
import { createApiKey } from '../src/store/api-keys.ts';
import { makeApp, makeOrg, type OrgFixture } from './fixtures.ts';

export const SESSION_COOKIE = 'parallax_session';
export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestUser {
  user: User;
  email: string;
  password: string;
}

/** A new user (no memberships) with a known password. */
export async function makeUser(store: Store, over: { email?: string; name?: string; password?: string } = {}): Promise<TestUser> {
  const email = over.email ?? `user-${randomBytes(5).toString('hex')}@test.example`;
  const password = over.password ?? TEST_PASSWORD;
  const user = await createUser(store.db, { email, name: over.name ?? 'Test User', password });
  return { user, email: user.email, password };
}

/** Session headers (cookie + CSRF token) for an existing user, without going through login. */
export async function sessionHeaders(store: Store, userId: string): Promise<Record<string, string>> {
  const { token, session } = await createSession(store.db, userId);
  return { cookie: `${SESSION_COOKIE}=${token}`, 'x-csrf-token': session.csrfToken };
}

/**
 * Headers for a caller with `role` in organisation `orgId` (`orgId` null: a logged-in user of no
 * organisation). By default a new user with a membership and a session — cookie and CSRF token,
 * so writes pass too; `via: 'apiKey'` gives an API key of the organisation instead (Bearer).
 */
export async function authHeaders(
  store: Store,
  orgId: string | null,
  role: Role = 'admin',
  opts: { department?: string; via?: 'session' | 'apiKey' } = {},
): Promise<Record<string, string>> {
  if (opts.via === 'apiKey') {
    if (!orgId) throw new Error('an API key needs an organisation');
    const { secret } = await createApiKey(store.db, { orgId, name: 'test key', role });
    return { authorization: `Bearer ${secret}` };
  }
  const { user } = await makeUser(store);
  if (orgId) await addMembership(store.db, { orgId, userId: user.id, role, department: opts.department ?? null });
  return sessionHeaders(store, user.id);
}

/** Logs in through `POST /api/v1/auth/login`; throws unless it succeeds. */
export async function loginCookie(app: FastifyInstance, email: string, password: string): Promise<{ cookie: string; csrfToken: string }> {
  const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (r.statusCode !== 200) throw new Error(`login failed: ${r.statusCode} ${r.body}`);
  const c = r.cookies.find((x) => x.name === SESSION_COOKIE);
  if (!c) throw new Error('login set no session cookie');
  return { cookie: `${SESSION_COOKIE}=${c.value}`, csrfToken: r.json().csrfToken };
}

/** Headers for requests as a logged-in session: cookie and CSRF token. */
export const asSession = (s: { cookie: string; csrfToken: string }) => ({ cookie: s.cookie, 'x-csrf-token': s.csrfToken });

/** The usual start of an API test: an app over the store, a new organisation, and its admin's session headers. */
export async function adminApp(store: Store): Promise<{ app: FastifyInstance; f: OrgFixture; admin: Record<string, string> }> {
  const app = await makeApp(store);
  const f = await makeOrg(store);
  return { app, f, admin: await authHeaders(store, f.org.id, 'admin') };
}
