// Packed key-driver statistics (migration 0030): a row of driver_cells or driver_rollups holds one cell and
// answered set's variables, response count n, Σx per variable and Σx·y per pair (schema.ts), instead of one
// row per item pair. Adding to a packed row is a read, an addition and a write, done here for both tables:
// ingest, folds and rebuild add deltas, erasure adds negative ones, and a row whose n reaches 0 is deleted
// (so the tables hold what a rebuild from the raw answers would). Every writer first takes the organisation's
// cell-version lock (cell-versions.ts), so no two transactions add to one row at once.
import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { bulkWrite, inTuples, type BulkColumn } from './bulk.ts';

/** One cell and answered set's statistics (a packed row), or a delta to add to one. */
export interface DriverStats {
  /** The variables, sorted by code unit: the answered predictors and the outcome. */
  vars: readonly string[];
  n: number;
  sums: Float64Array;
  /** Upper triangle, row by row: (i, j) with i ≤ j at i·p − i(i−1)/2 + (j − i). */
  products: Float64Array;
}

export function emptyStats(vars: readonly string[]): DriverStats {
  const p = vars.length;
  return { vars, n: 0, sums: new Float64Array(p), products: new Float64Array((p * (p + 1)) / 2) };
}

/** Adds one response's answers (each variable answered) to `into`; sign −1 takes them out. */
export function addAnswers(into: DriverStats, answers: Readonly<Record<string, number>>, sign: 1 | -1 = 1): void {
  const x = into.vars.map((v) => answers[v]!);
  into.n += sign;
  let t = 0;
  for (let i = 0; i < x.length; i++) {
    into.sums[i] += sign * x[i]!;
    for (let j = i; j < x.length; j++) into.products[t++] += sign * x[i]! * x[j]!;
  }
}

/** Adds `d` to `into`: both of one model, predictor set and answered set, so of the same variables. */
export function addStats(into: DriverStats, d: DriverStats): void {
  if (into.vars.join(',') !== d.vars.join(',')) throw new Error(`driver statistics of different variables: ${into.vars.join(',')} and ${d.vars.join(',')}`);
  into.n += d.n;
  for (let i = 0; i < d.sums.length; i++) into.sums[i] += d.sums[i]!;
  for (let i = 0; i < d.products.length; i++) into.products[i] += d.products[i]!;
}

const numbers = (s: string) => (s === '' ? new Float64Array(0) : Float64Array.from(s.split(','), Number));

/** A stored row's statistics (pg returns bigint as a string). */
export function unpackStats(row: { vars: string; n: number | string; sums: string; products: string }): DriverStats {
  return { vars: row.vars === '' ? [] : row.vars.split(','), n: Number(row.n), sums: numbers(row.sums), products: numbers(row.products) };
}

/** The statistics as item-pair totals: n under ('', ''), Σx under (v, ''), Σx·y under (v, w) — what the reports sum. */
export function statTotals(s: DriverStats): { item_a: string; item_b: string; total: number }[] {
  const out = [{ item_a: '', item_b: '', total: s.n }];
  let t = 0;
  s.vars.forEach((v, i) => {
    out.push({ item_a: v, item_b: '', total: s.sums[i]! });
    for (let j = i; j < s.vars.length; j++) out.push({ item_a: v, item_b: s.vars[j]!, total: s.products[t++]! });
  });
  return out;
}

/** A delta for one packed row: its key (the table's key columns, in order) and what to add. */
export interface DriverRow {
  key: readonly string[];
  stats: DriverStats;
}

const STAT_COLUMNS = ['vars', 'n', 'sums', 'products'];
const TUPLES = 200;

/**
 * Adds the deltas into `table` (driver_cells or driver_rollups, keyed by `keyColumns`): each touched row is
 * read, added to and written back; a row whose n reaches 0 or less is deleted. Keys must not repeat.
 */
export async function mergeDriverRows(tx: Transaction<Database>, table: 'driver_cells' | 'driver_rollups', keyColumns: readonly string[], rows: readonly DriverRow[]): Promise<void> {
  const columns: BulkColumn[] = [...keyColumns.map((name) => ({ name, type: 'text' as const })), { name: 'vars', type: 'text' }, { name: 'n', type: 'bigint' }, { name: 'sums', type: 'text' }, { name: 'products', type: 'text' }];
  const keyOf = (k: readonly unknown[]) => k.map(String).join('\u0000');
  for (let i = 0; i < rows.length; i += TUPLES) {
    const chunk = rows.slice(i, i + TUPLES);
    const stored = await sql<Record<string, string>>`SELECT ${sql.join([...keyColumns, ...STAT_COLUMNS].map((c) => sql.ref(c)))} FROM ${sql.table(table)}
      WHERE ${inTuples(keyColumns, chunk.map((r) => r.key))}`.execute(tx);
    const before = new Map(stored.rows.map((r) => [keyOf(keyColumns.map((c) => r[c])), unpackStats(r as never)]));
    const write: unknown[][] = [];
    const gone: (readonly string[])[] = [];
    for (const r of chunk) {
      const merged = before.get(keyOf(r.key)) ?? emptyStats(r.stats.vars);
      addStats(merged, r.stats);
      if (merged.n <= 0) gone.push(r.key);
      else write.push([...r.key, merged.vars.join(','), merged.n, merged.sums.join(','), merged.products.join(',')]);
    }
    await bulkWrite(tx, table, columns, write, { conflict: [...keyColumns], replace: STAT_COLUMNS });
    if (gone.length) await sql`DELETE FROM ${sql.table(table)} WHERE ${inTuples(keyColumns, gone)}`.execute(tx);
  }
}
