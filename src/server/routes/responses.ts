// POST /surveys/:id/responses: validates against the survey, stores once per Idempotency-Key.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { ResponseInput, validateSubmission } from '../../core/survey.ts';
import { getSurvey } from '../../store/surveys.ts';
import { IdempotencyConflict, storeResponse } from '../../store/responses.ts';
import { ApiError } from '../errors.ts';

export async function responseRoutes(app: FastifyInstance, store: Store): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/surveys/:id/responses',
    {
      config: { access: 'public' }, // customers submit; the survey id is the capability
      schema: {
        security: [],
        tags: ['responses'],
        description:
          'Submit one response. Send an `Idempotency-Key` header to make retries safe: the same key with the same body returns the stored response (200) instead of storing it again; with a different body, 409.',
        params: z.object({ id: z.string().max(40) }),
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
        body: ResponseInput,
      },
    },
    async (req, reply) => {
      const survey = await getSurvey(store.db, req.params.id);
      if (!survey) throw ApiError.notFound(`survey "${req.params.id}"`);
      if (!survey.active) throw new ApiError(409, `survey "${req.params.id}" is closed`);
      const v = validateSubmission(survey.definition, req.body);
      if (!v.ok) throw ApiError.validation(v.errors);
      try {
        const stored = await storeResponse(store.db, {
          orgId: survey.orgId,
          surveyId: survey.id,
          perspective: survey.perspective,
          submission: v.value,
          idempotencyKey: req.headers['idempotency-key'] ?? null,
        });
        return reply.code(stored.created ? 201 : 200).send({ id: stored.id, created: stored.created });
      } catch (err) {
        if (err instanceof IdempotencyConflict) throw new ApiError(409, err.message, [{ field: 'Idempotency-Key', message: 'already used with a different body' }]);
        throw err;
      }
    },
  );
}
