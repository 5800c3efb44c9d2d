// GET /organisations/:org/reports/journey-belief (issue 11): per touchpoint, leaders' predicted excellence
// share beside customers' actual share there, with the gap and its MOVER interval.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { JourneyBeliefReport } from '../../core/analytics/journey-belief.ts';
import { journeyBeliefFor } from '../../reports/journey-belief.ts';
import { ReportQuery, filtersFromQuery } from './reports.ts';
import { OrgParams, notFound } from './analytics.ts';

export async function journeyBeliefRoutes(app: FastifyInstance, store: Store): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/organisations/:org/reports/journey-belief',
    {
      schema: {
        tags: ['reports'],
        description:
          "Leaders' belief by touchpoint: per touchpoint of the journey, the leaders' mean predicted excellence share (the mirror survey's " +
          'predict:excellent_share@<touchpoint>, asked of the function owning it; t interval, n leaders) beside customers\' actual excellence share ' +
          "there (Wilson interval, on the breakdown by touchpoint's anonymity cut), and believed − actual with a MOVER interval. Shares are 0–1.",
        params: OrgParams,
        querystring: ReportQuery,
        response: { 200: JourneyBeliefReport },
      },
    },
    async (req) => {
      const report = await journeyBeliefFor(store.db, req.params.org, filtersFromQuery(req.query, req));
      if (!report) throw notFound(req.params.org);
      return report;
    },
  );
}
