// Distribution (issue 12): an organisation's contacts, its campaigns, one invitation per contact and
// campaign, the tokens mailed with it (only their sha256 is kept, like leader links), and the mail jobs that
// send each message durably. Keyed organisation first, like every table.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contacts')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull()) // lower-cased
    .addColumn('name', 'text')
    .addColumn('language', 'text')
    .addColumn('kind', 'text', (c) => c.notNull()) // customer | leader
    .addColumn('leader_function', 'text')
    .addColumn('segments', 'text', (c) => c.notNull()) // JSON object of declared segment values
    .addColumn('touchpoint', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // active | unsubscribed | bounced (the last two for ever)
    .addColumn('status_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contacts_pk', ['org_id', 'id'])
    .addUniqueConstraint('contacts_email_uq', ['org_id', 'email'])
    .execute();

  await db.schema
    .createTable('campaigns')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('perspective', 'text', (c) => c.notNull())
    .addColumn('filter', 'text', (c) => c.notNull()) // JSON: the contact filter it was sent to
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('sender_name', 'text', (c) => c.notNull())
    .addColumn('send_at', 'text', (c) => c.notNull())
    .addColumn('reminder_days', 'integer', (c) => c.notNull())
    .addColumn('max_reminders', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaigns_pk', ['org_id', 'id'])
    .execute();

  await db.schema
    .createTable('survey_invitations')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    // The journey moment a triggered invitation is about (POST …/survey-invitations); else the contact's own.
    .addColumn('touchpoint', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text') // first message accepted by the SMTP server
    .addColumn('last_mailed_at', 'text') // last message accepted: reminders count their days from it
    .addColumn('reminders', 'integer', (c) => c.notNull()) // reminders queued so far
    .addColumn('bounced_at', 'text')
    .addColumn('started_at', 'text') // the survey page opened with its token
    .addColumn('used_at', 'text') // a response stored with it
    .addColumn('response_id', 'text')
    .addPrimaryKeyConstraint('survey_invitations_pk', ['org_id', 'id'])
    .execute();
  await db.schema.createIndex('survey_invitations_campaign').on('survey_invitations').columns(['org_id', 'campaign_id']).execute();
  // The quiet period of triggered invitations: when was this contact last invited, by any campaign.
  await db.schema.createIndex('survey_invitations_contact').on('survey_invitations').columns(['org_id', 'contact_id', 'created_at']).execute();

  // One row per token mailed: 'answer' opens the survey as the invitation, 'unsubscribe' unsubscribes.
  await db.schema
    .createTable('mail_tokens')
    .addColumn('token_hash', 'text', (c) => c.notNull().primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('invitation_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mail_jobs')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('invitation_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // invitation | reminder
    .addColumn('state', 'text', (c) => c.notNull()) // queued | sending | sent | bounced | failed | cancelled
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_jobs_pk', ['org_id', 'id'])
    .execute();
  await db.schema.createIndex('mail_jobs_due').on('mail_jobs').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('mail_jobs_invitation').on('mail_jobs').columns(['org_id', 'invitation_id']).execute();
}
