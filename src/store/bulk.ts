// Multi-row writes for ingest, on both engines, without building a query tree per value: ingest of a
// million responses writes millions of rows, and Kysely's per-value compilation (and SQLite's
// re-preparation of ever-different statements) would cost more than the writes themselves. How each
// engine does it is its own (engines/).
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { dialectOf, type BulkColumn, type BulkOptions, type Engine } from './engines/engine.ts';
import { sqliteEngine } from './engines/sqlite.ts';
import { postgresEngine } from './engines/postgres.ts';

export { dialectOf, type BulkColumn, type BulkOptions, type Dialect } from './engines/engine.ts';

/** The engine a Kysely instance (or transaction) talks to. */
export const engineOf = (db: Kysely<any>): Engine => (dialectOf(db) === 'postgres' ? postgresEngine : sqliteEngine);

/**
 * Inserts `rows` (values in `columns` order) into `table`. Rows of one call must not repeat a conflict
 * key (PostgreSQL refuses to update one row twice in a statement): aggregate deltas first.
 */
export async function bulkWrite(db: Kysely<any>, table: string, columns: BulkColumn[], rows: unknown[][], o: BulkOptions = {}): Promise<void> {
  if (rows.length === 0) return;
  await engineOf(db).bulkWrite(db, table, columns, rows, o);
}

/** `(c1, c2, …) IN (VALUES (…), …)`: rows by many full or leading keys in one statement, on both engines. */
export function inTuples(columns: readonly string[], tuples: readonly (readonly unknown[])[]): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.join(columns.map((c) => sql.ref(c)))}) IN (VALUES ${sql.join(tuples.map((t) => sql`(${sql.join(t)})`))})`;
}
