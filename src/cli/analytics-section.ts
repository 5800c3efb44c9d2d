// `parallax report --section …`: runs one analytics report for the CLI and renders it (analytics-table.ts).
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import { KEY_PATTERN } from '../core/keys.ts';
import { trendFor } from '../reports/trend.ts';
import { driversFor } from '../reports/drivers.ts';
import { calibrationFor } from '../reports/calibration.ts';
import { calibrationWavesFor } from '../reports/calibration-waves.ts';
import { calibrationWavesTable } from './calibration-waves-table.ts';
import { breakdownFor, type BreakdownBy } from '../reports/breakdown.ts';
import { benchmarksFor } from '../reports/benchmarks.ts';
import { benchmarksTable, breakdownTable, calibrationTable, driversTable, trendTable } from './analytics-table.ts';
import { driverPerceptionFor } from '../reports/driver-perception.ts';
import { driverPerceptionTable } from './driver-perception-table.ts';
import { journeyBeliefFor } from '../reports/journey-belief.ts';
import { journeyBeliefTable } from './journey-belief-table.ts';

export const SECTIONS = ['gap', 'trend', 'drivers', 'calibration', 'breakdown', 'benchmarks', 'driver-perception', 'calibration-trend', 'journey-belief'];

export interface SectionOptions {
  by: string;
  dimensions?: boolean;
  /** Not given: the trend is monthly, the calibration waves quarterly (the mirror survey's rhythm). */
  period?: 'month' | 'quarter';
  outcome: 'excellent' | 'nps';
  group: string;
}

export async function analyticsSection(
  db: Kysely<Database>,
  orgId: string,
  section: string,
  filters: ReportFilters,
  o: SectionOptions,
): Promise<{ report: unknown; text: string } | { error: string }> {
  switch (section) {
    case 'trend': {
      const r = (await trendFor(db, orgId, filters, o.period ?? 'month'))!;
      return { report: r, text: trendTable(r, filters) };
    }
    case 'drivers': {
      const r = (await driversFor(db, orgId, filters, o.outcome))!;
      return { report: r, text: driversTable(r, filters) };
    }
    case 'driver-perception': {
      // Issue 11: leaders' believed drivers against customers' actual drivers (--outcome, --group apply).
      if (!KEY_PATTERN.test(o.group)) return { error: `--group "${o.group}" is not a segment name` };
      const r = (await driverPerceptionFor(db, orgId, filters, o.outcome, o.group))!;
      return { report: r, text: driverPerceptionTable(r, filters) };
    }
    case 'calibration': {
      if (filters.touchpoints || filters.stage || filters.segments) return { error: 'calibration compares leaders with all customers: only --from and --to apply' };
      if (!KEY_PATTERN.test(o.group)) return { error: `--group "${o.group}" is not a segment name` };
      const r = (await calibrationFor(db, orgId, filters, o.group))!;
      // Issue 11: the leader waves over time, per --period (quarterly unless given).
      const waves = (await calibrationWavesFor(db, orgId, filters, o.period ?? 'quarter'))!;
      return { report: { ...r, waves }, text: `${calibrationTable(r, filters)}\n\n${calibrationWavesTable(waves)}` };
    }
    case 'calibration-trend': {
      // The waves alone, as GET …/reports/calibration-trend?by= gives them.
      if (filters.touchpoints || filters.stage || filters.segments) return { error: 'calibration-trend compares leaders with all customers: only --from and --to apply' };
      const r = (await calibrationWavesFor(db, orgId, filters, o.period ?? 'quarter'))!;
      return { report: r, text: calibrationWavesTable(r) };
    }
    case 'journey-belief': {
      // Issue 11: leaders' belief by touchpoint, as GET …/reports/journey-belief gives it (the same report).
      const r = (await journeyBeliefFor(db, orgId, filters))!;
      return { report: r, text: journeyBeliefTable(r, filters) };
    }
    case 'breakdown': {
      const ok = o.by === 'touchpoint' || o.by === 'stage' || (o.by.startsWith('segment:') && KEY_PATTERN.test(o.by.slice('segment:'.length)));
      if (!ok) return { error: `--by "${o.by}" must be touchpoint, stage or segment:<name>` };
      const r = (await breakdownFor(db, orgId, filters, o.by as BreakdownBy, !!o.dimensions))!;
      return { report: r, text: breakdownTable(r, filters) };
    }
    case 'benchmarks': {
      const r = (await benchmarksFor(db, orgId))!;
      return { report: r, text: benchmarksTable(r) };
    }
    default:
      return { error: `unknown section "${section}"` };
  }
}
