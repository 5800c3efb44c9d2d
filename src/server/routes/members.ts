// Members (users and their roles) and API keys of an organisation: admin only (declared here,
// enforced by the access hook in src/server/auth/access.ts). People join by invitation only
// (src/server/routes/invitations.ts): adding an e-mail never creates an account, never sets a
// password and never says whether the e-mail has an account.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { Email, ROLES, type Role } from '../../core/access.ts';
import { getMember, getMembership, LastAdmin, memberByEmail, pageMembers, removeMembership, updateMembership } from '../../store/memberships.ts';
import { createApiKey, pageApiKeys, revokeApiKey } from '../../store/api-keys.ts';
import { createInvitation, InvitationConflict } from '../../store/invitations.ts';
import { acceptUrl, Invitation, toInvitationView } from './invitations.ts';
import type { FieldError } from '../../core/survey.ts';
import { ApiError } from '../errors.ts';
import { MAX_PAGE } from '../../store/page-cursor.ts';
import { badCursor, pageQuery } from './page-query.ts';

const OrgParams = z.object({ org: z.string().max(60) });
const Department = z.string().trim().min(1, 'must not be empty').max(80);

const Member = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  department: z.string().nullable().describe('the department an owner owns; they see the touchpoints it owns'),
  createdAt: z.string(),
});

// Strict: `password` and `name` are not fields any more — only the person sets those, when accepting.
const NewMember = z
  .object({
    email: Email,
    role: z.enum(ROLES),
    department: Department.nullable().optional(),
  })
  .strict();

const MemberPatch = z.object({ role: z.enum(ROLES).optional(), department: Department.nullable().optional() }).strict();

const KEY_ROLES = ['admin', 'analyst', 'viewer'] as const;
const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

/** An owner needs the department they own; the other roles have none. */
function departmentProblem(role: Role, department: string | null | undefined): FieldError | null {
  if (role === 'owner' && !department) return { field: 'department', message: 'is required for an owner: the department whose touchpoints they see' };
  if (role !== 'owner' && department) return { field: 'department', message: `only an owner has a department, not a${role === 'admin' || role === 'analyst' ? 'n' : ''} ${role}` };
  return null;
}

const conflict = (e: unknown) => {
  if (e instanceof LastAdmin) return new ApiError(409, e.message, [{ field: 'role', message: 'the organisation must keep at least one admin' }]);
  return e;
};

export async function memberRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { access: 'admin' as const };

  r.get(
    '/organisations/:org/members',
    {
      config: admin,
      schema: {
        tags: ['members'],
        description: 'Members by e-mail, a page at a time: pass `next` from one page as `after` to get the following one (null on the last page).',
        params: OrgParams,
        // A whole page by default: an organisation of up to 200 members reads in one request (the set-up view).
        querystring: pageQuery(MAX_PAGE),
        response: { 200: z.object({ members: z.array(Member), next: z.string().nullable().describe('the cursor of the following page; null on the last') }) },
      },
    },
    async (req) => {
      try {
        return await pageMembers(store.db, req.params.org, req.query);
      } catch (e) {
        throw badCursor(e);
      }
    },
  );

  r.post(
    '/organisations/:org/members',
    {
      config: admin,
      schema: {
        tags: ['members'],
        description:
          'Invites a person: creates a pending invitation (valid 7 days; an earlier open invitation of the same e-mail is ' +
          'revoked) and returns its single-use link `acceptUrl`, shown only now — pass it to the person. Whoever opens ' +
          'it sets their own password (new account) or accepts while logged in as the account they have. The answer is ' +
          'the same whether or not the e-mail has an account; no account or membership is made until the person accepts.',
        params: OrgParams,
        body: NewMember,
        response: { 202: z.object({ invitation: Invitation, acceptUrl: z.string().describe('the link with the single-use token, shown only now') }) },
      },
    },
    async (req, reply) => {
      const { org } = req.params;
      const b = req.body;
      const dep = departmentProblem(b.role, b.department);
      if (dep) throw ApiError.validation([dep]);
      // Members are listed to this admin anyway, so saying so reveals nothing about other organisations.
      if (await memberByEmail(store.db, org, b.email))
        throw new ApiError(409, `${b.email} is a member already`, [{ field: 'email', message: 'is a member already; change their role in the list instead' }]);
      const by = req.access?.userId ?? req.access?.apiKeyId ?? null;
      try {
        const { invitation, token } = await createInvitation(store.db, { orgId: org, email: b.email, role: b.role, department: b.department ?? null, createdBy: by });
        return reply.code(202).send({ invitation: toInvitationView(invitation), acceptUrl: acceptUrl(token) });
      } catch (e) {
        if (e instanceof InvitationConflict) throw new ApiError(409, e.message, [{ field: 'email', message: 'was invited by another admin just now; try again' }]);
        throw e;
      }
    },
  );

  r.patch(
    '/organisations/:org/members/:userId',
    {
      config: admin,
      schema: { tags: ['members'], params: OrgParams.extend({ userId: z.string().max(60) }), body: MemberPatch, response: { 200: Member } },
    },
    async (req) => {
      const { org, userId } = req.params;
      const cur = await getMembership(store.db, org, userId);
      if (!cur) throw ApiError.notFound(`member "${userId}"`);
      const role = req.body.role ?? cur.role;
      const department = req.body.department !== undefined ? req.body.department : role === 'owner' ? cur.department : null;
      const dep = departmentProblem(role, department);
      if (dep) throw ApiError.validation([dep]);
      try {
        if (!(await updateMembership(store.db, org, userId, { role, department }))) throw ApiError.notFound(`member "${userId}"`);
      } catch (e) {
        throw conflict(e);
      }
      return (await getMember(store.db, org, userId))!;
    },
  );

  r.delete(
    '/organisations/:org/members/:userId',
    { config: admin, schema: { tags: ['members'], params: OrgParams.extend({ userId: z.string().max(60) }) } },
    async (req, reply) => {
      try {
        if (!(await removeMembership(store.db, req.params.org, req.params.userId))) throw ApiError.notFound(`member "${req.params.userId}"`);
      } catch (e) {
        throw conflict(e);
      }
      return reply.code(204).send();
    },
  );

  r.get(
    '/organisations/:org/api-keys',
    {
      config: admin,
      schema: {
        tags: ['api keys'],
        description: 'The API keys (revoked ones too), oldest first, a page at a time: pass `next` as `after` for the following one.',
        params: OrgParams,
        querystring: pageQuery(100),
        response: { 200: z.object({ apiKeys: z.array(ApiKey), next: z.string().nullable().describe('the cursor of the following page; null on the last') }) },
      },
    },
    async (req) => {
      try {
        const page = await pageApiKeys(store.db, req.params.org, req.query);
        return { apiKeys: page.apiKeys.map(({ orgId: _, ...k }) => k), next: page.next };
      } catch (e) {
        throw badCursor(e);
      }
    },
  );

  r.post(
    '/organisations/:org/api-keys',
    {
      config: admin,
      schema: {
        tags: ['api keys'],
        description: 'Creates a key for this organisation. The `secret` is returned only now; send it as `Authorization: Bearer <secret>`.',
        params: OrgParams,
        body: z.object({ name: z.string().trim().min(1, 'must not be empty').max(80), role: z.enum(KEY_ROLES) }).strict(),
        response: { 201: z.object({ apiKey: ApiKey, secret: z.string() }) },
      },
    },
    async (req, reply) => {
      const { key, secret } = await createApiKey(store.db, { orgId: req.params.org, name: req.body.name, role: req.body.role });
      const { orgId: _, ...apiKey } = key;
      return reply.code(201).send({ apiKey, secret });
    },
  );

  r.delete(
    '/organisations/:org/api-keys/:id',
    { config: admin, schema: { tags: ['api keys'], params: OrgParams.extend({ id: z.string().max(60) }) } },
    async (req, reply) => {
      if (!(await revokeApiKey(store.db, req.params.org, req.params.id))) throw ApiError.notFound(`API key "${req.params.id}"`);
      return reply.code(204).send();
    },
  );
}
