// The weekly digest as a message (issue 13), sent by the mail runner (runner.ts) for mail jobs of kind
// 'digest': the member's digest (reports/digest.ts) as sections of lines, rendered once as plain text and
// once as HTML from the same lines, so the two parts say the same; the HTML is a single-column table with
// inline styles only (what mail clients keep). A link to the dashboard, and a footer saying why the member
// gets it and how to turn it off: a one-click opt-out link bound to the member (store/digests.ts, page in
// server/routes/digest-opt-out.ts), also as List-Unsubscribe + List-Unsubscribe-Post (RFC 8058), and the
// dashboard's setting. Nothing of any respondent: only the reports' figures.
import type { Transporter } from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { MailJobRow } from '../store/mail-jobs.ts';
import { markCancelled } from '../store/mail-jobs.ts';
import { deliverMemberMail, type MemberMailOutcome } from './member-mail.ts';
import { digestMailContext, newDigestOptOutToken } from '../store/digests.ts';
import { html, type SafeHtml } from '../server/pages/html.ts';
import { digestFor, type Digest } from '../reports/digest.ts';

type Share = Digest['headline']['customers'];
type Interval = [number, number] | null;

/** A share as a whole percentage ("42%"). */
export const percent = (x: number) => `${(x * 100).toFixed(0)}%`;
/** A difference of shares in percentage points, signed ("+12.5 points"). */
export const points = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x * 100).toFixed(1)} points`;
/** A change on the 1–5 rating scale, signed ("+0.50 rating points"). */
export const ratingPoints = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(2)} rating points`;
const ci = (i: Interval, f: (x: number) => string) => (i ? ` (95% CI ${f(i[0])} to ${f(i[1])})` : '');
const bare = (x: number) => `${(x * 100).toFixed(1)}`;
const shareLine = (s: Share) => ('suppressed' in s ? `not shown: ${s.reason}` : `${percent(s.share)}${ci(s.ci95, percent)}, ${s.n} respondents`);

interface Section {
  title: string;
  lines: string[];
}

export function digestSections(d: Digest): Section[] {
  const h = d.headline;
  const headline: string[] = [
    `Leaders who expect customers to call the experience excellent: ${shareLine(h.leaders)}`,
    `Customers who call it excellent: ${shareLine(h.customers)}`,
    h.gap === null ? 'The gap: not shown while a side is hidden.' : `The gap (leaders − customers): ${points(h.gap)}${ci(h.gapCi95, bare)}`,
    h.change
      ? `Against the previous month: ${points(h.change.change)} (${h.change.period}: ${points(h.change.gap)}; ${h.change.previousPeriod}: ${points(h.change.previousGap)})`
      : 'Against the previous month: not yet comparable (two months with both sides shown are needed).',
  ];
  const out: Section[] = [{ title: 'The headline gap', lines: headline }];
  if (d.executive) {
    const e = d.executive;
    const t = e.trend;
    out.push({
      title: 'Trend',
      lines: [
        t
          ? `Over ${t.periods} months the gap moves ${points(t.perPeriod)} a month${ci(t.ci95, bare)}, p = ${t.pValue.toFixed(3)}: ${t.direction}.`
          : 'No trend yet: fewer than 3 months with both sides shown.',
      ],
    });
    const c = e.calibration;
    out.push({
      title: 'Calibration',
      lines: [
        'suppressed' in c
          ? `Not shown: ${c.reason}`
          : `Leaders are ${c.direction}: they predict ${percent(c.meanPredictedShare)} excellent, customers give ${percent(c.actualShare)} (mean absolute error ${bare(c.maeExcellenceShare)} points, Brier score ${c.brier.toFixed(3)}, ${c.n} leaders).`,
      ],
    });
    out.push({
      title: 'Initiatives',
      lines: e.initiatives.length
        ? e.initiatives.map((i) => {
            const f = i.kind === 'share' ? points : ratingPoints;
            return `${i.title} (${i.status}): ${i.verdict}${i.achieved === null ? '' : `, ${f(i.achieved)} towards its goal${ci(i.ci95, i.kind === 'share' ? bare : (x) => x.toFixed(2))}`}`;
          })
        : ['No initiatives yet.'],
    });
    out.push({
      title: 'Follow-up cases: first contact within the SLA',
      lines: e.sla.length
        ? e.sla.map((s) => `${s.department ?? 'No department'}: ${s.compliance === null ? 'none decided yet' : `${percent(s.compliance)}${ci(s.ci95, percent)}`} — ${s.met} met, ${s.breached} breached, ${s.cases} cases`)
        : ['No cases yet.'],
    });
  }
  if (d.owner) {
    const o = d.owner;
    out.push({
      title: `Your touchpoints${o.department ? ` (${o.department})` : ''}`,
      lines: o.touchpoints.length
        ? o.touchpoints.map((t) => `${t.label}: customers ${shareLine(t.customers)}; gap ${t.gap === null ? 'not shown' : `${points(t.gap)}${ci(t.gapCi95, bare)}`}`)
        : ['Your department owns no touchpoint yet.'],
    });
    out.push({ title: 'Your cases', lines: [`Open: ${o.openCases}`, `SLA breached: ${o.breachedCases}`] });
  }
  return out;
}

export interface DigestMailLinks {
  dashboardUrl: string;
  /** The dashboard page with the member's digest switch. */
  settingsUrl: string;
  /** The one-click opt-out page, /digest-off/<token>. */
  optOutUrl: string;
}

export function renderDigestMail(d: Digest, week: string, links: DigestMailLinks): { subject: string; text: string; html: string } {
  const subject = `${d.organisation.name}: your weekly customer-experience digest (${week})`;
  const sections = digestSections(d);
  const why = `You get this digest every week as a member of ${d.organisation.name}.`;
  const footer = [why, `To stop it, set your digest to "off" with one click: ${links.optOutUrl} — or in the dashboard under Set-up → Alerts & webhooks: ${links.settingsUrl}`];
  const text = [
    subject,
    ...sections.map((s) => `${s.title}\n${'-'.repeat(s.title.length)}\n${s.lines.map((l) => `- ${l}`).join('\n')}`),
    `Open the dashboard: ${links.dashboardUrl}`,
    footer.join('\n'),
  ].join('\n\n');
  const td = 'padding:4px 0;font-size:15px;line-height:1.45;color:#1d2433';
  const rows: SafeHtml[] = sections.map(
    (s) => html`<tr><td style="padding:18px 0 6px;font-size:17px;font-weight:700;color:#0b3d3d">${s.title}</td></tr>
${s.lines.map((l) => html`<tr><td style="${td}">${l}</td></tr>\n`)}`,
  );
  const body = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${subject}</title></head>
<body style="margin:0;padding:0;background:#f4f6f8">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f6f8"><tr><td align="center" style="padding:16px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border-radius:8px;font-family:Arial,Helvetica,sans-serif">
<tr><td style="padding:20px 24px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">
<tr><td style="font-size:20px;font-weight:700;color:#1d2433">${subject}</td></tr>
${rows}
<tr><td style="padding:20px 0"><a href="${links.dashboardUrl}" style="display:inline-block;padding:10px 16px;background:#0b6e6e;color:#ffffff;border-radius:6px;text-decoration:none;font-weight:600">Open the dashboard</a></td></tr>
<tr><td style="padding:2px 0;font-size:12px;color:#5b6475">${why}</td></tr>
<tr><td style="padding:2px 0;font-size:12px;color:#5b6475">To stop it, set your digest to "off" <a href="${links.optOutUrl}" style="color:#0b6e6e">with one click</a> — or in the dashboard under <a href="${links.settingsUrl}" style="color:#0b6e6e">Set-up → Alerts &amp; webhooks</a>.</td></tr>
</table>
</td></tr></table>
</td></tr></table>
</body></html>`;
  return { subject, text: text + '\n', html: body.value };
}

/** Sends one digest job; the runner counts its outcome. */
export async function sendDigestMail(
  o: { db: Kysely<Database>; transport: Pick<Transporter, 'sendMail'>; from: string; publicUrl: string },
  job: MailJobRow,
  now: Date,
): Promise<MemberMailOutcome> {
  const ctx = await digestMailContext(o.db, job);
  if (!ctx) {
    await markCancelled(o.db, job, 'no longer a member');
    return 'cancelled';
  }
  if (ctx.frequency === 'off') {
    await markCancelled(o.db, job, 'digest turned off meanwhile');
    return 'cancelled';
  }
  // Built at sending time, from the member's role now: a member demoted meanwhile sees no more than they may.
  const digest = await digestFor(o.db, ctx.orgId, ctx, now);
  if (!digest) {
    await markCancelled(o.db, job, 'organisation gone');
    return 'cancelled';
  }
  const base = o.publicUrl.replace(/\/+$/, '');
  const org = encodeURIComponent(ctx.orgId);
  // A fresh token per attempt: a retried send gets its own link, and one already delivered keeps working.
  const optOutUrl = `${base}/digest-off/${await newDigestOptOutToken(o.db, ctx.orgId, ctx.userId, now)}`;
  const msg = renderDigestMail(digest, ctx.week, { dashboardUrl: `${base}/o/${org}`, settingsUrl: `${base}/o/${org}/setup/alerts`, optOutUrl });
  return deliverMemberMail(o, job, {
    from: { name: `Parallax · ${ctx.organisation}`, address: o.from },
    to: ctx.name ? { name: ctx.name, address: ctx.to } : ctx.to,
    subject: msg.subject,
    text: msg.text,
    html: msg.html,
    headers: { 'X-Parallax-Digest': ctx.week, 'List-Unsubscribe': `<${optOutUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  }, now);
}
