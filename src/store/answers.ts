// The raw answers of stored responses: the only module that knows how they are laid out on disk. Every
// other store module writes, reads and deletes them through the functions here, so the layout (and its
// migration) can change in one place.
//
// Layout (migration 0011): one `answers` row per response, keyed (org_id, response_id), whose `items`
// column packs the answers as "code=value" pairs in code order ("0=5,3=4,7=10"); each organisation's
// item keys ("dim:empathy", "nps", …) get small integer codes in `answer_items`. Measured at 1M customer
// responses (bench/storage-size.ts), ~106 bytes per response on SQLite and ~201 on PostgreSQL, against
// ~1,725 and ~2,662 for the former row per answer (and, at 100k, ~280 / ~1,170 for a row per answer keyed
// by integers): no report reads single answers, so nothing is lost by packing them. Text rather than a
// binary blob: any integer value fits, and both engines can pick one item out in SQL (comments.ts).
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { bulkWrite, engineOf, type BulkColumn } from './bulk.ts';

/** Response ids per statement: bound parameters stay far below both engines' limits. */
const CHUNK = 500;
/** Codes are PostgreSQL smallints. An organisation has tens of items; this bounds a runaway. */
export const MAX_ITEM_CODE = 32_767;

export interface ResponseAnswers {
  orgId: string;
  responseId: string;
  answers: Readonly<Record<string, number>>;
}

/** An organisation's item dictionary, both ways. */
export interface ItemDictionary {
  codeOf: Map<string, number>;
  itemOf: Map<number, string>;
}

const ANSWER_COLUMNS = [
  { name: 'org_id', type: 'text' },
  { name: 'response_id', type: 'text' },
  { name: 'items', type: 'text' },
] satisfies BulkColumn[];

/** The item dictionary of one organisation (committed codes, and those of the caller's transaction). */
export async function readItemDictionary(db: Kysely<Database>, orgId: string): Promise<ItemDictionary> {
  const rows = await db.selectFrom('answer_items').select(['code', 'item']).where('org_id', '=', orgId).execute();
  const out: ItemDictionary = { codeOf: new Map(), itemOf: new Map() };
  for (const r of rows) {
    out.codeOf.set(r.item, Number(r.code));
    out.itemOf.set(Number(r.code), r.item);
  }
  return out;
}

/**
 * The dictionary of one organisation holding every item in `items`, adding codes for new ones (in the
 * caller's transaction). New items are rare (a framework change), so only then is the organisation's
 * dictionary locked: PostgreSQL takes a transaction-scoped advisory lock and reads again, so two
 * concurrent writers cannot give one code to two items; SQLite's writer holds the database already.
 */
async function dictionaryWith(tx: Transaction<Database>, orgId: string, items: Iterable<string>): Promise<ItemDictionary> {
  let dict = await readItemDictionary(tx, orgId);
  let missing = [...new Set(items)].filter((i) => !dict.codeOf.has(i));
  if (missing.length === 0) return dict;
  // Another writer may have coded them since we read: lock the organisation's dictionary, read again.
  await engineOf(tx).lockUntilCommit(tx, 'parallax.answer_items', orgId);
  dict = await readItemDictionary(tx, orgId);
  missing = missing.filter((i) => !dict.codeOf.has(i));
  if (missing.length === 0) return dict;
  let next = dict.itemOf.size ? Math.max(...dict.itemOf.keys()) + 1 : 0;
  if (next + missing.length - 1 > MAX_ITEM_CODE) throw new Error(`organisation ${orgId}: more than ${MAX_ITEM_CODE + 1} answer items`);
  const added = missing.sort().map((item) => ({ org_id: orgId, code: next++, item }));
  await tx.insertInto('answer_items').values(added).execute();
  for (const a of added) {
    dict.codeOf.set(a.item, a.code);
    dict.itemOf.set(a.code, a.item);
  }
  return dict;
}

/** Packs one response's answers ("code=value" pairs in code order). Throws on a value that is not a safe integer. */
export function packAnswers(codeOf: ReadonlyMap<string, number>, answers: Readonly<Record<string, number>>): string {
  const pairs: [number, number][] = [];
  for (const item in answers) {
    const value = answers[item]!;
    const code = codeOf.get(item);
    if (code === undefined) throw new Error(`answer item ${JSON.stringify(item)} has no code`);
    if (!Number.isSafeInteger(value)) throw new Error(`answer ${JSON.stringify(item)}: ${value} is not a whole number`);
    pairs.push([code, value]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  return pairs.map(([c, v]) => `${c}=${v}`).join(',');
}

/** Unpacks a stored `items` value into item → value (a null-prototype record). */
export function unpackAnswers(items: string, itemOf: ReadonlyMap<number, string>): Record<string, number> {
  const out = Object.create(null) as Record<string, number>;
  if (items === '') return out;
  for (const pair of items.split(',')) {
    const eq = pair.indexOf('=');
    const item = itemOf.get(Number(pair.slice(0, eq)));
    if (eq < 1 || item === undefined) throw new Error(`stored answers hold an unknown item code: ${JSON.stringify(pair)}`);
    out[item] = Number(pair.slice(eq + 1));
  }
  return out;
}

/**
 * SQL for the value of one item in the `items` column `column` (e.g. 'a.items') of a joined answers row:
 * an integer, or null when the response did not answer it (or the organisation has no such item: `code`
 * undefined). For queries that filter or sort on one answer without reading the rest (verbatims).
 */
export function answerValueSql(db: Kysely<any>, column: string, code: number | undefined): RawBuilder<number | null> {
  if (code === undefined) return sql<number | null>`null`;
  return engineOf(db).packedValue(sql`(',' || ${sql.ref(column)})`, code);
}

/** Writes the answers of new responses (in the caller's transaction). A response without answers writes no row. */
export async function writeAnswers(tx: Transaction<Database>, responses: readonly ResponseAnswers[]): Promise<void> {
  const byOrg = new Map<string, ResponseAnswers[]>();
  for (const r of responses) {
    let list = byOrg.get(r.orgId);
    if (!list) byOrg.set(r.orgId, (list = []));
    list.push(r);
  }
  const rows: unknown[][] = [];
  for (const [orgId, list] of byOrg) {
    const items = new Set<string>();
    for (const r of list) for (const item in r.answers) items.add(item);
    if (items.size === 0) continue;
    const { codeOf } = await dictionaryWith(tx, orgId, items);
    for (const r of list) {
      const packed = packAnswers(codeOf, r.answers);
      if (packed !== '') rows.push([orgId, r.responseId, packed]);
    }
  }
  await bulkWrite(tx, 'answers', ANSWER_COLUMNS, rows);
}

/** The answers of the given responses of one organisation: response id → item → value (null-prototype records). */
export async function readAnswers(db: Kysely<Database>, orgId: string, responseIds: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  for (const id of responseIds) out.set(id, Object.create(null) as Record<string, number>);
  if (responseIds.length === 0) return out;
  const { itemOf } = await readItemDictionary(db, orgId);
  for (let i = 0; i < responseIds.length; i += CHUNK) {
    const ids = responseIds.slice(i, i + CHUNK);
    const rows = await db.selectFrom('answers').select(['response_id', 'items']).where('org_id', '=', orgId).where('response_id', 'in', ids).execute();
    for (const a of rows) out.set(a.response_id, unpackAnswers(a.items, itemOf));
  }
  return out;
}

/** Deletes the answers of the given responses of one organisation (erasure). Dictionary codes stay: they are never reused. */
export async function deleteAnswers(tx: Transaction<Database>, orgId: string, responseIds: readonly string[]): Promise<void> {
  for (let i = 0; i < responseIds.length; i += CHUNK) {
    await tx.deleteFrom('answers').where('org_id', '=', orgId).where('response_id', 'in', responseIds.slice(i, i + CHUNK)).execute();
  }
}
