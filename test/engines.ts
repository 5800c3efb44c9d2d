// Runs storage tests on both engines. Each run gets its own SQLite file or PostgreSQL database,
// dropped afterwards. No reachable PostgreSQL: skipped with a visible line, except under CI=true.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openStore, type Engine, type Store } from '../src/store/db.ts';

export const PG_ADMIN_URL = process.env.PARALLAX_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let pgReachable: Promise<boolean> | undefined;
export function postgresReachable(): Promise<boolean> {
  pgReachable ??= (async () => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    c.on('error', () => {});
    try {
      await c.connect();
      await c.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => {});
    }
  })();
  return pgReachable;
}

/** A client for CREATE/DROP DATABASE; errors reach the awaiting query, never an unheard 'error' event. */
function adminClient(): pg.Client {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  c.on('error', () => {});
  return c;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one engine. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'parallax-test-'));
    return { url: join(dir, 'test.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `parallax_test_${randomBytes(6).toString('hex')}`;
  const admin = adminClient();
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  return {
    url,
    drop: async () => {
      const a = adminClient();
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

const reachable = await postgresReachable();
if (!reachable) {
  if (process.env.CI === 'true') throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN_URL} (required under CI=true)`);
  console.warn(`\n!!! PostgreSQL not reachable at ${PG_ADMIN_URL}: SKIPPING the PostgreSQL runs of the storage tests.\n`);
}

export const ENGINES: Engine[] = reachable ? ['sqlite', 'postgres'] : ['sqlite'];

/**
 * `describe` once per engine. `ctx()` gives the open store inside tests; each engine's block gets its
 * own fresh database created in beforeAll and dropped in afterAll.
 */
export function describeEngines(name: string, body: (ctx: () => Store, engine: Engine) => void): void {
  for (const engine of ENGINES) {
    describe(`${name} [${engine}]`, () => {
      let store: Store | undefined;
      let tdb: TestDatabase | undefined;
      beforeAll(async () => {
        tdb = await createTestDatabase(engine);
        store = await openStore(tdb.url);
      });
      afterAll(async () => {
        await store?.close();
        await tdb?.drop();
      });
      body(() => {
        if (!store) throw new Error('store not open yet');
        return store;
      }, engine);
    });
  }
}
