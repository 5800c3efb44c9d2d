// Initiatives (issue 13, the outer loop): an owned improvement with a target (a dimension and/or
// touchpoints, or the excellence share), a start, an optional end, a goal and a status. Its effect is
// computed from the answer cells when asked (reports/initiative-effect.ts), never stored.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('initiatives')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('owner_user_id', 'text', (c) => c.notNull()) // no foreign key: an owner who leaves is shown as a former member
    .addColumn('metric', 'text', (c) => c.notNull()) // dimension | excellence
    .addColumn('dimension', 'text')
    .addColumn('touchpoints', 'text', (c) => c.notNull()) // JSON array of touchpoint keys
    .addColumn('comparison', 'text') // JSON array, or null: every other touchpoint
    .addColumn('start_date', 'text', (c) => c.notNull()) // YYYY-MM-DD
    .addColumn('end_date', 'text')
    .addColumn('window_days', 'integer', (c) => c.notNull())
    .addColumn('goal', 'text', (c) => c.notNull()) // JSON: core/initiative.ts InitiativeGoal
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('initiatives_pk', ['org_id', 'id'])
    .execute();
}
