// The weekly digest of one member (issue 13), by role: admins and analysts get the executive view (the
// headline gap with its interval and its change against the previous month, the trend's slope, the
// leaders' calibration, the initiatives' verdicts, case SLA compliance by department); an owner gets their
// department's touchpoints (customers' excellence share and gap, with intervals), open cases and breached
// SLAs; a viewer the headline only. Every figure is taken from the reports themselves (gap, trend,
// breakdown, initiative effect, case metrics, the case board's counts), so the anonymity rules they apply
// hold here too and the digest says exactly what the dashboard and the API say.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Role } from '../core/access.ts';
import type { GapReport } from '../core/gap-report.ts';
import { newcombeInterval } from '../core/stats/newcombe.ts';
import { touchpointsOfDepartment } from '../store/memberships.ts';
import { listInitiatives } from '../store/initiatives.ts';
import { listCases } from '../store/cases.ts';
import { gapReportFor } from './gap.ts';
import { trendFor } from './trend.ts';
import { breakdownFor } from './breakdown.ts';
import { initiativeEffectFor } from './initiative-effect.ts';
import { caseMetricsReport } from './case-metrics.ts';
import { reportContext } from './report-context.ts';

type Db = Kysely<Database>;
type Interval = [number, number];
type ShareFigure = { n: number; share: number; ci95: Interval } | { suppressed: true; reason: string };

/** At most this many initiatives are listed (the active and planned ones first); the dashboard has them all. */
export const DIGEST_MAX_INITIATIVES = 10;

export interface DigestHeadline {
  leaders: ShareFigure;
  customers: ShareFigure;
  /** leaders − customers excellence share; null when a side is hidden. */
  gap: number | null;
  /** Newcombe's hybrid score interval of the gap (core/stats/newcombe.ts). */
  gapCi95: Interval | null;
  /** The gap in the latest month with both sides shown against the month before (the monthly trend's points). */
  change: { period: string; gap: number; previousPeriod: string; previousGap: number; change: number } | null;
}

export interface Digest {
  organisation: { id: string; name: string };
  view: 'executive' | 'owner' | 'viewer';
  headline: DigestHeadline;
  executive?: {
    trend: { periods: number; perPeriod: number; ci95: Interval; pValue: number; direction: 'widening' | 'narrowing' | 'no evidence' } | null;
    calibration: GapReport['calibration'];
    initiatives: {
      id: string;
      title: string;
      status: string;
      verdict: string;
      /** The change in the goal's direction: rating points (`mean`) or a share (`share`). */
      kind: 'mean' | 'share';
      achieved: number | null;
      ci95: Interval | null;
    }[];
    sla: { department: string | null; cases: number; met: number; breached: number; compliance: number | null; ci95: Interval | null }[];
  };
  owner?: {
    department: string | null;
    touchpoints: { key: string; label: string; customers: ShareFigure; gap: number | null; gapCi95: Interval | null }[];
    openCases: number;
    breachedCases: number;
  };
}

export const viewOf = (role: Role): Digest['view'] => (role === 'admin' || role === 'analyst' ? 'executive' : role === 'owner' ? 'owner' : 'viewer');

/** The interval of leaders − customers when both shares are shown. */
const gapInterval = (l: ShareFigure, c: ShareFigure): Interval | null =>
  'suppressed' in l || 'suppressed' in c ? null : newcombeInterval(l.share, l.ci95, c.share, c.ci95);

function headlineOf(gap: GapReport, points: { period: string; gap: number | null }[]): DigestHeadline {
  const { leaders, customers } = gap.headline;
  const shown = points.filter((p): p is { period: string; gap: number } => p.gap !== null);
  const last = shown.at(-1);
  const prev = shown.at(-2);
  return {
    leaders,
    customers,
    gap: gap.headline.gap,
    gapCi95: gapInterval(leaders, customers),
    change: last && prev ? { period: last.period, gap: last.gap, previousPeriod: prev.period, previousGap: prev.gap, change: last.gap - prev.gap } : null,
  };
}

/** The digest of one member with this role (and department, for an owner); undefined when the organisation is gone. */
export async function digestFor(db: Db, orgId: string, member: { role: Role; department: string | null }, now = new Date()): Promise<Digest | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const [gap, trend] = await Promise.all([gapReportFor(db, orgId, {}), trendFor(db, orgId, {}, 'month')]);
  if (!gap || !trend) return undefined;
  const view = viewOf(member.role);
  const digest: Digest = { organisation: { id: ctx.org.id, name: ctx.org.name }, view, headline: headlineOf(gap, trend.points) };

  if (view === 'executive') {
    const order = ['active', 'planned', 'completed', 'abandoned'];
    const initiatives = (await listInitiatives(db, orgId))
      .filter((i) => i.status !== 'abandoned')
      .sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status))
      .slice(0, DIGEST_MAX_INITIATIVES);
    const effects = await Promise.all(initiatives.map((i) => initiativeEffectFor(db, orgId, i)));
    const cases = await caseMetricsReport(db, ctx.org, { all: true }, {}, now);
    digest.executive = {
      trend: trend.slope,
      calibration: gap.calibration,
      initiatives: initiatives.map((i, n) => {
        const effect = effects[n]?.effect;
        const goal = effect?.goal;
        return { id: i.id, title: i.title, status: i.status, verdict: goal?.verdict ?? 'not-measurable', kind: effect?.kind ?? 'mean', achieved: goal?.achieved ?? null, ci95: goal?.ci95 ?? null };
      }),
      sla: cases.slaByDepartment.map(({ department, cases: n, met, breached, compliance, ci95 }) => ({ department, cases: n, met, breached, compliance, ci95 })),
    };
  } else if (view === 'owner') {
    // Only the touchpoints the department owns, as the owner's dashboard narrows every report (server/auth/access.ts).
    const owned = await touchpointsOfDepartment(db, orgId, member.department);
    const breakdown = owned.length ? await breakdownFor(db, orgId, { touchpoints: owned }, 'touchpoint', false) : undefined;
    const board = await listCases(db, orgId, { department: member.department }, { limit: 1 }, now);
    digest.owner = {
      department: member.department,
      touchpoints: (breakdown?.rows ?? [])
        .filter((r) => owned.includes(r.value))
        .map((r) => ({ key: r.value, label: r.label, customers: r.customers, gap: r.gap, gapCi95: gapInterval(breakdown!.leaders, r.customers) })),
      openCases: (board.counts.byState.open ?? 0) + (board.counts.byState.in_progress ?? 0),
      breachedCases: board.counts.bySla.breached ?? 0,
    };
  }
  return digest;
}
