// GET /organisations/:org/reports/gap with period, stage, touchpoint and segment filters.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { FilterError, parseWhere, type ReportFilters } from '../../core/report-filters.ts';
import { GapReport } from '../../core/gap-report.ts';
import { gapReportFor } from '../../reports/gap.ts';
import { ApiError } from '../errors.ts';
import { narrowTouchpoints } from '../../core/access.ts';

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

export async function reportRoutes(app: FastifyInstance, store: Store): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/organisations/:org/reports/gap',
    {
      schema: {
        tags: ['reports'],
        description: 'The perception-gap report. Groups smaller than the organisation\'s minimum are `{suppressed: true}`.',
        params: z.object({ org: z.string().max(60) }),
        querystring: ReportQuery,
        response: { 200: GapReport },
      },
    },
    async (req) => {
      const report = await gapReportFor(store.db, req.params.org, filtersFromQuery(req.query, req));
      if (!report) throw ApiError.notFound(`organisation "${req.params.org}"`);
      return report;
    },
  );
}
