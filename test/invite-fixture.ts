// Joining an organisation the only way the API allows: an admin invites, the person accepts the link.
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE, TEST_PASSWORD } from './auth-fixture.ts';

/** The token at the end of an invitation's acceptUrl. */
export const tokenOf = (acceptUrl: string) => acceptUrl.slice(acceptUrl.lastIndexOf('/') + 1);

/** Invites `email` as `role` through the API (as `admin`, headers); returns the 202 body. */
export async function invite(
  app: FastifyInstance,
  orgId: string,
  admin: Record<string, string>,
  body: { email: string; role: string; department?: string | null },
): Promise<{ invitation: { id: string; email: string; role: string }; acceptUrl: string; token: string }> {
  const r = await app.inject({ method: 'POST', url: `/api/v1/organisations/${orgId}/members`, payload: body, headers: admin });
  if (r.statusCode !== 202) throw new Error(`invite failed: ${r.statusCode} ${r.body}`);
  return { ...r.json(), token: tokenOf(r.json().acceptUrl) };
}

/**
 * Invites a new person and accepts as them, setting `password`: the account exists and is a member.
 * Returns its session (cookie + CSRF token) from the acceptance.
 */
export async function inviteNewMember(
  app: FastifyInstance,
  orgId: string,
  admin: Record<string, string>,
  body: { email: string; role: string; department?: string | null; name?: string; password?: string },
): Promise<{ cookie: string; csrfToken: string; password: string }> {
  const { token } = await invite(app, orgId, admin, { email: body.email, role: body.role, department: body.department });
  const password = body.password ?? TEST_PASSWORD;
  const r = await app.inject({ method: 'POST', url: `/api/v1/invitations/${token}/accept`, payload: { name: body.name, password } });
  if (r.statusCode !== 200) throw new Error(`accept failed: ${r.statusCode} ${r.body}`);
  const c = r.cookies.find((x) => x.name === SESSION_COOKIE);
  if (!c) throw new Error('accepting set no session cookie');
  return { cookie: `${SESSION_COOKIE}=${c.value}`, csrfToken: r.json().csrfToken, password };
}
