// Builds the analytics reports (trend, drivers, calibration, breakdown, benchmarks) and the cuts every
// report — the gap report included — is computed on: each report asks core/anonymity.ts which cells it
// may use and whether it may be shown at all, then reads only those cells' aggregates.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { Dimension } from '../core/framework.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { SideAggregate } from '../core/gap-report.ts';
import { groupCells, poolSmallGroups, quarterOf, tooFew, type Attribute, type CellCount, type Cut } from '../core/anonymity.ts';
import { cachedContext, memoCut } from './cell-cache.ts';
import { parseSegmentKey } from '../core/survey.ts';
import { trendReport, periodIndex, type TrendPeriod, type TrendReport } from '../core/analytics/trend.ts';
import { driversReport, type DriverOutcome, type DriversReport } from '../core/analytics/drivers.ts';
import { calibrationReport, type CalibrationReport } from '../core/analytics/calibration.ts';
import { breakdownReport, type BreakdownReport, type BreakdownRowInput } from '../core/analytics/breakdown.ts';
import { benchmarksReport, type BenchmarksReport, type OrgFigures } from '../core/analytics/benchmarks.ts';
import { getFramework, getOrganisation, type Organisation } from './organisations.ts';
import {
  emptySide,
  foldHistograms,
  journeyIndex,
  loadCellCounts,
  loadDriverSums,
  loadHistograms,
  organisationsOfIndustry,
  loadLeaderAnswers,
  type TouchpointInfo,
} from './analytics-data.ts';
import { driverSignature, predictorItems } from './driver-cells.ts';

type Db = Kysely<Database>;

/** What every report of one organisation needs first: the organisation and its cells' respondent counts. */
export interface ReportContext {
  org: Organisation;
  framework: Dimension[];
  touchpoints: Map<string, TouchpointInfo>;
  stages: Map<string, string>;
  stageOf: (tp: string) => string;
  customerCells: CellCount[];
  leaderCells: CellCount[];
}

export async function reportContext(db: Db, orgId: string): Promise<ReportContext | undefined> {
  // Built once per version of the organisation's data and settings, shared by the reports: read-only.
  return cachedContext(db, orgId, async () => {
    const org = await getOrganisation(db, orgId);
    if (!org) return undefined;
    const [framework, journey, customerCells, leaderCells] = await Promise.all([
      getFramework(db, orgId),
      journeyIndex(db, orgId),
      loadCellCounts(db, orgId, 'customer'),
      loadCellCounts(db, orgId, 'leader'),
    ]);
    return { org, framework, ...journey, customerCells, leaderCells };
  });
}

/** Touchpoint, stage and segment filters describe customers; leaders answer about all customers. */
export const periodOnly = (f: ReportFilters): ReportFilters => ({ ...(f.from ? { from: f.from } : {}), ...(f.to ? { to: f.to } : {}) });

export function customerCut(ctx: ReportContext, filters: ReportFilters, breakdown: Attribute[] = []): Cut {
  // memoCut: anonymity's cut(), remembered while the cells are unchanged (cell-cache.ts).
  return memoCut(ctx.customerCells, filters, { k: ctx.org.minResponses, stageOf: ctx.stageOf, withholdRare: true }, breakdown);
}

export function leaderCut(ctx: ReportContext, filters: ReportFilters, breakdown: Attribute[] = []): Cut {
  const k = ctx.org.minResponses;
  const c = memoCut(ctx.leaderCells, periodOnly(filters), { k, stageOf: ctx.stageOf, withholdRare: false }, breakdown);
  if (c.visible || c.reason === tooFew(k)) return c;
  const by = c.attributes.map((a) => (a.startsWith('segment:') ? a.slice('segment:'.length) : a)).join(' and ');
  return { ...c, reason: `leaders are too few per ${by} to be shown by ${by} without singling one out (fewer than ${k} in some ${by})` };
}

/**
 * Why a side is hidden as a whole (the table rule), or null: a cut that is merely too small is left to
 * the report, which says "fewer than k respondents" figure by figure.
 */
export function hiddenReason(c: Cut, k: number): string | null {
  return c.visible || c.reason === tooFew(k) ? null : c.reason;
}

/** A side's histograms within a cut; nothing is read for a cut that may not be shown. */
export async function sideOf(db: Db, orgId: string, perspective: 'customer' | 'leader', c: Cut, k: number): Promise<SideAggregate> {
  if (hiddenReason(c, k)) return emptySide();
  return foldHistograms(await loadHistograms(db, orgId, perspective, c.scope)).get('') ?? emptySide();
}

const orgOf = (o: Organisation) => ({ id: o.id, name: o.name, industry: o.industry, minResponses: o.minResponses });

export async function trendFor(db: Db, orgId: string, filters: ReportFilters, period: TrendPeriod): Promise<TrendReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const k = ctx.org.minResponses;
  const attr: Attribute = period === 'month' ? 'month' : 'quarter';
  const cCut = customerCut(ctx, filters, [attr]);
  const lCut = leaderCut(ctx, filters, [attr]);
  const lAll = leaderCut(ctx, filters);
  const hidden = { customers: cCut.visible ? null : cCut.reason, leaders: lCut.visible ? null : lCut.reason, leadersOverall: hiddenReason(lAll, k) };
  const periodOf = (month: string) => (period === 'month' ? month : quarterOf(month));
  const items = ['*', 'excellent', ...ctx.framework.map((d) => `dim:${d.key}`)];
  const byPeriod = async (perspective: 'customer' | 'leader', c: Cut, reason: string | null) =>
    reason ? new Map<string, SideAggregate>() : foldHistograms(await loadHistograms(db, orgId, perspective, c.scope, ['month'], items), (g) => periodOf(g.month));
  const [customers, leaders, leadersOverall] = await Promise.all([
    byPeriod('customer', cCut, hidden.customers),
    byPeriod('leader', lCut, hidden.leaders),
    sideOf(db, orgId, 'leader', lAll, k),
  ]);
  // The periods shown: those with customers in the cut (leaders alone make no trend point).
  const periods = [...groupCells(cCut.cells, attr).keys()].sort();
  return trendReport({
    organisation: orgOf(ctx.org),
    framework: ctx.framework,
    filters,
    period,
    points: periods.map((p) => ({ period: p, index: periodIndex(p), customers: customers.get(p) ?? emptySide(), leaders: leaders.get(p) ?? emptySide() })),
    hidden,
    leadersOverall,
  });
}

export async function driversFor(db: Db, orgId: string, filters: ReportFilters, outcome: DriverOutcome): Promise<DriversReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const k = ctx.org.minResponses;
  const cCut = customerCut(ctx, filters);
  const tCut = customerCut(ctx, filters, ['touchpoint']);
  const lCut = leaderCut(ctx, filters);
  const hidden = { customers: cCut.visible ? null : cCut.reason, leaders: hiddenReason(lCut, k), touchpoints: tCut.visible ? null : tCut.reason };
  const predictors = predictorItems(ctx.framework.filter((d) => d.customerItem !== null).map((d) => d.key));
  const [sums, customers, leaders, byTouchpoint] = await Promise.all([
    hidden.customers ? { n: 0, sums: new Map(), cross: new Map() } : loadDriverSums(db, orgId, outcome, driverSignature(predictors), cCut.scope),
    hidden.customers ? emptySide() : sideOf(db, orgId, 'customer', cCut, k),
    sideOf(db, orgId, 'leader', lCut, k),
    hidden.touchpoints
      ? new Map<string, SideAggregate>()
      : loadHistograms(db, orgId, 'customer', tCut.scope, ['touchpoint'], [outcome]).then((rows) => foldHistograms(rows, (g) => g.touchpoint)),
  ]);
  return driversReport({
    organisation: orgOf(ctx.org),
    framework: ctx.framework,
    filters,
    outcome,
    sums,
    customers,
    leaders,
    touchpoints: [...byTouchpoint].map(([key, side]) => {
      const t = ctx.touchpoints.get(key);
      return { key, label: t?.label ?? (key ? key : '(no touchpoint)'), stage: t?.stage ?? null, department: t?.department ?? null, outcome: side.items[outcome] ?? {} };
    }),
    hidden,
  });
}

/** Most leadership groups a calibration report lists: beyond it the smallest blocks are pooled (a bounded answer). */
export const MAX_CALIBRATION_GROUPS = 40;

/**
 * `self`: the caller's respondent id on the leader survey (a logged-in member), for their own line; no
 * one else's line is ever returned (core/analytics/calibration.ts).
 */
export async function calibrationFor(db: Db, orgId: string, filters: ReportFilters, groupBy: string, self: string | null = null): Promise<CalibrationReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const k = ctx.org.minResponses;
  const period = periodOnly(filters);
  const cCut = customerCut(ctx, period);
  const lCut = leaderCut(ctx, period);
  const groupAttr: Attribute = `segment:${groupBy}`;
  const hidden = { customers: hiddenReason(cCut, k), leaders: hiddenReason(lCut, k), groups: null as string | null };
  // Groups: with a period filter every (month, group) cell must be safe; without one, small groups are pooled.
  let blocks: string[][] = [];
  if (period.from || period.to) {
    const gCut = leaderCut(ctx, period, [groupAttr]);
    if (gCut.visible) blocks = [...groupCells(gCut.cells, groupAttr).keys()].sort().map((v) => [v]);
    else hidden.groups = gCut.reason;
  } else {
    blocks = poolSmallGroups(
      [...groupCells(lCut.cells, groupAttr)].map(([key, n]) => ({ key, n })),
      k,
    );
  }
  blocks = capBlocks(blocks, groupCells(lCut.cells, groupAttr), MAX_CALIBRATION_GROUPS);
  const [customers, team, byGroup, leaders] = await Promise.all([
    sideOf(db, orgId, 'customer', cCut, k),
    sideOf(db, orgId, 'leader', lCut, k),
    blocks.length && !hidden.leaders
      ? loadHistograms(db, orgId, 'leader', lCut.scope, ['segment_key']).then((rows) => foldHistograms(rows, (g) => parseSegmentKey(g.segment_key)[groupBy] ?? ''))
      : new Map<string, SideAggregate>(),
    hidden.leaders ? [] : loadLeaderAnswers(db, orgId, lCut.scope.months),
  ]);
  const merge = (members: string[]): SideAggregate => {
    const out: SideAggregate = { respondents: 0, items: {} };
    for (const m of members) {
      const s = byGroup.get(m);
      if (!s) continue;
      out.respondents += s.respondents;
      for (const [item, h] of Object.entries(s.items)) {
        const into = (out.items[item] ??= {});
        for (const [v, c] of Object.entries(h)) into[Number(v)] = (into[Number(v)] ?? 0) + c;
      }
    }
    return out;
  };
  return calibrationReport({
    organisation: orgOf(ctx.org),
    framework: ctx.framework,
    filters: period,
    groupBy,
    customers,
    team,
    groups: blocks.map((members) => ({ members: members.map((m) => m || '(not given)'), side: merge(members) })),
    leaders,
    self,
    hidden,
  });
}

/** Pools the two smallest blocks until at most `max` are left (each block already holds ≥ k). */
function capBlocks(blocks: string[][], sizes: Map<string, number>, max: number): string[][] {
  const size = (b: string[]) => b.reduce((s, m) => s + (sizes.get(m) ?? 0), 0);
  const out = blocks.map((b) => [...b]);
  while (out.length > max) {
    out.sort((a, b) => size(a) - size(b) || a.join().localeCompare(b.join()));
    const [a, b] = out.splice(0, 2);
    out.push([...a!, ...b!].sort());
  }
  return out;
}

export type BreakdownBy = 'touchpoint' | 'stage' | `segment:${string}`;

export async function breakdownFor(db: Db, orgId: string, filters: ReportFilters, by: BreakdownBy, withDimensions: boolean): Promise<BreakdownReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const k = ctx.org.minResponses;
  const cCut = customerCut(ctx, filters, [by]);
  const lCut = leaderCut(ctx, filters);
  const hidden = { customers: cCut.visible ? null : cCut.reason, leaders: hiddenReason(lCut, k) };
  const column = by.startsWith('segment:') ? 'segment_key' : 'touchpoint';
  const valueOf = (g: { touchpoint: string; segment_key: string }) =>
    by === 'touchpoint' ? g.touchpoint : by === 'stage' ? ctx.stageOf(g.touchpoint) : (parseSegmentKey(g.segment_key)[by.slice('segment:'.length)] ?? '');
  const [groups, leaders] = await Promise.all([
    hidden.customers ? new Map<string, SideAggregate>() : loadHistograms(db, orgId, 'customer', cCut.scope, [column]).then((rows) => foldHistograms(rows, valueOf)),
    sideOf(db, orgId, 'leader', lCut, k),
  ]);
  const tpOrder = [...ctx.touchpoints.keys()];
  const stageOrder = [...ctx.stages.keys()];
  const rank = (v: string) => {
    const i = by === 'touchpoint' ? tpOrder.indexOf(v) : by === 'stage' ? stageOrder.indexOf(v) : -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const rows: BreakdownRowInput[] = [...groups]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([value, customers]) => {
      if (by === 'touchpoint') {
        const t = ctx.touchpoints.get(value);
        return { value, label: t?.label ?? (value || '(no touchpoint)'), stage: t?.stage ?? null, stageLabel: t?.stageLabel ?? null, department: t?.department ?? null, customers };
      }
      if (by === 'stage') return { value, label: ctx.stages.get(value) ?? (value || '(no stage)'), customers };
      return { value, label: value || '(not given)', customers };
    });
  return breakdownReport({ organisation: orgOf(ctx.org), framework: ctx.framework, filters, by, rows, leaders, withDimensions, hidden });
}

/** An organisation's all-time sides, cut exactly as its unfiltered gap report is (rare values withheld). */
async function unfilteredFigures(db: Db, ctx: ReportContext): Promise<OrgFigures> {
  const k = ctx.org.minResponses;
  const [customers, leaders] = await Promise.all([sideOf(db, ctx.org.id, 'customer', customerCut(ctx, {}), k), sideOf(db, ctx.org.id, 'leader', leaderCut(ctx, {}), k)]);
  return { minResponses: k, customers, leaders };
}

export async function benchmarksFor(db: Db, orgId: string): Promise<BenchmarksReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const own = await unfilteredFigures(db, ctx);
  const others = (await organisationsOfIndustry(db, ctx.org.industry)).filter((id) => id !== orgId);
  // Each peer's figure as its own unfiltered report shows it: its rare values withheld, its minimum applied.
  const peers: OrgFigures[] = [];
  for (const id of others) {
    const pctx = await reportContext(db, id);
    if (pctx) peers.push(await unfilteredFigures(db, pctx));
  }
  return benchmarksReport({ organisation: orgOf(ctx.org), own, peers });
}
