// The key-drivers report: relative weights of the customer dimensions for an outcome (excellent or NPS),
// from the driver cells within the report's cut.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { SideAggregate } from '../core/gap-report.ts';
import { driversReport, type DriverOutcome, type DriversReport } from '../core/analytics/drivers.ts';
import { emptySide, foldHistograms, loadDriverSums, loadHistograms } from '../store/analytics-data.ts';
import { driverSignature, predictorItems } from '../store/driver-cells.ts';
import { reportContext, customerCut, leaderCut, hiddenReason, sideOf, orgOf } from './report-context.ts';

type Db = Kysely<Database>;

export async function driversFor(db: Db, orgId: string, filters: ReportFilters, outcome: DriverOutcome): Promise<DriversReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const k = ctx.org.minResponses;
  const cCut = customerCut(ctx, filters);
  const tCut = customerCut(ctx, filters, ['touchpoint']);
  const lCut = leaderCut(ctx, filters);
  const hidden = { customers: cCut.visible ? null : cCut.reason, leaders: hiddenReason(lCut, k), touchpoints: tCut.visible ? null : tCut.reason };
  const predictors = predictorItems(ctx.framework.filter((d) => d.customerItem !== null).map((d) => d.key));
  const [sums, customers, leaders, byTouchpoint] = await Promise.all([
    hidden.customers ? { n: 0, sums: new Map(), cross: new Map() } : loadDriverSums(db, orgId, outcome, driverSignature(predictors), cCut.scope),
    hidden.customers ? emptySide() : sideOf(db, orgId, 'customer', cCut, k),
    sideOf(db, orgId, 'leader', lCut, k),
    hidden.touchpoints
      ? new Map<string, SideAggregate>()
      : loadHistograms(db, orgId, 'customer', tCut.scope, ['touchpoint'], [outcome]).then((rows) => foldHistograms(rows, (g) => g.touchpoint)),
  ]);
  return driversReport({
    organisation: orgOf(ctx.org),
    framework: ctx.framework,
    filters,
    outcome,
    sums,
    customers,
    leaders,
    touchpoints: [...byTouchpoint].map(([key, side]) => {
      const t = ctx.touchpoints.get(key);
      return { key, label: t?.label ?? (key ? key : '(no touchpoint)'), stage: t?.stage ?? null, department: t?.department ?? null, outcome: side.items[outcome] ?? {} };
    }),
    hidden,
  });
}
