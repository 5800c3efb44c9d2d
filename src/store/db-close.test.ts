// Closing a PostgreSQL store leaves no connection behind: pg's pool.end() resolves before its sockets
// close, and a database dropped WITH (FORCE) (as every test does) or restarted right then ended them
// under clients still listening — the suite's random "terminating connection" failures.
import { expect, it, describe } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { createTestDatabase, ENGINES, PG_ADMIN_URL } from '../../test/engines.ts';
import { openStore } from './db.ts';

describe.runIf(ENGINES.includes('postgres'))('closing a PostgreSQL store [postgres]', () => {
  it('returns only once every connection of its pool is gone', async () => {
    const tdb = await createTestDatabase('postgres');
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    admin.on('error', () => {});
    await admin.connect();
    try {
      const name = new URL(tdb.url).pathname.slice(1);
      const connections = async () =>
        (await admin.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name])).rows[0].n as number;
      for (let round = 0; round < 5; round++) {
        const store = await openStore(tdb.url);
        // Several connections at once, then idle in the pool.
        await Promise.all(Array.from({ length: 6 }, () => sql`select pg_sleep(0.01)`.execute(store.db)));
        expect(await connections()).toBeGreaterThan(0);
        await store.close();
        expect(await connections()).toBe(0);
      }
    } finally {
      await admin.end();
      await tdb.drop();
    }
  });
});
