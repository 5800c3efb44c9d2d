// Outgoing webhooks (issue 13): each organisation's endpoints (URL, subscribed event types, body
// format, signing secret, enabled) and every message to one of them as a durable job
// (webhook_deliveries: queued → sending → delivered | failed, retried with back-off by
// server/webhook-runner.ts), which is also the delivery log. Also the alerts (issue 13): each
// organisation's alert settings, and every alert raised — keyed by its dedupe key (kind, subject,
// period), so that a second evaluation, on this server or another, cannot raise it again.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('event_types', 'text', (c) => c.notNull()) // JSON array of core/webhooks event types
    .addColumn('format', 'text', (c) => c.notNull()) // standard | slack
    .addColumn('secret', 'text', (c) => c.notNull()) // whsec_…: the HMAC key, so stored as is (it cannot be hashed)
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_endpoints_pk', ['org_id', 'id'])
    .execute();
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull()) // the webhook-id header: the same on every attempt, so receivers can drop repeats
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull()) // one event sent to several endpoints shares it
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull()) // the exact body, fixed when queued (a retry sends the same bytes)
    .addColumn('state', 'text', (c) => c.notNull()) // queued | sending | delivered | failed
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addPrimaryKeyConstraint('webhook_deliveries_pk', ['org_id', 'id'])
    .addForeignKeyConstraint('webhook_deliveries_endpoint_fk', ['org_id', 'endpoint_id'], 'webhook_endpoints', ['org_id', 'id'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_log').on('webhook_deliveries').columns(['org_id', 'endpoint_id', 'created_at', 'id']).execute();
  await db.schema
    .createTable('alert_settings')
    .addColumn('org_id', 'text', (c) => c.notNull().primaryKey().references('organisations.id').onDelete('cascade'))
    .addColumn('settings', 'text', (c) => c.notNull()) // JSON: core/alerts.ts AlertSettings
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('alerts')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull()) // JSON: the figures behind it (never a cut below the minimum)
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alerts_pk', ['org_id', 'dedupe_key'])
    .execute();
  await db.schema.createIndex('alerts_recent').on('alerts').columns(['org_id', 'raised_at']).execute();
}
