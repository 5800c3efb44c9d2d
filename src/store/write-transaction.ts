// Transactions that write: every write path opens its transaction here, never with db.transaction().
// Why: SQLite's plain BEGIN is DEFERRED — the transaction reads under a snapshot and only asks for the
// write lock at its first write. If another connection (the server, while `parallax import` runs)
// committed in between, that upgrade fails at once with SQLITE_BUSY ("database is locked"); the busy
// timeout cannot help, because waiting would not make the snapshot current. BEGIN IMMEDIATE takes the
// write lock first, so a second writer waits its turn (up to the busy timeout) instead of failing.
// PostgreSQL locks rows, not the database: its ordinary transaction is already right.
import { sql, type Kysely, type Transaction } from 'kysely';
import { dialectOf } from './bulk.ts';

/**
 * Runs `fn` in a transaction that holds the write lock from its first statement (SQLite: BEGIN
 * IMMEDIATE; PostgreSQL: an ordinary transaction). Commits when `fn` resolves, rolls back when it throws.
 */
export async function writeTransaction<DB, T>(db: Kysely<DB>, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (dialectOf(db) === 'postgres') return db.transaction().execute(fn);
  // Kysely's SQLite driver always sends a plain BEGIN, so the transaction is driven by hand on the one
  // connection Kysely holds for the callback (other queries of this process queue behind it, as they
  // would behind db.transaction()).
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      // The connection-bound Kysely runs every query inside our BEGIN … COMMIT, which is all that the
      // callbacks use a Transaction for; Kysely offers no public way to wrap a connection as one.
      const result = await fn(conn as unknown as Transaction<DB>);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      // SQLite may have rolled back already (e.g. a full disk): the original error is the one to report.
      await sql`rollback`.execute(conn).catch(() => {});
      throw err;
    }
  });
}

/** better-sqlite3's error for a write lock still held by another connection after the busy timeout. */
export function isSqliteBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
