// Set-up API: organisations, gap framework, journey and surveys.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { Framework } from '../../core/framework.ts';
import { Journey } from '../../core/journey.ts';
import { INDUSTRY_KEYS } from '../../core/benchmarks.ts';
import {
  createOrganisation,
  getFramework,
  getJourney,
  getOrganisation,
  replaceFramework,
  replaceJourney,
  updateOrganisation,
} from '../../store/organisations.ts';
import { getSurvey, listSurveys, setSurveyActive } from '../../store/surveys.ts';
import { getMembership, organisationsOf } from '../../store/memberships.ts';
import { ApiError } from '../errors.ts';
import { WidgetOrigins } from '../widget/origins.ts';

export const OrganisationBody = z.object({
  name: z.string().trim().min(1).max(120),
  industry: z.enum(INDUSTRY_KEYS),
  minResponses: z.number().int().min(3).max(1000).optional(),
}).strict();
// widgetOrigins: the sites that may show the customer survey in the embeddable widget (routes/widget.ts).
// cxLeadUserId: the member who leads customer experience (SLA escalation step 3, alert e-mails); null: the admins.
const OrganisationPatch = OrganisationBody.partial()
  .extend({
    widgetOrigins: WidgetOrigins.optional(),
    cxLeadUserId: z.string().min(1).max(100).nullable().optional().describe('a current member\'s user id; null: the admins act as CX lead (admins only)'),
  })
  .strict();
const OrgParams = z.object({ org: z.string().max(60) });

export async function requireOrg(store: Store, id: string) {
  const org = await getOrganisation(store.db, id);
  if (!org) throw ApiError.notFound(`organisation "${id}"`);
  return org;
}

export async function setupRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/organisations',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['organisations'], description: "The caller's organisations, with their role in each (an API key: its one organisation)." },
    },
    async (req) => {
      const a = req.access!;
      if (a.apiKeyId) {
        const org = await getOrganisation(store.db, a.orgId!);
        return org ? [{ ...org, role: a.role, department: null }] : [];
      }
      return organisationsOf(store.db, a.userId!);
    },
  );
  r.post(
    '/organisations',
    {
      config: { access: 'user' },
      schema: { tags: ['organisations'], description: 'Creates an organisation; the caller becomes its admin.', body: OrganisationBody },
    },
    async (req, reply) => {
      const org = await createOrganisation(store.db, { ...req.body, adminUserId: req.access!.userId! });
      return reply.code(201).send({ ...org, role: 'admin', department: null });
    },
  );
  r.get('/organisations/:org', { schema: { tags: ['organisations'], params: OrgParams } }, async (req) =>
    requireOrg(store, req.params.org),
  );
  r.patch('/organisations/:org', { schema: { tags: ['organisations'], params: OrgParams, body: OrganisationPatch } }, async (req) => {
    await requireOrg(store, req.params.org);
    const lead = req.body.cxLeadUserId;
    if (lead !== undefined) {
      // Analysts may edit the other settings; who receives escalations and alerts is the admins' choice.
      if (req.access!.role !== 'admin')
        throw new ApiError(403, 'only an admin may choose the CX lead', [{ field: 'cxLeadUserId', message: 'needs admin' }]);
      if (lead !== null && !(await getMembership(store.db, req.params.org, lead)))
        throw new ApiError(422, 'the CX lead must be a member of the organisation', [{ field: 'cxLeadUserId', message: `no member with user id "${lead}"` }]);
    }
    return updateOrganisation(store.db, req.params.org, req.body);
  });

  r.get('/organisations/:org/framework', { schema: { tags: ['framework'], params: OrgParams } }, async (req) => {
    await requireOrg(store, req.params.org);
    return { dimensions: await getFramework(store.db, req.params.org) };
  });
  r.put(
    '/organisations/:org/framework',
    { schema: { tags: ['framework'], params: OrgParams, body: z.object({ dimensions: Framework }).strict() } },
    async (req) => {
      await requireOrg(store, req.params.org);
      await replaceFramework(store.db, req.params.org, req.body.dimensions);
      return { dimensions: await getFramework(store.db, req.params.org) };
    },
  );

  r.get('/organisations/:org/journey', { schema: { tags: ['journey'], params: OrgParams } }, async (req) => {
    await requireOrg(store, req.params.org);
    return { stages: await getJourney(store.db, req.params.org) };
  });
  r.put(
    '/organisations/:org/journey',
    { schema: { tags: ['journey'], params: OrgParams, body: z.object({ stages: Journey }).strict() } },
    async (req) => {
      await requireOrg(store, req.params.org);
      await replaceJourney(store.db, req.params.org, req.body.stages);
      return { stages: await getJourney(store.db, req.params.org) };
    },
  );

  r.get('/organisations/:org/surveys', { schema: { tags: ['surveys'], params: OrgParams } }, async (req) => {
    await requireOrg(store, req.params.org);
    return { surveys: (await listSurveys(store.db, req.params.org)).map((s) => ({ ...s, link: `/s/${s.id}` })) };
  });
  r.patch(
    '/organisations/:org/surveys/:id',
    {
      schema: {
        tags: ['surveys'],
        params: OrgParams.extend({ id: z.string().max(40) }),
        body: z.object({ active: z.boolean() }).strict(),
      },
    },
    async (req) => {
      await requireOrg(store, req.params.org);
      if (!(await setSurveyActive(store.db, req.params.org, req.params.id, req.body.active)))
        throw ApiError.notFound(`survey "${req.params.id}"`);
      return { id: req.params.id, active: req.body.active };
    },
  );
  // Public: the survey id is an unguessable capability handed to respondents.
  r.get('/surveys/:id', { config: { access: 'public' }, schema: { tags: ['surveys'], security: [], params: z.object({ id: z.string().max(40) }) } }, async (req) => {
    const s = await getSurvey(store.db, req.params.id);
    if (!s) throw ApiError.notFound(`survey "${req.params.id}"`);
    return { ...s.definition, id: s.id, organisation: s.orgId, active: s.active, link: `/s/${s.id}` };
  });
}
