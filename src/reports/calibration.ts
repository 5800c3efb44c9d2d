// The calibration report: how well each leadership group predicts what customers say, within the cut.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import { calibrationReport, type CalibrationReport } from '../core/analytics/calibration.ts';
import { loadLeaderAnswers } from '../store/analytics-data.ts';
import { reportContext, periodOnly, customerCut, leaderCut, hiddenReason, sideOf, orgOf } from './report-context.ts';
import { leaderGroups } from './leader-groups.ts';

type Db = Kysely<Database>;

/** Most leadership groups a calibration report lists: beyond it the smallest blocks are pooled (a bounded answer). */
export const MAX_CALIBRATION_GROUPS = 40;

/**
 * `self`: the caller's respondent id on the leader survey (a logged-in member), for their own line; no
 * one else's line is ever returned (core/analytics/calibration.ts).
 */
export async function calibrationFor(db: Db, orgId: string, filters: ReportFilters, groupBy: string, self: string | null = null): Promise<CalibrationReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const k = ctx.org.minResponses;
  const period = periodOnly(filters);
  const cCut = customerCut(ctx, period);
  const lCut = leaderCut(ctx, period);
  const hidden = { customers: hiddenReason(cCut, k), leaders: hiddenReason(lCut, k), groups: null as string | null };
  const [customers, team, groups, leaders] = await Promise.all([
    sideOf(db, orgId, 'customer', cCut, k),
    sideOf(db, orgId, 'leader', lCut, k),
    leaderGroups(db, ctx, period, lCut, groupBy, MAX_CALIBRATION_GROUPS, hidden.leaders !== null),
    hidden.leaders ? [] : loadLeaderAnswers(db, orgId, lCut.scope.months),
  ]);
  hidden.groups = groups.hidden;
  return calibrationReport({
    organisation: orgOf(ctx.org),
    framework: ctx.framework,
    filters: period,
    groupBy,
    customers,
    team,
    groups: groups.groups,
    leaders,
    self,
    hidden,
  });
}
