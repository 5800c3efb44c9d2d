// SQLite's planner statistics follow the data: a new database's migrations ANALYZE empty tables (0024), so
// without a refresh the planner keeps plans made for no rows once millions arrive (issue 14: 31 s themes
// and a 54 s search at 1M). Opening a store refreshes them (PRAGMA optimize). SQLite only: PostgreSQL's
// autovacuum analyses tables as they grow.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, ENGINES } from '../../test/engines.ts';
import { openStore } from './db.ts';

describe.runIf(ENGINES.includes('sqlite'))('planner statistics [sqlite]', () => {
  it('are taken again at open for tables that were empty when last analysed', async () => {
    const tdb = await createTestDatabase('sqlite');
    try {
      let store = await openStore(tdb.url);
      // A table and index like the product's, filled after the migrations' ANALYZE saw nothing in it.
      await sql`create table planner_probe (org_id text not null, id text not null, at text not null, primary key (org_id, id)) without rowid`.execute(store.db);
      await sql`create index planner_probe_at on planner_probe (org_id, at)`.execute(store.db);
      const stats = async () => (await sql<{ idx: string | null; stat: string }>`select idx, stat from sqlite_stat1 where tbl = 'planner_probe'`.execute(store.db)).rows;
      for (let i = 0; i < 3000; i += 500) {
        const values = Array.from({ length: 500 }, (_, j) => sql`(${'org_' + ((i + j) % 3)}, ${'r' + (i + j)}, ${new Date(Date.UTC(2026, 0, 1, 0, 0, i + j)).toISOString()})`);
        await sql`insert into planner_probe (org_id, id, at) values ${sql.join(values)}`.execute(store.db);
      }
      expect(await stats()).toEqual([]);
      await store.close();
      store = await openStore(tdb.url);
      const after = await stats();
      expect(after.map((s) => s.idx).sort()).toEqual(['planner_probe', 'planner_probe_at']);
      // The first number of each entry is the row count the planner now assumes.
      for (const s of after) expect(Number(s.stat.split(' ')[0])).toBe(3000);
      await store.close();
    } finally {
      await tdb.drop();
    }
  });
});
