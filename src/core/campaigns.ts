// Campaigns (issue 12), the pure part: what a campaign request says (survey, filter, message, reminders),
// the default message, a message rendered as plain text and HTML with its links, which contacts a filter
// picks, when a reminder is due, the retry back-off of a temporary mail failure, and a campaign's counts
// with its response rate and Wilson interval. No I/O.
import { z } from 'zod';
import { cleanText } from './text.ts';
import { machineKey } from './keys.ts';
import { SegmentValue } from './segments.ts';
import { wilsonInterval } from './stats/proportion.ts';
import type { ContactKind } from './contacts.ts';

export const CampaignFilter = z
  .object({
    segments: z
      .record(machineKey, z.array(SegmentValue).min(1).max(100))
      .refine((s) => Object.keys(s).length <= 10, 'at most 10 segments')
      .optional()
      .describe('contacts whose segment holds one of the values, for every segment named'),
    touchpoint: machineKey.optional(),
    language: z.string().max(20).optional(),
    function: SegmentValue.optional().describe("leaders only: this function's leaders"),
  })
  .strict();
export type CampaignFilter = z.infer<typeof CampaignFilter>;

export const CampaignInput = z
  .object({
    name: cleanText().trim().min(1).max(120),
    perspective: z.enum(['customer', 'leader']).default('customer').describe('customer: the customer survey to customer contacts; leader: the mirror survey to leader contacts, each through a personal link'),
    filter: CampaignFilter.default({}),
    subject: cleanText().trim().min(1).max(200).optional().describe('default: DEFAULT_SUBJECT'),
    body: cleanText().trim().min(1).max(5000).optional().describe('plain text; {name} and {organisation} are filled in; the link and the unsubscribe link are added'),
    senderName: cleanText().trim().min(1).max(80).regex(/^[^<>"\r\n]*$/, 'must not contain < > " or line breaks').optional().describe("default: the organisation's name"),
    sendAt: z.iso.datetime({ offset: true }).optional().describe('default: now'),
    reminderDays: z.number().int().min(1).max(60).optional().describe('days after the last message before a reminder to those who have not answered'),
    maxReminders: z.number().int().min(0).max(5).default(0),
  })
  .strict()
  .refine((c) => c.maxReminders === 0 || c.reminderDays !== undefined, { path: ['reminderDays'], message: 'is needed when maxReminders is above 0' });
export type CampaignInput = z.infer<typeof CampaignInput>;

export const DEFAULT_SUBJECT = '{organisation} would like your opinion (2 minutes)';
export const DEFAULT_BODY = [
  'Hello {name},',
  '',
  '{organisation} is asking a few of the people it serves how their experience really was. Your answers tell us ' +
    'what to fix first, and we compare them with what our own leaders believe, so that we stop guessing.',
  '',
  'It takes about two minutes: a handful of questions, one click each.',
  '',
  'Thank you.',
].join('\n');
export const DEFAULT_LEADER_BODY = [
  'Hello {name},',
  '',
  'Please tell us how you think our customers see {organisation}. We compare your view with what customers say, ' +
    'to find where we see ourselves differently from them. Your link is personal and can be used once.',
  '',
  'It takes about three minutes.',
].join('\n');

/** The contact fields a filter reads. */
/**
 * What a campaign's input leaves out, filled in — the API and the CLI create campaigns alike: the default
 * subject and body (the leaders' for the mirror survey), the organisation as sender, now, and no reminder
 * days without reminders.
 */
export function campaignSettings(c: CampaignInput, orgName: string, now = Date.now()) {
  return {
    subject: c.subject ?? DEFAULT_SUBJECT,
    body: c.body ?? (c.perspective === 'leader' ? DEFAULT_LEADER_BODY : DEFAULT_BODY),
    senderName: c.senderName ?? orgName.replace(/[<>"\r\n]/g, ''),
    sendAt: new Date(c.sendAt ?? now).toISOString(),
    reminderDays: c.maxReminders > 0 ? (c.reminderDays ?? null) : null,
    maxReminders: c.maxReminders,
  };
}

export interface FilterableContact {
  kind: ContactKind;
  function: string | null;
  touchpoint: string | null;
  language: string | null;
  segments: Record<string, string>;
}

/** Whether a contact falls within a campaign: its kind is the campaign's perspective and it matches every part of the filter. */
export function matchesFilter(c: FilterableContact, perspective: 'customer' | 'leader', f: CampaignFilter): boolean {
  if (c.kind !== perspective) return false;
  if (f.touchpoint !== undefined && c.touchpoint !== f.touchpoint) return false;
  if (f.language !== undefined && c.language !== f.language) return false;
  if (f.function !== undefined && c.function !== f.function) return false;
  for (const [k, values] of Object.entries(f.segments ?? {})) {
    const v = Object.hasOwn(c.segments, k) ? c.segments[k] : undefined;
    if (v === undefined || !values.includes(v)) return false;
  }
  return true;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** Fills {name} and {organisation}; an unknown name stays as written. */
export function fillTemplate(template: string, vars: { name: string | null; organisation: string }): string {
  return template.replace(/\{(name|organisation)\}/g, (_, k: string) => (k === 'name' ? (vars.name ?? 'there') : vars.organisation));
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

/** A message as sent: the body, the survey link, and the unsubscribe link, in plain text and in HTML. */
export function renderMessage(input: {
  subject: string;
  body: string;
  name: string | null;
  organisation: string;
  surveyUrl: string;
  unsubscribeUrl: string;
  reminder: boolean;
  /** The first question's scale as one-click links (customer survey: the links open the survey with it answered). */
  firstQuestion?: { text: string; options: { label: string; url: string }[] };
}): RenderedMessage {
  const vars = { name: input.name, organisation: input.organisation };
  const subject = (input.reminder ? 'Reminder: ' : '') + fillTemplate(input.subject, vars);
  const body = fillTemplate(input.body, vars);
  const text = [body, '', `Answer here: ${input.surveyUrl}`, '', '--', `You received this because ${input.organisation} invited you. To receive no more of these messages: ${input.unsubscribeUrl}`].join('\n');
  const paragraphs = body
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 16px">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const buttons = input.firstQuestion
    ? `<p style="margin:0 0 8px"><strong>${escapeHtml(input.firstQuestion.text)}</strong></p>\n<p style="margin:0 0 16px">${input.firstQuestion.options
        .map((o) => `<a href="${escapeHtml(o.url)}" style="display:inline-block;min-width:24px;padding:8px;margin:2px;border:1px solid #1a56db;border-radius:4px;color:#1a56db;text-decoration:none;text-align:center">${escapeHtml(o.label)}</a>`)
        .join('')}</p>\n`
    : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;font-size:16px;line-height:1.5;color:#111;max-width:600px;margin:0 auto;padding:16px">
${paragraphs}
${buttons}<p style="margin:24px 0"><a href="${escapeHtml(input.surveyUrl)}" style="display:inline-block;padding:12px 20px;background:#1a56db;color:#fff;border-radius:6px;text-decoration:none;font-weight:600">Answer the survey</a></p>
<p style="font-size:13px;color:#555;margin-top:32px">You received this because ${escapeHtml(input.organisation)} invited you. <a href="${escapeHtml(input.unsubscribeUrl)}" style="color:#555">Unsubscribe</a> to receive no more of these messages.</p>
</body></html>`;
  return { subject, text, html };
}

/** Whether a reminder is due for an invitation not yet answered. */
export function reminderDue(inv: { lastMailedAt: string | null; reminders: number; answered: boolean }, rule: { reminderDays: number | null; maxReminders: number }, now: Date): boolean {
  if (inv.answered || !inv.lastMailedAt || !rule.reminderDays || inv.reminders >= rule.maxReminders) return false;
  return new Date(inv.lastMailedAt).getTime() + rule.reminderDays * 86_400_000 <= now.getTime();
}

/** Most attempts at one message before it is given up (temporary failures only). */
export const MAX_MAIL_ATTEMPTS = 6;

/** When to try again after the n-th failed attempt (n ≥ 1): 1, 2, 4, 8, 16 minutes…, at most 4 hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(4 * 3600_000, 60_000 * 2 ** Math.max(0, attempts - 1));
}

/** How an SMTP failure is treated: 5xx a permanent refusal (a bounce), 4xx or no reply (network) temporary. */
export function classifySmtpFailure(responseCode: number | undefined): 'permanent' | 'temporary' {
  return responseCode !== undefined && responseCode >= 500 && responseCode < 600 ? 'permanent' : 'temporary';
}

export interface CampaignCounts {
  invited: number;
  sent: number;
  delivered: number;
  started: number;
  completed: number;
  unsubscribed: number;
  bounced: number;
}

export interface CampaignRates extends CampaignCounts {
  /** completed / delivered, null when nothing was delivered. */
  responseRate: number | null;
  /** Wilson 95 % interval of the response rate. */
  responseRateInterval: [number, number] | null;
}

export function campaignRates(c: CampaignCounts): CampaignRates {
  if (c.delivered === 0) return { ...c, responseRate: null, responseRateInterval: null };
  const completed = Math.min(c.completed, c.delivered);
  return { ...c, responseRate: completed / c.delivered, responseRateInterval: wilsonInterval(completed, c.delivered) };
}
