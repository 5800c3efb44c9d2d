// Which database errors mean "the database is unavailable right now" (a restart, a failover, a full disk,
// a lock held too long) rather than a bug: the server answers those with 503 and Retry-After, and the
// client's retry — with its idempotency key — settles whether an interrupted write was committed.

/** PostgreSQL SQLSTATE classes and codes that a retry can outlive (see the PostgreSQL manual, Appendix A). */
const PG_UNAVAILABLE_CODES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, in recovery
  '53300', // too_many_connections
  '53100', // disk_full
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '25006', // read_only_sql_transaction: a standby after a failover
]);

/** Node socket errors of a lost or refused connection. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** better-sqlite3 error codes: full disk, read-only file, a lock held past the busy timeout, I/O errors. */
const SQLITE_UNAVAILABLE = /^SQLITE_(FULL|READONLY|BUSY|LOCKED|IOERR|CANTOPEN|PROTOCOL)/;

/** Messages pg uses for a connection that ended under it (they carry no code). */
const PG_LOST_CONNECTION = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|terminating connection|not queryable|not currently accepting connections|the database system is (starting up|shutting down|in recovery mode)/i;

export interface Unavailable {
  /** What the person reading the 503 is told. */
  message: string;
  /** Seconds to wait before retrying. */
  retryAfter: number;
}

/** Classifies an error thrown by a query: undefined when it is not a database-availability problem. */
export function databaseUnavailable(err: unknown): Unavailable | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (SQLITE_UNAVAILABLE.test(code)) {
    if (code.startsWith('SQLITE_FULL')) return { message: 'the database is full (no space left on its disk); nothing was stored — try again later', retryAfter: 30 };
    if (code.startsWith('SQLITE_READONLY')) return { message: 'the database is read-only at the moment; nothing was stored — try again later', retryAfter: 30 };
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return { message: 'the database is busy; nothing was stored — try again in a moment', retryAfter: 2 };
    return { message: 'the database could not be read or written; nothing was stored — try again later', retryAfter: 10 };
  }
  if (PG_UNAVAILABLE_CODES.has(code) || code.startsWith('08') || SOCKET_CODES.has(code) || PG_LOST_CONNECTION.test(message)) {
    return { message: 'the database is unavailable at the moment; try again (a retry with the same Idempotency-Key is never stored twice)', retryAfter: 2 };
  }
  if (e.cause && e.cause !== err) return databaseUnavailable(e.cause);
  return undefined;
}
