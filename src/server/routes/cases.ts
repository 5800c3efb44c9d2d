// Follow-up cases (issue 13): the case rules (admins and analysts edit them), the case board (list with
// filters, keyset pages and counts), one case (its response under the anonymity rules, its history; an
// audited view), updates under optimistic concurrency (`version` in the body or `If-Match`; a stale one is
// a 409 carrying the current case), and the case metrics. Owners see and work their department's cases,
// admins and analysts (the CX team) all of them; viewers none (a case is one customer's answer).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { getFramework, getJourney } from '../../store/organisations.ts';
import { createCaseRule, deleteCaseRule, listCaseRules, replaceCaseRule, TooManyRules } from '../../store/case-rules.ts';
import { CaseConflict, CaseInputError, getCaseDetail, listCases, updateCase, type CaseScope } from '../../store/cases.ts';
import { getUser } from '../../store/users.ts';
import { caseMetricsReport } from '../../reports/case-metrics.ts';
import { CaseCondition, CaseRuleInput, checkCaseRule } from '../../core/cases/case-rules.ts';
import { CASE_STATES, CLOSE_REASONS, ContactAttempt, SLA_STATES } from '../../core/cases/workflow.ts';
import { dimensionKey } from '../../core/framework.ts';
import { ApiError, errorBody } from '../errors.ts';
import { requireOrg } from './setup.ts';
import { badCursor, pageQuery } from './page-query.ts';

const OrgParams = z.object({ org: z.string().max(60) });
const RuleParams = OrgParams.extend({ id: z.string().max(60) });
const CaseParams = OrgParams.extend({ id: z.string().max(60) });

const CaseRule = z.object({
  id: z.string(),
  position: z.number().int(),
  name: z.string(),
  conditions: z.array(CaseCondition),
  slaHours: z.number().int(),
  active: z.boolean(),
});

const CaseSummary = z.object({
  id: z.string(),
  state: z.enum(CASE_STATES),
  department: z.string().nullable().describe("the department that owns the response's touchpoint; null: the CX lead's"),
  touchpoint: z.string().nullable(),
  rule: z.object({ id: z.string(), name: z.string() }),
  assignee: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  contactable: z.boolean().describe('the respondent agreed to be contacted and left a contact; without it the case is about the answer only'),
  rootCause: z.string().nullable().describe('the framework dimension that failed'),
  closeReason: z.enum(CLOSE_REASONS).nullable(),
  version: z.number().int().describe('send it back with an update (or as If-Match): a stale one is refused with 409'),
  openedAt: z.string(),
  dueAt: z.string().describe('first contact due'),
  firstContactAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  updatedAt: z.string(),
  sla: z.enum(SLA_STATES),
  ageHours: z.number().describe('hours open (until resolved or closed)'),
  escalationStep: z.number().int().describe('SLA escalation steps taken: 1 assignee, 2 department owner, 3 CX lead'),
});

const CaseDetail = CaseSummary.extend({
  response: z
    .object({
      answers: z.record(z.string(), z.number()),
      comment: z.string().nullable().describe('redacted (personal data replaced) unless an admin asks for `original=true`'),
      sentiment: z.string().nullable(),
    })
    .nullable()
    .describe('the answer that opened the case (null once erased); never who gave it, their segments or when exactly'),
  contact: z.object({ email: z.string(), name: z.string().nullable() }).nullable().describe('only when the respondent agreed to be contacted'),
  history: z.array(z.object({ at: z.string(), actor: z.string(), kind: z.string(), details: z.record(z.string(), z.unknown()) })),
});

const CasePatch = z
  .object({
    version: z.number().int().min(1).optional().describe('the version read; required unless sent as If-Match'),
    state: z.enum(CASE_STATES).optional(),
    closeReason: z.enum(CLOSE_REASONS).optional().describe('with state "closed": why (e.g. could_not_reach)'),
    assigneeId: z.string().max(60).nullable().optional(),
    rootCause: dimensionKey.nullable().optional(),
    note: z.string().trim().min(1).max(4000).optional(),
    contact: ContactAttempt.optional().describe('a contact attempt for the log; the first one that reached the customer is the first contact'),
  })
  .strict();

const MedianHours = z.object({ n: z.number().int(), median: z.number().nullable(), ci95: z.tuple([z.number(), z.number()]).nullable() });
const NpsGroup = z.object({ n: z.number().int(), nps: z.number().nullable(), ci95: z.tuple([z.number(), z.number()]).nullable() });
const CaseMetrics = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  cases: z.number().int(),
  timeToFirstContactHours: MedianHours,
  timeToResolveHours: MedianHours,
  slaByDepartment: z.array(
    z.object({
      department: z.string().nullable(),
      cases: z.number().int(),
      met: z.number().int(),
      breached: z.number().int(),
      undecided: z.number().int(),
      compliance: z.number().nullable(),
      ci95: z.tuple([z.number(), z.number()]).nullable(),
    }),
  ),
  npsResolvedVsUnreached: z.object({
    resolved: NpsGroup,
    neverReached: NpsGroup,
    difference: z.object({ diff: z.number(), se: z.number(), ci95: z.tuple([z.number(), z.number()]) }).nullable(),
    note: z.string(),
  }),
});

/** Which cases the caller may see and work: all (admin, analyst), their department's (owner), none (viewer). */
function scopeOf(req: FastifyRequest): CaseScope {
  const a = req.access!;
  if (a.role === 'admin' || a.role === 'analyst') return { all: true };
  if (a.role === 'owner') return { department: a.department };
  throw new ApiError(403, 'viewers do not see follow-up cases: a case is one customer\'s answer');
}

async function actorOf(store: Store, req: FastifyRequest) {
  const a = req.access!;
  if (!a.userId) return { userId: null, label: 'API key' };
  return { userId: a.userId, label: (await getUser(store.db, a.userId))?.email ?? 'unknown user' };
}

async function checkedRule(store: Store, orgId: string, input: z.infer<typeof CaseRuleInput>) {
  const [framework, journey] = await Promise.all([getFramework(store.db, orgId), getJourney(store.db, orgId)]);
  const errors = checkCaseRule(input, framework, journey);
  if (errors.length) throw new ApiError(400, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  return input;
}

/** The version an update was read at: `If-Match: "3"` (or 3) and/or `version`; they must agree. */
function versionOf(req: FastifyRequest, bodyVersion: number | undefined): number {
  const raw = req.headers['if-match'];
  let header: number | undefined;
  if (typeof raw === 'string') {
    const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
    if (!m) throw new ApiError(400, 'if-match: must be the case\'s version, e.g. "3"', [{ field: 'if-match', message: 'must be the case\'s version, e.g. "3"' }]);
    header = Number(m[1]);
  }
  if (header !== undefined && bodyVersion !== undefined && header !== bodyVersion)
    throw new ApiError(400, 'version: differs from If-Match', [{ field: 'version', message: 'differs from If-Match' }]);
  const v = header ?? bodyVersion;
  if (v === undefined) throw new ApiError(400, 'version: send the version you read (or If-Match), so no update is lost', [{ field: 'version', message: 'required' }]);
  return v;
}

export async function caseRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/organisations/:org/case-rules', { schema: { tags: ['cases'], description: 'The rules that open follow-up cases, in matching order (the first matching active rule opens the case).', params: OrgParams, response: { 200: z.object({ rules: z.array(CaseRule) }) } } }, async (req) => {
    await requireOrg(store, req.params.org);
    return { rules: await listCaseRules(store.db, req.params.org) };
  });
  r.post(
    '/organisations/:org/case-rules',
    {
      schema: {
        tags: ['cases'],
        description:
          'Adds a rule: all its conditions must hold — an answer (`{kind:"answer", item:"nps", op:"<=", value:6}`), a comment\'s sentiment ' +
          '(`{kind:"sentiment", sentiment:"negative", tag:"communication"}`), a touchpoint. Cases open from live responses folded after this (not imported history).',
        params: OrgParams,
        body: CaseRuleInput,
        response: { 201: CaseRule },
      },
    },
    async (req, reply) => {
      await requireOrg(store, req.params.org);
      try {
        return reply.code(201).send(await createCaseRule(store.db, req.params.org, await checkedRule(store, req.params.org, req.body)));
      } catch (e) {
        if (e instanceof TooManyRules) throw new ApiError(409, e.message);
        throw e;
      }
    },
  );
  r.put('/organisations/:org/case-rules/:id', { schema: { tags: ['cases'], params: RuleParams, body: CaseRuleInput, response: { 200: CaseRule } } }, async (req) => {
    await requireOrg(store, req.params.org);
    const rule = await replaceCaseRule(store.db, req.params.org, req.params.id, await checkedRule(store, req.params.org, req.body));
    if (!rule) throw ApiError.notFound(`case rule "${req.params.id}"`);
    return rule;
  });
  r.delete('/organisations/:org/case-rules/:id', { schema: { tags: ['cases'], params: RuleParams } }, async (req, reply) => {
    await requireOrg(store, req.params.org);
    if (!(await deleteCaseRule(store.db, req.params.org, req.params.id))) throw ApiError.notFound(`case rule "${req.params.id}"`);
    return reply.code(204).send();
  });

  r.get(
    '/organisations/:org/cases',
    {
      schema: {
        tags: ['cases'],
        description: "The case board, newest first: owners see their department's cases. Counts by state and SLA state ignore the state and sla filters.",
        params: OrgParams,
        querystring: pageQuery(50)
          .extend({
            department: z.string().trim().min(1).max(80).optional(),
            state: z.enum(CASE_STATES).optional(),
            sla: z.enum(SLA_STATES).optional(),
            assignee: z.string().max(60).optional().describe('a user id, "me", or "none" (unassigned)'),
          })
          .strict(),
        response: {
          200: z.object({
            items: z.array(CaseSummary),
            next: z.string().nullable(),
            counts: z.object({ total: z.number().int(), byState: z.record(z.string(), z.number()), bySla: z.record(z.string(), z.number()) }),
          }),
        },
      },
    },
    async (req) => {
      await requireOrg(store, req.params.org);
      const scope = scopeOf(req);
      const { assignee, ...f } = req.query;
      try {
        return await listCases(store.db, req.params.org, scope, { ...f, assignee: assignee === 'me' ? (req.access!.userId ?? 'none') : assignee });
      } catch (e) {
        throw badCursor(e);
      }
    },
  );

  r.get(
    '/organisations/:org/cases/:id',
    {
      config: { audit: 'cases.view' }, // one customer's answer: who read it is audited
      schema: {
        tags: ['cases'],
        description: 'One case: its response (answers, touchpoint, the comment redacted unless an admin asks for the original), the contact only with consent, and its history.',
        params: CaseParams,
        querystring: z.object({ original: z.enum(['true', 'false']).default('false') }).strict(),
        response: { 200: CaseDetail },
      },
    },
    async (req, reply) => {
      await requireOrg(store, req.params.org);
      const scope = scopeOf(req);
      if (req.query.original === 'true' && req.access?.role !== 'admin')
        throw new ApiError(403, 'original: only admins may see comments unredacted', [{ field: 'original', message: 'admins only' }]);
      const c = await getCaseDetail(store.db, req.params.org, scope, req.params.id, { original: req.query.original === 'true' });
      if (!c) throw ApiError.notFound(`case "${req.params.id}"`);
      reply.header('etag', `"${c.version}"`);
      return c;
    },
  );

  r.patch(
    '/organisations/:org/cases/:id',
    {
      config: { access: 'read' }, // owners work their department's cases; checked against the scope below
      schema: {
        tags: ['cases'],
        description:
          'Moves a case (open → in_progress → contacted → resolved | closed with a reason), assigns it, sets its root cause, adds a note or a contact attempt. ' +
          'Send the version you read (`version` or `If-Match`): if someone changed the case since, nothing is written and the answer is 409 with the current case.',
        params: CaseParams,
        body: CasePatch,
        response: {
          200: CaseSummary,
          409: z.object({
            statusCode: z.number(),
            error: z.string(),
            message: z.string(),
            fields: z.array(z.object({ field: z.string(), message: z.string() })),
            current: CaseSummary.describe('the case as it is now'),
          }),
        },
      },
    },
    async (req, reply) => {
      await requireOrg(store, req.params.org);
      const scope = scopeOf(req);
      const { version: bodyVersion, ...u } = req.body;
      const version = versionOf(req, bodyVersion);
      const rootCauses = (await getFramework(store.db, req.params.org)).map((d) => d.key);
      try {
        const c = await updateCase(store.db, req.params.org, scope, req.params.id, { ...u, version }, await actorOf(store, req), rootCauses);
        if (!c) throw ApiError.notFound(`case "${req.params.id}"`);
        reply.header('etag', `"${c.version}"`);
        return c;
      } catch (e) {
        if (e instanceof CaseInputError) throw new ApiError(400, e.message, e.fields);
        if (e instanceof CaseConflict) {
          const message = `version: the case was changed by someone else (now version ${e.current.version}); nothing was written — read it again and reapply your change`;
          return reply.code(409).header('etag', `"${e.current.version}"`).send({ ...errorBody(409, message, [{ field: 'version', message: 'stale' }]), current: e.current });
        }
        throw e;
      }
    },
  );

  r.get(
    '/organisations/:org/case-metrics',
    {
      schema: {
        tags: ['cases'],
        description:
          'Time to first contact and to resolution (medians with distribution-free 95% intervals), SLA compliance by department (Wilson intervals), and the NPS of ' +
          'customers whose case was resolved against those never reached, with the difference\'s 95% interval — an association, not an effect.',
        params: OrgParams,
        querystring: z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() }).strict(),
        response: { 200: CaseMetrics },
      },
    },
    async (req) => {
      const org = await requireOrg(store, req.params.org);
      return caseMetricsReport(store.db, org, scopeOf(req), { from: req.query.from, to: req.query.to });
    },
  );
}

/** The shapes the dashboard reads (type-only imports in src/web). */
export type CaseSummaryView = z.infer<typeof CaseSummary>;
export type CaseDetailView = z.infer<typeof CaseDetail>;
export type CaseMetricsView = z.infer<typeof CaseMetrics>;
