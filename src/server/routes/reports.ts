// GET /organisations/:org/reports/gap with period, stage, touchpoint and segment filters.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { FilterError, parseWhere, type ReportFilters } from '../../core/report-filters.ts';
import { GapReport } from '../../core/gap-report.ts';
import { gapReportFor } from '../../reports/gap.ts';
import { ApiError } from '../errors.ts';
import { narrowTouchpoints, roleAllows } from '../../core/access.ts';
import { parseWeightBy, WeightedGap, weightedGapFor, WeightingInputError } from '../../reports/weighted-gap.ts';

const many = z.union([z.string(), z.array(z.string())]).optional();
const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export const ReportQuery = z.object({
  from: z.string().optional().describe('first month, YYYY-MM'),
  to: z.string().optional().describe('last month, YYYY-MM'),
  stage: z.string().optional(),
  touchpoint: many.describe('touchpoint key; repeat for several'),
  where: many.describe('segment:<name>=<value> (repeatable), as in the CLI'),
});

/**
 * The report filters a request asks for, narrowed to what the caller may see: an `owner` only ever
 * gets the touchpoints their department owns, whatever the query says. Every report route builds
 * its filters here, so the narrowing cannot be forgotten.
 */
export function filtersFromQuery(q: z.infer<typeof ReportQuery>, req: FastifyRequest): ReportFilters {
  const exprs = [
    ...asList(q.where),
    ...asList(q.touchpoint).map((t) => `touchpoint=${t}`),
    ...(q.stage ? [`stage=${q.stage}`] : []),
    ...(q.from ? [`from=${q.from}`] : []),
    ...(q.to ? [`to=${q.to}`] : []),
  ];
  try {
    const filters = parseWhere(exprs);
    const allowed = req.access?.touchpoints ?? null;
    // An empty list selects no customers (report-data treats [] as "none", not "all").
    return allowed === null ? filters : { ...filters, touchpoints: narrowTouchpoints(filters.touchpoints, allowed) };
  } catch (e) {
    if (e instanceof FilterError) throw new ApiError(400, e.message, [{ field: e.field, message: e.message }]);
    throw e;
  }
}

// The post-stratified figures beside the gap report (src/reports/weighted-gap.ts).
const GapQuery = ReportQuery.extend({
  weightBy: z.string().max(60).optional().describe('campaign:<id>: add `weighted`, the customer figures of that campaign\'s respondents weighted to its invited contacts (admin and analyst)'),
  attribute: many.describe('with weightBy: a declared segment or "touchpoint" to weight by; give two to weight by their cross'),
});

async function weightedSection(store: Store, req: FastifyRequest, orgId: string, weightBy: string | undefined, attributes: string[], filters: ReportFilters) {
  try {
    if (weightBy === undefined) throw new WeightingInputError('weightBy', 'is needed with attribute (campaign:<id>)');
    // Per-stratum invited and respondent counts are the non-response check's figures: setup roles only, as there.
    const role = req.access?.role;
    if (role && !roleAllows(role, 'setup')) throw new ApiError(403, `weightBy: your role (${role}) may not see a campaign's invited contacts`, [{ field: 'weightBy', message: 'needs admin or analyst' }]);
    const out = await weightedGapFor(store.db, orgId, parseWeightBy(weightBy), attributes, filters);
    if (!out) throw ApiError.notFound(`organisation "${orgId}"`);
    return out;
  } catch (e) {
    if (e instanceof WeightingInputError) throw new ApiError(400, `${e.field}: ${e.message}`, [{ field: e.field, message: e.message }]);
    throw e;
  }
}

export async function reportRoutes(app: FastifyInstance, store: Store): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/organisations/:org/reports/gap',
    {
      schema: {
        tags: ['reports'],
        description:
          'The perception-gap report. Groups smaller than the organisation\'s minimum are `{suppressed: true}`. ' +
          'With `weightBy=campaign:<id>&attribute=<segment or touchpoint>` (two attributes: their cross) it adds `weighted`: for the customers who answered that campaign ' +
          '(within the filters), the excellence share, dimension means and NPS unweighted and post-stratified side by side, with the weights per stratum and the effective sample size. ' +
          'Only a campaign\'s respondents are weighted because only a campaign knows whom it asked: its delivered invitations are their population, while open-link answers have none. ' +
          'Weights = invited share ÷ respondent share per stratum, strata under the minimum pooled, capped at 5× the mean; variances by Taylor linearisation with the strata, ' +
          'shares with a Wilson interval at the design effective n, means with t on n − strata df.',
        params: z.object({ org: z.string().max(60) }),
        querystring: GapQuery,
        response: { 200: GapReport.extend({ weighted: WeightedGap.optional() }) },
      },
    },
    async (req) => {
      const filters = filtersFromQuery(req.query, req);
      const report = await gapReportFor(store.db, req.params.org, filters);
      if (!report) throw ApiError.notFound(`organisation "${req.params.org}"`);
      const { weightBy, attribute } = req.query;
      if (weightBy === undefined && attribute === undefined) return report;
      return { ...report, weighted: await weightedSection(store, req, req.params.org, weightBy, asList(attribute), filters) };
    },
  );
}
