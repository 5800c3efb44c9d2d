// Outgoing webhooks API (issue 13; admins only: an endpoint receives the organisation's alerts):
// /organisations/:org/webhooks — list, create (the signing secret is in this answer only), read,
// update, delete; /webhooks/:id/deliveries, the delivery log (newest first, keyset-paged); and
// /webhooks/:id/test, which queues a `webhook.test` event for that endpoint. Writes are audited by
// server/audit.ts like every write under the organisation; the secret never reaches the log.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { checkWebhookUrl, destinationPolicyFromEnv, MAX_WEBHOOKS_PER_ORG, WebhookEventType, WebhookFormat } from '../../core/webhooks/webhooks.ts';
import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks, queueWebhookEvent, TooManyWebhooks, updateWebhook, type WebhookFields } from '../../store/webhooks.ts';
import { ApiError } from '../errors.ts';
import { badCursor, pageQuery } from './page-query.ts';
import { requireOrg } from './setup.ts';

const OrgParams = z.object({ org: z.string().max(60) });
const IdParams = OrgParams.extend({ id: z.string().max(40) });

const Fields = z
  .object({
    url: z.string().max(2000).describe('https (http only to a loopback host or with PARALLAX_WEBHOOK_ALLOW_HTTP=1)'),
    description: z.string().max(200).nullable().optional(),
    eventTypes: z.array(WebhookEventType).min(1).max(20).describe('the events sent to this endpoint'),
    format: WebhookFormat.default('standard'),
    enabled: z.boolean().default(true),
  })
  .strict();
const Patch = z
  .object({
    url: z.string().max(2000).optional(),
    description: z.string().max(200).nullable().optional(),
    eventTypes: z.array(WebhookEventType).min(1).max(20).optional(),
    format: WebhookFormat.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const WebhookView = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  eventTypes: z.array(z.string()),
  format: WebhookFormat,
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const DeliveryView = z.object({
  id: z.string().describe('the webhook-id header'),
  eventId: z.string(),
  eventType: z.string(),
  state: z.enum(['queued', 'sending', 'delivered', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastStatus: z.number().int().nullable().describe('the HTTP status of the last attempt; null: no answer'),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type DeliveryView = z.infer<typeof DeliveryView>;
export type WebhookView = z.infer<typeof WebhookView>;

const notFound = (id: string) => ApiError.notFound(`webhook "${id}"`);

/** The URL's problems under the current policy, as a 422 naming `url`. Read per request: the policy is the operator's. */
function checkUrl(url: string): void {
  const problems = checkWebhookUrl(url, destinationPolicyFromEnv());
  if (problems.length) throw ApiError.validation(problems);
}

export async function webhookRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { access: 'admin' as const };

  r.get(
    '/organisations/:org/webhooks',
    { config: admin, schema: { tags: ['webhooks'], description: `The organisation's webhook endpoints (at most ${MAX_WEBHOOKS_PER_ORG}), oldest first.`, params: OrgParams, response: { 200: z.object({ webhooks: z.array(WebhookView) }) } } },
    async (req) => {
      await requireOrg(store, req.params.org);
      return { webhooks: await listWebhooks(store.db, req.params.org) };
    },
  );

  r.post(
    '/organisations/:org/webhooks',
    {
      config: admin,
      schema: {
        tags: ['webhooks'],
        description:
          'Adds an endpoint. The answer holds its signing `secret` (`whsec_…`, Standard Webhooks), shown only now: every request carries ' +
          '`webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` keyed by the base64-decoded part after `whsec_`.',
        params: OrgParams,
        body: Fields,
        response: { 201: z.object({ webhook: WebhookView, secret: z.string().describe('shown only now') }) },
      },
    },
    async (req, reply) => {
      await requireOrg(store, req.params.org);
      checkUrl(req.body.url);
      const f: WebhookFields = { ...req.body, description: req.body.description ?? null, eventTypes: [...new Set(req.body.eventTypes)] };
      try {
        return reply.code(201).send(await createWebhook(store.db, req.params.org, f));
      } catch (e) {
        if (e instanceof TooManyWebhooks) throw new ApiError(409, e.message);
        throw e;
      }
    },
  );

  r.get(
    '/organisations/:org/webhooks/:id',
    { config: admin, schema: { tags: ['webhooks'], description: 'One endpoint (never its secret).', params: IdParams, response: { 200: z.object({ webhook: WebhookView }) } } },
    async (req) => {
      await requireOrg(store, req.params.org);
      const webhook = await getWebhook(store.db, req.params.org, req.params.id);
      if (!webhook) throw notFound(req.params.id);
      return { webhook };
    },
  );

  r.patch(
    '/organisations/:org/webhooks/:id',
    { config: admin, schema: { tags: ['webhooks'], description: 'Changes the fields given; the secret stays.', params: IdParams, body: Patch, response: { 200: z.object({ webhook: WebhookView }) } } },
    async (req) => {
      await requireOrg(store, req.params.org);
      if (req.body.url !== undefined) checkUrl(req.body.url);
      const p = req.body;
      const webhook = await updateWebhook(store.db, req.params.org, req.params.id, (w) => ({
        url: p.url ?? w.url,
        description: p.description === undefined ? w.description : p.description,
        eventTypes: p.eventTypes ? [...new Set(p.eventTypes)] : w.eventTypes,
        format: p.format ?? w.format,
        enabled: p.enabled ?? w.enabled,
      }));
      if (!webhook) throw notFound(req.params.id);
      return { webhook };
    },
  );

  r.delete(
    '/organisations/:org/webhooks/:id',
    { config: admin, schema: { tags: ['webhooks'], description: 'Deletes the endpoint and its delivery log.', params: IdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await requireOrg(store, req.params.org);
      if (!(await deleteWebhook(store.db, req.params.org, req.params.id))) throw notFound(req.params.id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/organisations/:org/webhooks/:id/deliveries',
    {
      config: admin,
      schema: {
        tags: ['webhooks'],
        description: 'The delivery log of one endpoint, newest first: pass `next` as `after` for the following page.',
        params: IdParams,
        querystring: pageQuery(50),
        response: { 200: z.object({ deliveries: z.array(DeliveryView), next: z.string().nullable() }) },
      },
    },
    async (req) => {
      await requireOrg(store, req.params.org);
      if (!(await getWebhook(store.db, req.params.org, req.params.id))) throw notFound(req.params.id);
      try {
        return await listDeliveries(store.db, req.params.org, req.params.id, req.query.limit, req.query.after);
      } catch (e) {
        throw badCursor(e);
      }
    },
  );

  r.post(
    '/organisations/:org/webhooks/:id/test',
    {
      config: admin,
      schema: {
        tags: ['webhooks'],
        description: 'Queues a `webhook.test` event for this endpoint, whatever it subscribes to and even when disabled; see the delivery log for the outcome.',
        params: IdParams,
        response: { 202: z.object({ deliveryId: z.string() }) },
      },
    },
    async (req, reply) => {
      await requireOrg(store, req.params.org);
      const w = await getWebhook(store.db, req.params.org, req.params.id);
      if (!w) throw notFound(req.params.id);
      const [deliveryId] = await queueWebhookEvent(store.db, req.params.org, {
        type: 'webhook.test',
        summary: 'Parallax test event: this endpoint is set up correctly.',
        data: { organisation: req.params.org, webhook: w.id },
      }, { endpointId: w.id });
      return reply.code(202).send({ deliveryId: deliveryId! });
    },
  );
}
