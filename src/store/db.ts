// Opens the one query layer over either engine: embedded SQLite (default) or PostgreSQL by URL.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';
import type { Database } from './schema.ts';
import { migrateToLatest } from './migrations.ts';

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the data lives, for messages (file path or URL without password). */
  location: string;
  close(): Promise<void>;
}

export const DEFAULT_SQLITE_PATH = './data/parallax.db';

/**
 * Kysely prepares every statement anew; ingest repeats a few large multi-row INSERTs thousands of times
 * and reports repeat the same SELECTs, so prepared statements are kept by SQL text (a bounded cache).
 * Safe because Kysely runs one statement at a time on its single SQLite connection.
 */
function withStatementCache(sqlite: SQLite.Database, max = 256) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      let stmt = cache.get(text);
      if (stmt) return stmt;
      stmt = sqlite.prepare(text);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(text, stmt);
      return stmt;
    },
  };
}

export interface OpenOptions {
  /** Told of errors on idle PostgreSQL connections (the pool replaces the connection). */
  onPoolError?: (err: Error & { code?: string }) => void;
}

function logPoolError(err: Error & { code?: string }): void {
  console.error(`parallax: a PostgreSQL connection was lost (${err.code ?? 'no code'}: ${err.message}); the pool replaces it`);
}

/** SQLite's wait for a lock held by another connection before SQLITE_BUSY (then 503). */
const busyEnv = Number(process.env.PARALLAX_SQLITE_BUSY_TIMEOUT_MS);
const SQLITE_BUSY_TIMEOUT_MS = Number.isFinite(busyEnv) && busyEnv >= 0 ? Math.trunc(busyEnv) : 5000;

/** How often an open SQLite database refreshes its planner statistics (`PRAGMA optimize`), besides at open. */
const SQLITE_OPTIMIZE_INTERVAL_MS = 60 * 60_000;

/**
 * Transactions as this product needs them on SQLite. BEGIN IMMEDIATE: every transaction writes
 * (write-transaction.ts is their one door), and a deferred BEGIN asks for the write lock only at its first
 * write — failing at once with SQLITE_BUSY if another connection committed meanwhile, which the busy
 * timeout cannot help (the import-while-serving hole). IMMEDIATE waits its turn at BEGIN instead.
 * ROLLBACK: SQLite rolls a transaction back by itself on some errors (a full disk, an I/O error); Kysely's
 * ROLLBACK then fails with "no transaction is active" and would replace the real error (SQLITE_FULL → 503).
 */
class ParallaxSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch (err) {
      if (!/no transaction is active/.test(err instanceof Error ? err.message : '')) throw err;
    }
  }
}

class ParallaxSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ParallaxSqliteDriver(this.#config);
  }
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * `url` is a postgres:// URL or a SQLite file path (or ':memory:'). Migrations run on open, so a
 * fresh database is ready to use.
 */
export async function openStore(
  url: string = process.env.PARALLAX_DATABASE_URL ?? DEFAULT_SQLITE_PATH,
  { onPoolError = logPoolError }: OpenOptions = {},
): Promise<Store> {
  let store: Store;
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      // COUNT/SUM come back as int8/numeric, which pg returns as strings; our counts fit in a double.
      types: {
        getTypeParser: (oid: number, format?: any) =>
          oid === 20 || oid === 1700 ? (v: string) => Number(v) : (pg.types.getTypeParser as any)(oid, format),
      },
    });
    // An idle pooled client whose connection ends (a PostgreSQL restart, a failover, pg_terminate_backend)
    // emits 'error' on the pool; unheard, that would end the process. The pool drops such a client and
    // connects a new one on the next checkout, so logging is all there is to do.
    pool.on('error', (err: Error & { code?: string }) => onPoolError(err));
    // A client checked out by a request has no pool listener: its connection ending between two statements
    // would emit an unheard 'error' too. Its next statement fails instead (→ 503) and the pool discards it.
    // pool.end() resolves as soon as it has *asked* its clients to end, before their sockets close; closing
    // waits for every connection to be gone, so whoever drops or restarts the database next (tests drop
    // theirs WITH (FORCE)) ends no connection of ours under a client still listening.
    const open = new Set<pg.Client>();
    pool.on('connect', (client) => {
      open.add(client);
      client.on('end', () => open.delete(client));
      client.on('error', () => {});
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const close = async () => {
      await db.destroy();
      await Promise.all(
        [...open].map((c) => new Promise<void>((resolve) => {
          c.once('end', () => resolve());
          setTimeout(resolve, 5000).unref(); // never hang a shutdown on a socket that will not close
        })),
      );
    };
    store = { db, engine: 'postgres', location: url.replace(/:[^:@/]*@/, ':***@'), close };
  } else {
    if (url !== ':memory:') mkdirSync(dirname(url), { recursive: true });
    const sqlite = new SQLite(url);
    sqlite.pragma('journal_mode = WAL');
    // FULL: a response is on disk before we acknowledge it (NORMAL could lose the last commits on power loss).
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    // SQLite's lower() folds ASCII only; this one folds like PostgreSQL's, so case-insensitive search
    // (lower(x) LIKE lower(?)) finds "État" for "état" on both engines.
    sqlite.function('lower', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : s) as string | null);
    // 64 MiB of page cache (default 2 MiB): bulk ingest at millions of responses keeps the right-hand
    // edges of the answer and key b-trees in memory.
    sqlite.pragma('cache_size = -65536');
    const db = new Kysely<Database>({ dialect: new ParallaxSqliteDialect({ database: withStatementCache(sqlite) }) });
    // Planner statistics follow the data (SQLite's advice for long-lived connections): a new database's
    // migrations ANALYZE empty tables, and without fresh statistics the planner keeps choosing plans made
    // for no rows — at 1M responses the themes' quotes sorted every comment (31 s) and a search took 54 s.
    // `optimize` re-analyses only tables never analysed or whose size changed ~25×; analysis_limit samples.
    const optimize = () => {
      try {
        sqlite.pragma('analysis_limit = 1000');
        sqlite.pragma('optimize = 0x10002');
      } catch {
        // A busy or read-only database: the next round tries again.
      }
    };
    const timer = setInterval(optimize, SQLITE_OPTIMIZE_INTERVAL_MS);
    timer.unref();
    store = {
      db,
      engine: 'sqlite',
      location: url,
      close: () => {
        clearInterval(timer);
        return db.destroy();
      },
    };
    await migrateToLatest(store.db);
    optimize();
    return store;
  }
  await migrateToLatest(store.db);
  return store;
}
