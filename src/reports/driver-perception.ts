// The driver-perception report: leaders' believed importance of each customer dimension (the mirror
// survey's constant-sum question) against customers' actual drivers (relative weights with bootstrap
// intervals), within the report's cut; per leadership group pooled as the calibration report pools them.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { DriverOutcome } from '../core/analytics/drivers.ts';
import { driverPerceptionReport, type DriverPerceptionReport } from '../core/analytics/driver-perception.ts';
import { reportContext } from './report-context.ts';
import { driverModelInputs } from './drivers.ts';
import { leaderGroups } from './leader-groups.ts';

type Db = Kysely<Database>;

/** Most leadership groups one report lists; beyond it the smallest blocks are pooled (a bounded answer, as calibration). */
export const MAX_PERCEPTION_GROUPS = 40;

export async function driverPerceptionFor(
  db: Db,
  orgId: string,
  filters: ReportFilters,
  outcome: DriverOutcome,
  groupBy = 'function',
): Promise<DriverPerceptionReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const model = await driverModelInputs(db, ctx, filters, outcome);
  const groups = await leaderGroups(db, ctx, filters, model.lCut, groupBy, MAX_PERCEPTION_GROUPS, model.hidden.leaders !== null);
  return driverPerceptionReport({
    ...model.input,
    groupBy,
    groups: groups.groups,
    hidden: { ...model.hidden, groups: groups.hidden },
  });
}
