// Members (users and their roles) and API keys of an organisation: admin only (declared here,
// enforced by the access hook in src/server/auth/access.ts).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { Email, Password, ROLES, type Role } from '../../core/access.ts';
import { createUser, EmailTaken, findUserByEmail, generatePassword } from '../../store/users.ts';
import { addMembership, getMembership, LastAdmin, listMembers, removeMembership, updateMembership } from '../../store/memberships.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../../store/api-keys.ts';
import type { FieldError } from '../../core/survey.ts';
import { ApiError } from '../errors.ts';

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

const NewMember = z
  .object({
    email: Email,
    name: z.string().trim().min(1, 'must not be empty').max(120).optional(),
    role: z.enum(ROLES),
    department: Department.nullable().optional(),
    password: Password.optional().describe('for a new user; leave out to have one generated and returned once'),
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
    { config: admin, schema: { tags: ['members'], params: OrgParams, response: { 200: z.object({ members: z.array(Member) }) } } },
    async (req) => ({ members: await listMembers(store.db, req.params.org) }),
  );

  r.post(
    '/organisations/:org/members',
    {
      config: admin,
      schema: {
        tags: ['members'],
        description:
          'Adds a member. A new e-mail creates the user (with `password`, or a generated one returned once as `password`); ' +
          "an existing user keeps their name and password.",
        params: OrgParams,
        body: NewMember,
        response: { 201: z.object({ member: Member, password: z.string().optional().describe('the generated password, shown only now') }) },
      },
    },
    async (req, reply) => {
      const { org } = req.params;
      const b = req.body;
      const dep = departmentProblem(b.role, b.department);
      if (dep) throw ApiError.validation([dep]);
      const existing = await findUserByEmail(store.db, b.email);
      // An admin of one organisation must not be able to take over an account that also belongs to another.
      if (existing && b.password !== undefined)
        throw ApiError.validation([{ field: 'password', message: 'this e-mail has an account already; its password stays its own — leave password out' }]);
      if (existing && (await getMembership(store.db, org, existing.id)))
        throw new ApiError(409, `${b.email} is a member already`, [{ field: 'email', message: 'is a member already' }]);
      const generated = existing || b.password !== undefined ? undefined : generatePassword();
      let userId: string;
      try {
        userId = await store.db.transaction().execute(async (tx) => {
          const user = existing ?? (await createUser(tx, { email: b.email, name: b.name, password: b.password ?? generated! }));
          await addMembership(tx, { orgId: org, userId: user.id, role: b.role, department: b.department ?? null });
          return user.id;
        });
      } catch (e) {
        if (e instanceof EmailTaken) throw new ApiError(409, e.message, [{ field: 'email', message: 'was just taken; try again' }]);
        throw e;
      }
      const member = (await listMembers(store.db, org)).find((m) => m.userId === userId)!;
      return reply.code(201).send({ member, ...(generated ? { password: generated } : {}) });
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
      return (await listMembers(store.db, org)).find((m) => m.userId === userId)!;
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
    { config: admin, schema: { tags: ['api keys'], params: OrgParams, response: { 200: z.object({ apiKeys: z.array(ApiKey) }) } } },
    async (req) => ({ apiKeys: (await listApiKeys(store.db, req.params.org)).map(({ orgId: _, ...k }) => k) }),
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
