// Invitations (issue 7, hole 1): membership is offered, never imposed. An admin invites an e-mail;
// the person accepts with a single-use, expiring token, setting their own password or joining with
// the account they already have. Only the sha256 of the token is kept.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('invitations')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull()) // normalised: trimmed, lower-cased
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'analyst', 'owner', 'viewer')`))
    .addColumn('department', 'text')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique()) // sha256 of the token in the link
    // No foreign key: an admin who leaves must not take the record of who invited whom with them.
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .addColumn('revoked_at', 'text')
    .addPrimaryKeyConstraint('invitations_pk', ['org_id', 'id'])
    .execute();
  // At most one open invitation per e-mail and organisation: a re-invite revokes the earlier one in the
  // same transaction, and this index settles two admins inviting the same person at once.
  await db.schema
    .createIndex('invitations_one_open')
    .on('invitations')
    .columns(['org_id', 'email'])
    .unique()
    .where(sql.ref('accepted_at'), 'is', null)
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();
}
