// The mail sender: takes due jobs from the mail_jobs table (store/mail-jobs.ts) and sends them through
// SMTP, at most `perMinute` messages a minute per sender. Each message gets fresh tokens (answer,
// unsubscribe, tracking image; only their hashes are stored) and goes out as HTML + plain text with a List-Unsubscribe
// header (and one-click List-Unsubscribe-Post, RFC 8058), and a 1×1 tracking image at the end of the HTML
// that records the first open (server/routes/mail-opens.ts). A 5xx refusal is a bounce (the contact becomes
// `bounced`); a 4xx or a network error is retried with back-off. `tick()` does one round; the server
// calls it on a timer (server/mail-runner.ts), tests call it with their own clock.
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Database } from '../store/schema.ts';
import { claimDueJobs, failInterrupted, invitationAnswered, jobContext, markBounced, markCancelled, markRetry, markSent } from '../store/mail-jobs.ts';
import { dropTokens, issueTokens, queueDueReminders } from '../store/campaigns.ts';
import { classifySmtpFailure, renderMessage } from '../core/campaigns.ts';
import { getSurvey } from '../store/surveys.ts';
import { sendCaseMail } from './case-mail.ts';
import { sendDigestMail } from './digest-mail.ts';
import { sendAlertMail } from './alert-mail.ts';

/** The first question as one-click links, when it is a short scale (NPS 0–10, a 1–5 rating). */
async function firstQuestion(db: Kysely<Database>, surveyId: string, surveyUrl: string) {
  const q = (await getSurvey(db, surveyId))?.definition.questions[0];
  if (!q || q.min === undefined || q.max === undefined || q.max - q.min > 10) return undefined;
  const options = [];
  for (let v = q.min; v <= q.max; v++) options.push({ label: String(v), url: `${surveyUrl}&a=${v}` });
  return { text: q.text, options };
}

/**
 * The tracking image, last in the body: empty alt text (a screen reader skips it, a client that blocks
 * images shows nothing in its place), so blocking it changes nothing for the reader — and opens are a
 * lower bound.
 */
export function withOpenImage(html: string, imageUrl: string): string {
  const img = `<img src="${imageUrl}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">`;
  return html.replace(/<\/body>\s*<\/html>\s*$/, `${img}\n</body></html>`);
}

export interface MailRunnerOptions {
  db: Kysely<Database>;
  transport: Pick<Transporter, 'sendMail'>;
  /** The sender's address (PARALLAX_MAIL_FROM). */
  from: string;
  /** Base URL of the links in messages (PARALLAX_PUBLIC_URL). */
  publicUrl: string;
  perMinute: number;
  /** The clock; tests move it. */
  now?: () => Date;
  /** How long a claimed job may stay 'sending' before it counts as interrupted (default 10 minutes). */
  leaseMs?: number;
}

export interface TickOutcome {
  sent: number;
  bounced: number;
  retried: number;
  failed: number;
  cancelled: number;
  reminders: number;
}

export class MailRunner {
  private readonly now: () => Date;
  /** When this sender's recent messages went (the throttle's window). */
  private recent: number[] = [];

  constructor(private readonly o: MailRunnerOptions) {
    this.now = o.now ?? (() => new Date());
  }

  async tick(): Promise<TickOutcome> {
    const out: TickOutcome = { sent: 0, bounced: 0, retried: 0, failed: 0, cancelled: 0, reminders: 0 };
    const now = this.now();
    await failInterrupted(this.o.db, this.o.leaseMs ?? 600_000, now);
    out.reminders = await queueDueReminders(this.o.db, now);
    this.recent = this.recent.filter((t) => t > now.getTime() - 60_000);
    const jobs = await claimDueJobs(this.o.db, this.o.perMinute - this.recent.length, now);
    for (const job of jobs) {
      if (job.kind === 'case_escalation') {
        // A follow-up case's escalation (issue 13): to a member, not a contact (mail/case-mail.ts).
        this.recent.push(now.getTime());
        out[await sendCaseMail(this.o, job, now)]++;
        continue;
      }
      if (job.kind === 'alert') {
        // A raised alert (issue 13): to the CX lead or the admins, if still members (mail/alert-mail.ts).
        this.recent.push(now.getTime());
        out[await sendAlertMail(this.o, job, now)]++;
        continue;
      }
      if (job.kind === 'digest') {
        // The weekly digest (issue 13): to a member, built from the reports at sending time (mail/digest-mail.ts).
        this.recent.push(now.getTime());
        out[await sendDigestMail(this.o, job, now)]++;
        continue;
      }
      const ctx = await jobContext(this.o.db, job);
      if (!ctx || ctx.contact.status !== 'active') {
        await markCancelled(this.o.db, job, ctx ? `contact ${ctx.contact.status}` : 'invitation gone');
        out.cancelled++;
        continue;
      }
      if (job.kind === 'reminder' && (await invitationAnswered(this.o.db, job))) {
        await markCancelled(this.o.db, job, 'answered');
        out.cancelled++;
        continue;
      }
      const tokens = await issueTokens(this.o.db, job.org_id, job.invitation_id, ctx.contact.id, now);
      const base = this.o.publicUrl.replace(/\/+$/, '');
      const surveyUrl = `${base}/s/${encodeURIComponent(ctx.campaign.surveyId)}?i=${tokens.answer}`;
      const unsubscribeUrl = `${base}/u/${tokens.unsubscribe}`;
      const rendered = renderMessage({
        subject: ctx.campaign.subject,
        body: ctx.campaign.body,
        name: ctx.contact.name,
        organisation: ctx.organisation,
        surveyUrl,
        unsubscribeUrl,
        reminder: job.kind === 'reminder',
        firstQuestion: await firstQuestion(this.o.db, ctx.campaign.surveyId, surveyUrl),
      });
      const msg = { ...rendered, html: withOpenImage(rendered.html, `${base}/m/${tokens.open}/open.gif`) };
      this.recent.push(now.getTime());
      try {
        await this.o.transport.sendMail({
          from: { name: ctx.campaign.senderName, address: this.o.from },
          to: ctx.contact.name ? { name: ctx.contact.name, address: ctx.contact.email } : ctx.contact.email,
          subject: msg.subject,
          text: msg.text,
          html: msg.html,
          headers: {
            'List-Unsubscribe': `<${unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            'X-Parallax-Campaign': ctx.campaign.id,
          },
        });
      } catch (err) {
        await dropTokens(this.o.db, tokens);
        const e = err as { responseCode?: number; response?: string; message?: string };
        const why = `${e.responseCode ?? ''} ${e.response ?? e.message ?? String(err)}`.trim();
        if (classifySmtpFailure(e.responseCode) === 'permanent') {
          await markBounced(this.o.db, job, ctx.contact.id, why, now);
          out.bounced++;
        } else if ((await markRetry(this.o.db, job, why, now)) === 'queued') out.retried++;
        else out.failed++;
        continue;
      }
      await markSent(this.o.db, job, now);
      out.sent++;
    }
    return out;
  }
}
