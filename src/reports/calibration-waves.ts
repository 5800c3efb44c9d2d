// The calibration-over-time report: each leader wave against the customers of the same period, and the
// trend of the team's headline error (core/analytics/calibration-waves.ts, which also decides the waves
// that may be shown).
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { SideAggregate } from '../core/gap-report.ts';
import { groupCells, quarterOf, type Attribute, type Cut } from '../core/anonymity.ts';
import type { TrendPeriod } from '../core/analytics/trend.ts';
import { calibrationWavesReport, type CalibrationWavesReport } from '../core/analytics/calibration-waves.ts';
import { foldHistograms, loadHistograms } from '../store/analytics-data.ts';
import { reportContext, periodOnly, customerCut, leaderCut, hiddenReason } from './report-context.ts';

type Db = Kysely<Database>;

export async function calibrationWavesFor(db: Db, orgId: string, filters: ReportFilters, by: TrendPeriod): Promise<CalibrationWavesReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const k = ctx.org.minResponses;
  const period = periodOnly(filters);
  const attr: Attribute = by === 'month' ? 'month' : 'quarter';
  // Customers per period: the same table the trend report uses. Leaders: their cut over the range; which
  // of their periods may be shown is decided from the counts (secondary suppression), not by the table.
  const cCut = customerCut(ctx, period, [attr]);
  const lCut = leaderCut(ctx, period);
  const hidden = { customers: cCut.visible ? null : cCut.reason, leaders: hiddenReason(lCut, k) };
  const periodOf = (month: string) => (by === 'month' ? month : quarterOf(month));
  const items = ['*', 'excellent', 'predict:excellent_share', ...ctx.framework.map((d) => `dim:${d.key}`)];
  const byPeriod = async (perspective: 'customer' | 'leader', c: Cut, reason: string | null) =>
    reason ? new Map<string, SideAggregate>() : foldHistograms(await loadHistograms(db, orgId, perspective, c.scope, ['month'], items), (g) => periodOf(g.month));
  const [customers, leaders] = await Promise.all([byPeriod('customer', cCut, hidden.customers), byPeriod('leader', lCut, hidden.leaders)]);
  return calibrationWavesReport({
    organisation: { id: ctx.org.id, name: ctx.org.name, industry: ctx.org.industry, minResponses: k },
    framework: ctx.framework,
    filters: period,
    by,
    hidden,
    counts: { leaders: groupCells(lCut.cells, 'month'), customers: groupCells(cCut.cells, 'month') },
    leaders,
    customers,
  });
}
