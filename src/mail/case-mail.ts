// Escalation messages of follow-up cases (issue 13), sent by the mail runner (runner.ts) for mail jobs of
// kind 'case_escalation': whom the case's overdue first contact is escalated to, which case, and a link to
// it on the board. Members' addresses, so no unsubscribe link and nothing of the respondent's (the
// answer and any contact stay behind the board's access rules).
import type { Transporter } from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { MailJobRow } from '../store/mail-jobs.ts';
import { markCancelled } from '../store/mail-jobs.ts';
import { deliverMemberMail, type MemberMailOutcome } from './member-mail.ts';
import { caseMailContext, type CaseMailContext } from '../store/case-escalation.ts';
import { html } from '../server/pages/html.ts';

const LEVEL_WORDS = { assignee: 'you are its assignee', owner: 'your department owns it', cx_lead: "you are the organisation's CX lead (or one of its admins, who stand in when no CX lead is set)" } as const;

export function renderCaseMail(c: CaseMailContext, caseUrl: string): { subject: string; text: string; html: string } {
  const due = c.dueAt.slice(0, 16).replace('T', ' ') + ' UTC';
  const subject = `Overdue follow-up: first contact was due ${due}`;
  const who = c.department ? `${c.department}'s case` : 'a case with no owning department';
  const lines = [
    `A follow-up case at ${c.organisation} is past its SLA: ${who}, opened by the rule "${c.ruleName}", is still ${c.state.replace('_', ' ')} and its first contact was due ${due}.`,
    `You are told because ${LEVEL_WORDS[c.level]} (escalation step ${c.step} of 3).`,
    `Open the case: ${caseUrl}`,
  ];
  const body = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:system-ui,sans-serif;color:#1d2433;max-width:40rem">
<p>${lines[0]}</p><p>${lines[1]}</p>
<p><a href="${caseUrl}" style="display:inline-block;padding:10px 16px;background:#0b6e6e;color:#fff;border-radius:6px;text-decoration:none;font-weight:600">Open the case</a></p>
</body></html>`;
  return { subject, text: lines.join('\n\n') + '\n', html: body.value };
}

/** Sends one escalation job; the runner counts its outcome. */
export async function sendCaseMail(
  o: { db: Kysely<Database>; transport: Pick<Transporter, 'sendMail'>; from: string; publicUrl: string },
  job: MailJobRow,
  now: Date,
): Promise<MemberMailOutcome> {
  const ctx = await caseMailContext(o.db, job);
  if (!ctx) {
    await markCancelled(o.db, job, 'case gone');
    return 'cancelled';
  }
  if (ctx.state === 'contacted' || ctx.state === 'resolved' || ctx.state === 'closed') {
    await markCancelled(o.db, job, `case ${ctx.state} meanwhile`);
    return 'cancelled';
  }
  const base = o.publicUrl.replace(/\/+$/, '');
  const msg = renderCaseMail(ctx, `${base}/o/${encodeURIComponent(job.org_id)}/cases/${encodeURIComponent(ctx.caseId)}`); // the dashboard's case page
  return deliverMemberMail(o, job, { from: { name: `Parallax · ${ctx.organisation}`, address: o.from }, to: ctx.to, subject: msg.subject, text: msg.text, html: msg.html, headers: { 'X-Parallax-Case': ctx.caseId } }, now);
}
