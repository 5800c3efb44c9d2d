// Migration 0028 on both engines: a database built at migration 0027 holding driver cells and roll-ups
// in the old layout is migrated in place. Every row stays, as a complete case (missing = ''); `missing`
// joins both primary keys just before the item pair, so an answered set's row no longer collides with the
// complete cases' row of the same cell and items.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINES } from '../../../test/engines.ts';
import { bareDatabase, migrate, migrationsUpTo } from '../../../test/migration-db.ts';
import * as m0028 from './0028-driver-answered-sets.ts';

const AT_0027 = await migrationsUpTo('0027');

const CELL = ['o1', 'nps', 'sig', '2025-01', 'app', 'region=EMEA'];
const ROLLUP = ['o1', '', 'nps', 'sig', '', '', ''];

for (const engine of ENGINES) {
  describe(`migration 0028 (driver answered sets) [${engine}]`, () => {
    const database = bareDatabase(engine);

    it('keeps every driver row as a complete case and keys both tables by answered set', async () => {
      const db = database();
      expect(Object.keys(AT_0027)).toHaveLength(27);
      await migrate(db, AT_0027);
      const items = [['', ''], ['dim:care', ''], ['dim:care', 'nps'], ['nps', 'nps']];
      for (const [i, [a, b]] of items.entries()) {
        await sql`INSERT INTO driver_cells (org_id, model, signature, month, touchpoint, segment_key, item_a, item_b, total)
          VALUES (${sql.join([...CELL, a, b, 10 + i])})`.execute(db);
        await sql`INSERT INTO driver_rollups (org_id, grain, model, signature, touchpoint, segment_key, month, item_a, item_b, total)
          VALUES (${sql.join([...ROLLUP, a, b, 20 + i])})`.execute(db);
      }
      await migrate(db, { ...AT_0027, '0028_driver_answered_sets': m0028 });

      const cells = await db.selectFrom('driver_cells').selectAll().orderBy('item_a').orderBy('item_b').execute();
      expect(cells.map((r) => [r.missing, r.item_a, r.item_b, Number(r.total)])).toEqual([
        ['', '', '', 10],
        ['', 'dim:care', '', 11],
        ['', 'dim:care', 'nps', 12],
        ['', 'nps', 'nps', 13],
      ]);
      const rollups = await db.selectFrom('driver_rollups').selectAll().orderBy('item_a').orderBy('item_b').execute();
      expect(rollups.map((r) => [r.grain, r.missing, r.item_a, r.item_b, Number(r.total)])).toEqual([
        ['', '', '', '', 20],
        ['', '', 'dim:care', '', 21],
        ['', '', 'dim:care', 'nps', 22],
        ['', '', 'nps', 'nps', 23],
      ]);

      // An answered set's row beside the complete cases' row of the same cell and items; the same key twice is refused.
      const cell = (missing: string) => sql`INSERT INTO driver_cells (org_id, model, signature, month, touchpoint, segment_key, missing, item_a, item_b, total)
        VALUES (${sql.join([...CELL, missing, 'dim:care', 'nps', 1])})`;
      await cell('dim:speed').execute(db);
      await expect(cell('dim:speed').execute(db)).rejects.toThrow();
      await sql`INSERT INTO driver_rollups (org_id, grain, model, signature, touchpoint, segment_key, month, missing, item_a, item_b, total)
        VALUES (${sql.join([...ROLLUP, 'dim:speed', 'dim:care', 'nps', 1])})`.execute(db);

      // The primary keys, in order.
      const key = async (table: string) =>
        engine === 'sqlite'
          ? (await sql<{ name: string; pk: number }>`SELECT name, pk FROM pragma_table_info(${table}) WHERE pk > 0 ORDER BY pk`.execute(db)).rows.map((r) => r.name)
          : (
              await sql<{ name: string }>`SELECT a.attname AS name FROM pg_index i
                JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE i.indrelid = ${table}::regclass AND i.indisprimary ORDER BY k.ord`.execute(db)
            ).rows.map((r) => r.name);
      expect(await key('driver_cells')).toEqual(['org_id', 'model', 'signature', 'month', 'touchpoint', 'segment_key', 'missing', 'item_a', 'item_b']);
      expect(await key('driver_rollups')).toEqual(['org_id', 'grain', 'model', 'signature', 'touchpoint', 'segment_key', 'month', 'missing', 'item_a', 'item_b']);
    });
  });
}
