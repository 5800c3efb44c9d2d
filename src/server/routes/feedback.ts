// Feedback items from every channel (issue 9) over HTTP:
// - /organisations/:org/feedback-sources: list, create (the signing secret is in this answer only), delete
//   (with the items the source brought); admins.
// - POST /organisations/:org/feedback: one item or `{items: […]}` (at most 500), admins/analysts and API keys
//   that may write; idempotent by the `Idempotency-Key` header and by each item's externalId per source.
// - GET /organisations/:org/feedback/ratings: per channel, the items' ratings normalised to 0–1, beside the
//   survey figures (never inside them), under the anonymity rule of every report.
// - POST /hooks/feedback/:sourceId: the inbound webhook of one source, Standard Webhooks-signed; the signature
//   is checked on the raw bytes before anything is parsed, and the webhook-id makes a redelivery store nothing.
// Every body goes through core/feedback.ts (one zod schema for the API, the webhook and the file import).
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { checkFeedbackItem, FeedbackBatch, FeedbackChannel, FeedbackItemInput, MAX_FEEDBACK_BATCH, parseFeedbackBody, requestHash, type FeedbackContext } from '../../core/feedback.ts';
import { verifyWebhook } from '../../core/feedback-webhook.ts';
import type { FieldError } from '../../core/survey.ts';
import { createFeedbackSource, deleteFeedbackSource, feedbackSourceForHook, listFeedbackSources, TooManyFeedbackSources } from '../../store/feedback-sources.ts';
import { authorsReason, FeedbackConflict, feedbackRatingsByChannel, loadFeedbackCells, storeFeedback, type StoredFeedback } from '../../store/feedback.ts';
import { feedbackContext } from '../../store/feedback-context.ts';
import { cut } from '../../core/anonymity.ts';
import { reportContext } from '../../reports/report-context.ts';
import { ReportQuery, filtersFromQuery } from './reports.ts';
import { ApiError } from '../errors.ts';
import { requireOrg } from './setup.ts';

const OrgParams = z.object({ org: z.string().max(60) });
/** An API batch: 500 items of up to 50,000 characters would be 25 MB; most are short, so 8 MB bounds it. */
export const FEEDBACK_BODY_LIMIT = 8 * 1024 * 1024;
export const HOOK_BODY_LIMIT = 1024 * 1024;

const SourceView = z.object({ id: z.string(), name: z.string(), channel: FeedbackChannel, createdAt: z.string() });
const Stored = z.object({
  items: z.array(z.object({ id: z.string(), created: z.boolean() })).describe('per item sent, in order; created false: stored before (same externalId of the source)'),
  created: z.number().int(),
  duplicates: z.number().int(),
});

/** The POST body as the OpenAPI document shows it: one item, or a batch of them. */
const FeedbackBody = z.union([FeedbackItemInput, FeedbackBatch]).describe(`one item, or {"items": [ … ]} (1–${MAX_FEEDBACK_BATCH} items)`);

/**
 * The POST route's validator: its body checked against the same schemas (parseFeedbackBody), but refused with each
 * field named as one item's or the batch's (`items.3.rating.value`), which a union's failure would not say. The
 * body is kept as received (its Idempotency-Key hash is of the body sent). Other parts: the usual zod validator.
 */
// Typed loosely: a route's compiler is typed by the route's whole schema object, while each call gets one part's.
const feedbackBodyValidator: FastifySchemaCompiler<any> = (route) => {
  if (route.httpPart !== 'body') return validatorCompiler(route);
  return (data: unknown) => {
    const parsed = parseFeedbackBody(data);
    return parsed.ok ? { value: data } : { error: new ApiError(400, parsed.errors.map((e) => `${e.field}: ${e.message}`).join('; '), parsed.errors) };
  };
};

/** Checks every item; any problem refuses the whole request (nothing written), each field named. */
function checkAll(items: FeedbackItemInput[], ctx: FeedbackContext, batch: boolean) {
  const errors: FieldError[] = [];
  const valid = items.flatMap((item, i) => {
    const c = checkFeedbackItem(item, ctx, (f) => (batch ? `items.${i}.${f}` : f));
    if (!c.ok) errors.push(...c.errors);
    return c.ok ? [c.value] : [];
  });
  if (errors.length) throw ApiError.validation(errors);
  return valid;
}

async function storeItems(store: Store, orgId: string, valid: Parameters<typeof storeFeedback>[2], receipt?: { key: string; hash: string }): Promise<StoredFeedback & { replayed: boolean }> {
  try {
    return await storeFeedback(store.db, orgId, valid, receipt);
  } catch (err) {
    if (err instanceof FeedbackConflict) throw new ApiError(409, `${err.field}: ${err.message}`, [{ field: err.field, message: err.message }]);
    throw err;
  }
}

export async function feedbackRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/organisations/:org/feedback-sources',
    { config: { access: 'admin' }, schema: { tags: ['feedback'], description: "The organisation's feedback sources, oldest first (secrets are never shown again).", params: OrgParams, response: { 200: z.object({ sources: z.array(SourceView) }) } } },
    async (req) => {
      await requireOrg(store, req.params.org);
      return { sources: await listFeedbackSources(store.db, req.params.org) };
    },
  );

  r.post(
    '/organisations/:org/feedback-sources',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['feedback'],
        description:
          'Declares a feedback source (a review site, a help desk…). The answer carries the signing secret of its inbound webhook ' +
          '(`POST /hooks/feedback/{id}`, Standard Webhooks), shown this once.',
        params: OrgParams,
        body: z.object({ name: z.string().trim().min(1).max(100), channel: FeedbackChannel }).strict(),
        response: { 201: SourceView.extend({ secret: z.string().describe('whsec_…: shown once') }) },
      },
    },
    async (req, reply) => {
      await requireOrg(store, req.params.org);
      try {
        return reply.code(201).send(await createFeedbackSource(store.db, req.params.org, req.body.name, req.body.channel));
      } catch (err) {
        if (err instanceof TooManyFeedbackSources) throw new ApiError(409, err.message, [{ field: 'name', message: err.message }]);
        throw err;
      }
    },
  );

  r.delete(
    '/organisations/:org/feedback-sources/:id',
    { config: { access: 'admin' }, schema: { tags: ['feedback'], description: 'Deletes a source and every item it brought.', params: OrgParams.extend({ id: z.string().max(40) }) } },
    async (req, reply) => {
      await requireOrg(store, req.params.org);
      if (!(await deleteFeedbackSource(store.db, req.params.org, req.params.id))) throw ApiError.notFound(`feedback source "${req.params.id}"`);
      return reply.code(204).send();
    },
  );

  r.post(
    '/organisations/:org/feedback',
    {
      config: { access: 'setup' }, // admins, analysts, and API keys of those roles
      bodyLimit: FEEDBACK_BODY_LIMIT,
      validatorCompiler: feedbackBodyValidator,
      schema: {
        tags: ['feedback'],
        description:
          `Stores one feedback item, or \`{"items": […]}\` (at most ${MAX_FEEDBACK_BATCH}), all or nothing: any invalid item refuses the request (422, each field named). ` +
          'An item whose `externalId` its source already holds is not stored again (created: false). Send an `Idempotency-Key` header to make a retry safe: ' +
          'the same key with the same body returns the first answer (200); with another body, 409. Feedback items never enter NPS or any survey figure; ' +
          'they appear in the verbatims and themes, and their ratings in GET …/feedback/ratings.',
        params: OrgParams,
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
        body: FeedbackBody,
        response: { 200: Stored, 201: Stored },
      },
    },
    async (req, reply) => {
      await requireOrg(store, req.params.org);
      const parsed = parseFeedbackBody(req.body); // shaped already (feedbackBodyValidator): its items
      if (!parsed.ok) throw new ApiError(400, parsed.errors.map((e) => `${e.field}: ${e.message}`).join('; '), parsed.errors);
      const valid = checkAll(parsed.items, await feedbackContext(store.db, req.params.org), parsed.batch);
      const key = req.headers['idempotency-key'];
      const stored = await storeItems(store, req.params.org, valid, key ? { key: `api:${key}`, hash: requestHash(req.body) } : undefined);
      const { replayed, ...answer } = stored;
      return reply.code(!replayed && answer.created > 0 ? 201 : 200).send(answer);
    },
  );

  r.get(
    '/organisations/:org/feedback/ratings',
    {
      schema: {
        tags: ['feedback'],
        description:
          "Per channel, the feedback items within the filters and their ratings normalised to 0–1 ((value − min) / (max − min), each item's own scale): " +
          'beside the survey figures, never inside NPS. Withheld as a whole (`suppressed`) when the items within the filters break the minimum group rule of every report, ' +
          'counted in distinct authors (an item without authorRef counts as one); a channel is listed only when at least that many authors wrote its items, its mean only when that many rated.',
        params: OrgParams,
        querystring: ReportQuery,
        response: {
          200: z.object({
            channels: z.array(z.object({ channel: z.string(), items: z.number().int(), rated: z.number().int(), meanRating: z.number().nullable() })),
            suppressed: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => {
      const org = await requireOrg(store, req.params.org);
      const ctx = await reportContext(store.db, org.id);
      const filters = filtersFromQuery(req.query, req);
      const c = cut(await loadFeedbackCells(store.db, org.id), filters, { k: org.minResponses, stageOf: ctx?.stageOf ?? (() => ''), withholdRare: true }, []);
      if (!c.visible) return { channels: [], suppressed: authorsReason(c.reason ?? '') };
      // Each channel shown is a group of its own: items of at least k distinct authors, or left out; its mean
      // only when at least k distinct authors rated (a prolific reviewer's ten ratings are one person's).
      const rows = (await feedbackRatingsByChannel(store.db, org.id, c.scope)).filter((x) => x.authors >= org.minResponses);
      return {
        channels: rows.map(({ authors: _a, ratedAuthors, ...x }) => ({ ...x, meanRating: ratedAuthors >= org.minResponses && x.meanRating !== null ? Number(x.meanRating.toFixed(4)) : null })),
        suppressed: null,
      };
    },
  );

}

/**
 * The inbound webhook, outside /api/v1 (registered on the root app): its own scope, where a JSON body is kept
 * as the exact string received (the signature is over those bytes; parsing first and re-serialising would not
 * reproduce them).
 */
export async function feedbackHookRoutes(app: FastifyInstance, store: Store): Promise<void> {
  await app.register(async (hooks) => {
    hooks.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: HOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));
    hooks.withTypeProvider<ZodTypeProvider>().post(
      '/hooks/feedback/:sourceId',
      {
        config: { access: 'public' }, // the signature is the credential
        bodyLimit: HOOK_BODY_LIMIT,
        schema: {
          security: [],
          tags: ['feedback'],
          description:
            'The inbound webhook of one feedback source (body ≤ 1 MB, `application/json`): one item or `{"items": […]}`, as POST …/feedback takes them ' +
            "(`source` may be left out). Signed as Standard Webhooks: `webhook-id`, `webhook-timestamp` (seconds; within 5 minutes) and `webhook-signature` " +
            '(`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}" keyed by the base64-decoded secret after `whsec_`>`, several allowed, space-separated). ' +
            'Anything else is refused with 401 and nothing is written. A redelivery with the same webhook-id stores nothing again (200).',
          params: z.object({ sourceId: z.string().max(40) }),
          response: { 200: Stored, 201: Stored },
        },
      },
      async (req, reply) => {
        const source = await feedbackSourceForHook(store.db, req.params.sourceId);
        // An unknown source answers as a bad signature does: the URL alone tells a prober nothing.
        const raw = typeof req.body === 'string' ? req.body : '';
        const verdict = source ? verifyWebhook(source.secret, req.headers, raw) : { ok: false as const, reason: 'no valid v1 signature' };
        if (!verdict.ok || !source) throw new ApiError(401, `webhook-signature: ${verdict.ok ? 'refused' : verdict.reason}`, [{ field: 'webhook-signature', message: verdict.ok ? 'refused' : verdict.reason }]);
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          throw new ApiError(400, 'body: is not JSON', [{ field: 'body', message: 'is not JSON' }]);
        }
        const parsed = parseFeedbackBody(body);
        if (!parsed.ok) throw new ApiError(400, parsed.errors.map((e) => `${e.field}: ${e.message}`).join('; '), parsed.errors);
        const items = parsed.items.map((i) => ({ ...i, source: i.source ?? source.id }));
        const errors: FieldError[] = items.flatMap((i, n) => (i.source === source.id ? [] : [{ field: parsed.batch ? `items.${n}.source` : 'source', message: "must be this webhook's source (or left out)" }]));
        if (errors.length) throw ApiError.validation(errors);
        const valid = checkAll(items, await feedbackContext(store.db, source.orgId), parsed.batch);
        const stored = await storeItems(store, source.orgId, valid, { key: `hook:${source.id}:${verdict.id}`, hash: requestHash(raw) });
        const { replayed, ...answer } = stored;
        return reply.code(!replayed && answer.created > 0 ? 201 : 200).send(answer);
      },
    );
  });
}
