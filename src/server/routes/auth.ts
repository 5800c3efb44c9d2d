// Logging in and out, who am I, and changing one's password. Login is the only public route here.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { MAX_PASSWORD_LENGTH, Password, ROLES } from '../../core/access.ts';
import { authenticate, checkPassword, getUser, setPassword, type User } from '../../store/users.ts';
import { organisationsOf } from '../../store/memberships.ts';
import { createSession, deleteExpiredSessions, deleteOtherSessions, deleteSession } from '../../store/sessions.ts';
import { ApiError } from '../errors.ts';
import { LoginThrottle } from '../auth/login-throttle.ts';
import { clearSessionCookie, setSessionCookie } from '../auth/session-cookie.ts';
import { unauthenticated } from '../auth/access.ts';

export const AuthState = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  organisations: z.array(
    z.object({ id: z.string(), name: z.string(), industry: z.string(), role: z.enum(ROLES), department: z.string().nullable() }),
  ),
  csrfToken: z.string().describe('send it as the `x-csrf-token` header on every write made with the session cookie'),
});

const LoginBody = z
  .object({
    email: z.string().trim().min(1, 'is required').max(254),
    password: z.string().min(1, 'is required').max(MAX_PASSWORD_LENGTH),
  })
  .strict();

const PasswordBody = z
  .object({
    currentPassword: z.string().min(1, 'is required').max(MAX_PASSWORD_LENGTH),
    newPassword: Password,
  })
  .strict();

const WRONG_LOGIN = 'wrong e-mail or password';

async function authState(store: Store, user: User, csrfToken: string) {
  const orgs = await organisationsOf(store.db, user.id);
  return {
    user: { id: user.id, email: user.email, name: user.name },
    organisations: orgs.map((o) => ({ id: o.id, name: o.name, industry: o.industry, role: o.role, department: o.department })),
    csrfToken,
  };
}

/** The logged-in caller; the access hook has made sure there is one on `user` routes. */
function sessionOf(req: FastifyRequest) {
  const a = req.access;
  if (!a?.userId || !a.sessionId || !a.csrfToken) throw unauthenticated();
  return { userId: a.userId, sessionId: a.sessionId, csrfToken: a.csrfToken };
}

export async function authRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const throttle = new LoginThrottle();

  r.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        description:
          'Starts a session: sets the HttpOnly `parallax_session` cookie (14 days, renewed with use) and returns the CSRF token for writes. ' +
          'After 10 failed attempts for one e-mail from one address within 15 minutes, further attempts get 429.',
        security: [],
        body: LoginBody,
        response: { 200: AuthState },
      },
    },
    async (req, reply) => {
      const email = req.body.email.toLowerCase();
      const key = `${email}\n${req.ip}`;
      const wait = throttle.retryAfter(key);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new ApiError(429, `too many failed logins for this e-mail; try again in ${Math.ceil(wait / 60)} minute(s)`);
      }
      const user = await authenticate(store.db, email, req.body.password);
      if (!user) {
        throttle.fail(key);
        // One message whether or not the e-mail exists, so the API does not reveal who has an account.
        throw new ApiError(401, WRONG_LOGIN, [{ field: 'password', message: WRONG_LOGIN }]);
      }
      throttle.succeed(key);
      await deleteExpiredSessions(store.db); // housekeeping, cheap by the expiry index
      const { token, session } = await createSession(store.db, user.id);
      setSessionCookie(req, reply, token);
      return authState(store, user, session.csrfToken);
    },
  );

  r.get(
    '/auth/me',
    { config: { access: 'user' }, schema: { tags: ['auth'], description: 'The logged-in user, their organisations and roles, and the CSRF token.', response: { 200: AuthState } } },
    async (req) => {
      const s = sessionOf(req);
      const user = await getUser(store.db, s.userId);
      if (!user) throw unauthenticated();
      return authState(store, user, s.csrfToken);
    },
  );

  r.post(
    '/auth/logout',
    { config: { access: 'user' }, schema: { tags: ['auth'], description: 'Ends this session.' } },
    async (req, reply) => {
      await deleteSession(store.db, sessionOf(req).sessionId);
      clearSessionCookie(req, reply);
      return reply.code(204).send();
    },
  );

  r.post(
    '/auth/password',
    {
      config: { access: 'user' },
      schema: { tags: ['auth'], description: "Changes the caller's password and ends their other sessions.", body: PasswordBody },
    },
    async (req, reply) => {
      const s = sessionOf(req);
      // A stolen session must not become a password oracle: same brake as login, per user.
      const key = `password\n${s.userId}`;
      const wait = throttle.retryAfter(key);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new ApiError(429, `too many wrong current passwords; try again in ${Math.ceil(wait / 60)} minute(s)`);
      }
      if (!(await checkPassword(store.db, s.userId, req.body.currentPassword))) {
        throttle.fail(key);
        throw ApiError.validation([{ field: 'currentPassword', message: 'is not your current password' }]);
      }
      throttle.succeed(key);
      await setPassword(store.db, s.userId, req.body.newPassword);
      await deleteOtherSessions(store.db, s.userId, s.sessionId);
      return reply.code(204).send();
    },
  );
}
