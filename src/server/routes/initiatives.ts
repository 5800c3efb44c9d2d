// Initiatives API (issue 13, the outer loop): /organisations/:org/initiatives — list and read (every
// role), create, update and delete (admin, analyst; audited like every write), and
// /initiatives/:id/effect, the measured effect (reports/initiative-effect.ts) under the anonymity rule.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { InitiativeFields, InitiativeGoal, InitiativeMetric, InitiativePatch, InitiativeStatus, checkInitiative } from '../../core/initiative.ts';
import { touchpointsOf } from '../../core/journey.ts';
import { getFramework, getJourney } from '../../store/organisations.ts';
import { memberByEmail } from '../../store/memberships.ts';
import {
  createInitiative,
  deleteInitiative,
  getInitiative,
  listInitiatives,
  recordOf,
  TooManyInitiatives,
  updateInitiative,
  type InitiativeRecord,
} from '../../store/initiatives.ts';
import { InitiativeEffectReport, initiativeEffectFor } from '../../reports/initiative-effect.ts';
import { ApiError } from '../errors.ts';
import { requireOrg } from './setup.ts';

const OrgParams = z.object({ org: z.string().max(60) });
const IdParams = OrgParams.extend({ id: z.string().max(40) });

export const Initiative = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  owner: z.object({ userId: z.string(), email: z.string().nullable().describe('null: no longer a member'), name: z.string().nullable() }),
  metric: InitiativeMetric,
  dimension: z.string().nullable(),
  touchpoints: z.array(z.string()),
  comparison: z.array(z.string()).nullable(),
  start: z.string(),
  end: z.string().nullable(),
  windowDays: z.number().int(),
  goal: InitiativeGoal,
  status: InitiativeStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
});

const notFound = (id: string) => ApiError.notFound(`initiative "${id}"`);

/** The owner's user id: the member with the e-mail given, else (on create) the caller. */
async function ownerOf(store: Store, orgId: string, req: FastifyRequest, email: string | undefined): Promise<string> {
  if (email !== undefined) {
    const m = await memberByEmail(store.db, orgId, email);
    if (!m) throw ApiError.validation([{ field: 'owner', message: `"${email}" is not a member of this organisation` }]);
    return m.userId;
  }
  if (req.access?.userId) return req.access.userId;
  throw ApiError.validation([{ field: 'owner', message: 'an API key is nobody: name the owner by a member\'s e-mail' }]);
}

/** What an initiative may name: the organisation's dimensions (customer-facing or not) and touchpoints. */
async function targetsOf(store: Store, orgId: string) {
  const [framework, journey] = await Promise.all([getFramework(store.db, orgId), getJourney(store.db, orgId)]);
  return { dimensions: framework.map((d) => ({ key: d.key, customer: d.customerItem !== null })), touchpoints: touchpointsOf(journey).map((t) => t.key) };
}

/** core/initiative.ts's checks; 422 naming every field that fails. No I/O: it runs inside the update's transaction. */
function check(targets: Awaited<ReturnType<typeof targetsOf>>, r: InitiativeRecord): void {
  const problems = checkInitiative(r, targets);
  if (problems.length) throw ApiError.validation(problems);
}

export async function initiativeRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/organisations/:org/initiatives',
    { schema: { tags: ['initiatives'], description: 'The organisation\'s initiatives, newest start first.', params: OrgParams, response: { 200: z.object({ initiatives: z.array(Initiative) }) } } },
    async (req) => {
      await requireOrg(store, req.params.org);
      return { initiatives: await listInitiatives(store.db, req.params.org) };
    },
  );

  r.post(
    '/organisations/:org/initiatives',
    {
      schema: {
        tags: ['initiatives'],
        description:
          'Creates an initiative: a title, an owner (a member\'s e-mail; default the caller), a metric (`dimension` with its key, or `excellence`), ' +
          'target touchpoints (none: all), optional comparison touchpoints (default: every other touchpoint), a start and optional end (YYYY-MM-DD), ' +
          'the window length in days (default 90; whole months are used), a goal ({measure: customers, direction: increase|decrease, size} or ' +
          '{measure: gap, direction: narrow, size}; sizes in scale points, or percentage points for the excellence share) and a status.',
        params: OrgParams,
        body: InitiativeFields,
        response: { 201: z.object({ initiative: Initiative }) },
      },
    },
    async (req, reply) => {
      const orgId = req.params.org;
      await requireOrg(store, orgId);
      const { owner, ...fields } = req.body;
      const record: InitiativeRecord = { ...fields, ownerUserId: await ownerOf(store, orgId, req, owner) };
      check(await targetsOf(store, orgId), record);
      try {
        const initiative = await createInitiative(store.db, orgId, record);
        return reply.code(201).send({ initiative });
      } catch (e) {
        if (e instanceof TooManyInitiatives) throw new ApiError(409, e.message);
        throw e;
      }
    },
  );

  r.get(
    '/organisations/:org/initiatives/:id',
    { schema: { tags: ['initiatives'], params: IdParams, response: { 200: z.object({ initiative: Initiative }) } } },
    async (req) => {
      await requireOrg(store, req.params.org);
      const initiative = await getInitiative(store.db, req.params.org, req.params.id);
      if (!initiative) throw notFound(req.params.id);
      return { initiative };
    },
  );

  r.patch(
    '/organisations/:org/initiatives/:id',
    {
      schema: {
        tags: ['initiatives'],
        description: 'Changes any of the fields (e.g. `{"status": "completed"}`); the result is checked as a whole and nothing is written when it fails.',
        params: IdParams,
        body: InitiativePatch,
        response: { 200: z.object({ initiative: Initiative }) },
      },
    },
    async (req) => {
      const orgId = req.params.org;
      await requireOrg(store, orgId);
      const { owner, ...patch } = req.body;
      const ownerUserId = owner === undefined ? undefined : await ownerOf(store, orgId, req, owner);
      const targets = await targetsOf(store, orgId);
      const initiative = await updateInitiative(store.db, orgId, req.params.id, (current) => {
        const next: InitiativeRecord = { ...recordOf(current), ...patch, ...(ownerUserId ? { ownerUserId } : {}) };
        // Switching to the excellence share drops the dimension a dimension initiative had.
        if (patch.metric === 'excellence' && patch.dimension === undefined) next.dimension = null;
        check(targets, next);
        return next;
      });
      if (!initiative) throw notFound(req.params.id);
      return { initiative };
    },
  );

  r.delete(
    '/organisations/:org/initiatives/:id',
    { schema: { tags: ['initiatives'], params: IdParams } },
    async (req, reply) => {
      await requireOrg(store, req.params.org);
      if (!(await deleteInitiative(store.db, req.params.org, req.params.id))) throw notFound(req.params.id);
      return reply.code(204).send();
    },
  );

  r.get(
    '/organisations/:org/initiatives/:id/effect',
    {
      schema: {
        tags: ['initiatives', 'reports'],
        description:
          "The initiative's effect: the target's customer figure in equal windows before and after the start (t or Wilson intervals), the " +
          'difference-in-differences against untouched touchpoints ((Ā₁−Ā₀)−(B̄₁−B̄₀), SE from the four groups\' variances; Welch–Satterthwaite df ' +
          'for means, normal for shares), leaders\' belief before and after, the gap change split into the customers\' and the leaders\' part, and ' +
          'progress against the goal. A group the anonymity rule refuses, or below the minimum, is reported as too small. Not for owners: the ' +
          'comparison covers other departments\' touchpoints.',
        params: IdParams,
        response: { 200: InitiativeEffectReport },
      },
    },
    async (req) => {
      if (req.access?.touchpoints !== null && req.access?.touchpoints !== undefined)
        throw new ApiError(403, "an initiative's effect compares with other departments' touchpoints; your role sees only your department's");
      await requireOrg(store, req.params.org);
      const initiative = await getInitiative(store.db, req.params.org, req.params.id);
      if (!initiative) throw notFound(req.params.id);
      const report = await initiativeEffectFor(store.db, req.params.org, initiative);
      if (!report) throw ApiError.notFound(`organisation "${req.params.org}"`);
      return report;
    },
  );
}
