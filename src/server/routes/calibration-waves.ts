// GET /organisations/:org/reports/calibration-trend (issue 11): is leadership learning? Each leader wave's
// error against the customers of the same period, and its trend. A route of its own rather than part of
// the calibration answer: it has its own parameter (by=month|quarter) and its own anonymity decision
// (waves, with secondary suppression), holds nothing per leader (so it needs no audit entry), and leaves
// the calibration answer — shared with the downloads and the board pack — as it is.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { TrendPeriod } from '../../core/analytics/trend.ts';
import { CalibrationWavesReport } from '../../core/analytics/calibration-waves.ts';
import { calibrationWavesFor } from '../../reports/calibration-waves.ts';
import { ApiError } from '../errors.ts';
import { OrgParams, CalibrationQuery, notFound, requireWholeOrganisation } from './analytics.ts';

export async function calibrationWavesRoutes(app: FastifyInstance, store: Store): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/organisations/:org/reports/calibration-trend',
    {
      schema: {
        tags: ['reports'],
        description:
          "Calibration over time: for each month or quarter in which leaders answered, the team's headline error (mean predicted minus actual share " +
          "of customers calling the experience excellent, percentage points, MOVER interval from the prediction's t and the share's Wilson interval) " +
          'and dimension MAE against the customers of the same period; then the weighted least squares slope of the signed error over the waves ' +
          '(weights 1/Var) and a sentence. A wave with fewer than the minimum leaders or customers is withheld with its reason, and further waves ' +
          'are withheld until the withheld leaders are none or at least the minimum. Only the period applies: leaders predict all customers.',
        params: OrgParams,
        querystring: z.object({ from: CalibrationQuery.from, to: CalibrationQuery.to, by: TrendPeriod.default('quarter') }).strict(),
        response: { 200: CalibrationWavesReport },
      },
    },
    async (req) => {
      requireWholeOrganisation(req);
      const { from, to, by } = req.query;
      if (from && to && from > to) throw new ApiError(400, '"from" is after "to"', [{ field: 'from', message: 'is after "to"' }]);
      const report = await calibrationWavesFor(store.db, req.params.org, { ...(from ? { from } : {}), ...(to ? { to } : {}) }, by);
      if (!report) throw notFound(req.params.org);
      return report;
    },
  );
}
