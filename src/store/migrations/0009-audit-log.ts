// The audit log: who viewed individual-level data, exported, or changed set-up, members or keys, and
// when. Append-only; keyed by organisation first like every table, read newest first (at, id).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull()) // ISO 8601 UTC
    // 'user' | 'api_key' | 'cli': who acted; actor_id is the user or key id (null for the CLI).
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    // The actor as people know them at the time (e-mail, key name, operator), kept even if renamed later.
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull()) // JSON: never secrets, never respondents' text
    .addColumn('request_id', 'text')
    .addPrimaryKeyConstraint('audit_log_pk', ['org_id', 'id'])
    .execute();
  await db.schema.createIndex('audit_log_by_time').on('audit_log').columns(['org_id', 'at', 'id']).execute();
}
