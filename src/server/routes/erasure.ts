// Erasure over the API (GDPR art. 17, test responses, spam): DELETE a respondent (every response stored
// with that respondent id, and every feedback item with it as its authorRef) or one response, with its answers
// and comment, out of every aggregate (store/erasure.ts). Admins only; the audit hook (server/audit.ts) records each successful erasure
// as respondents.delete / responses.delete with its target.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { eraseSelected } from '../../store/erasure.ts';
import { ApiError } from '../errors.ts';
import { requireOrg } from './setup.ts';

const Erased = z.object({
  erased: z.number().int().describe('how many were erased in all: responses and feedback items'),
  responses: z.number().int().describe('how many survey responses were erased'),
  feedbackItems: z.number().int().describe('how many feedback items were erased (those with the respondent id as authorRef)'),
});

export async function erasureRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.delete(
    '/organisations/:org/respondents/:respondentId',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['responses'],
        description:
          'Erases every response of one respondent id (an erasure request under GDPR art. 17): the responses, their answers and comments, ' +
          'and their contributions to every report, with every feedback item whose authorRef is that id, in one transaction. ' +
          '404 when no response or feedback item has it.',
        params: z.object({ org: z.string().max(60), respondentId: z.string().min(1).max(200) }),
        response: { 200: Erased },
      },
    },
    async (req) => {
      const org = await requireOrg(store, req.params.org);
      const e = await eraseSelected(store.db, org.id, { respondentId: req.params.respondentId });
      if (e.responses + e.feedbackItems === 0) throw ApiError.notFound('responses or feedback items of that respondent');
      return { erased: e.responses + e.feedbackItems, ...e };
    },
  );

  r.delete(
    '/organisations/:org/responses/:responseId',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['responses'],
        description: 'Erases one response (a test response, spam): its answers and comment, and its contribution to every report. 404 when there is no such response.',
        params: z.object({ org: z.string().max(60), responseId: z.string().min(1).max(100) }),
        response: { 200: Erased },
      },
    },
    async (req) => {
      const org = await requireOrg(store, req.params.org);
      const e = await eraseSelected(store.db, org.id, { responseIds: [req.params.responseId] });
      if (e.responses === 0) throw ApiError.notFound(`response "${req.params.responseId}"`);
      return { erased: e.responses, ...e };
    },
  );
}
