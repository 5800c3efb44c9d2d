// The CX lead and alert e-mails (issue 13). `organisations.cx_lead_user_id`: the member who leads customer
// experience — step 3 of the SLA escalation and the recipient of alert e-mails; null, or a user who is no
// longer a member (readers join memberships), means the admins. `alert_notifications`: one row per alert
// and recipient, named by the mail job of kind 'alert' in `invitation_id` (as case escalations do); unique
// per alert and member, so an alert is mailed to each recipient once.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisations').addColumn('cx_lead_user_id', 'text').execute();
  await db.schema
    .createTable('alert_notifications')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull()) // the alert (alerts' key is org_id + dedupe_key)
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_notifications_pk', ['org_id', 'id'])
    .addUniqueConstraint('alert_notifications_once', ['org_id', 'dedupe_key', 'user_id'])
    .execute();
}
