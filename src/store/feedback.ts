// Storing and reading feedback items (issue 9; table feedback_items, migration 0027). An item is written with
// its text's reading (comment_analysis, keyed by the item's id: sentiment, tags, redaction, the same pipeline
// as survey comments) in one transaction, so an acknowledged item is durable and complete. Idempotent twice
// over: a request's Idempotency-Key or webhook-id (feedback_receipts: the same key again returns the first
// answer; with another body it is a conflict), and each item's externalId, unique per source (an item sent
// again is skipped). Nothing here touches a survey table: no survey figure can change.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { bulkWrite, type BulkColumn } from './bulk.ts';
import { writeTransaction } from './write-transaction.ts';
import { deleteCommentAnalysis, prepareCommentAnalysis, writeCommentAnalysis } from './comment-analysis.ts';
import { newResponseId, monthOf } from './responses.ts';
import { feedbackItemHash, type ValidFeedbackItem } from '../core/feedback.ts';
import { segmentKey } from '../core/survey.ts';
import { bumpCellVersions } from './cell-versions.ts';
import { cachedRead } from './cell-cache.ts';
import type { CellCount } from '../core/anonymity.ts';

type Db = Kysely<Database> | Transaction<Database>;

export class FeedbackConflict extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

export interface StoredFeedback {
  /** Per item sent, in order: its id, and whether this request stored it (false: already stored before). */
  items: { id: string; created: boolean }[];
  created: number;
  duplicates: number;
}

const text = (name: string): BulkColumn => ({ name, type: 'text' });
const real = (name: string): BulkColumn => ({ name, type: 'double precision' });
const COLUMNS: BulkColumn[] = [
  text('org_id'), text('id'), text('source_id'), text('channel'), text('external_id'), text('author_ref'), text('occurred_at'), text('month'),
  text('touchpoint'), text('segment_key'), text('segments'), text('comment'), real('rating_value'), real('rating_min'), real('rating_max'), real('rating'),
  text('request_hash'), text('created_at'),
];
const CHUNK = 500;

/**
 * Stores checked items of one organisation. With `receipt` (an API Idempotency-Key or a webhook-id) the whole
 * request is answered once: the same key and body again returns the stored answer, another body throws
 * FeedbackConflict.
 */
export async function storeFeedback(
  db: Kysely<Database>,
  orgId: string,
  items: readonly ValidFeedbackItem[],
  receipt?: { key: string; hash: string },
): Promise<StoredFeedback & { replayed: boolean }> {
  const before = async (q: Db) => {
    if (!receipt) return undefined;
    const r = await q.selectFrom('feedback_receipts').select(['request_hash', 'result']).where('org_id', '=', orgId).where('key', '=', receipt.key).executeTakeFirst();
    if (!r) return undefined;
    if (r.request_hash !== receipt.hash) throw new FeedbackConflict(receipt.key.startsWith('hook:') ? 'webhook-id' : 'Idempotency-Key', 'already used with a different body');
    return { ...(JSON.parse(r.result) as StoredFeedback), replayed: true };
  };
  const seen = await before(db);
  if (seen) return seen;
  // The texts are read (sentiment, tags, redaction) before the write transaction, not while holding its lock:
  // a batch of long interview notes takes a noticeable time to analyse.
  const texts = items.map((i) => ({ comment: i.text }));
  await prepareCommentAnalysis(db, texts.map((submission) => ({ orgId, submission })));
  const prepared = new Map(items.map((i, n) => [i, texts[n]!]));
  try {
    return await writeItems(db, orgId, items, receipt, prepared);
  } catch (err) {
    // Two deliveries of one key at once: the loser of the unique-constraint race answers as the winner did.
    const raced = await before(db).catch(() => undefined);
    if (raced) return raced;
    // Two requests carrying the same externalId at once: the loser's second look finds it stored and skips it.
    if (!receipt && items.some((i) => i.externalId !== null)) return writeItems(db, orgId, items, receipt, prepared);
    throw err;
  }
}

async function writeItems(
  db: Kysely<Database>,
  orgId: string,
  items: readonly ValidFeedbackItem[],
  receipt: { key: string; hash: string } | undefined,
  prepared: ReadonlyMap<ValidFeedbackItem, object>,
): Promise<StoredFeedback & { replayed: boolean }> {
  return await writeTransaction(db, async (tx) => {
    // The organisation's cell version first, as every writer of what reports read takes it: the feedback cells
    // the reports keep (loadFeedbackCells) are stale once this commits, in every process.
    await bumpCellVersions(tx, [orgId]);
    // Items already stored under their source's external id are not stored again (nor twice from one request).
    const existing = new Map<string, string>();
    const keyed = items.filter((i) => i.externalId !== null);
    for (const sourceId of new Set(keyed.map((i) => i.sourceId))) {
      const ext = [...new Set(keyed.filter((i) => i.sourceId === sourceId).map((i) => i.externalId!))];
      for (let k = 0; k < ext.length; k += CHUNK) {
        const rows = await tx.selectFrom('feedback_items').select(['id', 'external_id']).where('org_id', '=', orgId).where('source_id', '=', sourceId).where('external_id', 'in', ext.slice(k, k + CHUNK)).execute();
        for (const r of rows) existing.set(`${sourceId}\u0000${r.external_id}`, r.id);
      }
    }
    const now = new Date().toISOString();
    const out: StoredFeedback['items'] = [];
    const rows: unknown[][] = [];
    const analyse: { orgId: string; responseId: string; comment: string; source?: object }[] = [];
    for (const i of items) {
      const k = i.externalId === null ? null : `${i.sourceId}\u0000${i.externalId}`;
      const stored = k === null ? undefined : existing.get(k);
      if (stored) {
        out.push({ id: stored, created: false });
        continue;
      }
      const id = newResponseId(); // time-ordered; its random bits order the verbatims (store/comments.ts)
      if (k !== null) existing.set(k, id);
      out.push({ id, created: true });
      rows.push([
        orgId, id, i.sourceId, i.channel, i.externalId, i.authorRef, i.occurredAt, monthOf(i.occurredAt), i.touchpoint, segmentKey(i.segments),
        JSON.stringify(i.segments), i.text, i.rating?.value ?? null, i.rating?.min ?? null, i.rating?.max ?? null, i.rating?.normalised ?? null,
        feedbackItemHash(i), now,
      ]);
      analyse.push({ orgId, responseId: id, comment: i.text, source: prepared.get(i) });
    }
    await bulkWrite(tx, 'feedback_items', COLUMNS, rows);
    await writeCommentAnalysis(tx, analyse); // sentiment, tags, redaction: as survey comments
    const created = rows.length;
    const result: StoredFeedback = { items: out, created, duplicates: items.length - created };
    if (receipt) await tx.insertInto('feedback_receipts').values({ org_id: orgId, key: receipt.key, request_hash: receipt.hash, result: JSON.stringify(result), created_at: now }).execute();
    return { ...result, replayed: false };
  });
}

/** Which of these external ids a source holds already (an import's dry run). */
export async function existingExternalIds(db: Db, orgId: string, sourceId: string, externalIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const ids = [...new Set(externalIds)];
  for (let k = 0; k < ids.length; k += CHUNK) {
    const rows = await db.selectFrom('feedback_items').select('external_id').where('org_id', '=', orgId).where('source_id', '=', sourceId).where('external_id', 'in', ids.slice(k, k + CHUNK)).execute();
    for (const r of rows) out.add(r.external_id!);
  }
  return out;
}

/** Deletes items and their analysis (erasure, a source's deletion), in the caller's transaction. */
export async function deleteFeedbackItems(tx: Transaction<Database>, orgId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await bumpCellVersions(tx, [orgId]); // the cached feedback cells are stale (erasure has bumped it already: harmless)
  await deleteCommentAnalysis(tx, orgId, ids);
  for (let i = 0; i < ids.length; i += CHUNK) await tx.deleteFrom('feedback_items').where('org_id', '=', orgId).where('id', 'in', ids.slice(i, i + CHUNK)).execute();
}

/** Erasure of an author (by the reference erasure takes for a respondent): their items and readings. Returns how many. */
export async function eraseFeedbackOfAuthor(tx: Transaction<Database>, orgId: string, authorRef: string): Promise<number> {
  const ids = (await tx.selectFrom('feedback_items').select('id').where('org_id', '=', orgId).where('author_ref', '=', authorRef).execute()).map((r) => r.id);
  await deleteFeedbackItems(tx, orgId, ids);
  return ids.length;
}

export async function countFeedbackOfAuthor(db: Db, orgId: string, authorRef: string): Promise<number> {
  const r = await db.selectFrom('feedback_items').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', orgId).where('author_ref', '=', authorRef).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/**
 * The people per month × touchpoint × segment combination (optionally of some channels): the cells the
 * anonymity rule (core/anonymity.ts) is applied to for the feedback shown in the verbatims, the themes and the
 * ratings. The rule counts people, not items: each cell carries its distinct authors (`people`), so six reviews
 * by two authors are two, and a group spanning cells counts an author once. An item without an author reference
 * counts as an author of its own (nothing says two such items share a writer).
 * Grouping by author costs a request about ten times the plain count (bench/feedback-read.ts), so the cells are
 * kept per cell version (store/cell-cache.ts cachedRead; every feedback write and deletion bumps it): the same
 * array, shared and read-only, until the items change — and the rule's results on it are remembered with it.
 */
export async function loadFeedbackCells(db: Kysely<Database>, orgId: string, channels?: readonly string[]): Promise<readonly CellCount[]> {
  if (channels && channels.length === 0) return [];
  return cachedRead(db, orgId, `feedback-cells\u0000${channels ? [...channels].sort().join(',') : '*'}`, () => readFeedbackCells(db, orgId, channels));
}

async function readFeedbackCells(db: Db, orgId: string, channels?: readonly string[]): Promise<CellCount[]> {
  const rows = await db
    .selectFrom('feedback_items')
    .select(['month', 'touchpoint', 'segment_key', 'author_ref', (eb) => eb.fn.countAll<number>().as('n')])
    .where('org_id', '=', orgId)
    .$if(channels !== undefined, (q) => q.where('channel', 'in', channels!))
    .groupBy(['month', 'touchpoint', 'segment_key', 'author_ref'])
    .execute();
  const ids = new Map<string, number>(); // author reference → id, local to this array
  let next = 0;
  const cells = new Map<string, CellCount & { people: number[] }>();
  for (const r of rows) {
    const key = `${r.month}\u0000${r.touchpoint}\u0000${r.segment_key}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { month: r.month, touchpoint: r.touchpoint, segmentKey: r.segment_key, n: 0, people: [] }));
    if (r.author_ref === null) for (let i = Number(r.n); i > 0; i--) c.people.push(next++);
    else {
      let id = ids.get(r.author_ref);
      if (id === undefined) ids.set(r.author_ref, (id = next++));
      c.people.push(id);
    }
    c.n = c.people.length;
  }
  return [...cells.values()];
}

/** The anonymity rule's reason (worded for respondents) for feedback cells, which count authors. */
export const authorsReason = (reason: string): string => reason.replace('respondents', 'authors of feedback items');

/** Distinct authors among items, in SQL: each author reference once, each item without one as one. */
const authorsOf = (rated: boolean) =>
  rated
    ? sql<number>`count(distinct case when rating is not null then author_ref end) + sum(case when rating is not null and author_ref is null then 1 else 0 end)`
    : sql<number>`count(distinct author_ref) + sum(case when author_ref is null then 1 else 0 end)`;

/**
 * Per channel within a scope: items, rated items and their mean normalised rating (0–1), beside the survey figures;
 * with their distinct authors (all, and of the rated items), the people the anonymity rule counts.
 */
export async function feedbackRatingsByChannel(
  db: Db,
  orgId: string,
  scope: { months?: string[]; touchpoints?: string[]; segmentKeys?: string[] },
): Promise<{ channel: string; items: number; rated: number; meanRating: number | null; authors: number; ratedAuthors: number }[]> {
  const rows = await db
    .selectFrom('feedback_items')
    .select(['channel', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('rating').as('rated'), (eb) => eb.fn.avg<number>('rating').as('mean'),
      authorsOf(false).as('authors'), authorsOf(true).as('rated_authors')])
    .where('org_id', '=', orgId)
    .$if(scope.months !== undefined, (q) => (scope.months!.length ? q.where('month', 'in', scope.months!) : q.where((eb) => eb.val(false))))
    .$if(scope.touchpoints !== undefined, (q) => (scope.touchpoints!.length ? q.where('touchpoint', 'in', scope.touchpoints!) : q.where((eb) => eb.val(false))))
    .$if(scope.segmentKeys !== undefined, (q) => (scope.segmentKeys!.length ? q.where('segment_key', 'in', scope.segmentKeys!) : q.where((eb) => eb.val(false))))
    .groupBy('channel')
    .orderBy('channel')
    .execute();
  return rows.map((r) => ({
    channel: r.channel, items: Number(r.n), rated: Number(r.rated), meanRating: r.mean === null ? null : Number(r.mean),
    authors: Number(r.authors), ratedAuthors: Number(r.rated_authors),
  }));
}
