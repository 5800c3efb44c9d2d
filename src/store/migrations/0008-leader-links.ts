// Personal, single-use links for the leader survey (issue 7, hole 5): leaders answer through their own
// link (or while logged in), never through the survey's open id. Only the sha256 of a link's token is
// kept, so a copy of the database yields no usable link. `response_id` records which response used it
// (never shown by the API: the admin who handed the link out must not find that leader's answers).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('leader_links')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique()) // sha256 of the token in the link
    // The leader's function (their leader segment `function`), set by the link, not by the respondent.
    .addColumn('leader_function', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('response_id', 'text')
    .addPrimaryKeyConstraint('leader_links_pk', ['org_id', 'id'])
    .execute();
}
