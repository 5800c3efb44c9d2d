// The reads behind the analytics reports (trend, drivers, calibration, breakdown, benchmarks). All of
// them aggregate stored cells — the answer-count cells (answer_cells) and the driver cross-product
// cells (driver_cells), read through their roll-ups (rollups.ts) — restricted to a CellScope from
// core/anonymity.ts; only the per-leader calibration reads raw leader responses (leaders are few: a
// thousand at most).
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { CellCount, CellScope } from '../core/anonymity.ts';
import type { Perspective } from '../core/survey.ts';
import type { SideAggregate } from '../core/gap-report.ts';
import { pairKey } from '../core/analytics/drivers.ts';
import { touchpointsOf } from '../core/journey.ts';
import { getJourney } from './organisations.ts';
import { readDriverTotals, readHistograms } from './rollups.ts';
import { cachedRead, respondentCells, stable } from './cell-cache.ts';
import { readItemDictionary, unpackAnswers } from './answers.ts';

type Db = Kysely<Database>;

/** Respondents per atomic cell (month × touchpoint × segment combination) of one perspective. */
export async function loadCellCounts(db: Db, orgId: string, perspective: Perspective): Promise<CellCount[]> {
  // Every report reads these: kept in memory while the cells are unchanged (cell-cache.ts), else read
  // from the roll-ups' partial index of respondent counts (rollups.ts).
  return respondentCells(db, orgId, perspective);
}

export interface TouchpointInfo {
  key: string;
  label: string;
  department: string;
  stage: string;
  stageLabel: string;
}

/** The journey's touchpoints with their stage, for labels and for the stage attribute. */
export async function journeyIndex(db: Db, orgId: string): Promise<{ touchpoints: Map<string, TouchpointInfo>; stages: Map<string, string>; stageOf: (tp: string) => string }> {
  const journey = await getJourney(db, orgId);
  const stages = new Map(journey.map((s) => [s.key, s.label]));
  const touchpoints = new Map(
    touchpointsOf(journey).map((t) => [t.key, { key: t.key, label: t.label, department: t.department, stage: t.stage, stageLabel: stages.get(t.stage) ?? t.stage }]),
  );
  return { touchpoints, stages, stageOf: (tp) => touchpoints.get(tp)?.stage ?? '' };
}

export type GroupColumn = 'month' | 'touchpoint' | 'segment_key';

export interface HistogramRow {
  group: Record<GroupColumn, string>;
  item: string;
  value: number;
  n: number;
}

/**
 * Answer histograms of one perspective within a scope, grouped by the given cell columns (none: one
 * group). item '*' counts respondents. `items` limits the items read.
 */
export async function loadHistograms(
  db: Db,
  orgId: string,
  perspective: Perspective,
  scope: CellScope,
  groupBy: readonly GroupColumn[] = [],
  items?: readonly string[],
): Promise<HistogramRow[]> {
  // From the smallest roll-up grain that holds the scope and the grouping (rollups.ts), shared by the
  // reports of one dashboard load while the cells are unchanged (cell-cache.ts).
  const key = stable(['histograms', perspective, scope, groupBy, items ?? null]);
  const rows = await cachedRead(db, orgId, key, async () =>
    (await readHistograms(db, orgId, perspective, scope, groupBy, items)).map((r) => ({
      group: { month: r.month, touchpoint: r.touchpoint, segment_key: r.segment_key },
      item: r.item,
      value: r.value,
      n: r.n,
    })),
  );
  return rows as HistogramRow[];
}

/** Folds histogram rows into one SideAggregate per group key (`keyOf` maps a row's group to it). */
export function foldHistograms(rows: readonly HistogramRow[], keyOf: (g: HistogramRow['group']) => string = () => ''): Map<string, SideAggregate> {
  const out = new Map<string, SideAggregate>();
  for (const r of rows) {
    const key = keyOf(r.group);
    let side = out.get(key);
    if (!side) out.set(key, (side = { respondents: 0, items: Object.create(null) })); // keyed by item: no prototype
    if (r.item === '*') side.respondents += r.n;
    else {
      const h = (side.items[r.item] ??= {});
      h[r.value] = (h[r.value] ?? 0) + r.n;
    }
  }
  return out;
}

export const emptySide = (): SideAggregate => ({ respondents: 0, items: Object.create(null) });

/** Sufficient statistics of one driver model within a scope: n, Σx_i, Σx_i·x_j over complete cases. */
export interface DriverSums {
  n: number;
  /** item → Σx */
  sums: Map<string, number>;
  /** unordered pair "a\u0000b" (a ≤ b in JS order) → Σx_a·x_b */
  cross: Map<string, number>;
}


export async function loadDriverSums(db: Db, orgId: string, model: string, signature: string, scope: CellScope): Promise<DriverSums> {
  // From a roll-up of the driver cells when one holds the scope, else driver_cells (rollups.ts); shared
  // while the cells are unchanged (cell-cache.ts).
  const key = stable(['drivers', model, signature, scope]);
  const rows = await cachedRead(db, orgId, key, () => readDriverTotals(db, orgId, model, signature, scope));
  const out: DriverSums = { n: 0, sums: new Map(), cross: new Map() };
  for (const r of rows) {
    const total = Number(r.total);
    if (r.item_a === '' && r.item_b === '') out.n += total;
    else if (r.item_b === '') out.sums.set(r.item_a, (out.sums.get(r.item_a) ?? 0) + total);
    else {
      // Pairs are summed by their unordered key: rows written under another collation's order still add up.
      const key = pairKey(r.item_a, r.item_b);
      out.cross.set(key, (out.cross.get(key) ?? 0) + total);
    }
  }
  return out;
}

/** One identified leader's latest response within the months given (all months when undefined). */
export interface LeaderAnswers {
  respondentId: string;
  submittedAt: string;
  answers: Record<string, number>;
}

/**
 * Identified leaders (respondent_id given), each with their latest response in the period. Raw rows:
 * per-leader calibration needs each leader's own predictions, and leaders number in the tens to a thousand.
 */
export async function loadLeaderAnswers(db: Db, orgId: string, months?: string[]): Promise<LeaderAnswers[]> {
  if (months && months.length === 0) return [];
  // Leaders first, through the partial index of leader responses (migration 0004): SQLite keeps a CROSS
  // JOIN's order, and matches a partial index only against a literal. Left to itself it scanned every
  // answer of the organisation (15 s at a million responses).
  let q = db
    .selectFrom('responses as r')
    .crossJoin('answers as a')
    .whereRef('a.org_id', '=', 'r.org_id')
    .whereRef('a.response_id', '=', 'r.id')
    .select(['r.id', 'r.respondent_id', 'r.submitted_at', 'a.items'])
    .where('r.org_id', '=', orgId)
    .where('r.perspective', '=', sql.lit('leader'))
    .where('r.respondent_id', 'is not', null);
  if (months) q = q.where('r.month', 'in', months);
  const rows = await q.execute();
  if (rows.length === 0) return [];
  // One packed row per response (answers.ts): decoded with the organisation's item dictionary.
  const { itemOf } = await readItemDictionary(db, orgId);
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const cur = latest.get(r.respondent_id!);
    if (!cur || r.submitted_at > cur.submitted_at || (r.submitted_at === cur.submitted_at && r.id > cur.id)) latest.set(r.respondent_id!, r);
  }
  return [...latest.values()].map((r) => ({ respondentId: r.respondent_id!, submittedAt: r.submitted_at, answers: unpackAnswers(r.items, itemOf) }));
}

/** The organisations of an industry (for peer benchmarks). */
export async function organisationsOfIndustry(db: Db, industry: string): Promise<string[]> {
  return (await db.selectFrom('organisations').select('id').where('industry', '=', industry).orderBy('id').execute()).map((o) => o.id);
}
