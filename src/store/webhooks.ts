// Outgoing webhooks' storage (migration 0022): endpoints per organisation (CRUD, at most
// MAX_WEBHOOKS_PER_ORG) and deliveries as durable jobs. An event is queued as one delivery per enabled
// endpoint subscribed to its type, in the caller's transaction when it has one; a sender claims due
// deliveries atomically (as mail jobs are, store/mail-jobs.ts), so with several servers each attempt is
// made by one of them. Unlike mail, a delivery left 'sending' by a server that died is queued again:
// Standard Webhooks is at-least-once (receivers drop repeats by `webhook-id`), and a lost alert is worse
// than a repeated one.
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { engineOf } from './bulk.ts';
import { writeTransaction } from './write-transaction.ts';
import { decodeCursor, pageOf } from './page-cursor.ts';
import { claimDue } from './job-claims.ts';
import {
  MAX_WEBHOOK_ATTEMPTS,
  MAX_WEBHOOKS_PER_ORG,
  newWebhookSecret,
  webhookBody,
  webhookRetryDelayMs,
  type WebhookEventType,
  type WebhookFormat,
} from '../core/webhooks/webhooks.ts';

export interface WebhookEndpointsTable {
  org_id: string;
  id: string;
  url: string;
  description: string | null;
  /** JSON array of event types. */
  event_types: string;
  format: WebhookFormat;
  secret: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  org_id: string;
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  state: 'queued' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string;
  claimed_at: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

type Db = Kysely<Database> | Transaction<Database>;
export type DeliveryRow = WebhookDeliveriesTable;

export interface WebhookFields {
  url: string;
  description: string | null;
  eventTypes: WebhookEventType[];
  format: WebhookFormat;
  enabled: boolean;
}

export interface Webhook extends WebhookFields {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export class TooManyWebhooks extends Error {}

const fromRow = (r: WebhookEndpointsTable): Webhook => ({
  id: r.id,
  url: r.url,
  description: r.description,
  eventTypes: JSON.parse(r.event_types),
  format: r.format,
  enabled: Number(r.enabled) === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const columns = (f: WebhookFields) => ({ url: f.url, description: f.description, event_types: JSON.stringify(f.eventTypes), format: f.format, enabled: f.enabled ? 1 : 0 });

/** A new endpoint and its secret, which is shown this once (the API never returns it again). */
export async function createWebhook(db: Kysely<Database>, orgId: string, f: WebhookFields, at = new Date()): Promise<{ webhook: Webhook; secret: string }> {
  const id = `wh_${randomBytes(9).toString('base64url')}`;
  const secret = newWebhookSecret();
  const now = at.toISOString();
  await writeTransaction(db, async (tx) => {
    // The organisation's lock: two creates at once cannot both see 19 and make 21.
    await engineOf(tx).lockUntilCommit(tx, 'webhooks', orgId);
    const { n } = await tx.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
    if (Number(n) >= MAX_WEBHOOKS_PER_ORG) throw new TooManyWebhooks(`at most ${MAX_WEBHOOKS_PER_ORG} webhooks per organisation: delete one first`);
    await tx.insertInto('webhook_endpoints').values({ org_id: orgId, id, ...columns(f), secret, created_at: now, updated_at: now }).execute();
  });
  return { webhook: (await getWebhook(db, orgId, id))!, secret };
}

export async function getWebhook(db: Db, orgId: string, id: string): Promise<Webhook | undefined> {
  const r = await db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return r && fromRow(r);
}

export async function listWebhooks(db: Db, orgId: string): Promise<Webhook[]> {
  const rows = await db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').limit(MAX_WEBHOOKS_PER_ORG).execute();
  return rows.map(fromRow);
}

/** Replaces the fields with `merge(current)` in one transaction; undefined when there is no such endpoint. `merge` may throw (nothing written). */
export async function updateWebhook(db: Kysely<Database>, orgId: string, id: string, merge: (w: Webhook) => WebhookFields, at = new Date()): Promise<Webhook | undefined> {
  return writeTransaction(db, async (tx) => {
    const current = await getWebhook(tx, orgId, id);
    if (!current) return undefined;
    await tx.updateTable('webhook_endpoints').set({ ...columns(merge(current)), updated_at: at.toISOString() }).where('org_id', '=', orgId).where('id', '=', id).execute();
    return getWebhook(tx, orgId, id);
  });
}

/** Deletes the endpoint and its delivery log (the foreign key cascades). */
export async function deleteWebhook(db: Kysely<Database>, orgId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('webhook_endpoints').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export interface WebhookEvent {
  type: WebhookEventType;
  /** What a person reads (the Slack/Teams text). */
  summary: string;
  data: Record<string, unknown>;
}

/**
 * Queues `event` for every enabled endpoint of the organisation subscribed to its type — or only for
 * `endpointId` (the test event, sent whatever the subscription). Returns the deliveries' ids.
 */
export async function queueWebhookEvent(db: Db, orgId: string, event: WebhookEvent, o: { endpointId?: string; at?: Date } = {}): Promise<string[]> {
  const at = (o.at ?? new Date()).toISOString();
  let q = db.selectFrom('webhook_endpoints').select(['id', 'format', 'event_types']).where('org_id', '=', orgId);
  q = o.endpointId ? q.where('id', '=', o.endpointId) : q.where('enabled', '=', 1);
  const targets = (await q.execute()).filter((e) => o.endpointId || (JSON.parse(e.event_types) as string[]).includes(event.type));
  if (!targets.length) return [];
  const eventId = `evt_${randomBytes(9).toString('base64url')}`;
  const rows = targets.map((e) => ({
    org_id: orgId,
    id: `msg_${randomBytes(12).toString('base64url')}`,
    endpoint_id: e.id,
    event_id: eventId,
    event_type: event.type,
    payload: webhookBody(e.format, { type: event.type, timestamp: at, data: { ...event.data, eventId }, summary: event.summary }),
    state: 'queued' as const,
    attempts: 0,
    next_attempt_at: at,
    created_at: at,
  }));
  await db.insertInto('webhook_deliveries').values(rows).execute();
  return rows.map((r) => r.id);
}

/** Claims up to `limit` due, queued deliveries for this sender (each claimed by one server: store/job-claims.ts). */
export function claimDueDeliveries(db: Kysely<Database>, limit: number, now = new Date()): Promise<DeliveryRow[]> {
  return claimDue<DeliveryRow>(db, 'webhook_deliveries', limit, now);
}

/** Deliveries left 'sending' longer than `leaseMs` (their server stopped): queued again, at once. */
export async function requeueInterrupted(db: Kysely<Database>, leaseMs: number, now = new Date()): Promise<number> {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({ state: 'queued', next_attempt_at: now.toISOString(), last_error: 'interrupted while sending; sent again' })
    .where('state', '=', 'sending')
    .where('claimed_at', '<', new Date(now.getTime() - leaseMs).toISOString())
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Where and how a claimed delivery goes: its endpoint's URL and secret (undefined once deleted). */
export async function deliveryTarget(db: Db, d: DeliveryRow): Promise<{ url: string; secret: string; enabled: boolean } | undefined> {
  const r = await db.selectFrom('webhook_endpoints').select(['url', 'secret', 'enabled']).where('org_id', '=', d.org_id).where('id', '=', d.endpoint_id).executeTakeFirst();
  return r && { url: r.url, secret: r.secret, enabled: Number(r.enabled) === 1 };
}

/** The outcome of one attempt: delivered, retried after the back-off, or failed (permanent, or out of attempts). */
export async function recordAttempt(
  db: Kysely<Database>,
  d: DeliveryRow,
  outcome: { kind: 'delivered' | 'retry' | 'permanent'; status: number | null; error: string | null },
  now = new Date(),
): Promise<'delivered' | 'queued' | 'failed'> {
  const state = outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'retry' && d.attempts < MAX_WEBHOOK_ATTEMPTS ? 'queued' : 'failed';
  await db
    .updateTable('webhook_deliveries')
    .set({
      state,
      last_status: outcome.status,
      last_error: outcome.error?.slice(0, 500) ?? null,
      next_attempt_at: state === 'queued' ? new Date(now.getTime() + webhookRetryDelayMs(d.attempts)).toISOString() : d.next_attempt_at,
      finished_at: state === 'queued' ? null : now.toISOString(),
    })
    .where('org_id', '=', d.org_id)
    .where('id', '=', d.id)
    .where('state', '=', 'sending')
    .execute();
  return state;
}

export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  state: DeliveryRow['state'];
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const deliveryOf = (r: DeliveryRow): Delivery => ({
  id: r.id,
  eventId: r.event_id,
  eventType: r.event_type,
  state: r.state,
  attempts: Number(r.attempts),
  nextAttemptAt: r.state === 'queued' ? r.next_attempt_at : null,
  lastStatus: r.last_status === null ? null : Number(r.last_status),
  lastError: r.last_error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

/** An endpoint's delivery log, newest first, keyset-paged (page-cursor.ts). BadCursor for a foreign cursor. */
export async function listDeliveries(db: Db, orgId: string, endpointId: string, limit: number, after?: string): Promise<{ deliveries: Delivery[]; next: string | null }> {
  let q = db.selectFrom('webhook_deliveries').selectAll().where('org_id', '=', orgId).where('endpoint_id', '=', endpointId);
  if (after) {
    const [createdAt, id] = decodeCursor('webhook-deliveries', after, 2) as [string, string];
    q = q.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const page = pageOf('webhook-deliveries', rows, limit, (r) => [r.created_at, r.id]);
  return { deliveries: page.rows.map(deliveryOf), next: page.next };
}
