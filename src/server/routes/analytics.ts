// The analytics reports: GET /organisations/:org/reports/{trend, drivers, calibration, breakdown,
// benchmarks}. Filters are the gap report's (from, to, stage, touchpoint, where=segment:<name>=<value>),
// narrowed to an owner's touchpoints; every report applies the anonymity rule of core/anonymity.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { KEY_PATTERN } from '../../core/keys.ts';
import { TrendPeriod, TrendReport } from '../../core/analytics/trend.ts';
import { DriverOutcome, DriversReport } from '../../core/analytics/drivers.ts';
import { CalibrationReport } from '../../core/analytics/calibration.ts';
import { BreakdownReport } from '../../core/analytics/breakdown.ts';
import { BenchmarksReport } from '../../core/analytics/benchmarks.ts';
import { trendFor } from '../../reports/trend.ts';
import { driversFor } from '../../reports/drivers.ts';
import { calibrationFor } from '../../reports/calibration.ts';
import { breakdownFor, type BreakdownBy as By } from '../../reports/breakdown.ts';
import { benchmarksFor } from '../../reports/benchmarks.ts';
import { ApiError } from '../errors.ts';
import { memberRespondentId } from '../../store/leader-links.ts';
import { ReportQuery, filtersFromQuery } from './reports.ts';

export const OrgParams = z.object({ org: z.string().max(60) });
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM');

export const BreakdownBy = z
  .string()
  .refine((v) => v === 'touchpoint' || v === 'stage' || (v.startsWith('segment:') && KEY_PATTERN.test(v.slice('segment:'.length))), {
    message: 'must be touchpoint, stage or segment:<name>',
  })
  .describe('touchpoint | stage | segment:<name>');

export const flag = z.enum(['true', 'false', '1', '0']).optional();

/** The calibration report's query: only the period applies (leaders predict all customers), and the leader segment to group by. */
export const CalibrationQuery = {
  from: month.optional(),
  to: month.optional(),
  group: z.string().regex(KEY_PATTERN, 'must be a segment name').default('function').describe('the leader segment to group by'),
};

export const notFound = (org: string) => ApiError.notFound(`organisation "${org}"`);

/** Figures about the whole organisation cannot be narrowed to an owner's touchpoints. */
export function requireWholeOrganisation(req: FastifyRequest) {
  if (req.access?.touchpoints !== null && req.access?.touchpoints !== undefined) {
    throw new ApiError(403, 'this report covers all customers; your role sees only your department\'s touchpoints');
  }
}

export async function analyticsRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/organisations/:org/reports/trend',
    {
      schema: {
        tags: ['reports'],
        description:
          'The headline and dimension gaps per month or quarter, with the slope of the gap (weighted least squares, weights 1/Var) and, since the ' +
          "leaders' side per period is often suppressed, the slope of the customers' share alone.",
        params: OrgParams,
        querystring: ReportQuery.extend({ period: TrendPeriod.default('month') }),
        response: { 200: TrendReport },
      },
    },
    async (req) => {
      const report = await trendFor(store.db, req.params.org, filtersFromQuery(req.query, req), req.query.period);
      if (!report) throw notFound(req.params.org);
      return report;
    },
  );

  r.get(
    '/organisations/:org/reports/drivers',
    {
      schema: {
        tags: ['reports'],
        description:
          "Key drivers: Johnson's relative weights of the customer dimensions for the outcome (summing to R²), the importance–performance quadrant " +
          'with critical moments, and the importance of each touchpoint (variance decomposition).',
        params: OrgParams,
        querystring: ReportQuery.extend({ outcome: DriverOutcome.default('excellent') }),
        response: { 200: DriversReport },
      },
    },
    async (req) => {
      const report = await driversFor(store.db, req.params.org, filtersFromQuery(req.query, req), req.query.outcome);
      if (!report) throw notFound(req.params.org);
      return report;
    },
  );

  r.get(
    '/organisations/:org/reports/calibration',
    {
      config: { audit: 'calibration.view' }, // per-leader rows: who read them is audited
      schema: {
        tags: ['reports'],
        description:
          "How well leaders predict what customers say: the team, each leadership group (a leader segment, pooled below the minimum, at most " +
          "40 groups) and the spread of identified leaders' errors (quartiles, leaders per band, each band ≥ the minimum) — never a row per leader. " +
          'A member who answered the leader survey while logged in also gets their own figures (`you`). Only the period applies: leaders predict all customers.',
        params: OrgParams,
        querystring: z.object(CalibrationQuery).strict(),
        response: { 200: CalibrationReport },
      },
    },
    async (req) => {
      requireWholeOrganisation(req);
      const { from, to, group } = req.query;
      if (from && to && from > to) throw new ApiError(400, '"from" is after "to"', [{ field: 'from', message: 'is after "to"' }]);
      const self = req.access?.userId ? memberRespondentId(req.params.org, req.access.userId) : null;
      const report = await calibrationFor(store.db, req.params.org, { ...(from ? { from } : {}), ...(to ? { to } : {}) }, group, self);
      if (!report) throw notFound(req.params.org);
      return report;
    },
  );

  r.get(
    '/organisations/:org/reports/breakdown',
    {
      schema: {
        tags: ['reports'],
        description:
          "One row per touchpoint, stage or segment value: customers' excellence share, the gap against leaders, the row against the rest, optionally " +
          'each dimension, with Holm and Benjamini–Hochberg adjusted p-values over every test in the response.',
        params: OrgParams,
        querystring: ReportQuery.extend({ by: BreakdownBy, dimensions: flag.describe('true: add each dimension per row') }),
        response: { 200: BreakdownReport },
      },
    },
    async (req) => {
      const withDimensions = req.query.dimensions === 'true' || req.query.dimensions === '1';
      const report = await breakdownFor(store.db, req.params.org, filtersFromQuery(req.query, req), req.query.by as By, withDimensions);
      if (!report) throw notFound(req.params.org);
      return report;
    },
  );

  r.get(
    '/organisations/:org/reports/benchmarks',
    {
      schema: {
        tags: ['reports'],
        description:
          "Published figures for the organisation's industry beside its own headline and NPS, and the quartiles of other organisations of the same " +
          'industry in this installation when at least 5 contribute (never naming one).',
        params: OrgParams,
        querystring: z.object({}).strict(),
        response: { 200: BenchmarksReport },
      },
    },
    async (req) => {
      requireWholeOrganisation(req);
      const report = await benchmarksFor(store.db, req.params.org);
      if (!report) throw notFound(req.params.org);
      return report;
    },
  );
}
