// Driver statistics packed one row per cell and answered set (issue 8, store/driver-cells.ts). Until now
// driver_cells and driver_rollups held one row per item pair: a cell of eleven variables was 78 rows, each
// repeating the seven-column key for one number, and random skipping makes many answered sets per cell (the
// benchmark's 1M customers: 9.0M driver rows, 1.4 GB, two thirds of the database, and most of a bulk load's
// time). Now one row per (cell, answered set) holds its variables (`vars`, sorted, comma-joined), its response
// count `n`, Σx per variable (`sums`, in vars order) and Σx·y per pair (`products`: the upper triangle, row by
// row, (i, j) with i ≤ j), the numbers comma-joined. Nothing is lost: the rows of a group are the same numbers.
// Self-contained (frozen with the layouts it reads and writes). Each table is copied into a new one, a key range
// at a time (a batch stops before its last group, which the next batch reads whole), then swapped in.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../bulk.ts';

const LAYOUTS = {
  driver_cells: ['org_id', 'model', 'signature', 'month', 'touchpoint', 'segment_key', 'missing'],
  driver_rollups: ['org_id', 'grain', 'model', 'signature', 'touchpoint', 'segment_key', 'month', 'missing'],
} as const;
type Table = keyof typeof LAYOUTS;

const BATCH = 20_000;
const INSERT_ROWS = 200;

export async function up(db: Kysely<any>): Promise<void> {
  // Kysely runs PostgreSQL migrations in a transaction but not SQLite's: take one here.
  const run = async (tx: Kysely<any>) => {
    for (const table of Object.keys(LAYOUTS) as Table[]) await pack(tx, table);
  };
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
}

/** One group's rows (item pair → total) as its packed row: vars sorted by code unit, as the writers sort them. */
export function packGroup(rows: readonly { item_a: string; item_b: string; total: number }[]): { vars: string; n: number; sums: string; products: string } {
  let n = 0;
  const single = new Map<string, number>();
  const pairs = new Map<string, number>();
  for (const r of rows) {
    if (r.item_a === '' && r.item_b === '') n += r.total;
    else if (r.item_b === '') single.set(r.item_a, (single.get(r.item_a) ?? 0) + r.total);
    else {
      // Unordered: a row written under another collation's order is the same pair.
      const k = r.item_a < r.item_b ? `${r.item_a}\u0000${r.item_b}` : `${r.item_b}\u0000${r.item_a}`;
      pairs.set(k, (pairs.get(k) ?? 0) + r.total);
    }
  }
  const vars = [...single.keys()].sort();
  const products: number[] = [];
  for (let i = 0; i < vars.length; i++) for (let j = i; j < vars.length; j++) products.push(pairs.get(`${vars[i]}\u0000${vars[j]}`) ?? 0);
  return { vars: vars.join(','), n, sums: vars.map((v) => single.get(v)!).join(','), products: products.join(',') };
}

async function pack(db: Kysely<any>, table: Table): Promise<void> {
  const key = LAYOUTS[table];
  const next = `${table}_0030`;
  const refs = (cols: readonly string[]) => sql.join(cols.map((c) => sql.ref(c)));
  let t = db.schema.createTable(next);
  for (const c of key) t = t.addColumn(c, 'text', (col) => col.notNull());
  t = t
    .addColumn('vars', 'text', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addColumn('sums', 'text', (c) => c.notNull())
    .addColumn('products', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${next}_pk`, key as never);
  await (dialectOf(db) === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t).execute();

  let after: string[] | undefined;
  for (;;) {
    const rows = (
      await sql<Record<string, string | number>>`SELECT ${refs(key)}, item_a, item_b, total FROM ${sql.table(table)}
        ${after ? sql`WHERE (${refs(key)}) > (${sql.join(after)})` : sql``}
        ORDER BY ${refs(key)}, item_a, item_b LIMIT ${BATCH}`.execute(db)
    ).rows;
    if (rows.length === 0) break;
    const groups: { key: string[]; rows: { item_a: string; item_b: string; total: number }[] }[] = [];
    for (const r of rows) {
      const k = key.map((c) => String(r[c]));
      const last = groups[groups.length - 1];
      const row = { item_a: String(r.item_a), item_b: String(r.item_b), total: Number(r.total) };
      if (last && last.key.every((v, i) => v === k[i])) last.rows.push(row);
      else groups.push({ key: k, rows: [row] });
    }
    // A full batch may end inside a group: that group is read whole by the next batch.
    if (rows.length === BATCH && groups.length > 1) groups.pop();
    const packed = groups.map((g) => {
      const p = packGroup(g.rows);
      return [...g.key, p.vars, p.n, p.sums, p.products];
    });
    for (let i = 0; i < packed.length; i += INSERT_ROWS) {
      const chunk = packed.slice(i, i + INSERT_ROWS);
      await sql`INSERT INTO ${sql.table(next)} (${refs(key)}, vars, n, sums, products)
        VALUES ${sql.join(chunk.map((row) => sql`(${sql.join(row)})`))}`.execute(db);
    }
    after = groups[groups.length - 1]!.key;
  }

  await sql`DROP TABLE ${sql.table(table)}`.execute(db);
  await sql`ALTER TABLE ${sql.table(next)} RENAME TO ${sql.table(table)}`.execute(db);
  // PostgreSQL names the key's index after its constraint: give it the table's usual name back.
  if (dialectOf(db) === 'postgres') await sql`ALTER INDEX ${sql.ref(`${next}_pk`)} RENAME TO ${sql.ref(`${table}_pk`)}`.execute(db);
}
