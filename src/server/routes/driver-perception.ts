// GET /organisations/:org/reports/driver-perception (issue 11): leaders' believed importance of each
// customer dimension against customers' actual drivers, with the report filters of the drivers report.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { KEY_PATTERN } from '../../core/keys.ts';
import { DriverOutcome } from '../../core/analytics/drivers.ts';
import { DriverPerceptionReport } from '../../core/analytics/driver-perception.ts';
import { driverPerceptionFor } from '../../reports/driver-perception.ts';
import { ReportQuery, filtersFromQuery } from './reports.ts';
import { OrgParams, notFound } from './analytics.ts';

export async function driverPerceptionRoutes(app: FastifyInstance, store: Store): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/organisations/:org/reports/driver-perception',
    {
      schema: {
        tags: ['reports'],
        description:
          "The driver-perception gap: per customer dimension, leaders' believed importance (mean share of 100 points, t interval) against customers' " +
          "actual importance (Johnson's relative weight as a share of 100, parametric bootstrap interval), the difference with its verdict, the rank " +
          'correlation of the two orders (Spearman, Kendall), the blind spots, and the same per leadership group (a leader segment, pooled below the minimum).',
        params: OrgParams,
        querystring: ReportQuery.extend({
          outcome: DriverOutcome.default('excellent'),
          group: z.string().regex(KEY_PATTERN, 'must be a segment name').default('function').describe('the leader segment to group by'),
        }),
        response: { 200: DriverPerceptionReport },
      },
    },
    async (req) => {
      const report = await driverPerceptionFor(store.db, req.params.org, filtersFromQuery(req.query, req), req.query.outcome, req.query.group);
      if (!report) throw notFound(req.params.org);
      return report;
    },
  );
}
