// Downloads of every report table: GET /organisations/:org/reports/<report>.csv and .xlsx for gap (with its
// touchpoints), trend, breakdown, drivers, calibration and benchmarks. Each takes the same query as its
// JSON report, builds that report with the same function, turns it into tables (reports/report-tables.ts)
// and writes them: CSV one table (`table`, default the first) with the formula guard, XLSX a sheet per
// table. Downloads are report exports, audited as such.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Store } from '../../store/db.ts';
import { TrendPeriod } from '../../core/analytics/trend.ts';
import { DriverOutcome } from '../../core/analytics/drivers.ts';
import { gapReportFor } from '../../reports/gap.ts';
import { trendFor } from '../../reports/trend.ts';
import { driversFor } from '../../reports/drivers.ts';
import { calibrationFor } from '../../reports/calibration.ts';
import { breakdownFor, type BreakdownBy as By } from '../../reports/breakdown.ts';
import { benchmarksFor } from '../../reports/benchmarks.ts';
import {
  benchmarksTables, breakdownTables, calibrationTables, driversTables, gapTables, tableCsv, tablesXlsx, trendTables, type ReportTable,
} from '../../reports/report-tables.ts';
import { ApiError } from '../errors.ts';
import { ReportQuery, filtersFromQuery } from './reports.ts';
import { BreakdownBy, CalibrationQuery, flag, notFound, OrgParams, requireWholeOrganisation } from './analytics.ts';

const Table = { table: z.string().max(40).optional().describe('CSV only: which table (default the first); XLSX has a sheet per table') };

function found<T>(org: string, report: T | undefined): T {
  if (!report) throw notFound(org);
  return report;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function send(reply: FastifyReply, org: string, report: string, format: 'csv' | 'xlsx', tables: ReportTable[], wanted: string | undefined) {
  const base = `${org}-${report}`.replace(/[^A-Za-z0-9._-]/g, '_');
  reply.header('cache-control', 'no-store');
  if (format === 'xlsx') {
    if (wanted !== undefined) throw new ApiError(400, 'table: only the CSV download picks one table; the workbook has them all', [{ field: 'table', message: 'is for CSV only' }]);
    return reply.type(XLSX).header('content-disposition', `attachment; filename="${base}.xlsx"`).send(await tablesXlsx(tables));
  }
  const t = wanted === undefined ? tables[0]! : tables.find((x) => x.name === wanted);
  if (!t) {
    const names = tables.map((x) => x.name).join(', ');
    throw new ApiError(400, `table: must be one of ${names}`, [{ field: 'table', message: `must be one of ${names}` }]);
  }
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${base}-${t.name}.csv"`).send(tableCsv(t));
}

export async function reportDownloadRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const format of ['csv', 'xlsx'] as const) {
    const schema = <Q extends z.ZodType>(report: string, what: string, querystring: Q) => ({
      config: { audit: 'reports.export' as const },
      schema: {
        tags: ['reports'],
        description: `The ${report} report's tables (${what}) as ${format === 'csv' ? 'CSV, one table per download (`table`), text cells guarded against spreadsheet formulas' : 'an Excel workbook, a sheet per table, numbers as numeric cells'}. Hidden groups stay hidden: empty figures and a *_hidden column saying why.`,
        params: OrgParams,
        querystring,
        produces: [format === 'csv' ? 'text/csv' : XLSX],
      },
    });

    r.get(`/organisations/:org/reports/gap.${format}`, schema('gap', 'headline, dimensions, touchpoints', ReportQuery.extend(Table)), async (req, reply) => {
      const filters = filtersFromQuery(req.query, req);
      const [gap, touchpoints] = await Promise.all([gapReportFor(store.db, req.params.org, filters), breakdownFor(store.db, req.params.org, filters, 'touchpoint', false)]);
      return send(reply, req.params.org, 'gap', format, gapTables(found(req.params.org, gap), touchpoints ?? null), req.query.table);
    });

    r.get(`/organisations/:org/reports/trend.${format}`, schema('trend', 'trend, slopes', ReportQuery.extend({ ...Table, period: TrendPeriod.default('month') })), async (req, reply) => {
      const report = found(req.params.org, await trendFor(store.db, req.params.org, filtersFromQuery(req.query, req), req.query.period));
      return send(reply, req.params.org, 'trend', format, trendTables(report), req.query.table);
    });

    r.get(
      `/organisations/:org/reports/breakdown.${format}`,
      schema('breakdown', 'breakdown', ReportQuery.extend({ ...Table, by: BreakdownBy, dimensions: flag })),
      async (req, reply) => {
        const withDimensions = req.query.dimensions === 'true' || req.query.dimensions === '1';
        const report = found(req.params.org, await breakdownFor(store.db, req.params.org, filtersFromQuery(req.query, req), req.query.by as By, withDimensions));
        return send(reply, req.params.org, 'breakdown', format, breakdownTables(report), req.query.table);
      },
    );

    r.get(`/organisations/:org/reports/drivers.${format}`, schema('drivers', 'model, drivers, touchpoints', ReportQuery.extend({ ...Table, outcome: DriverOutcome.default('excellent') })), async (req, reply) => {
      const report = found(req.params.org, await driversFor(store.db, req.params.org, filtersFromQuery(req.query, req), req.query.outcome));
      return send(reply, req.params.org, 'drivers', format, driversTables(report), req.query.table);
    });

    r.get(
      `/organisations/:org/reports/calibration.${format}`,
      schema(
        'calibration',
        'team, groups, bands',
        z.object({ ...Table, ...CalibrationQuery }).strict(),
      ),
      async (req, reply) => {
        requireWholeOrganisation(req);
        const { from, to, group } = req.query;
        if (from && to && from > to) throw new ApiError(400, '"from" is after "to"', [{ field: 'from', message: 'is after "to"' }]);
        // No `you` row: a download is a report to pass on, not the caller's own figures.
        const report = found(req.params.org, await calibrationFor(store.db, req.params.org, { ...(from ? { from } : {}), ...(to ? { to } : {}) }, group, null));
        return send(reply, req.params.org, 'calibration', format, calibrationTables(report), req.query.table);
      },
    );

    r.get(`/organisations/:org/reports/benchmarks.${format}`, schema('benchmarks', 'own, peers', z.object(Table).strict()), async (req, reply) => {
      requireWholeOrganisation(req);
      const report = found(req.params.org, await benchmarksFor(store.db, req.params.org));
      return send(reply, req.params.org, 'benchmarks', format, benchmarksTables(report), req.query.table);
    });
  }
}
