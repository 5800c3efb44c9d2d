// Builds reports for an organisation: reads the aggregates, hands them to the pure core.
// The gap report is computed on the cuts the anonymity rule allows (core/anonymity.ts, via report-context.ts),
// like every other report, so no two reports can be subtracted to single out a respondent.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { gapReport, withheldReason, type GapReport } from '../core/gap-report.ts';
import { withheldGroups } from '../core/anonymity.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import { customerCut, hiddenReason, leaderCut, reportContext, sideOf } from './report-context.ts';

export async function gapReportFor(db: Kysely<Database>, orgId: string, filters: ReportFilters): Promise<GapReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const k = ctx.org.minResponses;
  const c = customerCut(ctx, filters);
  const l = leaderCut(ctx, filters);
  const [customers, leaders] = await Promise.all([sideOf(db, orgId, 'customer', c, k), sideOf(db, orgId, 'leader', l, k)]);
  return gapReport({
    organisation: ctx.org,
    framework: ctx.framework,
    filters,
    leaders,
    customers,
    hidden: { customers: hiddenReason(c, k), leaders: hiddenReason(l, k) },
    empty: { customers: !ctx.customerCells.some((x) => x.n > 0), leaders: !ctx.leaderCells.some((x) => x.n > 0) },
    withheld: withheldOf(ctx, c.withheldRespondents),
  });
}

/** The customers rule 1 leaves out of every report, and why (issue 11: a lone "region not given" response). */
export function withheldOf(ctx: { org: { minResponses: number }; customerCells: Parameters<typeof withheldGroups>[0]; stageOf: (tp: string) => string }, respondents: number) {
  const k = ctx.org.minResponses;
  const groups = respondents === 0 ? [] : withheldGroups(ctx.customerCells, k, ctx.stageOf);
  return { respondents, reason: withheldReason(respondents, groups, k), groups };
}
