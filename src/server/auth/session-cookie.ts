// The session cookie: HttpOnly (no script can read it), SameSite=Lax (not sent on cross-site
// writes), Secure whenever the request came over https, living as long as the session.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_DAYS } from '../../store/sessions.ts';

export const SESSION_COOKIE = 'parallax_session';

const options = (req: FastifyRequest) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  path: '/',
  secure: req.protocol === 'https',
});

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, { ...options(req), maxAge: SESSION_DAYS * 24 * 3600 });
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, options(req));
}
