// Leaders' belief by touchpoint (issue 11): reads the customers' excellence share per touchpoint on the
// breakdown-by-touchpoint's cut and the leaders' per-touchpoint predictions on the leaders' cut (the
// period only: leaders predict for all customers), and hands them to core/analytics/journey-belief.ts.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { SideAggregate } from '../core/gap-report.ts';
import { journeyBeliefReport, type JourneyBeliefReport } from '../core/analytics/journey-belief.ts';
import { foldHistograms, loadHistograms } from '../store/analytics-data.ts';
import { customerCut, hiddenReason, leaderCut, reportContext, sideOf } from './report-context.ts';

export async function journeyBeliefFor(db: Kysely<Database>, orgId: string, filters: ReportFilters): Promise<JourneyBeliefReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const k = ctx.org.minResponses;
  // The same cut and read as reports/breakdown.ts by=touchpoint, so the two agree figure for figure.
  const cCut = customerCut(ctx, filters, ['touchpoint']);
  const lCut = leaderCut(ctx, filters);
  const hidden = { customers: cCut.visible ? null : cCut.reason, leaders: hiddenReason(lCut, k) };
  const [customers, leaders] = await Promise.all([
    hidden.customers ? new Map<string, SideAggregate>() : loadHistograms(db, orgId, 'customer', cCut.scope, ['touchpoint']).then((rows) => foldHistograms(rows, (g) => g.touchpoint)),
    sideOf(db, orgId, 'leader', lCut, k),
  ]);
  // The journey's touchpoints in order, narrowed as the filters narrow customers (an owner sees their own).
  const touchpoints = [...ctx.touchpoints.values()]
    .filter((t) => (!filters.touchpoints || filters.touchpoints.includes(t.key)) && (!filters.stage || t.stage === filters.stage))
    .map(({ key, label, stage, stageLabel, department }) => ({ key, label, stage, stageLabel, department }));
  const { id, name, industry, minResponses } = ctx.org;
  return journeyBeliefReport({ organisation: { id, name, industry, minResponses }, filters, touchpoints, customers, leaders, hidden });
}
