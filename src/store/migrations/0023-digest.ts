// The weekly digest (issue 13): when each organisation's digest goes out (weekday and hour, UTC; no row:
// Monday 07:00), each member's choice (`weekly` or `off`; no row: weekly), and one row per digest queued —
// unique per organisation, member and week, so that two servers checking at once queue it once. The mail
// job of kind 'digest' names its row in `invitation_id` (as case escalations do).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('digest_schedules')
    .addColumn('org_id', 'text', (c) => c.notNull().primaryKey().references('organisations.id').onDelete('cascade'))
    .addColumn('weekday', 'integer', (c) => c.notNull()) // 0 Sunday … 6 Saturday, as Date.getUTCDay()
    .addColumn('hour', 'integer', (c) => c.notNull()) // 0–23 UTC
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('digest_preferences')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull()) // weekly | off
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('digest_preferences_pk', ['org_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('digests')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('week', 'text', (c) => c.notNull()) // the scheduled moment's date, YYYY-MM-DD
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('digests_pk', ['org_id', 'id'])
    .addUniqueConstraint('digests_once_a_week', ['org_id', 'user_id', 'week'])
    .execute();
}
