// The key-drivers report: relative weights of the customer dimensions for an outcome (excellent or NPS),
// from the driver cells within the report's cut, on the dimensions enough customers rated (driver-subset.ts).
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { SideAggregate } from '../core/gap-report.ts';
import { driversReport, modelMinimum, type DriverOutcome, type DriversReport } from '../core/analytics/drivers.ts';
import { chooseDriverSubset, type DriverSubset } from '../core/analytics/driver-subset.ts';
import { emptySide, foldHistograms, loadHistograms } from '../store/analytics-data.ts';
import { driverSignature, loadAnsweredSets, predictorItems } from '../store/driver-cells.ts';
import { reportContext, customerCut, leaderCut, hiddenReason, sideOf, orgOf, type ReportContext } from './report-context.ts';

type Db = Kysely<Database>;

/**
 * What every driver model reads within a cut: the customers' sums and cross-products for `outcome`, both
 * sides' answers, the leaders' cut, and why either side is hidden (the drivers and driver-perception reports).
 */
export async function driverModelInputs(db: Db, ctx: ReportContext, filters: ReportFilters, outcome: DriverOutcome) {
  const k = ctx.org.minResponses;
  const cCut = customerCut(ctx, filters);
  const lCut = leaderCut(ctx, filters);
  const hidden = { customers: cCut.visible ? null : cCut.reason, leaders: hiddenReason(lCut, k) };
  const predictors = predictorItems(ctx.framework.filter((d) => d.customerItem !== null).map((d) => d.key));
  const [model, customers, leaders] = await Promise.all([
    hidden.customers
      ? ({ predictors, sums: { n: 0, sums: new Map<string, number>(), cross: new Map<string, number>() }, leftOut: [] } satisfies DriverSubset)
      : loadAnsweredSets(db, ctx.org.id, outcome, driverSignature(predictors), cCut.scope).then((sets) =>
          chooseDriverSubset(sets, predictors, outcome, (p) => modelMinimum(k, p)),
        ),
    hidden.customers ? emptySide() : sideOf(db, ctx.org.id, 'customer', cCut, k),
    sideOf(db, ctx.org.id, 'leader', lCut, k),
  ]);
  // `input`: what both reports' core functions take alike.
  return { lCut, hidden, input: { organisation: orgOf(ctx.org), framework: ctx.framework, filters, outcome, sums: model.sums, leftOut: model.leftOut, customers, leaders } };
}

export async function driversFor(db: Db, orgId: string, filters: ReportFilters, outcome: DriverOutcome): Promise<DriversReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const tCut = customerCut(ctx, filters, ['touchpoint']);
  const [model, byTouchpoint] = await Promise.all([
    driverModelInputs(db, ctx, filters, outcome),
    tCut.visible
      ? loadHistograms(db, orgId, 'customer', tCut.scope, ['touchpoint'], [outcome]).then((rows) => foldHistograms(rows, (g) => g.touchpoint))
      : new Map<string, SideAggregate>(),
  ]);
  return driversReport({
    ...model.input,
    touchpoints: [...byTouchpoint].map(([key, side]) => {
      const t = ctx.touchpoints.get(key);
      return { key, label: t?.label ?? (key ? key : '(no touchpoint)'), stage: t?.stage ?? null, department: t?.department ?? null, outcome: side.items[outcome] ?? {} };
    }),
    hidden: { ...model.hidden, touchpoints: tCut.visible ? null : tCut.reason },
  });
}
