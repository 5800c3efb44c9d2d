// Multi-row writes for ingest, on both engines, without building a query tree per value: ingest of a
// million responses writes ~15 million answer rows, and Kysely's per-value compilation (and SQLite's
// re-preparation of ever-different statements) would cost more than the writes themselves.
// SQLite gets fixed-size multi-row VALUES statements; PostgreSQL gets one INSERT … SELECT FROM unnest()
// of column arrays per chunk (a handful of parameters, whatever the row count).
import { CompiledQuery, PostgresAdapter, type Kysely } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** Which engine a Kysely instance (or transaction) talks to. */
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export interface BulkColumn {
  name: string;
  /** The PostgreSQL array element type used to pass the column (ignored by SQLite). */
  type: 'text' | 'integer' | 'bigint' | 'double precision';
}

export interface BulkOptions {
  /** Upsert on this key: the `add` columns are summed into the stored row (count cells). */
  conflict?: string[];
  add?: string[];
}

const SQLITE_MAX_PARAMS = 32_766;
const SQLITE_MAX_ROWS = 1_000;
const PG_MAX_ROWS = 20_000;

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

function conflictClause(table: string, o: BulkOptions): string {
  if (!o.conflict) return '';
  const set = (o.add ?? []).map((c) => `${ident(c)} = ${ident(table)}.${ident(c)} + excluded.${ident(c)}`);
  return ` ON CONFLICT (${o.conflict.map(ident).join(', ')}) ${set.length ? `DO UPDATE SET ${set.join(', ')}` : 'DO NOTHING'}`;
}

/**
 * Inserts `rows` (values in `columns` order) into `table`. Rows of one call must not repeat a conflict
 * key (PostgreSQL refuses to update one row twice in a statement): aggregate deltas first.
 */
export async function bulkWrite(db: Kysely<any>, table: string, columns: BulkColumn[], rows: unknown[][], o: BulkOptions = {}): Promise<void> {
  if (rows.length === 0) return;
  const cols = columns.map((c) => ident(c.name)).join(', ');
  const tail = conflictClause(table, o);
  if (dialectOf(db) === 'postgres') {
    const arrays = columns.map((c) => `$${columns.indexOf(c) + 1}::${c.type}[]`).join(', ');
    const text = `INSERT INTO ${ident(table)} (${cols}) SELECT * FROM unnest(${arrays})${tail}`;
    for (let i = 0; i < rows.length; i += PG_MAX_ROWS) {
      const chunk = rows.slice(i, i + PG_MAX_ROWS);
      const params = columns.map((_, j) => chunk.map((r) => r[j]));
      await db.executeQuery(CompiledQuery.raw(text, params));
    }
    return;
  }
  const per = Math.max(1, Math.min(SQLITE_MAX_ROWS, Math.floor(SQLITE_MAX_PARAMS / columns.length)));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const statement = (n: number) => `INSERT INTO ${ident(table)} (${cols}) VALUES ${Array(n).fill(tuple).join(', ')}${tail}`;
  const full = statement(per); // one text for every full chunk: better-sqlite3 parses it quickly each time
  const width = columns.length;
  for (let i = 0; i < rows.length; i += per) {
    const n = Math.min(per, rows.length - i);
    const params = new Array(n * width);
    for (let r = 0; r < n; r++) {
      const row = rows[i + r]!;
      for (let c = 0; c < width; c++) params[r * width + c] = row[c];
    }
    await db.executeQuery(CompiledQuery.raw(n === per ? full : statement(n), params));
  }
}
