// Alerts (issue 13), the pure part: when each kind fires, on figures the caller has already cut under
// the anonymity rule. Each is a test, not a threshold on noise (but the SLA backlog, a count the
// organisation sets): the gap's monthly trend slope (core/analytics/trend.ts) widening at p < alpha, a
// dimension's or touchpoint's customer mean last month below the three months before (one-sided Welch
// test), and a touchpoint's negative comments last week above its own history (one-sided exact binomial
// test against the historical share). Every alert carries a dedupe key — kind, subject, period — so it
// is raised once per subject and period however often it is evaluated (store/alerts.ts).
import jStat from 'jstat';
import { z } from 'zod';
import { welchTTest, type Moments } from './stats/index.ts';

export const ALERT_KINDS = ['gap_widened', 'customer_drop', 'sla_backlog', 'negative_burst'] as const;
export const AlertKind = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKind>;

export const AlertSettings = z
  .object({
    kinds: z.array(AlertKind).max(4).describe('the kinds raised'),
    alpha: z.number().min(0.0001).max(0.2).describe('significance level of the tests'),
    slaBacklog: z.number().int().min(1).max(100_000).describe('open cases past their SLA that raise the backlog alert'),
    email: z.boolean().default(true).describe('also e-mail each raised alert to the CX lead (the admins when no CX lead is set)'),
  })
  .strict();
export type AlertSettings = z.infer<typeof AlertSettings>;
export const DEFAULT_ALERT_SETTINGS: AlertSettings = { kinds: [...ALERT_KINDS], alpha: 0.05, slaBacklog: 10, email: true };

export interface Alert {
  kind: AlertKind;
  /** `kind:subject:period`: one alert per subject and period. */
  dedupeKey: string;
  subject: string;
  period: string;
  /** One sentence a person reads (e-mail subject, Slack text). */
  summary: string;
  data: Record<string, unknown>;
}

const alert = (kind: AlertKind, subject: string, period: string, summary: string, data: Record<string, unknown>): Alert => ({
  kind,
  dedupeKey: `${kind}:${subject}:${period}`,
  subject,
  period,
  summary,
  data: { kind, subject, period, ...data },
});

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The last month that has ended by `now` (UTC), YYYY-MM. */
export function lastFullMonth(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

/** The `n` months before `month`, oldest first. */
export function monthsBefore(month: string, n: number): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) => new Date(Date.UTC(y, m - 1 - n + i, 1)).toISOString().slice(0, 7));
}

/** The last full ISO week (Monday–Sunday, UTC) before `now`: its first day and the day after its last. */
export function lastFullWeek(now: Date): { start: string; end: string } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = today - ((now.getUTCDay() + 6) % 7) * 86_400_000; // this week's Monday
  return { start: iso(new Date(monday - 7 * 86_400_000)), end: iso(new Date(monday)) };
}

/** The trend test's slope of the monthly headline gap (through `month`) widening significantly. */
export function gapWidenedAlert(slope: { periods: number; perPeriod: number; pValue: number; direction: string } | null, month: string, alpha: number): Alert | null {
  if (!slope || slope.perPeriod <= 0 || slope.pValue >= alpha) return null;
  const pts = (slope.perPeriod * 100).toFixed(1);
  return alert('gap_widened', 'headline', month, `The perception gap is widening: +${pts} points a month over ${slope.periods} months (p = ${slope.pValue.toPrecision(2)}).`, {
    perMonth: slope.perPeriod,
    pValue: slope.pValue,
    months: slope.periods,
  });
}

/**
 * One-sided Welch test that customers' mean on `subject` (a dimension or touchpoint, `label` to show)
 * was lower in `month` than in the three months before. Nothing when either side has fewer than
 * `minResponses` respondents: an alert must never describe a cut the reports would hide.
 */
export function customerDropAlert(subject: string, label: string, month: string, last: Moments, before: Moments, minResponses: number, alpha: number): Alert | null {
  if (last.n < Math.max(2, minResponses) || before.n < Math.max(2, minResponses)) return null;
  const w = welchTTest(last, before);
  const p = w.diff < 0 ? w.pValue / 2 : 1 - w.pValue / 2;
  if (p >= alpha) return null;
  return alert('customer_drop', subject, month, `Customers rated ${label} lower in ${month}: ${last.mean.toFixed(2)} vs ${before.mean.toFixed(2)} in the three months before (p = ${p.toPrecision(2)}).`, {
    label,
    mean: last.mean,
    previousMean: before.mean,
    difference: w.diff,
    respondents: last.n,
    previousRespondents: before.n,
    pValue: p,
  });
}

/** Open cases past their SLA at or above the organisation's threshold; once per day. */
export function slaBacklogAlert(overdue: number, threshold: number, now: Date): Alert | null {
  if (overdue < threshold) return null;
  return alert('sla_backlog', 'cases', iso(now), `${overdue} follow-up cases are past their SLA (threshold ${threshold}).`, { overdue, threshold });
}

/** P(X ≥ k) for X ~ Binomial(n, p): the regularised incomplete beta I_p(k, n − k + 1). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  return jStat.ibeta(p, k, n - k + 1);
}

/**
 * Negative comments on a touchpoint in `week` (`negative` of `total` analysed) against its own history:
 * a one-sided exact binomial test with the historical share as p₀ ((x + ½)/(n + 1) when the history has
 * no negative at all, so one complaint after a clean history is not p = 0). Nothing with fewer than
 * `minResponses` comments in the week, or no history to compare with.
 */
export function negativeBurstAlert(
  touchpoint: string,
  label: string,
  week: string,
  now: { negative: number; total: number },
  history: { negative: number; total: number },
  minResponses: number,
  alpha: number,
): Alert | null {
  if (now.total < minResponses || history.total < minResponses) return null;
  const p0 = history.negative === 0 ? 0.5 / (history.total + 1) : history.negative / history.total;
  if (now.negative / now.total <= p0) return null;
  const p = binomialUpperTail(now.negative, now.total, p0);
  if (p >= alpha) return null;
  return alert('negative_burst', touchpoint, week, `Negative feedback on ${label} jumped in the week of ${week}: ${now.negative} of ${now.total} comments vs ${(p0 * 100).toFixed(0)}% before (p = ${p.toPrecision(2)}).`, {
    label,
    negative: now.negative,
    comments: now.total,
    historicalShare: p0,
    pValue: p,
  });
}
