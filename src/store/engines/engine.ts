// What differs between the two engines, behind one small interface (as Kysely keeps its dialects): how
// many rows go into one write, the few SQL fragments that have no common spelling, locks, and backups.
// Everything else in src/store is written once for both. Migrations, frozen with the schema of their
// time, ask `dialectOf` directly.
import { PostgresAdapter, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { SearchQuery } from '../../core/text/search-query.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface BulkColumn {
  name: string;
  /** The PostgreSQL array element type used to pass the column (ignored by SQLite). */
  type: 'text' | 'integer' | 'bigint' | 'double precision';
}

export interface BulkOptions {
  /** Upsert on this key: the `add` columns are summed into the stored row (count cells)… */
  conflict?: string[];
  add?: string[];
  /** …and the `replace` columns take the new row's values (rows merged by the caller: driver statistics). */
  replace?: string[];
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
  /** Full-text search over the verbatims' text (migration 0018, store/comment-search.ts). */
  textSearch(query: SearchQuery, original: boolean): TextSearchSql;
  /** Rebuilds the full-text index from the rows it indexes (SQLite after a VACUUM); PostgreSQL's needs nothing. */
  reindexTextSearch(db: Kysely<any>): Promise<void>;
}

/**
 * The SQL of one search, over the comments query's `r` (responses) and `ca` (comment_analysis): the redacted
 * text, or with `original` the comment as written.
 */
export interface TextSearchSql {
  /** A table to inner-join first (SQLite's FTS5 table, on the indexed row's rowid). */
  join?: { table: string; on: RawBuilder<boolean> };
  /** The row's text matches. */
  match: RawBuilder<boolean>;
  /** Relevance, best first when sorted ascending (a float8 on both engines, exact through a cursor). */
  rank: RawBuilder<number>;
  /** The searched text (accent-folded on PostgreSQL, one character for one) with \u0002…\u0003 around matches. */
  highlight: RawBuilder<string>;
}

/** Highlight markers: control characters, which comments do not carry (a text that does is shown unhighlighted). */
export const MARK_START = '\u0002';
export const MARK_END = '\u0003';

/** Which engine a Kysely instance (or transaction) talks to. */
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

export function conflictClause(table: string, o: BulkOptions): string {
  if (!o.conflict) return '';
  const set = [
    ...(o.add ?? []).map((c) => `${ident(c)} = ${ident(table)}.${ident(c)} + excluded.${ident(c)}`),
    ...(o.replace ?? []).map((c) => `${ident(c)} = excluded.${ident(c)}`),
  ];
  return ` ON CONFLICT (${o.conflict.map(ident).join(', ')}) ${set.length ? `DO UPDATE SET ${set.join(', ')}` : 'DO NOTHING'}`;
}
