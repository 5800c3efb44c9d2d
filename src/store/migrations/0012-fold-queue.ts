// The fold queue (fold-queue.ts): a live submission no longer adds itself to the aggregate tables in its
// own transaction; it writes its raw rows and one row here, and the aggregates take it in later, many
// responses at once. Keyed organisation first, like every table; a row lives from its response's commit
// to the commit of the fold that added it to the aggregates.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('fold_queue')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('response_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fold_queue_pk', ['org_id', 'response_id'])
    .execute();
}
