// Alert evaluation (issue 13): for each organisation, on a clock, the figures each alert kind of
// core/alerts.ts tests — the monthly gap trend through the last full month (reports/trend.ts), each
// customer dimension's and each touchpoint's customer mean in the last full month against the three
// before, open cases past their SLA now, and each touchpoint's negative comments in the last full week
// against the twelve weeks before — all read through the anonymity cuts of reports/report-context.ts,
// so no alert describes a cut the reports would hide. Raised alerts go to the subscribed webhooks
// (store/alerts.ts). startAlertRunner repeats it every PARALLAX_ALERT_INTERVAL_MS (default 15 minutes;
// "off" to leave it to another server): the dedupe key makes a second evaluation harmless.
import type { FastifyBaseLogger } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import {
  customerDropAlert,
  gapWidenedAlert,
  lastFullMonth,
  lastFullWeek,
  monthsBefore,
  negativeBurstAlert,
  slaBacklogAlert,
  type Alert,
} from '../core/alerts.ts';
import { momentsFromHistogram } from '../core/stats/index.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import { trendFor } from '../reports/trend.ts';
import { customerCut, reportContext, sideOf, type ReportContext } from '../reports/report-context.ts';
import { getAlertSettings, raiseAlert } from '../store/alerts.ts';
import { backgroundLoop, intervalFromEnv, type BackgroundLoop } from './background-loop.ts';

const HISTORY_WEEKS = 12;

/** The customers' side of a cut, or undefined when the anonymity rule hides it. */
async function customers(db: Kysely<Database>, ctx: ReportContext, filters: ReportFilters) {
  const c = customerCut(ctx, filters);
  if (!c.visible) return undefined;
  return sideOf(db, ctx.org.id, 'customer', c, ctx.org.minResponses);
}

async function customerDrops(db: Kysely<Database>, ctx: ReportContext, month: string, alpha: number): Promise<Alert[]> {
  const before = monthsBefore(month, 3);
  const k = ctx.org.minResponses;
  const out: Alert[] = [];
  const compare = async (filters: ReportFilters, items: { subject: string; label: string; item: string }[]) => {
    const [last, prev] = await Promise.all([customers(db, ctx, { ...filters, from: month, to: month }), customers(db, ctx, { ...filters, from: before[0], to: before[2] })]);
    if (!last || !prev) return;
    for (const it of items) {
      const a = last.items[it.item];
      const b = prev.items[it.item];
      if (!a || !b) continue;
      const alert = customerDropAlert(it.subject, it.label, month, momentsFromHistogram(a), momentsFromHistogram(b), k, alpha);
      if (alert) out.push(alert);
    }
  };
  await compare({}, ctx.framework.filter((d) => d.customerItem !== null).map((d) => ({ subject: `dimension:${d.key}`, label: d.label, item: `dim:${d.key}` })));
  for (const tp of ctx.touchpoints.values()) await compare({ touchpoints: [tp.key] }, [{ subject: `touchpoint:${tp.key}`, label: tp.label, item: 'excellent' }]);
  return out;
}

async function overdueCases(db: Kysely<Database>, orgId: string, now: Date): Promise<number> {
  const r = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .where('first_contact_at', 'is', null)
    .where('resolved_at', 'is', null)
    .where('closed_at', 'is', null)
    .where('due_at', '<', now.toISOString())
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function negativeBursts(db: Kysely<Database>, ctx: ReportContext, now: Date, alpha: number): Promise<Alert[]> {
  const week = lastFullWeek(now);
  const from = new Date(Date.parse(week.start) - HISTORY_WEEKS * 7 * 86_400_000).toISOString();
  const start = `${week.start}T00:00:00.000Z`;
  // Counts per touchpoint and side of the week's start, in the database: the comments are never read.
  const rows = await db
    .selectFrom('comment_analysis as ca')
    .innerJoin('responses as r', (j) => j.onRef('r.org_id', '=', 'ca.org_id').onRef('r.id', '=', 'ca.response_id'))
    .where('ca.org_id', '=', ctx.org.id)
    .where('r.perspective', '=', 'customer')
    .where('r.submitted_at', '>=', from)
    .where('r.submitted_at', '<', `${week.end}T00:00:00.000Z`)
    .select([
      'r.touchpoint',
      (eb) => eb.fn.countAll<number>().as('n'),
      sql<number>`sum(case when ca.sentiment = 'negative' then 1 else 0 end)`.as('negative'),
      sql<number>`sum(case when r.submitted_at >= ${start} then 1 else 0 end)`.as('week_n'),
      sql<number>`sum(case when r.submitted_at >= ${start} and ca.sentiment = 'negative' then 1 else 0 end)`.as('week_negative'),
    ])
    .groupBy('r.touchpoint')
    .execute();
  const by = new Map<string, { now: { negative: number; total: number }; history: { negative: number; total: number } }>();
  for (const r of rows) {
    const inWeek = { negative: Number(r.week_negative), total: Number(r.week_n) };
    by.set(r.touchpoint, { now: inWeek, history: { negative: Number(r.negative) - inWeek.negative, total: Number(r.n) - inWeek.total } });
  }
  const out: Alert[] = [];
  for (const [tp, e] of by) {
    const label = ctx.touchpoints.get(tp)?.label ?? tp;
    const a = negativeBurstAlert(`touchpoint:${tp}`, label, week.start, e.now, e.history, ctx.org.minResponses, alpha);
    if (a) out.push(a);
  }
  return out;
}

/** Every alert the organisation's figures call for at `now` (raised or not before). */
export async function evaluateAlerts(db: Kysely<Database>, orgId: string, now: Date): Promise<Alert[]> {
  const settings = await getAlertSettings(db, orgId);
  const ctx = await reportContext(db, orgId);
  if (!ctx) return [];
  const on = new Set(settings.kinds);
  const month = lastFullMonth(now);
  const out: Alert[] = [];
  if (on.has('gap_widened')) {
    const trend = await trendFor(db, orgId, { to: month }, 'month');
    const last = trend?.points.at(-1)?.period;
    // Only a trend whose last point is the month just ended: an old slope is not news.
    const a = last === month ? gapWidenedAlert(trend!.slope, month, settings.alpha) : null;
    if (a) out.push(a);
  }
  if (on.has('customer_drop')) out.push(...(await customerDrops(db, ctx, month, settings.alpha)));
  if (on.has('sla_backlog')) {
    const a = slaBacklogAlert(await overdueCases(db, orgId, now), settings.slaBacklog, now);
    if (a) out.push(a);
  }
  if (on.has('negative_burst')) out.push(...(await negativeBursts(db, ctx, now, settings.alpha)));
  return out;
}

/** One round over every organisation: the alerts raised now (not raised before). */
export async function alertRound(db: Kysely<Database>, now: Date): Promise<Alert[]> {
  const raised: Alert[] = [];
  for (const { id } of await db.selectFrom('organisations').select('id').orderBy('id').execute()) {
    for (const a of await evaluateAlerts(db, id, now)) if (await raiseAlert(db, id, a, now)) raised.push(a);
  }
  return raised;
}

export function alertIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return intervalFromEnv(env, 'PARALLAX_ALERT_INTERVAL_MS', 900_000, { maxMs: 86_400_000 });
}

export function startAlertRunner(db: Kysely<Database>, log: FastifyBaseLogger, intervalMs = alertIntervalFromEnv(), now: () => Date = () => new Date()): BackgroundLoop {
  if (intervalMs === undefined) return { stop: async () => {} };
  return backgroundLoop(
    intervalMs,
    async () => {
      const raised = await alertRound(db, now());
      if (raised.length) log.info({ alerts: raised.map((a) => a.dedupeKey) }, 'alerts raised');
    },
    (err) => log.warn({ err }, 'alert round failed; will retry'),
  );
}
