// POST /surveys/:id/responses: validates against the survey, stores once per Idempotency-Key.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { ResponseInput, validateSubmission } from '../../core/survey.ts';
import type { SurveyCache } from '../survey-cache.ts';
import { IdempotencyConflict } from '../../store/responses.ts';
import type { GroupCommitter } from '../../store/group-commit.ts';
import { LeaderLinkUsed } from '../../store/leader-links.ts';
import { asLeaderSubmission, leaderRespondent, type LeaderRespondent } from '../leader-access.ts';
import { ApiError } from '../errors.ts';
import { invitationFor } from '../invitation-access.ts';
import { InvitationUsed } from '../../store/campaigns.ts';
import { PUBLIC_BODY_LIMIT, submissionRules } from '../submission-rules.ts';

export async function responseRoutes(app: FastifyInstance, store: Store, commits: GroupCommitter, surveys: SurveyCache): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/surveys/:id/responses',
    {
      config: { access: 'public' }, // customers submit; the survey id is the capability
      bodyLimit: PUBLIC_BODY_LIMIT, // anonymous: a response is small, a flood is refused before parsing (413)
      schema: {
        security: [],
        tags: ['responses'],
        description:
          'Submit one response (body at most 32 KB). Segments must be declared by the organisation (GET …/segments), at most 10: anonymously only ' +
          'public ones, and `submittedAt` is refused (the server dates the response); with an API key of the organisation (`Authorization: Bearer px_…`) ' +
          'any declared segment, and `submittedAt` from 2000-01-01 up to 5 minutes ahead. ' +
          'Send an `Idempotency-Key` header to make retries safe: the same key with the same body returns the stored response (200) instead of storing it again; with a different body, 409. ' +
          'The leader survey takes a response only with a personal link token (`X-Leader-Token` header or `?t=`) or from a logged-in member ' +
          '(session cookie and `x-csrf-token`); otherwise 403. Its respondent id is assigned by the server (a body `respondentId` is refused). ' +
          "A customer's `respondentId` is stored as given and never replaces another response.",
        params: z.object({ id: z.string().max(40) }),
        headers: z.object({
          'idempotency-key': z.string().min(1).max(200).optional(),
          'x-leader-token': z.string().max(100).optional().describe('leader survey: the personal link token (or `?t=`)'),
        }),
        querystring: z.object({ t: z.string().max(100).optional().describe('leader survey: the personal link token'), i: z.string().max(100).optional().describe("a campaign invitation's token: fills the contact's segments and touchpoint; answers once") }),
        body: ResponseInput,
      },
    },
    async (req, reply) => {
      const survey = await surveys.get(req.params.id);
      if (!survey) throw ApiError.notFound(`survey "${req.params.id}"`);
      if (!survey.active) throw new ApiError(409, `survey "${req.params.id}" is closed`);
      // Leaders answer only through their personal link or while logged in (leader-access.ts).
      const invited = await invitationFor(store, survey, req.query.i, !!req.headers['idempotency-key']); // campaign invitation (invitation-access.ts)
      let leader: LeaderRespondent | undefined;
      if (survey.perspective === 'leader' && !invited) {
        const check = await leaderRespondent(store, req, survey, {
          token: req.headers['x-leader-token'] ?? req.query.t,
          csrf: true,
          retry: !!req.headers['idempotency-key'],
        });
        if (!check.ok) throw new ApiError(403, check.message, [{ field: 'X-Leader-Token', message: check.message }]);
        leader = check.leader;
        if (req.body.respondentId !== undefined)
          throw new ApiError(400, 'respondentId: is assigned by the server on the leader survey', [{ field: 'respondentId', message: 'is assigned by the server on the leader survey' }]);
      }
      // Declared segments and submittedAt: the public's rules, or a trusted API key's (submission-rules.ts).
      const rules = await submissionRules(store, req, survey.orgId);
      const v = validateSubmission(survey.definition, req.body, new Date(), rules);
      if (!v.ok) throw ApiError.validation(v.errors);
      try {
        const stored = await commits.submit({
          orgId: survey.orgId,
          surveyId: survey.id,
          perspective: survey.perspective,
          submission: invited ? invited.apply(v.value) : leader ? asLeaderSubmission(v.value, leader) : v.value,
          idempotencyKey: req.headers['idempotency-key'] ?? null,
        }, invited?.claim ?? leader?.claim);
        return reply.code(stored.created ? 201 : 200).send({ id: stored.id, created: stored.created });
      } catch (err) {
        if (err instanceof InvitationUsed) throw new ApiError(403, err.message, [{ field: 'i', message: err.message }]);
        if (err instanceof LeaderLinkUsed) throw new ApiError(403, err.message, [{ field: 'X-Leader-Token', message: err.message }]);
        if (err instanceof IdempotencyConflict) throw new ApiError(409, err.message, [{ field: 'Idempotency-Key', message: 'already used with a different body' }]);
        throw err;
      }
    },
  );
}
