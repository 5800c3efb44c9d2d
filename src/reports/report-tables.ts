// Every report as plain tables (named columns, rows of numbers, text or empty cells), the one shape the
// CSV and XLSX downloads and anything else that wants a spreadsheet are written from. Figures are copied
// from the reports as they are — never recomputed — so a suppressed group stays suppressed: its numbers
// are empty cells and its `*_hidden` column says why, exactly as the API says it.
import type { z } from 'zod';
import type { GapReport } from '../core/gap-report.ts';
import type { Share as ShareSchema, Mean as MeanSchema } from '../core/gap-report.ts';
import type { TrendReport, GapSlope } from '../core/analytics/trend.ts';
import type { BreakdownReport } from '../core/analytics/breakdown.ts';
import type { DriversReport } from '../core/analytics/drivers.ts';
import type { CalibrationReport } from '../core/analytics/calibration.ts';
import type { BenchmarksReport } from '../core/analytics/benchmarks.ts';
import { stringify } from 'csv-stringify/sync';
import writeXlsxFile from 'write-excel-file/node';
import { neutraliseCell } from '../core/canonical-csv.ts';

export type Cell = string | number | null;

export interface ReportTable {
  /** Short machine name: the CSV `table` parameter and the XLSX sheet name. */
  name: string;
  title: string;
  columns: string[];
  rows: Cell[][];
}

type Hidden = { suppressed: true; reason: string };
type Share = z.infer<typeof ShareSchema>;
type Mean = z.infer<typeof MeanSchema>;
type Slope = z.infer<typeof GapSlope>;

const isHidden = (x: unknown): x is Hidden => typeof x === 'object' && x !== null && (x as Hidden).suppressed === true;

const shareColumns = (p: string) => [`${p}_n`, `${p}_share`, `${p}_ci95_low`, `${p}_ci95_high`, `${p}_hidden`];
const shareCells = (s: Share | Hidden): Cell[] => (isHidden(s) ? [null, null, null, null, s.reason] : [s.n, s.share, s.ci95[0], s.ci95[1], null]);
const meanColumns = (p: string) => [`${p}_n`, `${p}_mean`, `${p}_sd`, `${p}_hidden`];
const meanCells = (m: Mean | Hidden | null): Cell[] => (m === null ? [null, null, null, 'not asked'] : isHidden(m) ? [null, null, null, m.reason] : [m.n, m.mean, m.sd, null]);

/** Long-format rows ("figure", n, value, interval, p, hidden) for headline-style figures. */
const FIGURE_COLUMNS = ['figure', 'n', 'value', 'ci95_low', 'ci95_high', 'p_value', 'hidden'];
const figureRow = (figure: string, s: Share | Hidden): Cell[] => {
  const [n, v, lo, hi, hidden] = shareCells(s);
  return [figure, n, v, lo, hi, null, hidden];
};

const SLOPE_COLUMNS = ['series', 'periods', 'per_period', 'ci95_low', 'ci95_high', 'p_value', 'direction'];
const slopeRow = (series: string, s: Slope | { periods: number; perPeriod: number; ci95: [number, number]; pValue: number; direction: string } | null): Cell[] =>
  s === null ? [series, null, null, null, null, null, 'fewer than 3 periods'] : [series, s.periods, s.perPeriod, s.ci95[0], s.ci95[1], s.pValue, s.direction];

export function gapTables(r: GapReport, touchpoints: BreakdownReport | null): ReportTable[] {
  const h = r.headline;
  const headline: Cell[][] = [
    figureRow("leaders' belief: excellent share", h.leaders),
    figureRow("customers: excellent share", h.customers),
    ['gap (leaders − customers)', null, h.gap, null, null, h.pValue, h.gap === null ? 'a side is hidden' : null],
    isHidden(r.nps) ? ['NPS', null, null, null, null, null, r.nps.reason] : ['NPS', r.nps.n, r.nps.score, r.nps.ci95[0], r.nps.ci95[1], null, null],
    figureRow('CSAT: satisfied share', r.csat),
    isHidden(r.ces) ? ['CES: mean effort', null, null, null, null, null, r.ces.reason] : ['CES: mean effort', r.ces.n, r.ces.mean, r.ces.ci95?.[0] ?? null, r.ces.ci95?.[1] ?? null, null, null],
    isHidden(r.calibration)
      ? ["leaders' calibration: mean absolute error (share points)", null, null, null, null, null, r.calibration.reason]
      : ["leaders' calibration: mean absolute error (share points)", r.calibration.n, r.calibration.maeExcellenceShare, null, null, null, null],
    ...h.benchmarks.map((b): Cell[] => [`published gap: ${b.source} (${b.year})`, null, b.gap, null, null, null, null]),
    ...(isHidden(r.nps) || !r.nps.benchmark ? [] : [[`published NPS range: ${r.nps.benchmark.source} (${r.nps.benchmark.year})`, null, null, r.nps.benchmark.low, r.nps.benchmark.high, null, null]]),
  ];
  const tables: ReportTable[] = [
    { name: 'headline', title: 'Headline', columns: FIGURE_COLUMNS, rows: headline },
    {
      name: 'dimensions',
      title: 'Dimensions',
      columns: ['dimension', 'label', ...meanColumns('leaders'), ...meanColumns('customers'), 'gap', 't', 'df', 'p_value', 'effect_size'],
      rows: r.dimensions.map((d) => [d.key, d.label, ...meanCells(d.leaders), ...meanCells(d.customers), d.gap, d.t, d.df, d.pValue, d.effectSize]),
    },
  ];
  if (touchpoints) tables.push({ ...breakdownTable(touchpoints), name: 'touchpoints', title: 'Touchpoints' });
  return tables;
}

function breakdownTable(r: BreakdownReport): ReportTable {
  const dims = [...new Set(r.rows.flatMap((row) => Object.keys(row.dimensions ?? {})))];
  const test = (t: { diff: number; pValue: number; holm: number; bh: number } | null): Cell[] => (t ? [t.diff, t.pValue, t.holm, t.bh] : [null, null, null, null]);
  return {
    name: 'breakdown',
    title: `Breakdown by ${r.by}`,
    columns: [
      'value', 'label', 'stage', 'department', ...shareColumns('customers'), 'gap', 'gap_p', 'gap_p_holm', 'gap_p_bh',
      'vs_rest', 'vs_rest_p', 'vs_rest_p_holm', 'vs_rest_p_bh',
      ...dims.flatMap((k) => [`${k}_customers_mean`, `${k}_customers_hidden`, `${k}_gap`, `${k}_p_holm`]),
    ],
    rows: r.rows.map((row) => [
      row.value, row.label, row.stageLabel ?? row.stage ?? null, row.department ?? null, ...shareCells(row.customers),
      row.gap, ...test(row.gapTest).slice(1), ...test(row.vsRest),
      ...dims.flatMap((k): Cell[] => {
        const d = row.dimensions?.[k];
        if (!d) return [null, null, null, null];
        return [isHidden(d.customers) ? null : d.customers.mean, isHidden(d.customers) ? d.customers.reason : null, d.gap, d.test?.holm ?? null];
      }),
    ]),
  };
}

export function trendTables(r: TrendReport): ReportTable[] {
  const dims = Object.keys(r.dimensionSlopes);
  return [
    {
      name: 'trend',
      title: `Gap per ${r.period}`,
      columns: ['period', ...shareColumns('leaders'), ...shareColumns('customers'), 'gap', ...dims.map((k) => `gap_${k}`)],
      rows: r.points.map((p) => [p.period, ...shareCells(p.leaders), ...shareCells(p.customers), p.gap, ...dims.map((k) => p.dimensions[k] ?? null)]),
    },
    {
      name: 'slopes',
      title: 'Slopes',
      columns: SLOPE_COLUMNS,
      rows: [slopeRow('headline gap', r.slope), slopeRow("customers' excellent share", r.customerTrend), ...dims.map((k) => slopeRow(`gap: ${k}`, r.dimensionSlopes[k] ?? null))],
    },
  ];
}

export const breakdownTables = (r: BreakdownReport): ReportTable[] => [breakdownTable(r)];

export function driversTables(r: DriversReport): ReportTable[] {
  const m = r.model;
  const t = r.touchpoints;
  return [
    {
      name: 'model',
      title: `Driver model (${r.outcome})`,
      columns: ['outcome', 'complete_cases', 'r_squared', 'caution', 'hidden'],
      rows: [isHidden(m) ? [r.outcome, null, null, null, m.reason] : [r.outcome, m.completeCases, m.rSquared, m.caution, null]],
    },
    {
      name: 'drivers',
      title: 'Dimensions',
      columns: ['dimension', 'label', 'importance', 'percent_of_r_squared', 'rank', ...meanColumns('customers'), ...meanColumns('leaders'), 'gap', 'quadrant', 'critical'],
      rows: r.dimensions.map((d) => [d.key, d.label, d.importance, d.rescaled, d.rank, ...meanCells(d.performance), ...meanCells(d.leaders), d.gap, d.quadrant, d.critical ? 'yes' : 'no']),
    },
    {
      name: 'touchpoints',
      title: 'Touchpoints',
      columns: ['touchpoint', 'label', 'stage', 'department', 'n', 'mean_outcome', 'difference', 'importance', 'percent_of_eta_squared', 'hidden'],
      rows: isHidden(t)
        ? [[null, null, null, null, null, null, null, null, null, t.reason]]
        : t.rows.map((x) => [x.key, x.label, x.stage, x.department, x.n, x.meanOutcome, x.difference, x.importance, x.rescaled, null]),
    },
  ];
}

const ERROR_COLUMNS = ['dimensions_mae', 'dimensions_signed_error', 'dimensions_direction', 'excellence_mae', 'excellence_signed_error', 'brier', 'direction'];
type Errors = { dimensionsMae: number | null; dimensionsSignedError: number | null; dimensionsDirection: string | null; excellenceMae: number | null; excellenceSignedError: number | null; brier: number | null; direction: string | null };
const errorCells = (e: Errors): Cell[] => [e.dimensionsMae, e.dimensionsSignedError, e.dimensionsDirection, e.excellenceMae, e.excellenceSignedError, e.brier, e.direction];

export function calibrationTables(r: CalibrationReport): ReportTable[] {
  const blank = ERROR_COLUMNS.map(() => null);
  return [
    {
      name: 'team',
      title: 'Leadership team',
      columns: ['leaders', ...ERROR_COLUMNS, 'hidden'],
      rows: [isHidden(r.team) ? [null, ...blank, r.team.reason] : [r.team.leaders, ...errorCells(r.team), null]],
    },
    {
      name: 'groups',
      title: `Groups by ${r.groupBy}`,
      columns: ['rank', 'group', 'pooled', 'leaders', ...ERROR_COLUMNS, 'hidden'],
      rows: isHidden(r.groups) ? [[null, null, null, null, ...blank, r.groups.reason]] : r.groups.map((g) => [g.rank, g.group, g.pooled ? 'yes' : 'no', g.leaders, ...errorCells(g), null]),
    },
    {
      name: 'bands',
      title: "Spread of leaders' errors",
      columns: ['band', 'from', 'to', 'leaders', 'hidden'],
      rows: isHidden(r.leaders) ? [[null, null, null, null, r.leaders.reason]] : r.leaders.bands.map((b) => [b.band, b.from, b.to, b.leaders, null]),
    },
  ];
}

export function benchmarksTables(r: BenchmarksReport): ReportTable[] {
  const own = r.own;
  const peer = (figure: string, q: BenchmarksReport['peers']['gap']): Cell[] =>
    isHidden(q) ? [figure, null, null, null, null, null, q.reason] : [figure, q.organisations, q.q1, q.median, q.q3, q.ownPercentile, null];
  return [
    {
      name: 'own',
      title: `${r.organisation.name} and published figures (${r.industry.label})`,
      columns: FIGURE_COLUMNS,
      rows: [
        figureRow("leaders' belief: excellent share", own.leaders),
        figureRow('customers: excellent share', own.customers),
        ['gap (leaders − customers)', null, own.gap, null, null, null, own.gap === null ? 'a side is hidden' : null],
        isHidden(own.nps) ? ['NPS', null, null, null, null, null, own.nps.reason] : ['NPS', own.nps.n, own.nps.score, own.nps.ci95[0], own.nps.ci95[1], null, null],
        ...r.published.gap.map((b): Cell[] => [`published gap: ${b.source} (${b.year})`, null, b.gap, null, null, null, null]),
        ...(r.published.nps ? [[`published NPS range: ${r.published.nps.source} (${r.published.nps.year})`, null, null, r.published.nps.low, r.published.nps.high, null, null]] : []),
      ],
    },
    {
      name: 'peers',
      title: 'Peer organisations (quartiles)',
      columns: ['figure', 'organisations', 'q1', 'median', 'q3', 'own_percentile', 'hidden'],
      rows: [peer('excellent share', r.peers.excellentShare), peer('NPS', r.peers.nps), peer('gap', r.peers.gap)],
    },
  ];
}

/**
 * One table as CSV (RFC 4180, header row first). Text cells go through the formula guard of the
 * canonical export (neutraliseCell): labels, segment values and group names are typed by people, and a
 * spreadsheet would run one that begins with "=". Numbers are written as numbers, empty cells empty.
 */
export function tableCsv(t: ReportTable): string {
  return stringify([t.columns, ...t.rows.map((row) => row.map((c) => (typeof c === 'string' ? neutraliseCell(c) : c === null ? '' : c)))], { record_delimiter: '\r\n' });
}

/** The tables as one workbook, a sheet per table (named by `name`), numbers as numeric cells. */
export async function tablesXlsx(tables: ReportTable[]): Promise<Buffer> {
  const sheets = tables.map((t) => ({
    sheet: t.name.slice(0, 31), // Excel's limit on a sheet name
    data: [
      t.columns.map((c) => ({ value: c, fontWeight: 'bold' as const })),
      // Text is written as a string cell (never a formula), so no guard is needed here.
      ...t.rows.map((row) => row.map((c) => (c === null ? null : typeof c === 'number' ? { value: c, type: Number } : { value: c, type: String }))),
    ],
    stickyRowsCount: 1,
  }));
  return writeXlsxFile(sheets).toBuffer();
}
