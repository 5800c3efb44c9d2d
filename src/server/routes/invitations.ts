// Invitations: an organisation's pending ones (admin: list, revoke), and the public side of a link —
// what it offers, and accepting it. Accepting with no account yet creates one with the person's own
// password and logs them in; with an account, the person must be logged in as it. Whether an e-mail
// has an account is told only to whoever holds the link (see the README's "Accounts and access").
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { Password, ROLES } from '../../core/access.ts';
import {
  acceptInvitation,
  accountExists,
  findInvitation,
  INVITATION_TOKEN,
  pagePendingInvitations,
  revokeInvitation,
  stateOf,
  type AcceptOutcome,
  type Invitation as StoredInvitation,
  type InvitationState,
} from '../../store/invitations.ts';
import { hashPassword } from '../../store/users.ts';
import { createSession, deleteExpiredSessions } from '../../store/sessions.ts';
import { ApiError } from '../errors.ts';
import { badCursor, pageQuery } from './page-query.ts';
import { setSessionCookie } from '../auth/session-cookie.ts';
import { configuredPublicUrl } from '../public-url.ts';

export const Invitation = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  department: z.string().nullable(),
  expiresAt: z.string(),
});

export const toInvitationView = (i: StoredInvitation): z.infer<typeof Invitation> => ({
  id: i.id,
  email: i.email,
  role: i.role,
  department: i.department,
  expiresAt: i.expiresAt,
});

/**
 * The link a person opens: under PARALLAX_PUBLIC_URL when set (what the admin copies must work from
 * outside), else a path relative to wherever the dashboard is served (the dashboard completes it) —
 * never the request's Host header, which the caller chooses.
 */
export function acceptUrl(token: string): string {
  return `${configuredPublicUrl() ?? ''}/invite/${token}`;
}

const OrgParams = z.object({ org: z.string().max(60) });
const TokenParams = z.object({ token: z.string().regex(INVITATION_TOKEN, 'is not an invitation token') });

const Offer = z.object({
  organisation: z.object({ id: z.string(), name: z.string() }),
  email: z.string(),
  role: z.enum(ROLES),
  department: z.string().nullable(),
  expiresAt: z.string(),
  newAccount: z.boolean().describe('true: no account has this e-mail yet, so accepting sets a name and password; false: log in as it, then accept'),
});

const AcceptBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(120).optional().describe('for a new account'),
    password: Password.optional().describe('for a new account: your own password'),
  })
  .strict();

const Accepted = z.object({
  organisation: z.object({ id: z.string(), name: z.string() }),
  role: z.enum(ROLES),
  department: z.string().nullable(),
  newAccount: z.boolean(),
  csrfToken: z.string().optional().describe('for a new account, now logged in: the CSRF token of its session'),
});

const ASK_AGAIN = 'ask an admin of the organisation for a new invitation';
const unusable: Record<Exclude<InvitationState, 'open'> | 'unknown', ApiError> = {
  unknown: new ApiError(404, 'invitation not found: the link may be mistyped or incomplete'),
  expired: new ApiError(410, `this invitation has expired: ${ASK_AGAIN}`),
  revoked: new ApiError(410, `this invitation was withdrawn or replaced by a newer one: ${ASK_AGAIN}`),
  accepted: new ApiError(410, 'this invitation has been used already: log in instead'),
};

function refusal(o: Exclude<AcceptOutcome, { ok: true }>): ApiError {
  switch (o.reason) {
    case 'unknown':
    case 'expired':
    case 'revoked':
    case 'accepted':
      return unusable[o.reason];
    case 'log-in':
      return o.wrongAccount
        ? new ApiError(403, `this invitation is for ${o.email}, and you are logged in as another account: log in as ${o.email} to accept it`)
        : new ApiError(401, `${o.email} has an account: log in as ${o.email} to accept this invitation`);
    case 'password-needed':
      return ApiError.validation([{ field: 'password', message: 'is required: choose the password of your new account' }]);
    case 'member-already':
      return new ApiError(409, 'you are a member of this organisation already');
    case 'account-just-created':
      return new ApiError(409, `an account for ${o.email} was created a moment ago: log in as ${o.email} to accept this invitation`);
  }
}

export async function invitationRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { access: 'admin' as const };

  r.get(
    '/organisations/:org/invitations',
    {
      config: admin,
      schema: {
        tags: ['members'],
        description: 'Invitations waiting to be accepted (not expired), newest first, a page at a time: pass `next` as `after` for the following one.',
        params: OrgParams,
        querystring: pageQuery(100),
        response: { 200: z.object({ invitations: z.array(Invitation), next: z.string().nullable().describe('the cursor of the following page; null on the last') }) },
      },
    },
    async (req) => {
      try {
        const page = await pagePendingInvitations(store.db, req.params.org, req.query);
        return { invitations: page.invitations.map(toInvitationView), next: page.next };
      } catch (e) {
        throw badCursor(e);
      }
    },
  );

  r.delete(
    '/organisations/:org/invitations/:id',
    { config: admin, schema: { tags: ['members'], description: 'Withdraws an invitation: its link stops working.', params: OrgParams.extend({ id: z.string().max(60) }) } },
    async (req, reply) => {
      if (!(await revokeInvitation(store.db, req.params.org, req.params.id))) throw ApiError.notFound(`pending invitation "${req.params.id}"`);
      return reply.code(204).send();
    },
  );

  r.get(
    '/invitations/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['members'],
        description: 'What an invitation link offers. 404 for an unknown link; 410 once it has expired, been withdrawn or been used.',
        security: [],
        params: TokenParams,
        response: { 200: Offer },
      },
    },
    async (req) => {
      const found = await findInvitation(store.db, req.params.token);
      if (!found) throw unusable.unknown;
      const { invitation: inv, orgName } = found;
      const state = stateOf(inv);
      if (state !== 'open') throw unusable[state];
      return {
        organisation: { id: inv.orgId, name: orgName },
        email: inv.email,
        role: inv.role,
        department: inv.department,
        expiresAt: inv.expiresAt,
        newAccount: !(await accountExists(store.db, inv.email)),
      };
    },
  );

  r.post(
    '/invitations/:token/accept',
    {
      // Anonymous for a new account; a session that is sent is checked, CSRF token included.
      config: { access: 'optional' },
      schema: {
        tags: ['members'],
        description:
          'Accepts an invitation (single use). No account with its e-mail yet: send `password` (and `name`) — the account is created, ' +
          'joins the organisation and is logged in (session cookie). An account exists: be logged in as it (cookie + `x-csrf-token`) ' +
          'and send `{}`; otherwise 401/403 "log in as <email>".',
        security: [],
        params: TokenParams,
        body: AcceptBody,
        response: { 200: Accepted },
      },
    },
    async (req, reply) => {
      if (req.access?.apiKeyId) throw new ApiError(403, 'an API key cannot accept an invitation: the invited person accepts it');
      const found = await findInvitation(store.db, req.params.token);
      if (!found) throw unusable.unknown;
      const state = stateOf(found.invitation);
      if (state !== 'open') throw unusable[state];
      // Hash before the transaction (argon2 is slow on purpose), and only when an account is to be made.
      const password = req.body.password;
      const newAccount =
        password !== undefined && !(await accountExists(store.db, found.invitation.email)) ? { name: req.body.name, passwordHash: await hashPassword(password) } : undefined;
      const outcome = await acceptInvitation(store.db, req.params.token, { callerUserId: req.access?.userId ?? null, newAccount });
      if (!outcome.ok) throw refusal(outcome);
      let csrfToken: string | undefined;
      if (outcome.created) {
        await deleteExpiredSessions(store.db);
        const { token, session } = await createSession(store.db, outcome.userId);
        setSessionCookie(req, reply, token);
        csrfToken = session.csrfToken;
      }
      const inv = outcome.invitation;
      return {
        organisation: { id: inv.orgId, name: found.orgName },
        role: inv.role,
        department: inv.department,
        newAccount: outcome.created,
        ...(csrfToken ? { csrfToken } : {}),
      };
    },
  );
}
