// The raw answers packed one row per response (src/store/answers.ts): `answers` (org_id, response_id,
// item, value), one row per answer, becomes `answers` (org_id, response_id, items) with items
// "code=value,…" in code order, and `answer_items` (org_id, code, item) gives each organisation's item
// keys small codes (assigned in item order, from 0). Converted in place, in batches of old rows, so
// memory stays bounded at any size; the whole conversion is one transaction on both engines, so the old
// table goes only together with a complete new one. Self-contained (its own encoder and inserts): a
// later change to the store cannot alter what this migration did.
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { dialectOf } from '../bulk.ts';

/** Old answer rows read per batch. */
export const BATCH_ROWS = 20_000;
/** Rows per INSERT statement into the new table. */
const INSERT_ROWS = 1_000;

export async function up(db: Kysely<any>): Promise<void> {
  // Kysely runs PostgreSQL migrations in a transaction but not SQLite's: take one here.
  if (db.isTransaction) await compactAnswers(db);
  else await db.transaction().execute((tx) => compactAnswers(tx));
}

/** The conversion (exported so a test can run it with tiny batches). */
export async function compactAnswers(db: Kysely<any>, batchRows = BATCH_ROWS): Promise<void> {
  if (!Number.isInteger(batchRows) || batchRows < 1) throw new Error('batchRows must be a positive integer');
  const postgres = dialectOf(db) === 'postgres';
  let items = db.schema
    .createTable('answer_items')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('code', 'smallint', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('answer_items_pk', ['org_id', 'code'])
    .addUniqueConstraint('answer_items_item', ['org_id', 'item']);
  if (!postgres) items = items.modifyEnd(sql`without rowid`);
  await items.execute();
  let packed = db.schema
    .createTable('answers_packed')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('response_id', 'text', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('answers_packed_pk', ['org_id', 'response_id']);
  if (!postgres) packed = packed.modifyEnd(sql`without rowid`);
  await packed.execute();

  // The dictionary: each organisation's distinct items, coded in (JavaScript) sort order.
  const distinct: { org_id: string; item: string }[] = await db.selectFrom('answers').select(['org_id', 'item']).distinct().execute();
  const codes = new Map<string, Map<string, number>>();
  for (const { org_id, item } of distinct) {
    let m = codes.get(org_id);
    if (!m) codes.set(org_id, (m = new Map()));
    m.set(item, 0);
  }
  const dictRows: unknown[][] = [];
  for (const [orgId, m] of codes) {
    const sorted = [...m.keys()].sort();
    if (sorted.length > 32_768) throw new Error(`organisation ${orgId}: ${sorted.length} answer items, more than a smallint code can hold`);
    sorted.forEach((item, code) => {
      m.set(item, code);
      dictRows.push([orgId, code, item]);
    });
  }
  await insertRows(db, postgres, 'answer_items', ['org_id', 'code', 'item'], ['text', 'smallint', 'text'], dictRows);

  // The answers, organisation by organisation, in key order: a batch ends before its last response,
  // which may go on in the next batch (keyset paging on response_id).
  for (const orgId of [...codes.keys()].sort()) {
    const codeOf = codes.get(orgId)!;
    let after: string | undefined;
    for (;;) {
      const rows: { response_id: string; item: string; value: unknown }[] = await db
        .selectFrom('answers')
        .select(['response_id', 'item', 'value'])
        .where('org_id', '=', orgId)
        .$if(after !== undefined, (q) => q.where('response_id', '>', after!))
        .orderBy('response_id')
        .orderBy('item')
        .limit(batchRows)
        .execute();
      if (rows.length === 0) break;
      let take = rows;
      if (rows.length === batchRows) {
        const last = rows[rows.length - 1]!.response_id;
        take = rows.filter((r) => r.response_id !== last);
        // One response with more answers than a batch: read it whole (its answers are bounded by the dictionary).
        if (take.length === 0) {
          take = await db.selectFrom('answers').select(['response_id', 'item', 'value']).where('org_id', '=', orgId).where('response_id', '=', last).execute();
        }
      }
      const out: unknown[][] = [];
      let current: string | undefined;
      let pairs: [number, number][] = [];
      const flush = () => {
        if (current === undefined) return;
        pairs.sort((a, b) => a[0] - b[0]);
        out.push([orgId, current, pairs.map(([c, v]) => `${c}=${v}`).join(',')]);
      };
      for (const r of take) {
        if (r.response_id !== current) {
          flush();
          current = r.response_id;
          pairs = [];
        }
        const value = Number(r.value);
        if (!Number.isSafeInteger(value)) throw new Error(`answers row (${orgId}, ${r.response_id}, ${r.item}): value ${String(r.value)} is not a whole number`);
        pairs.push([codeOf.get(r.item)!, value]);
      }
      flush();
      await insertRows(db, postgres, 'answers_packed', ['org_id', 'response_id', 'items'], ['text', 'text', 'text'], out);
      after = current;
    }
  }

  await db.schema.dropTable('answers').execute();
  await db.schema.alterTable('answers_packed').renameTo('answers').execute();
  if (postgres) {
    await sql`alter index answers_packed_pk rename to answers_pk`.execute(db);
    // A new table has no statistics until autovacuum comes by: without them the planner read the whole
    // table for each page of readAnswers (350 ms a page at a million responses, instead of a few).
    await sql`analyze answers`.execute(db);
    await sql`analyze answer_items`.execute(db);
  }
}

/** Multi-row inserts: fixed-size VALUES lists on SQLite, one INSERT … SELECT FROM unnest() per chunk on PostgreSQL. */
async function insertRows(db: Kysely<any>, postgres: boolean, table: string, columns: string[], types: string[], rows: unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_ROWS) {
    const chunk = rows.slice(i, i + INSERT_ROWS);
    if (postgres) {
      const arrays = types.map((t, j) => `$${j + 1}::${t}[]`).join(', ');
      await db.executeQuery(CompiledQuery.raw(`INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${arrays})`, columns.map((_, j) => chunk.map((r) => r[j]))));
    } else {
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      await db.executeQuery(CompiledQuery.raw(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`, chunk.flat()));
    }
  }
}
