// Driver cells per answered set (issue 11, store/driver-cells.ts): a customer response that rates only some
// of the customer dimensions now adds its sums to a cell of its own, keyed by the predictors it left
// unanswered. `missing` joins the keys of driver_cells and driver_rollups, just before the item pair;
// '' = nothing missing, the complete cases — which is every row stored before this migration, so the
// rows are kept as they are. Responses stored earlier that skipped a dimension were in no cell then and
// are in none now: `parallax rebuild` adds them (the reports are right either way, on fewer responses).
// Self-contained (frozen with the layout it creates). SQLite cannot change a primary key in place, so
// there each table is copied into a new one with the new key.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../bulk.ts';

const LAYOUTS = {
  driver_cells: ['org_id', 'model', 'signature', 'month', 'touchpoint', 'segment_key'],
  driver_rollups: ['org_id', 'grain', 'model', 'signature', 'touchpoint', 'segment_key', 'month'],
} as const;
type Table = keyof typeof LAYOUTS;

export async function up(db: Kysely<any>): Promise<void> {
  // Kysely runs PostgreSQL migrations in a transaction but not SQLite's: take one here.
  const run = async (tx: Kysely<any>) => {
    for (const table of Object.keys(LAYOUTS) as Table[]) await keyByMissing(tx, table);
  };
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
}

/** Adds `missing` ('' for the rows there) to one table's key; exported for the roll-up test, which re-creates driver_rollups by migration 0004. */
export async function keyByMissing(db: Kysely<any>, table: Table): Promise<void> {
  const head = LAYOUTS[table];
  const key = [...head, 'missing', 'item_a', 'item_b'];
  const refs = (cols: readonly string[]) => sql.join(cols.map((c) => sql.ref(c)));
  if (dialectOf(db) === 'postgres') {
    await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN missing text NOT NULL DEFAULT ''`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} DROP CONSTRAINT ${sql.ref(`${table}_pk`)}`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} ADD CONSTRAINT ${sql.ref(`${table}_pk`)} PRIMARY KEY (${refs(key)})`.execute(db);
    return;
  }
  const next = `${table}_0028`;
  let t = db.schema.createTable(next);
  for (const c of key) t = t.addColumn(c, 'text', (col) => (c === 'missing' ? col.notNull().defaultTo('') : col.notNull()));
  await t
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${table}_pk`, key as never)
    .modifyEnd(sql`without rowid`)
    .execute();
  const old = [...head, 'item_a', 'item_b', 'total'];
  await sql`INSERT INTO ${sql.table(next)} (${refs(old)}, missing) SELECT ${refs(old)}, '' FROM ${sql.table(table)}`.execute(db);
  await sql`DROP TABLE ${sql.table(table)}`.execute(db);
  await sql`ALTER TABLE ${sql.table(next)} RENAME TO ${sql.table(table)}`.execute(db);
}
