// A database at an earlier migration, for the tests of a later one: the migration modules up to a number
// (under the names migrations.ts records, "0003-driver-cells.ts" → "0003_driver_cells"), a bare Kysely on
// either engine, and a migrator that runs exactly the migrations given.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import type { Engine } from '../src/store/db.ts';
import { createTestDatabase, type TestDatabase } from './engines.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../src/store/migrations/', import.meta.url));

/** The migrations numbered up to `last` (e.g. '0027'). */
export async function migrationsUpTo(last: string): Promise<Record<string, Migration>> {
  return Object.fromEntries(
    await Promise.all(
      readdirSync(MIGRATIONS_DIR)
        .filter((f) => /^\d{4}-.*\.ts$/.test(f) && !f.endsWith('.test.ts') && f.slice(0, 4) <= last)
        .map(async (f) => [f.slice(0, -3).replace(/-/g, '_'), (await import(`${MIGRATIONS_DIR}${f}`)) as Migration] as const),
    ),
  );
}

export function connect(engine: Engine, url: string): Kysely<any> {
  if (engine === 'sqlite') return new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(url) }) });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
}

export async function migrate(db: Kysely<any>, migrations: Record<string, Migration>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true }).migrateToLatest();
  if (error) throw error;
  expect(results?.every((r) => r.status === 'Success')).toBe(true);
}

/** A fresh database of the engine for the describe block it is called in (dropped after it), through a bare Kysely. */
export function bareDatabase(engine: Engine): () => Kysely<any> {
  let tdb: TestDatabase;
  let db: Kysely<any>;
  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    db = connect(engine, tdb.url);
  });
  afterAll(async () => {
    await db?.destroy();
    await tdb?.drop();
  });
  return () => db;
}
