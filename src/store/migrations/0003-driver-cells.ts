// Key-driver cells (src/store/driver-cells.ts): n, Σx and Σx·x over the complete cases of each driver
// model, per organisation × month × touchpoint × segment combination, kept at ingest. Existing
// responses are summed in here once, in SQL; this file is self-contained (frozen with the layout it
// creates), so a later change to the store cannot alter what this migration did.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../bulk.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = dialectOf(db) === 'sqlite';
  let t = db.schema
    .createTable('driver_cells')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('touchpoint', 'text', (c) => c.notNull())
    .addColumn('segment_key', 'text', (c) => c.notNull())
    .addColumn('item_a', 'text', (c) => c.notNull())
    .addColumn('item_b', 'text', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('driver_cells_pk', ['org_id', 'model', 'signature', 'month', 'touchpoint', 'segment_key', 'item_a', 'item_b']);
  if (sqlite) t = t.modifyEnd(sql`without rowid`);
  await t.execute();
  await backfill(db);
}

/** Adds the driver cells of the stored answers (all organisations, or those listed): the same statistics the ingest path keeps. */
export async function backfill(db: Kysely<any>, orgIds?: string[]): Promise<void> {
  const sqlite = dialectOf(db) === 'sqlite';
  const orgs: { id: string }[] = orgIds ? orgIds.map((id) => ({ id })) : await db.selectFrom('organisations').select('id').execute();
  for (const { id } of orgs) {
    const dims = await db.selectFrom('dimensions').select('key').where('org_id', '=', id).where('customer_item', 'is not', null).execute();
    const predictors = dims.map((d: { key: string }) => `dim:${d.key}`).sort();
    const signature = createHash('sha256').update(predictors.join(',')).digest('hex').slice(0, 16);
    for (const model of ['excellent', 'nps']) {
      const vars = [...predictors, model].sort();
      const inVars = sql.join(vars.map((v) => sql.lit(v)));
      // Byte order, as the ingest path compares items in JavaScript.
      const le = sqlite ? sql`a.item <= b.item` : sql`a.item <= b.item collate "C"`;
      const complete = sql`r.org_id = ${id} and r.perspective = 'customer'
        and (select count(*) from answers c where c.org_id = r.org_id and c.response_id = r.id and c.item in (${inVars})) = ${vars.length}`;
      const head = sql`insert into driver_cells (org_id, model, signature, month, touchpoint, segment_key, item_a, item_b, total)`;
      const keys = sql`r.org_id, ${sql.lit(model)}, ${sql.lit(signature)}, r.month, r.touchpoint, r.segment_key`;
      const group = sql`r.org_id, r.month, r.touchpoint, r.segment_key`;
      await sql`${head} select ${keys}, '', '', count(*) from responses r where ${complete} group by ${group}`.execute(db);
      await sql`${head} select ${keys}, a.item, '', sum(a.value)
        from responses r join answers a on a.org_id = r.org_id and a.response_id = r.id and a.item in (${inVars})
        where ${complete} group by ${group}, a.item`.execute(db);
      await sql`${head} select ${keys}, a.item, b.item, sum(a.value * b.value)
        from responses r
        join answers a on a.org_id = r.org_id and a.response_id = r.id and a.item in (${inVars})
        join answers b on b.org_id = r.org_id and b.response_id = r.id and b.item in (${inVars}) and ${le}
        where ${complete} group by ${group}, a.item, b.item`.execute(db);
    }
  }
}
