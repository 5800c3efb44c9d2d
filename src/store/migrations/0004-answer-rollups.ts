// Roll-ups of the stored cells (src/store/rollups.ts), kept in the ingest transaction (since 0012, by the
// folds of queued responses: fold-queue.ts), so a report reads a few hundred or thousand pre-summed rows
// instead of the full month × touchpoint × segment cube. Reads 0003's driver_cells (the driver roll-ups
// start as their sums).
// `grain` names the dimensions a row keeps — a subset of m (month), t (touchpoint), s (segment
// combination): '' = all-time totals, 'm' = per month, 'mts' = the full cube; a dimension left out holds ''.
// Keys put touchpoint and segment before month, so every filter pattern (touchpoints, segment
// combinations, a period) is one contiguous key range; in SQLite the tables are WITHOUT ROWID, so the
// sums sit in the key's own b-tree. A partial index holds the respondent counts (item '*') of the full
// cube, which the anonymity rule reads on every report; cell_versions says when an organisation's cells
// last changed; a partial index finds the (few) leader responses among the customers'.
// Self-contained (frozen with the layout it creates): existing cells are summed in here, in SQL.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../bulk.ts';

const ANSWER_GRAINS = ['', 'm', 't', 's', 'mt', 'ms', 'ts', 'mts'];
const DRIVER_GRAINS = ['', 'm', 't', 's'];

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = dialectOf(db) === 'sqlite';
  // PostgreSQL compares keys byte-wise ("C"), as SQLite does: ASCII keys order the same, and the upserts
  // at ingest and the range reads skip the locale's collation (~25% faster upserts here).
  const text = sqlite ? 'text' : sql`text collate "C"`;
  let answers = db.schema
    .createTable('answer_rollups')
    .addColumn('org_id', text, (c) => c.notNull())
    .addColumn('grain', text, (c) => c.notNull())
    .addColumn('perspective', text, (c) => c.notNull())
    .addColumn('touchpoint', text, (c) => c.notNull())
    .addColumn('segment_key', text, (c) => c.notNull())
    .addColumn('month', text, (c) => c.notNull())
    .addColumn('item', text, (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('answer_rollups_pk', ['org_id', 'grain', 'perspective', 'touchpoint', 'segment_key', 'month', 'item', 'value']);
  if (sqlite) answers = answers.modifyEnd(sql`without rowid`);
  await answers.execute();
  await db.schema
    .createIndex('answer_rollups_respondents')
    .on('answer_rollups')
    .columns(['org_id', 'grain', 'perspective', 'month', 'touchpoint', 'segment_key', 'count'])
    .where(sql.ref('item'), '=', sql.lit('*'))
    .execute();

  let drivers = db.schema
    .createTable('driver_rollups')
    .addColumn('org_id', text, (c) => c.notNull())
    .addColumn('grain', text, (c) => c.notNull())
    .addColumn('model', text, (c) => c.notNull())
    .addColumn('signature', text, (c) => c.notNull())
    .addColumn('touchpoint', text, (c) => c.notNull())
    .addColumn('segment_key', text, (c) => c.notNull())
    .addColumn('month', text, (c) => c.notNull())
    .addColumn('item_a', text, (c) => c.notNull())
    .addColumn('item_b', text, (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('driver_rollups_pk', ['org_id', 'grain', 'model', 'signature', 'touchpoint', 'segment_key', 'month', 'item_a', 'item_b']);
  if (sqlite) drivers = drivers.modifyEnd(sql`without rowid`);
  await drivers.execute();

  // Leaders' responses (a thousand among a million customers), for per-leader calibration.
  await db.schema
    .createIndex('responses_leaders')
    .on('responses')
    .columns(['org_id', 'month'])
    .where(sql.ref('perspective'), '=', sql.lit('leader'))
    .execute();

  // Bumped in every transaction that changes an organisation's cells, so a process can keep what it
  // derived from them (the respondent counts, anonymity cuts: cell-cache.ts) until they change.
  await db.schema
    .createTable('cell_versions')
    .addColumn('org_id', text, (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();

  const dims = [['t', 'touchpoint'], ['s', 'segment_key'], ['m', 'month']] as const;
  const keep = (g: string, dim: string, col: string) => (g.includes(dim) ? sql.ref(col) : sql.lit(''));
  const kept = (g: string) => dims.filter(([d]) => g.includes(d)).map(([, c]) => sql.ref(c));
  for (const g of ANSWER_GRAINS) {
    await sql`
      INSERT INTO answer_rollups (org_id, grain, perspective, touchpoint, segment_key, month, item, value, count)
      SELECT org_id, ${sql.lit(g)}, perspective, ${keep(g, 't', 'touchpoint')}, ${keep(g, 's', 'segment_key')}, ${keep(g, 'm', 'month')}, item, value, SUM(count)
      FROM answer_cells
      GROUP BY ${sql.join([sql.ref('org_id'), sql.ref('perspective'), ...kept(g), sql.ref('item'), sql.ref('value')])}`.execute(db);
  }
  for (const g of DRIVER_GRAINS) {
    await sql`
      INSERT INTO driver_rollups (org_id, grain, model, signature, touchpoint, segment_key, month, item_a, item_b, total)
      SELECT org_id, ${sql.lit(g)}, model, signature, ${keep(g, 't', 'touchpoint')}, ${keep(g, 's', 'segment_key')}, ${keep(g, 'm', 'month')}, item_a, item_b, SUM(total)
      FROM driver_cells
      GROUP BY ${sql.join([sql.ref('org_id'), sql.ref('model'), sql.ref('signature'), ...kept(g), sql.ref('item_a'), sql.ref('item_b')])}`.execute(db);
  }
}
