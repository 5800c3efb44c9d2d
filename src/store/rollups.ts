// Roll-ups of the stored cells (migration 0004): written at ingest, in the transaction that writes the
// cells, and read by every report from the smallest grain that can answer it. At a million responses the
// full month × touchpoint × segment cube holds ~230,000 answer-count rows and ~450,000 driver rows;
// a report without filters reads ~100 of them from grain '', a period report a few thousand from 'm'.
//
// A grain is the set of cell dimensions a roll-up row keeps: m (month), t (touchpoint), s (segment
// combination); a dimension left out holds ''. answer_rollups has every grain, 'mts' included (the full
// cube again, keyed touchpoint-first for touchpoint filters, with the partial index of respondent
// counts); driver_rollups has '', m, t, s, and anything finer reads driver_cells itself; both keep the
// answered set (`missing`, migration 0028) as driver_cells does.
// Two more answer grains, v and mv (migration 0005), hold one segment *value* instead of a combination:
// a response of plan=basic;region=EMEA adds to 'plan=basic' and to 'region=EMEA'. A report on one
// segment value (the trend of EMEA customers: dimensions × segment values × months) then reads its rows
// directly instead of summing every combination that contains the value.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { bulkWrite, engineOf, type BulkColumn } from './bulk.ts';
import type { Perspective } from '../core/survey.ts';
import { cachedRead, foldQueued } from './cell-cache.ts';
import { addStats, emptyStats, mergeDriverRows, statTotals, unpackStats, type DriverRow, type DriverStats } from './driver-stats.ts';
import type { DriverGroup } from './driver-cells.ts';

type Db = Kysely<Database>;

/** Grains from the smallest (fewest rows) to the full cube; a read takes the first that keeps what it needs. */
export const ANSWER_GRAINS = ['', 't', 's', 'v', 'm', 'ts', 'mt', 'ms', 'mv', 'mts'] as const;
export const DRIVER_GRAINS = ['', 't', 's', 'm'] as const;

export type CellColumn = 'month' | 'touchpoint' | 'segment_key';
const LETTER: Record<CellColumn, string> = { month: 'm', touchpoint: 't', segment_key: 's' };

/** A cut of the cells: undefined = all; an empty list = nothing. */
export interface RollupScope {
  months?: string[];
  from?: string;
  to?: string;
  touchpoints?: string[];
  segmentKeys?: string[];
}

/** The dimensions a read touches: those it groups by and those it filters on. */
function needed(scope: RollupScope, groupBy: readonly CellColumn[]): string {
  const need = new Set(groupBy.map((g) => LETTER[g]));
  if (scope.months || scope.from || scope.to) need.add('m');
  if (scope.touchpoints) need.add('t');
  if (scope.segmentKeys) need.add('s');
  return [...need].join('');
}

export function pickGrain(grains: readonly string[], need: string): string | undefined {
  return grains.find((g) => [...need].every((d) => g.includes(d)));
}

const matchesNothing = (s: RollupScope) => [s.months, s.touchpoints, s.segmentKeys].some((l) => l !== undefined && l.length === 0);

type Filterable = 'month' | 'touchpoint' | 'segment_key';
function applyScope<Q extends { where: (...args: any[]) => any }>(q: Q, scope: RollupScope, grain: string): Q {
  let out: any = q;
  // The dimensions a grain leaves out hold '': saying so gives the key's whole prefix to the index, so a
  // segment or month range is a range of the key, not a filter over the grain.
  if (!grain.includes('t')) out = out.where('touchpoint' satisfies Filterable, '=', '');
  if (!grain.includes('s') && !grain.includes('v')) out = out.where('segment_key' satisfies Filterable, '=', '');
  if (!grain.includes('m')) out = out.where('month' satisfies Filterable, '=', '');
  if (scope.months) out = out.where('month' satisfies Filterable, 'in', scope.months);
  if (scope.from) out = out.where('month' satisfies Filterable, '>=', scope.from);
  if (scope.to) out = out.where('month' satisfies Filterable, '<=', scope.to);
  if (scope.touchpoints) out = out.where('touchpoint' satisfies Filterable, 'in', scope.touchpoints);
  if (scope.segmentKeys) out = out.where('segment_key' satisfies Filterable, 'in', scope.segmentKeys);
  return out;
}

export interface HistogramCell {
  month: string;
  touchpoint: string;
  segment_key: string;
  item: string;
  value: number;
  n: number;
}

/**
 * Answer histograms (item '*' counts respondents) of one perspective within a scope, one row per
 * group × item × value, grouped by `groupBy` (the other group columns come back as ''). `items` limits
 * the items read.
 */
export async function readHistograms(
  db: Db,
  orgId: string,
  perspective: Perspective,
  scope: RollupScope,
  groupBy: readonly CellColumn[] = [],
  items?: readonly string[],
): Promise<HistogramCell[]> {
  if (matchesNothing(scope) || (items && items.length === 0)) return [];
  await foldQueued(db, orgId);
  // Combinations that are exactly "every combination holding one segment value": that value's rows.
  const value = scope.segmentKeys && !scope.touchpoints && !groupBy.includes('segment_key') && !groupBy.includes('touchpoint')
    ? await segmentValueOf(db, orgId, perspective, scope.segmentKeys)
    : undefined;
  if (value !== undefined) scope = { ...scope, segmentKeys: [value] };
  const grain = pickGrain(ANSWER_GRAINS, needed(scope, groupBy).replace('s', value !== undefined ? 'v' : 's'))!;
  // When every dimension of the grain is grouped by, or pinned to one value by the scope, each row is
  // already one group × item × value: no summing.
  const pinned = (d: string) =>
    (d === 'm' && (scope.months?.length === 1 || (!!scope.from && scope.from === scope.to))) ||
    (d === 't' && scope.touchpoints?.length === 1) ||
    ((d === 's' || d === 'v') && scope.segmentKeys?.length === 1);
  const exact = [...grain].every((d) => groupBy.some((g) => LETTER[g] === d) || pinned(d));
  let q: any = db.selectFrom('answer_rollups').where('org_id', '=', orgId).where('grain', '=', grain).where('perspective', '=', perspective);
  if (items) q = q.where('item', 'in', [...items]);
  q = applyScope(q, scope, grain);
  const group = (r: Record<string, unknown>) => ({
    month: groupBy.includes('month') ? String(r.month) : '',
    touchpoint: groupBy.includes('touchpoint') ? String(r.touchpoint) : '',
    segment_key: groupBy.includes('segment_key') ? String(r.segment_key) : '',
  });
  if (!exact) {
    q = q.select(['item', 'value', ...groupBy, (eb: any) => eb.fn.sum('count').as('n')]).groupBy([...groupBy, 'item', 'value']);
    const rows = (await q.execute()) as Record<string, unknown>[];
    return rows.map((r) => ({ ...group(r), item: String(r.item), value: Number(r.value), n: Number(r.n) }));
  }
  // One row per group × item with its histogram packed as "value:count,…": the key's order makes this a
  // streaming aggregate, and a fifth of the rows to hand to JavaScript (row objects are the cost here).
  const packed = engineOf(db).packedPairs();
  q = q.select(['item', ...groupBy, packed.as('h')]).groupBy([...groupBy, 'item']);
  const out: HistogramCell[] = [];
  const [byMonth, byTouchpoint, bySegment] = [groupBy.includes('month'), groupBy.includes('touchpoint'), groupBy.includes('segment_key')];
  for (const r of (await q.execute()) as Record<string, string>[]) {
    const month = byMonth ? r.month! : '';
    const touchpoint = byTouchpoint ? r.touchpoint! : '';
    const segment_key = bySegment ? r.segment_key! : '';
    const item = r.item!;
    const h = String(r.h);
    for (let start = 0; start < h.length; ) {
      let end = h.indexOf(',', start);
      if (end < 0) end = h.length;
      const colon = h.indexOf(':', start);
      out.push({ month, touchpoint, segment_key, item, value: +h.slice(start, colon), n: +h.slice(colon + 1, end) });
      start = end + 1;
    }
  }
  return out;
}

/**
 * The one segment value ("region=EMEA") whose combinations are exactly `keys`, if there is one: every key
 * holds it, and every combination stored for the organisation that holds it is among the keys — so its
 * segment-value rows sum the same answers as the keys' rows. (A combination left out of the keys, e.g.
 * withheld by the anonymity rule, means no.)
 */
async function segmentValueOf(db: Db, orgId: string, perspective: Perspective, keys: readonly string[]): Promise<string | undefined> {
  const pairs = (k: string) => (k === '' ? [] : k.split(';'));
  const candidates = pairs(keys[0]!).filter((p) => keys.every((k) => pairs(k).includes(p)));
  if (candidates.length === 0) return undefined;
  // The organisation's combinations, once per version of its cells (cell-cache.ts).
  const stored = await cachedRead(db, orgId, `segment keys ${perspective}`, () =>
    db
      .selectFrom('answer_rollups')
      .select('segment_key')
      .where('org_id', '=', orgId)
      .where('grain', '=', 's')
      .where('perspective', '=', perspective)
      .where('touchpoint', '=', '')
      .where('month', '=', '')
      .where('item', '=', '*')
      .execute(),
  );
  const wanted = new Set(keys);
  return candidates.find((p) => stored.every((r) => !pairs(r.segment_key).includes(p) || wanted.has(r.segment_key)));
}

/** Respondents per cell of the full cube (month × touchpoint × segment), from the partial index. */
export async function readRespondentCells(
  db: Db,
  orgId: string,
  perspective: Perspective,
): Promise<{ month: string; touchpoint: string; segmentKey: string; n: number }[]> {
  await foldQueued(db, orgId);
  const rows = await db
    .selectFrom('answer_rollups')
    .select(['month', 'touchpoint', 'segment_key', 'count'])
    .where('org_id', '=', orgId)
    .where('grain', '=', 'mts')
    .where('perspective', '=', perspective)
    // A literal, so both planners match the partial index's predicate.
    .where('item', '=', sql.lit('*'))
    .execute();
  return rows.map((r) => ({ month: r.month, touchpoint: r.touchpoint, segmentKey: r.segment_key, n: Number(r.count) }));
}

/** Σ total per (item_a, item_b) of one driver model's complete cases within a scope: from a roll-up, or driver_cells when finer. */
export async function readDriverTotals(
  db: Db,
  orgId: string,
  model: string,
  signature: string,
  scope: RollupScope,
): Promise<{ item_a: string; item_b: string; total: number }[]> {
  return (await driverTotals(db, orgId, model, signature, scope, false)).map(({ item_a, item_b, total }) => ({ item_a, item_b, total }));
}

/** As readDriverTotals, per answered set (`missing`, driver-cells.ts): every cell of the model, not only the complete cases. */
export function readDriverSetTotals(
  db: Db,
  orgId: string,
  model: string,
  signature: string,
  scope: RollupScope,
): Promise<{ missing: string; item_a: string; item_b: string; total: number }[]> {
  return driverTotals(db, orgId, model, signature, scope, true);
}

async function driverTotals(db: Db, orgId: string, model: string, signature: string, scope: RollupScope, bySet: boolean) {
  if (matchesNothing(scope)) return [];
  await foldQueued(db, orgId);
  const grain = pickGrain(DRIVER_GRAINS, needed(scope, []));
  // Packed rows (driver-stats.ts): one per cell or roll-up and answered set, summed here per answered set.
  const columns = ['missing', 'vars', 'n', 'sums', 'products'] as const;
  let q: any = grain === undefined ? db.selectFrom('driver_cells').select([...columns]) : db.selectFrom('driver_rollups').select([...columns]).where('grain', '=', grain);
  q = q.where('org_id', '=', orgId).where('model', '=', model).where('signature', '=', signature);
  if (!bySet) q = q.where('missing', '=', '');
  q = applyScope(q, scope, grain ?? 'mts');
  const bySetStats = new Map<string, DriverStats>();
  for (const r of (await q.execute()) as { missing: string; vars: string; n: number | string; sums: string; products: string }[]) {
    const stats = unpackStats(r);
    const seen = bySetStats.get(r.missing);
    if (seen) addStats(seen, stats);
    else bySetStats.set(r.missing, stats);
  }
  return [...bySetStats].flatMap(([missing, stats]) => statTotals(stats).map((t) => ({ missing, ...t })));
}

/**
 * Base cell rows → roll-up rows ([grain, ...row] with the dimensions a grain leaves out set to ''),
 * summed over equal keys. A row is [...cell columns (dims among them), ...item columns, summed value];
 * the item columns start after the last dimension. Rows of one cell usually come together (both
 * writers emit them cell by cell), so each cell's per-grain targets are looked up once, not per row.
 */
export function rollUp(rows: readonly unknown[][], dims: Record<'m' | 't' | 's', number>, grains: readonly string[]): unknown[][] {
  // A 'v' grain: one target per segment value of the combination (none for a response without segments).
  const expand = (g: string, prefix: unknown[]): unknown[][] => {
    if (!g.includes('v')) return [prefix];
    const key = prefix[dims.s + 1] as string;
    return key === '' ? [] : key.split(';').map((pair) => Object.assign([...prefix], { [dims.s + 1]: pair }));
  };
  const itemStart = Math.max(dims.m, dims.t, dims.s) + 1;
  const groups = new Map<string, Map<string, unknown[]>>();
  const out: unknown[][] = [];
  let prev: readonly unknown[] | undefined;
  let targets: { prefix: unknown[]; rows: Map<string, unknown[]> }[] = [];
  for (const row of rows) {
    let same = prev !== undefined;
    for (let i = 0; same && i < itemStart; i++) same = prev![i] === row[i];
    if (!same) {
      targets = grains.flatMap((g) => {
        const base = [g, ...row.slice(0, itemStart)];
        if (!g.includes('m')) base[dims.m + 1] = '';
        if (!g.includes('t')) base[dims.t + 1] = '';
        if (!g.includes('s') && !g.includes('v')) base[dims.s + 1] = '';
        return expand(g, base).map((prefix) => {
          const key = prefix.join('\u0000');
          let rowsOf = groups.get(key);
          if (!rowsOf) groups.set(key, (rowsOf = new Map()));
          return { prefix, rows: rowsOf };
        });
      });
      prev = row;
    }
    const last = row.length - 1;
    const itemKey = last - itemStart === 2 ? `${row[itemStart]}\u0000${row[itemStart + 1]}` : row.slice(itemStart, last).join('\u0000');
    const add = row[last] as number;
    for (const t of targets) {
      const seen = t.rows.get(itemKey);
      if (seen) (seen[last + 1] as number) += add;
      else {
        const r = [...t.prefix, ...row.slice(itemStart)];
        t.rows.set(itemKey, r);
        out.push(r);
      }
    }
  }
  return out;
}

const text = (name: string): BulkColumn => ({ name, type: 'text' });
const ANSWER_ROLLUP_COLUMNS = [text('grain'), text('org_id'), text('perspective'), text('month'), text('touchpoint'), text('segment_key'), text('item'), { name: 'value', type: 'integer' }, { name: 'count', type: 'integer' }] satisfies BulkColumn[];

const ANSWER_CELL_COLUMNS = [text('org_id'), text('perspective'), text('month'), text('touchpoint'), text('segment_key'), text('item'), { name: 'value', type: 'integer' }, { name: 'count', type: 'integer' }] satisfies BulkColumn[];

/**
 * Adds answer-cell deltas ([org, perspective, month, touchpoint, segment_key, item, value, ±count], the
 * rows of one cell together) into answer_cells and into every roll-up grain: ingest, folds and erasure.
 */
export async function addAnswerCells(tx: Transaction<Database>, cellRows: unknown[][]): Promise<void> {
  await bulkWrite(tx, 'answer_cells', ANSWER_CELL_COLUMNS, cellRows, {
    conflict: ['org_id', 'perspective', 'month', 'touchpoint', 'segment_key', 'item', 'value'],
    add: ['count'],
  });
  await addAnswerRollups(tx, cellRows);
}

/** Adds answer-cell deltas ([org, perspective, month, touchpoint, segment_key, item, value, count]) into every grain. */
export async function addAnswerRollups(tx: Transaction<Database>, cellRows: readonly unknown[][]): Promise<void> {
  await bulkWrite(tx, 'answer_rollups', ANSWER_ROLLUP_COLUMNS, rollUp(cellRows, { m: 2, t: 3, s: 4 }, ANSWER_GRAINS), {
    conflict: ['org_id', 'grain', 'perspective', 'touchpoint', 'segment_key', 'month', 'item', 'value'],
    add: ['count'],
  });
}

/** driver_rollups' key (migrations 0004, 0028, 0030). */
const DRIVER_ROLLUP_KEY = ['org_id', 'grain', 'model', 'signature', 'touchpoint', 'segment_key', 'month', 'missing'];

/** Adds driver-cell deltas (driver-cells.ts) into every roll-up grain, summed per roll-up row first. */
export async function addDriverRollups(tx: Transaction<Database>, groups: readonly DriverGroup[]): Promise<void> {
  const rows = new Map<string, DriverRow>();
  for (const c of groups) {
    for (const g of DRIVER_GRAINS) {
      const key = [c.org, g, c.model, c.signature, g.includes('t') ? c.touchpoint : '', g.includes('s') ? c.segmentKey : '', g.includes('m') ? c.month : '', c.missing];
      const k = key.join('\u0000');
      const row = rows.get(k);
      if (row) addStats(row.stats, c.stats);
      else {
        const stats = emptyStats(c.stats.vars);
        addStats(stats, c.stats);
        rows.set(k, { key, stats });
      }
    }
  }
  await mergeDriverRows(tx, 'driver_rollups', DRIVER_ROLLUP_KEY, [...rows.values()]);
}
