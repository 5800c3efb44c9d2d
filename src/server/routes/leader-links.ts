// Leaders' personal survey links (issue 7, hole 5): POST /organisations/:org/leader-links makes them
// (each token shown once), GET lists them without tokens, DELETE revokes one. Admins and analysts only:
// a link lets its holder answer the leader survey once, as a leader with the link's function.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { surveyFor } from '../../store/surveys.ts';
import { createLeaderLinks, leaderLinkTotals, pageLeaderLinks, revokeLeaderLink, MAX_LINKS_PER_REQUEST } from '../../store/leader-links.ts';
import { badCursor, pageQuery } from './page-query.ts';
import { ApiError } from '../errors.ts';
import { requireOrg } from './setup.ts';

const OrgParams = z.object({ org: z.string().max(60) });

const LeaderLink = z.object({
  id: z.string(),
  function: z.string().nullable().describe("the leader's function (leader segment `function`), set by the link"),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  used: z.boolean().describe('whether a response was stored with it (never which one)'),
});

const NewLeaderLink = LeaderLink.omit({ createdBy: true }).extend({
  token: z.string().describe('the secret: shown once, never again'),
  path: z.string().describe('the personal survey link, relative to the server: /s/<leader survey>?t=<token>'),
});

export const CreateLeaderLinks = z
  .object({
    function: z
      .string()
      .trim()
      .min(1)
      .max(80)
      .regex(/^[^;=\u0000-\u001f]*$/, 'must not contain ; = or control characters')
      .optional()
      .describe("the leaders' function, e.g. Sales (their group in the calibration report)"),
    count: z.number().int().min(1).max(MAX_LINKS_PER_REQUEST).default(1),
    days: z.number().int().min(1).max(365).default(30).describe('days until the links expire'),
  })
  .strict();

export const leaderLinkPath = (surveyId: string, token: string) => `/s/${surveyId}?t=${encodeURIComponent(token)}`;

export async function leaderLinkRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/organisations/:org/leader-links',
    {
      schema: {
        tags: ['surveys'],
        description:
          'Personal, single-use links to the leader survey (the survey takes leader responses only through these or from logged-in members). ' +
          'Each token is shown once, here.',
        params: OrgParams,
        body: CreateLeaderLinks,
        response: { 201: z.object({ links: z.array(NewLeaderLink) }) },
      },
    },
    async (req, reply) => {
      const org = await requireOrg(store, req.params.org);
      const survey = await surveyFor(store.db, org.id, 'leader');
      if (!survey) throw ApiError.notFound(`leader survey of "${org.id}"`);
      const createdBy = req.access?.userId ? `user:${req.access.userId}` : `key:${req.access?.apiKeyId ?? 'unknown'}`;
      const links = await createLeaderLinks(store.db, { orgId: org.id, createdBy, function: req.body.function ?? null, count: req.body.count, days: req.body.days });
      return reply.code(201).send({
        links: links.map(({ createdBy: _c, ...l }) => ({ ...l, path: leaderLinkPath(survey.id, l.token) })),
      });
    },
  );

  r.get(
    '/organisations/:org/leader-links',
    {
      config: { access: 'setup' },
      schema: {
        tags: ['surveys'],
        description: 'The leader links made so far, without their tokens, oldest first, a page at a time: pass `next` as `after` for the following one.',
        params: OrgParams,
        querystring: pageQuery(100),
        response: {
          200: z.object({
            links: z.array(LeaderLink),
            next: z.string().nullable().describe('the cursor of the following page; null on the last'),
            totals: z.object({ made: z.number().int(), used: z.number().int() }).describe('over every page'),
          }),
        },
      },
    },
    async (req) => {
      const org = await requireOrg(store, req.params.org);
      try {
        const [page, totals] = await Promise.all([pageLeaderLinks(store.db, org.id, req.query), leaderLinkTotals(store.db, org.id)]);
        return { ...page, totals };
      } catch (e) {
        throw badCursor(e);
      }
    },
  );

  r.delete(
    '/organisations/:org/leader-links/:id',
    {
      schema: {
        tags: ['surveys'],
        description: 'Revokes a leader link: it can no longer be used (a response already given with it stays).',
        params: OrgParams.extend({ id: z.string().max(40) }),
      },
    },
    async (req, reply) => {
      const org = await requireOrg(store, req.params.org);
      if (!(await revokeLeaderLink(store.db, org.id, req.params.id))) throw ApiError.notFound(`leader link "${req.params.id}"`);
      return reply.code(204).send();
    },
  );
}
