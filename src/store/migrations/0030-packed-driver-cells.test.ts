// Migration 0030 on both engines: a database built at migration 0029 holding driver cells and roll-ups one row
// per item pair is migrated in place to one packed row per cell and answered set. Enough groups that the copy
// takes more than one batch (20,000 rows), pairs stored in either order, and every number kept.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINES } from '../../../test/engines.ts';
import { bareDatabase, migrate, migrationsUpTo } from '../../../test/migration-db.ts';
import { unpacked } from '../../../test/aggregates.ts';
import * as m0030 from './0030-packed-driver-cells.ts';

const AT_0029 = await migrationsUpTo('0029');

const VARS = ['dim:care', 'dim:speed', 'dim:value', 'nps'];
const MONTHS = Array.from({ length: 30 }, (_, i) => `20${22 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);

/** One group's rows as 0028 stored them: n, Σx per variable, Σx·y per pair (the pair in the order given). */
function groupRows(seed: number, vars: readonly string[], swapPairs: boolean): [string, string, number][] {
  const rows: [string, string, number][] = [['', '', seed]];
  vars.forEach((v, i) => {
    rows.push([v, '', seed * 10 + i]);
    for (let j = i; j < vars.length; j++) rows.push(swapPairs && i !== j ? [vars[j]!, v, seed * 100 + i * 7 + j] : [v, vars[j]!, seed * 100 + i * 7 + j]);
  });
  return rows;
}

for (const engine of ENGINES) {
  describe(`migration 0030 (packed driver cells) [${engine}]`, () => {
    const database = bareDatabase(engine);

    it('packs every group of item-pair rows into one row, keeping every number', async () => {
      const db = database();
      expect(Object.keys(AT_0029)).toHaveLength(29);
      await migrate(db, AT_0029);
      // 2 models × 30 months × 12 touchpoints × 3 answered sets = 2,160 groups, 10 or 15 rows each: ~27,000 rows.
      const cells: (string | number)[][] = [];
      let seed = 1;
      for (const model of ['excellent', 'nps'])
        for (const month of MONTHS)
          for (let t = 0; t < 12; t++)
            for (const missing of ['', 'dim:speed', 'dim:care,dim:value']) {
              const left = missing.split(',');
              const vars = [...VARS.filter((v) => v !== 'nps' && !left.includes(v)), model].sort();
              for (const [a, b, total] of groupRows(seed++, vars, t % 2 === 1)) cells.push(['o1', model, 'sig', month, `tp${t}`, 'region=EMEA', missing, a, b, total]);
            }
      expect(cells.length).toBeGreaterThan(20_000);
      for (let i = 0; i < cells.length; i += 500) {
        const rows = cells.slice(i, i + 500).map((r) => sql`(${sql.join(r)})`);
        await sql`INSERT INTO driver_cells (org_id, model, signature, month, touchpoint, segment_key, missing, item_a, item_b, total) VALUES ${sql.join(rows)}`.execute(db);
      }
      const rollup = groupRows(7, ['dim:care', 'dim:speed', 'excellent'], false).map(([a, b, total]) => ['o1', '', 'excellent', 'sig', '', '', '', 'dim:value', a, b, total]);
      await sql`INSERT INTO driver_rollups (org_id, grain, model, signature, touchpoint, segment_key, month, missing, item_a, item_b, total)
        VALUES ${sql.join(rollup.map((r) => sql`(${sql.join(r)})`))}`.execute(db);

      await migrate(db, { ...AT_0029, '0030_packed_driver_cells': m0030 });

      const packedCells = await db.selectFrom('driver_cells').selectAll().execute();
      expect(packedCells).toHaveLength(2 * 30 * 12 * 3);
      // Unpacked again (the tests' own decoder), the same rows; pairs stored the other way round come back in variable order.
      const key = ['org_id', 'model', 'signature', 'month', 'touchpoint', 'segment_key', 'missing'];
      const canon = (rows: (string | number)[][]) =>
        rows.map((r) => {
          const [a, b] = [String(r[7]), String(r[8])];
          return [...r.slice(0, 7), ...(b !== '' && b < a ? [b, a] : [a, b]), Number(r[9])].join('|');
        }).sort();
      expect(canon(unpacked(packedCells, key))).toEqual(canon(cells));
      // One group read plainly: the third (missing dim:care,dim:value) of model excellent in the first month, touchpoint tp1 (pairs swapped).
      const one = packedCells.find((r) => r.model === 'excellent' && r.month === MONTHS[0] && r.touchpoint === 'tp1' && r.missing === 'dim:care,dim:value')!;
      expect(one.vars).toBe('dim:speed,excellent');
      const s = 6; // its seed: the sixth group written
      expect([Number(one.n), one.sums, one.products]).toEqual([s, `${s * 10},${s * 10 + 1}`, `${s * 100},${s * 100 + 1},${s * 100 + 8}`]);

      const packedRollups = await db.selectFrom('driver_rollups').selectAll().execute();
      expect(packedRollups.map((r) => [r.grain, r.missing, r.vars, Number(r.n), r.sums, r.products])).toEqual([
        ['', 'dim:value', 'dim:care,dim:speed,excellent', 7, '70,71,72', '700,701,702,708,709,716'],
      ]);

      // The new keys: one row per cell and answered set; the same key twice is refused.
      const again = sql`INSERT INTO driver_cells (org_id, model, signature, month, touchpoint, segment_key, missing, vars, n, sums, products)
        VALUES ('o1', 'nps', 'sig', ${MONTHS[0]}, 'tp0', 'region=EMEA', '', 'nps', 1, '1', '1')`;
      await expect(again.execute(db)).rejects.toThrow();
    });
  });
}
