// Mail as durable jobs (migration 0013): each message to send is a row — queued, then claimed by one
// sender (store/job-claims.ts: two servers never take one message), then
// sent, bounced (a permanent refusal), queued again with back-off (a temporary one) or failed. A message
// claimed but never finished — the server died while sending — is not sent again: whether the SMTP server
// took it is unknown, and a duplicate invitation is worse than a missing one; it is marked failed with the
// reason, for an operator to see.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { writeTransaction } from './write-transaction.ts';
import { claimDue } from './job-claims.ts';
import { deactivateContact, toContact, type Contact } from './contacts.ts';
import { MAX_MAIL_ATTEMPTS, retryDelayMs } from '../core/campaigns.ts';

export type MailJobRow = Database['mail_jobs'];

/** Claims up to `limit` due, queued jobs for this sender (store/job-claims.ts). */
export function claimDueJobs(db: Kysely<Database>, limit: number, now = new Date()): Promise<MailJobRow[]> {
  return claimDue<MailJobRow>(db, 'mail_jobs', limit, now);
}

/** Jobs left 'sending' longer than `leaseMs` (their server stopped mid-send): failed, never re-sent. */
export async function failInterrupted(db: Kysely<Database>, leaseMs: number, now = new Date()): Promise<number> {
  const r = await db
    .updateTable('mail_jobs')
    .set({ state: 'failed', last_error: 'interrupted while sending; not retried, so that no message goes out twice' })
    .where('state', '=', 'sending')
    .where('claimed_at', '<', new Date(now.getTime() - leaseMs).toISOString())
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface JobContext {
  contact: Contact;
  organisation: string;
  campaign: { id: string; subject: string; body: string; senderName: string; surveyId: string; perspective: 'customer' | 'leader' };
}

/** What a job's message needs: its contact, campaign and organisation name. */
export async function jobContext(db: Kysely<Database>, job: MailJobRow): Promise<JobContext | undefined> {
  const r = await db
    .selectFrom('survey_invitations as i')
    .innerJoin('campaigns as cp', (j) => j.onRef('cp.org_id', '=', 'i.org_id').onRef('cp.id', '=', 'i.campaign_id'))
    .innerJoin('contacts as c', (j) => j.onRef('c.org_id', '=', 'i.org_id').onRef('c.id', '=', 'i.contact_id'))
    .innerJoin('organisations as o', 'o.id', 'i.org_id')
    .where('i.org_id', '=', job.org_id)
    .where('i.id', '=', job.invitation_id)
    .selectAll('c')
    .select(['cp.id as cp_id', 'cp.subject as cp_subject', 'cp.body as cp_body', 'cp.sender_name as cp_sender', 'cp.survey_id as cp_survey', 'cp.perspective as cp_perspective', 'o.name as org_name', 'i.used_at as used_at'])
    .executeTakeFirst();
  if (!r) return undefined;
  const { cp_id, cp_subject, cp_body, cp_sender, cp_survey, cp_perspective, org_name, used_at: _u, ...c } = r;
  return {
    contact: toContact(c as Database['contacts']),
    organisation: org_name,
    campaign: { id: cp_id, subject: cp_subject, body: cp_body, senderName: cp_sender, surveyId: cp_survey, perspective: cp_perspective },
  };
}

/** Whether the job's invitation was answered meanwhile (a reminder is then pointless). */
export async function invitationAnswered(db: Kysely<Database>, job: MailJobRow): Promise<boolean> {
  const r = await db.selectFrom('survey_invitations').select('used_at').where('org_id', '=', job.org_id).where('id', '=', job.invitation_id).executeTakeFirst();
  return !!r?.used_at;
}

/** Accepted by the SMTP server. */
export async function markSent(db: Kysely<Database>, job: MailJobRow, now = new Date()): Promise<void> {
  const at = now.toISOString();
  await writeTransaction(db, async (tx) => {
    await tx.updateTable('mail_jobs').set({ state: 'sent', sent_at: at, last_error: null }).where('org_id', '=', job.org_id).where('id', '=', job.id).execute();
    await tx
      .updateTable('survey_invitations')
      .set({ delivered_at: sql`coalesce(delivered_at, ${at})`, last_mailed_at: at })
      .where('org_id', '=', job.org_id)
      .where('id', '=', job.invitation_id)
      .execute();
  });
}

/** Refused for good (5xx): the job bounced, and so did the contact (no more mail to them). */
export async function markBounced(db: Kysely<Database>, job: MailJobRow, contactId: string, error: string, now = new Date()): Promise<void> {
  await writeTransaction(db, async (tx) => {
    await tx.updateTable('mail_jobs').set({ state: 'bounced', last_error: error.slice(0, 500) }).where('org_id', '=', job.org_id).where('id', '=', job.id).execute();
    await tx.updateTable('survey_invitations').set({ bounced_at: now.toISOString() }).where('org_id', '=', job.org_id).where('id', '=', job.invitation_id).where('bounced_at', 'is', null).execute();
    await deactivateContact(tx, job.org_id, contactId, 'bounced', now);
  });
}

/** A member's message (case escalation, digest) accepted by the SMTP server. */
export async function markJobSent(db: Kysely<Database>, job: { org_id: string; id: string }, now = new Date()): Promise<void> {
  await db.updateTable('mail_jobs').set({ state: 'sent', sent_at: now.toISOString(), last_error: null }).where('org_id', '=', job.org_id).where('id', '=', job.id).execute();
}

/** A member's message refused for good: the job bounced (no contact to deactivate). */
export async function markJobBounced(db: Kysely<Database>, job: { org_id: string; id: string }, error: string): Promise<void> {
  await db.updateTable('mail_jobs').set({ state: 'bounced', last_error: error.slice(0, 500) }).where('org_id', '=', job.org_id).where('id', '=', job.id).execute();
}

/** A temporary failure: queued again after the back-off, or failed after MAX_MAIL_ATTEMPTS. */
export async function markRetry(db: Kysely<Database>, job: MailJobRow, error: string, now = new Date()): Promise<'queued' | 'failed'> {
  const give = job.attempts >= MAX_MAIL_ATTEMPTS;
  await db
    .updateTable('mail_jobs')
    .set({ state: give ? 'failed' : 'queued', next_attempt_at: new Date(now.getTime() + retryDelayMs(job.attempts)).toISOString(), last_error: error.slice(0, 500) })
    .where('org_id', '=', job.org_id)
    .where('id', '=', job.id)
    .execute();
  return give ? 'failed' : 'queued';
}

export async function markCancelled(db: Kysely<Database>, job: MailJobRow, why: string): Promise<void> {
  await db.updateTable('mail_jobs').set({ state: 'cancelled', last_error: why }).where('org_id', '=', job.org_id).where('id', '=', job.id).execute();
}

/** A campaign's jobs by state (for the API and tests). */
export async function jobStates(db: Kysely<Database>, orgId: string, campaignId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('mail_jobs as j')
    .innerJoin('survey_invitations as i', (j) => j.onRef('i.org_id', '=', 'j.org_id').onRef('i.id', '=', 'j.invitation_id'))
    .where('j.org_id', '=', orgId)
    .where('i.campaign_id', '=', campaignId)
    .select(['j.state', (eb) => eb.fn.countAll().as('n')])
    .groupBy('j.state')
    .execute();
  const out: Record<string, number> = Object.create(null);
  for (const r of rows) out[r.state] = Number(r.n);
  return out;
}

export const newJobId = () => `mj_${randomBytes(9).toString('base64url')}`;

/** A new job's row: queued for `at`, about `ref` (an invitation, or the row of the kind's own table: a case notification, a digest, an alert notification). */
export function queuedMailJob(orgId: string, ref: string, kind: MailJobRow['kind'], at: string): MailJobRow {
  return { org_id: orgId, id: newJobId(), invitation_id: ref, kind, state: 'queued', attempts: 0, next_attempt_at: at, claimed_at: null, sent_at: null, last_error: null, created_at: at };
}
