// The themes report's precomputed counts (table theme_counts, migration 0029): comments per perspective,
// channel, month, touchpoint, segment key, sentiment and tag set. Kept in the transaction that writes or
// deletes a comment's reading (store/comment-analysis.ts): the contribution of the affected texts is read
// back from their rows (responses or feedback items, and their reading) and added or taken away, so every
// writer — live and bulk ingest, feedback items, backfill and rescoring, erasure — keeps the counts exact
// without knowing their layout. The aggregate rebuild (store/rebuild.ts) recomputes them from scratch.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, ThemeCountsTable } from './schema.ts';
import { bulkWrite, type BulkColumn } from './bulk.ts';

type Db = Kysely<Database> | Transaction<Database>;

const text = (name: string): BulkColumn => ({ name, type: 'text' });
const COLUMNS: BulkColumn[] = [
  text('org_id'), text('perspective'), text('channel'), text('month'), text('touchpoint'), text('segment_key'),
  text('sentiment'), text('dimensions'), text('touchpoints'), { name: 'n', type: 'integer' },
];
const KEY = ['org_id', 'channel', 'perspective', 'month', 'touchpoint', 'segment_key', 'sentiment', 'dimensions', 'touchpoints'];
const CHUNK = 500;

/** A count row without its organisation; `n` as the engine returns it (pg: a string for a sum). */
type Contribution = Omit<ThemeCountsTable, 'org_id' | 'n'> & { n: number | string };

/**
 * The texts' counts by the table's key: survey comments (a non-empty comment) and feedback items, each with its
 * reading or '' where it has none. `ids` limits them to those texts; without, every text of the organisation.
 */
async function contributions(db: Db, orgId: string, ids?: readonly string[]): Promise<Contribution[]> {
  const only = ids ? sql`and r.id in (${sql.join(ids)})` : sql``;
  const reading = sql`coalesce(ca.sentiment, '') as sentiment, coalesce(ca.dimensions, '') as dimensions, coalesce(ca.touchpoints, '') as touchpoints, count(*) as n`;
  const join = sql`left join comment_analysis ca on ca.org_id = r.org_id and ca.response_id = r.id`;
  const group = sql`r.month, r.touchpoint, r.segment_key, ca.sentiment, ca.dimensions, ca.touchpoints`;
  const survey = await sql<Contribution>`
    select r.perspective, '' as channel, r.month, r.touchpoint, r.segment_key, ${reading}
    from responses r ${join}
    where r.org_id = ${orgId} and r.comment is not null and r.comment <> '' ${only}
    group by r.perspective, ${group}`.execute(db);
  const feedback = await sql<Contribution>`
    select 'customer' as perspective, r.channel, r.month, r.touchpoint, r.segment_key, ${reading}
    from feedback_items r ${join}
    where r.org_id = ${orgId} ${only}
    group by r.channel, ${group}`.execute(db);
  return [...survey.rows, ...feedback.rows];
}

const keyOf = (c: Contribution) => [c.channel, c.perspective, c.month, c.touchpoint, c.segment_key, c.sentiment, c.dimensions, c.touchpoints].join('\u0000');

/** Upserts the summed counts, in key order (concurrent PostgreSQL writers then lock rows in one order). */
async function writeCounts(tx: Transaction<Database>, orgId: string, sums: Map<string, Contribution & { n: number }>): Promise<void> {
  const rows = [...sums.entries()]
    .filter(([, c]) => c.n !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, c]) => [orgId, c.perspective, c.channel, c.month, c.touchpoint, c.segment_key, c.sentiment, c.dimensions, c.touchpoints, c.n]);
  for (let i = 0; i < rows.length; i += CHUNK) await bulkWrite(tx, 'theme_counts', COLUMNS, rows.slice(i, i + CHUNK), { conflict: KEY, add: ['n'] });
}

/**
 * Adds (sign 1) or takes away (sign −1) the counts of these texts as they are stored now: call with −1 before
 * their reading (or the text itself) is deleted or replaced, with 1 after it is written. Ids of neither table are
 * ignored. Rows that reach zero are removed.
 */
export async function addThemeCounts(tx: Transaction<Database>, orgId: string, ids: readonly string[], sign: 1 | -1): Promise<void> {
  if (ids.length === 0) return;
  const sums = new Map<string, Contribution & { n: number }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const c of await contributions(tx, orgId, ids.slice(i, i + CHUNK))) {
      const k = keyOf(c);
      const s = sums.get(k);
      if (s) s.n += sign * Number(c.n);
      else sums.set(k, { ...c, n: sign * Number(c.n) });
    }
  }
  await writeCounts(tx, orgId, sums);
  if (sign < 0) {
    const months = [...new Set([...sums.values()].map((c) => c.month))];
    for (let i = 0; i < months.length; i += CHUNK)
      await tx.deleteFrom('theme_counts').where('org_id', '=', orgId).where('month', 'in', months.slice(i, i + CHUNK)).where('n', '<=', 0).execute();
  }
}

/** Recomputes the organisation's counts from its stored texts and readings (the aggregate rebuild). */
export async function rebuildThemeCounts(tx: Transaction<Database>, orgId: string): Promise<void> {
  await tx.deleteFrom('theme_counts').where('org_id', '=', orgId).execute();
  const sums = new Map<string, Contribution & { n: number }>();
  for (const c of await contributions(tx, orgId)) sums.set(keyOf(c), { ...c, n: Number(c.n) });
  await writeCounts(tx, orgId, sums);
}

/** The stored counts of one organisation, as rows (for checks against a recomputation). */
export async function readAllThemeCounts(db: Db, orgId: string): Promise<Contribution[]> {
  return (await db.selectFrom('theme_counts').selectAll().where('org_id', '=', orgId).execute()).map(({ org_id: _, ...r }) => r);
}

/** What the stored texts add up to now, by the same key (for checks: equals readAllThemeCounts after any write). */
export async function recomputeThemeCounts(db: Db, orgId: string): Promise<Contribution[]> {
  return (await contributions(db, orgId)).map((c) => ({ ...c, n: Number(c.n) }));
}
