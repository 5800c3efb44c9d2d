// The case metrics report (issue 13): time to first contact and to resolution, SLA compliance by
// department, and resolved-vs-never-reached NPS (core/cases/case-metrics.ts), over the cases the caller
// may see. Customers' NPS groups follow the reports' anonymity rule: shown from the organisation's
// minimum group size only.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Organisation } from '../store/organisations.ts';
import { caseFacts, type CaseScope } from '../store/cases.ts';
import { caseMetrics } from '../core/cases/case-metrics.ts';

export async function caseMetricsReport(db: Kysely<Database>, org: Organisation, scope: CaseScope, range: { from?: string; to?: string }, now = new Date()) {
  return { ...caseMetrics(await caseFacts(db, org.id, scope, range), org.minResponses, now), from: range.from ?? null, to: range.to ?? null };
}
