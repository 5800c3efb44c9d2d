// Transactions that write: every write path opens its transaction here, never with db.transaction().
// Why: SQLite's plain BEGIN is DEFERRED — the transaction reads under a snapshot and only asks for the
// write lock at its first write. If another connection (the server, while `parallax import` runs)
// committed in between, that upgrade fails at once with SQLITE_BUSY ("database is locked"); the busy
// timeout cannot help, because waiting would not make the snapshot current. BEGIN IMMEDIATE takes the
// write lock first, so a second writer waits its turn (up to the busy timeout) instead of failing.
// PostgreSQL locks rows, not the database: its ordinary transaction is already right. The SQLite part lives
// in the store's driver (db.ts), so every transaction Kysely opens gets it.
import type { Kysely, Transaction } from 'kysely';

/**
 * Runs `fn` in a transaction that holds the write lock from its first statement (SQLite: the store's driver
 * begins with BEGIN IMMEDIATE, src/store/db.ts; PostgreSQL: an ordinary transaction). Commits when `fn`
 * resolves, rolls back when it throws. The one door for transactions, so a test can hold every write path to it.
 */
export async function writeTransaction<DB, T>(db: Kysely<DB>, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}

/** better-sqlite3's error for a write lock still held by another connection after the busy timeout. */
export function isSqliteBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
