// The digest's one-click opt-out link (issue 13): each digest message carries a random token, bound to
// one member of one organisation; only its sha256 is kept (like mail_tokens and invitations), so a copy
// of the database yields no usable link. A row per message sent rather than per member: a raw token is
// never stored, so each message gets its own, and every link sent keeps working.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('digest_opt_out_tokens')
    .addColumn('token_hash', 'text', (c) => c.notNull().primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
