// Authentication and authorisation for the whole API, in one place. Every route under /api/v1
// needs a caller unless it declares `config: { access: 'public' }`; routes under
// /api/v1/organisations/:org need a membership of (or an API key for) that organisation — anyone
// else is told it does not exist — and a role the route's access level allows:
//   read (default for GET/HEAD): every role · setup (default for writes): admin, analyst · admin.
// Callers are a session cookie (writes also need the session's CSRF token in `x-csrf-token`) or an
// API key (`Authorization: Bearer px_…`, no CSRF: a browser never sends it by itself).
// Handlers find the caller in `req.access`.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import type { Store } from '../../store/db.ts';
import { roleAllows, type AccessLevel, type Role } from '../../core/access.ts';
import { useSession } from '../../store/sessions.ts';
import { useApiKey } from '../../store/api-keys.ts';
import { getMembership, touchpointsOfDepartment } from '../../store/memberships.ts';
import { ApiError } from '../errors.ts';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from './session-cookie.ts';

export interface Access {
  /** The logged-in user, or null for an API key. */
  userId: string | null;
  /** The session (sha256 of the cookie token), or null for an API key. */
  sessionId: string | null;
  csrfToken: string | null;
  apiKeyId: string | null;
  /** The organisation of the route (or of the API key); null on routes outside an organisation. */
  orgId: string | null;
  role: Role | null;
  /** The department an `owner` owns. */
  department: string | null;
  /** The touchpoint keys the caller may see; null for no limit (every role but `owner`). */
  touchpoints: string[] | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessLevel;
  }
  interface FastifyRequest {
    access: Access | null;
  }
}

const API = '/api/v1/';
// The organisation a route belongs to: the first path parameter after /organisations/.
const ORG_ROUTE = /^\/api\/v1\/organisations\/:([A-Za-z_][A-Za-z0-9_]*)/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const unauthenticated = () => new ApiError(401, 'log in first (or send an API key as "Authorization: Bearer px_…")');
const orgNotFound = (id: string) => ApiError.notFound(`organisation "${id}"`);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The access level a route needs: what it declares, else read for GET/HEAD and setup for writes. */
export function levelOf(routeUrl: string, method: string, declared: AccessLevel | undefined): AccessLevel {
  if (declared) return declared;
  if (ORG_ROUTE.test(routeUrl)) return SAFE_METHODS.has(method) ? 'read' : 'setup';
  return 'authenticated';
}

async function identify(store: Store, req: FastifyRequest, reply: FastifyReply): Promise<Access> {
  const base = { orgId: null, role: null, department: null, touchpoints: null } as const;
  const authz = req.headers.authorization;
  if (authz !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    const key = m ? await useApiKey(store.db, m[1]!) : undefined;
    if (!key) throw new ApiError(401, 'unknown or revoked API key', [{ field: 'authorization', message: 'must be "Bearer px_…" with a live API key' }]);
    return { ...base, userId: null, sessionId: null, csrfToken: null, apiKeyId: key.id, orgId: key.orgId, role: key.role };
  }
  const token = req.cookies[SESSION_COOKIE];
  if (!token) throw unauthenticated();
  const used = await useSession(store.db, token);
  if (!used) {
    clearSessionCookie(req, reply);
    throw new ApiError(401, 'your session has ended: log in again');
  }
  if (used.touched) setSessionCookie(req, reply, token); // the cookie's lifetime slides with the session
  const { session } = used;
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken))
      throw new ApiError(403, 'missing or wrong CSRF token', [
        { field: 'x-csrf-token', message: 'must be the csrfToken returned by login or GET /api/v1/auth/me' },
      ]);
  }
  return { ...base, userId: session.userId, sessionId: session.id, csrfToken: session.csrfToken, apiKeyId: null };
}

async function authorise(store: Store, req: FastifyRequest, caller: Access, level: AccessLevel, orgParam: string | undefined): Promise<void> {
  if (level === 'user' && !caller.userId) throw new ApiError(403, 'this needs a logged-in user; API keys cannot use it');
  const need = level === 'read' || level === 'setup' || level === 'admin' ? level : null;
  if (orgParam === undefined) {
    // A role level outside an organisation has nothing to be checked against: fail closed.
    if (need) throw new ApiError(403, 'this route has no organisation to authorise against');
    return;
  }
  // Inside an organisation a membership is always needed, whatever the route declares.
  const orgId = (req.params as Record<string, string | undefined>)[orgParam] ?? '';
  if (caller.apiKeyId) {
    if (caller.orgId !== orgId) throw orgNotFound(orgId);
    if (caller.role === 'owner') caller.touchpoints = []; // keys carry no department
  } else {
    const m = await getMembership(store.db, orgId, caller.userId!);
    if (!m) throw orgNotFound(orgId);
    caller.orgId = orgId;
    caller.role = m.role;
    caller.department = m.department;
    if (m.role === 'owner') caller.touchpoints = await touchpointsOfDepartment(store.db, orgId, m.department);
  }
  const needed = need ?? 'read';
  if (!roleAllows(caller.role!, needed))
    throw new ApiError(403, `your role in "${orgId}" (${caller.role}) may not do this: it needs ${needed === 'admin' ? 'admin' : 'admin or analyst'}`);
}

/** Installs cookie parsing and the access hook on the root instance, before any route is added. */
export async function accessControl(app: FastifyInstance, store: Store): Promise<void> {
  await app.register(cookie);
  app.decorateRequest('access', null);
  app.addHook('onRequest', async (req, reply) => {
    const url = req.routeOptions.url;
    if (!url || !url.startsWith(API)) return; // respondent pages, dashboard files, unknown routes
    const level = levelOf(url, req.method, req.routeOptions.config.access);
    if (level === 'public') return;
    // `optional`: anonymous when nothing is sent; a sent session/key is checked (CSRF included) as usual.
    if (level === 'optional' && req.headers.authorization === undefined && !req.cookies[SESSION_COOKIE]) return;
    const caller = await identify(store, req, reply);
    await authorise(store, req, caller, level, ORG_ROUTE.exec(url)?.[1]);
    req.access = caller;
  });
}
