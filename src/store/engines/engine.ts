// What differs between the two engines, behind one small interface (as Kysely keeps its dialects): how
// many rows go into one write, the few SQL fragments that have no common spelling, locks, and backups.
// Everything else in src/store is written once for both. Migrations, frozen with the schema of their
// time, ask `dialectOf` directly.
import { PostgresAdapter, type Kysely, type RawBuilder, type Transaction } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

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

export interface Engine {
  readonly kind: Dialect;
  /** Inserts (or upserts) rows, values in `columns` order, in as few statements as the engine allows. */
  bulkWrite(db: Kysely<any>, table: string, columns: BulkColumn[], rows: unknown[][], o: BulkOptions): Promise<void>;
  /** A group's `value:count` pairs joined by ',' (an aggregate over the columns `value` and `count`). */
  packedPairs(): RawBuilder<string>;
  /** The integer after `,<code>=` in a ','-prefixed packed text (the answers' layout), or null. */
  packedValue(packed: RawBuilder<unknown>, code: number): RawBuilder<number | null>;
  /** Holds a lock on (scope, key) until the transaction ends. SQLite's one writer holds the database already. */
  lockUntilCommit(tx: Transaction<any>, scope: string, key: string): Promise<void>;
  /** Whether `FOR UPDATE SKIP LOCKED` exists (several servers claiming rows from one queue). */
  readonly skipLocked: boolean;
  /** Writes a consistent copy of the database at `location` (a file path or a URL) to the new file `dest`. */
  backup(location: string, dest: string): Promise<void>;
}

/** Which engine a Kysely instance (or transaction) talks to. */
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

export function conflictClause(table: string, o: BulkOptions): string {
  if (!o.conflict) return '';
  const set = (o.add ?? []).map((c) => `${ident(c)} = ${ident(table)}.${ident(c)} + excluded.${ident(c)}`);
  return ` ON CONFLICT (${o.conflict.map(ident).join(', ')}) ${set.length ? `DO UPDATE SET ${set.join(', ')}` : 'DO NOTHING'}`;
}
