// Alert e-mails (issue 13), sent by the mail runner (runner.ts) for mail jobs of kind 'alert', queued when
// an alert is raised (store/alerts.ts): to the CX lead, else the admins. The subject is the alert's own
// one-sentence summary; the body says in plain words what was tested, on which figures, with the p-value,
// and links to the dashboard's "Alerts & webhooks" settings. Members' addresses: no unsubscribe link (the
// settings' `email` switch turns them off), and a recipient who is no longer a member gets nothing.
import type { Transporter } from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { MailJobRow } from '../store/mail-jobs.ts';
import { markCancelled } from '../store/mail-jobs.ts';
import { alertMailContext, type RaisedAlert } from '../store/alerts.ts';
import { deliverMemberMail, type MemberMailOutcome } from './member-mail.ts';
import { html } from '../server/pages/html.ts';

/** Long enough for every summary core/alerts.ts writes; a label typed at length cannot make a header of it. */
export const MAX_SUBJECT = 150;

export function alertSubject(summary: string): string {
  const one = summary.replace(/\s+/g, ' ').trim();
  return one.length <= MAX_SUBJECT ? one : `${one.slice(0, MAX_SUBJECT - 1).trimEnd()}…`;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const fixed = (v: unknown, d: number) => num(v)?.toFixed(d) ?? '?';
const pOf = (v: unknown) => {
  const p = num(v);
  return p === undefined ? '?' : p < 0.0001 ? p.toExponential(1) : p.toPrecision(2);
};
const text = (v: unknown, fallback: string) => (typeof v === 'string' && v ? v : fallback);

/** What was tested, on which figures, in plain words (one paragraph per line). */
export function alertExplanation(a: RaisedAlert): string[] {
  const d = a.data;
  const chance = (p: unknown) => `The chance of a result at least this strong if nothing had really changed is p = ${pOf(p)}.`;
  switch (a.kind) {
    case 'gap_widened':
      return [
        `What was tested: the perception gap — the share of leaders who call the experience excellent minus the share of customers who do — month by month, with a straight line fitted through the last ${fixed(d.months, 0)} months (each month weighted by how precisely it is measured).`,
        `What was found: the gap grows by ${fixed((num(d.perMonth) ?? NaN) * 100, 1)} percentage points a month, through ${a.period}. ${chance(d.pValue)}`,
      ];
    case 'customer_drop':
      return [
        `What was tested: customers' average rating of ${text(d.label, a.subject)} in ${a.period} against the three months before, with a one-sided Welch t-test (is the last month lower?).`,
        `What was found: ${fixed(d.mean, 2)} from ${fixed(d.respondents, 0)} customers in ${a.period}, against ${fixed(d.previousMean, 2)} from ${fixed(d.previousRespondents, 0)} before. ${chance(d.pValue)}`,
      ];
    case 'negative_burst':
      return [
        `What was tested: the share of negative comments on ${text(d.label, a.subject)} in the week of ${a.period} against the twelve weeks before, with a one-sided exact binomial test.`,
        `What was found: ${fixed(d.negative, 0)} of ${fixed(d.comments, 0)} comments that week were negative, against ${fixed((num(d.historicalShare) ?? NaN) * 100, 0)}% before. ${chance(d.pValue)}`,
      ];
    case 'sla_backlog':
      return [
        `What was counted: open follow-up cases whose first contact is past its deadline (SLA), on ${a.period}.`,
        `What was found: ${fixed(d.overdue, 0)} such cases; your alert threshold is ${fixed(d.threshold, 0)}. This is a count, not a statistical test.`,
      ];
    default:
      return [a.summary];
  }
}

export function renderAlertMail(a: RaisedAlert, organisation: string, settingsUrl: string): { subject: string; text: string; html: string } {
  const subject = alertSubject(a.summary);
  const explained = alertExplanation(a);
  const why = `You receive this as ${organisation}'s CX lead (or, with no CX lead chosen, as an admin). Alert settings, webhooks and e-mail: ${settingsUrl}`;
  const lines = [`An alert was raised at ${organisation}: ${a.summary}`, ...explained, why];
  const body = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:system-ui,sans-serif;color:#1d2433;max-width:40rem">
<p><strong>${a.summary}</strong></p>
${explained.map((l) => html`<p>${l}</p>`)}
<p><a href="${settingsUrl}" style="display:inline-block;padding:10px 16px;background:#0b6e6e;color:#fff;border-radius:6px;text-decoration:none;font-weight:600">Alerts &amp; webhooks</a></p>
<p style="color:#5b6475;font-size:13px">You receive this as ${organisation}'s CX lead (or, with no CX lead chosen, as an admin).</p>
</body></html>`;
  return { subject, text: lines.join('\n\n') + '\n', html: body.value };
}

/** Sends one alert job; the runner counts its outcome. */
export async function sendAlertMail(
  o: { db: Kysely<Database>; transport: Pick<Transporter, 'sendMail'>; from: string; publicUrl: string },
  job: MailJobRow,
  now: Date,
): Promise<MemberMailOutcome> {
  const ctx = await alertMailContext(o.db, job);
  if (!ctx) {
    await markCancelled(o.db, job, 'alert gone');
    return 'cancelled';
  }
  if (!ctx.to) {
    await markCancelled(o.db, job, 'recipient no longer a member');
    return 'cancelled';
  }
  const base = o.publicUrl.replace(/\/+$/, '');
  const msg = renderAlertMail(ctx.alert, ctx.organisation, `${base}/o/${encodeURIComponent(job.org_id)}/setup/alerts`);
  return deliverMemberMail(
    o,
    job,
    { from: { name: `Parallax · ${ctx.organisation}`, address: o.from }, to: ctx.to, subject: msg.subject, text: msg.text, html: msg.html, headers: { 'X-Parallax-Alert': `${ctx.alert.kind}:${ctx.alert.period}` } },
    now,
  );
}
