// Sending one mail job addressed to a member (a case escalation, a digest) rather than to a contact: the
// SMTP server's answer decides the job's state — accepted: sent; refused for good: only the job bounces
// (a member's address, no contact to deactivate); refused for now: queued again with back-off, or failed
// after the last attempt.
import type { SendMailOptions, Transporter } from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { markJobBounced, markJobSent, markRetry, type MailJobRow } from '../store/mail-jobs.ts';
import { classifySmtpFailure } from '../core/campaigns.ts';

export type MemberMailOutcome = 'sent' | 'bounced' | 'retried' | 'failed' | 'cancelled';

export async function deliverMemberMail(
  o: { db: Kysely<Database>; transport: Pick<Transporter, 'sendMail'> },
  job: MailJobRow,
  message: SendMailOptions,
  now: Date,
): Promise<MemberMailOutcome> {
  try {
    await o.transport.sendMail(message);
  } catch (err) {
    const e = err as { responseCode?: number; response?: string; message?: string };
    const why = `${e.responseCode ?? ''} ${e.response ?? e.message ?? String(err)}`.trim();
    if (classifySmtpFailure(e.responseCode) === 'permanent') {
      await markJobBounced(o.db, job, why);
      return 'bounced';
    }
    return (await markRetry(o.db, job, why, now)) === 'queued' ? 'retried' : 'failed';
  }
  await markJobSent(o.db, job, now);
  return 'sent';
}
