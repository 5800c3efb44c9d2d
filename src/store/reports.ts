// Builds reports for an organisation: reads the aggregates, hands them to the pure core.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { gapReport, type GapReport } from '../core/gap-report.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import { getFramework, getOrganisation } from './organisations.ts';
import { loadAggregates } from './report-data.ts';

export async function gapReportFor(db: Kysely<Database>, orgId: string, filters: ReportFilters): Promise<GapReport | undefined> {
  const org = await getOrganisation(db, orgId);
  if (!org) return undefined;
  const [framework, agg] = await Promise.all([getFramework(db, orgId), loadAggregates(db, orgId, filters)]);
  return gapReport({ organisation: org, framework, filters, leaders: agg.leaders, customers: agg.customers });
}
