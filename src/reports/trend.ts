// The trend report: each dimension's customers and leaders per month or quarter, under the anonymity rule.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { SideAggregate } from '../core/gap-report.ts';
import { groupCells, quarterOf, type Attribute, type Cut } from '../core/anonymity.ts';
import { trendReport, periodIndex, type TrendPeriod, type TrendReport } from '../core/analytics/trend.ts';
import { emptySide, foldHistograms, loadHistograms } from '../store/analytics-data.ts';
import { reportContext, customerCut, leaderCut, hiddenReason, sideOf, orgOf } from './report-context.ts';

type Db = Kysely<Database>;

export async function trendFor(db: Db, orgId: string, filters: ReportFilters, period: TrendPeriod): Promise<TrendReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const k = ctx.org.minResponses;
  const attr: Attribute = period === 'month' ? 'month' : 'quarter';
  const cCut = customerCut(ctx, filters, [attr]);
  const lCut = leaderCut(ctx, filters, [attr]);
  const lAll = leaderCut(ctx, filters);
  const hidden = { customers: cCut.visible ? null : cCut.reason, leaders: lCut.visible ? null : lCut.reason, leadersOverall: hiddenReason(lAll, k) };
  const periodOf = (month: string) => (period === 'month' ? month : quarterOf(month));
  const items = ['*', 'excellent', ...ctx.framework.map((d) => `dim:${d.key}`)];
  const byPeriod = async (perspective: 'customer' | 'leader', c: Cut, reason: string | null) =>
    reason ? new Map<string, SideAggregate>() : foldHistograms(await loadHistograms(db, orgId, perspective, c.scope, ['month'], items), (g) => periodOf(g.month));
  const [customers, leaders, leadersOverall] = await Promise.all([
    byPeriod('customer', cCut, hidden.customers),
    byPeriod('leader', lCut, hidden.leaders),
    sideOf(db, orgId, 'leader', lAll, k),
  ]);
  // The periods shown: those with customers in the cut (leaders alone make no trend point).
  const periods = [...groupCells(cCut.cells, attr).keys()].sort();
  return trendReport({
    organisation: orgOf(ctx.org),
    framework: ctx.framework,
    filters,
    period,
    points: periods.map((p) => ({ period: p, index: periodIndex(p), customers: customers.get(p) ?? emptySide(), leaders: leaders.get(p) ?? emptySide() })),
    hidden,
    leadersOverall,
    customersEmpty: !ctx.customerCells.some((c) => c.n > 0),
  });
}
