// Roll-ups of the stored cells (migration 0004): written at ingest, in the transaction that writes the
// cells, and read by every report from the smallest grain that can answer it. At a million responses the
// full month × touchpoint × segment cube holds ~230,000 answer-count rows and ~450,000 driver rows;
// a report without filters reads ~100 of them from grain '', a period report a few thousand from 'm'.
//
// A grain is the set of cell dimensions a roll-up row keeps: m (month), t (touchpoint), s (segment
// combination); a dimension left out holds ''. answer_rollups has every grain, 'mts' included (the full
// cube again, keyed touchpoint-first for touchpoint filters, with the partial index of respondent
// counts); driver_rollups has '', m, t, s, and anything finer reads driver_cells itself.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { bulkWrite, type BulkColumn } from './bulk.ts';
import type { Perspective } from '../core/survey.ts';

type Db = Kysely<Database>;

/** Grains from the smallest (fewest rows) to the full cube; a read takes the first that keeps what it needs. */
export const ANSWER_GRAINS = ['', 't', 's', 'm', 'ts', 'mt', 'ms', 'mts'] as const;
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
function applyScope<Q extends { where: (...args: any[]) => any }>(q: Q, scope: RollupScope): Q {
  let out: any = q;
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
  const grain = pickGrain(ANSWER_GRAINS, needed(scope, groupBy))!;
  // At exactly the grain asked for, each row is already one group × item × value: no summing.
  const exact = grain.length === groupBy.length;
  let q = db
    .selectFrom('answer_rollups')
    .select(['item', 'value'])
    .where('org_id', '=', orgId)
    .where('grain', '=', grain)
    .where('perspective', '=', perspective);
  q = exact ? q.select('count as n') : q.select((eb) => eb.fn.sum<number>('count').as('n'));
  for (const g of groupBy) q = q.select(g);
  if (items) q = q.where('item', 'in', [...items]);
  q = applyScope(q, scope);
  if (!exact) q = q.groupBy([...groupBy, 'item', 'value']);
  const rows = (await q.execute()) as unknown as Record<string, string | number>[];
  return rows.map((r) => ({
    month: groupBy.includes('month') ? String(r.month) : '',
    touchpoint: groupBy.includes('touchpoint') ? String(r.touchpoint) : '',
    segment_key: groupBy.includes('segment_key') ? String(r.segment_key) : '',
    item: String(r.item),
    value: Number(r.value),
    n: Number(r.n),
  }));
}

/** Respondents per cell of the full cube (month × touchpoint × segment), from the partial index. */
export async function readRespondentCells(
  db: Db,
  orgId: string,
  perspective: Perspective,
): Promise<{ month: string; touchpoint: string; segmentKey: string; n: number }[]> {
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

/** Σ total per (item_a, item_b) of one driver model within a scope: from a roll-up, or driver_cells when finer. */
export async function readDriverTotals(
  db: Db,
  orgId: string,
  model: string,
  signature: string,
  scope: RollupScope,
): Promise<{ item_a: string; item_b: string; total: number }[]> {
  if (matchesNothing(scope)) return [];
  const grain = pickGrain(DRIVER_GRAINS, needed(scope, []));
  let q: any;
  if (grain === undefined) {
    q = db.selectFrom('driver_cells').select(['item_a', 'item_b', (eb) => eb.fn.sum<number>('total').as('total')]);
  } else if (grain === '') {
    q = db.selectFrom('driver_rollups').select(['item_a', 'item_b', 'total']).where('grain', '=', '');
  } else {
    q = db.selectFrom('driver_rollups').select(['item_a', 'item_b', (eb) => eb.fn.sum<number>('total').as('total')]).where('grain', '=', grain);
  }
  let qq = q.where('org_id', '=', orgId).where('model', '=', model).where('signature', '=', signature);
  qq = applyScope(qq, scope);
  if (grain !== '') qq = qq.groupBy(['item_a', 'item_b']);
  const rows = (await qq.execute()) as { item_a: string; item_b: string; total: number | string }[];
  return rows.map((r) => ({ item_a: r.item_a, item_b: r.item_b, total: Number(r.total) }));
}

/**
 * Base cell rows → roll-up rows ([grain, ...row] with the dimensions a grain leaves out set to ''),
 * summed over equal keys. A row is [...cell columns (dims among them), ...item columns, summed value];
 * the item columns start after the last dimension. Rows of one cell usually come together (both
 * writers emit them cell by cell), so each cell's per-grain targets are looked up once, not per row.
 */
export function rollUp(rows: readonly unknown[][], dims: Record<'m' | 't' | 's', number>, grains: readonly string[]): unknown[][] {
  const itemStart = Math.max(dims.m, dims.t, dims.s) + 1;
  const groups = new Map<string, Map<string, unknown[]>>();
  const out: unknown[][] = [];
  let prev: readonly unknown[] | undefined;
  let targets: { prefix: unknown[]; rows: Map<string, unknown[]> }[] = [];
  for (const row of rows) {
    let same = prev !== undefined;
    for (let i = 0; same && i < itemStart; i++) same = prev![i] === row[i];
    if (!same) {
      targets = grains.map((g) => {
        const prefix = [g, ...row.slice(0, itemStart)];
        if (!g.includes('m')) prefix[dims.m + 1] = '';
        if (!g.includes('t')) prefix[dims.t + 1] = '';
        if (!g.includes('s')) prefix[dims.s + 1] = '';
        const key = prefix.join('\u0000');
        let rowsOf = groups.get(key);
        if (!rowsOf) groups.set(key, (rowsOf = new Map()));
        return { prefix, rows: rowsOf };
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
const DRIVER_ROLLUP_COLUMNS = [text('grain'), text('org_id'), text('model'), text('signature'), text('month'), text('touchpoint'), text('segment_key'), text('item_a'), text('item_b'), { name: 'total', type: 'bigint' }] satisfies BulkColumn[];

/** Adds answer-cell deltas ([org, perspective, month, touchpoint, segment_key, item, value, count]) into every grain. */
export async function addAnswerRollups(tx: Transaction<Database>, cellRows: readonly unknown[][]): Promise<void> {
  await bulkWrite(tx, 'answer_rollups', ANSWER_ROLLUP_COLUMNS, rollUp(cellRows, { m: 2, t: 3, s: 4 }, ANSWER_GRAINS), {
    conflict: ['org_id', 'grain', 'perspective', 'touchpoint', 'segment_key', 'month', 'item', 'value'],
    add: ['count'],
  });
}

/** Adds driver-cell deltas ([org, model, signature, month, touchpoint, segment_key, item_a, item_b, total]) into every grain. */
export async function addDriverRollups(tx: Transaction<Database>, cellRows: readonly unknown[][]): Promise<void> {
  await bulkWrite(tx, 'driver_rollups', DRIVER_ROLLUP_COLUMNS, rollUp(cellRows, { m: 3, t: 4, s: 5 }, DRIVER_GRAINS), {
    conflict: ['org_id', 'grain', 'model', 'signature', 'touchpoint', 'segment_key', 'month', 'item_a', 'item_b'],
    add: ['total'],
  });
}
