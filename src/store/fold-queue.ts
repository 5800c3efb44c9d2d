// Folding live submissions into the aggregates, many at a time. A submission's transaction writes its
// response, its answers and one fold_queue row (responses.ts) — about sixteen rows, no shared row, no
// lock per organisation — and is acknowledged when that commits. A fold later adds every queued response
// of an organisation to the answer cells, roll-ups and driver cells in one transaction and deletes their
// queue rows in the same transaction, so each response is added exactly once: a fold that rolls back
// leaves its rows queued, and two folds of one organisation (two servers) are ordered by its cell_versions
// row, which each takes first, so the second finds only what the first left.
//
// Why this is correct for the reports: every report reads the organisation's cell version first
// (cell-cache.ts), and that read folds whatever is queued for the organisation before reading the version.
// A report asked after a write was acknowledged — by any server on the database — therefore counts it.
// The server also folds in the background (server/folding.ts), so a report rarely has anything to fold.
//
// Why it pays: per response the aggregates cost ~975 row writes (answer cells and ten roll-up grains,
// driver cells and four grains); folded in batches, responses of the same month, touchpoint and segments
// share those rows, and the coarse grains ('' , 't', 'm', …) are written once per batch, not per response.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { bumpCellVersions } from './cell-versions.ts';
import { addAnswerCells } from './rollups.ts';
import { DriverDeltas } from './driver-cells.ts';
import { AnswerCellDeltas, type CellInput } from './answer-cells.ts';
import { readAnswers } from './answers.ts';
import { writeTransaction } from './write-transaction.ts';
import { parseSegmentKey } from '../core/survey.ts';
import { openCases } from './case-opening.ts';

/** Responses folded per transaction: bounds its memory and how long it holds the organisation's lock. */
export const FOLD_BATCH = 5000;
const CHUNK = 500;

/** Queues stored responses for folding (in the transaction that stores them). */
export async function enqueueFolds(tx: Transaction<Database>, responses: readonly { orgId: string; id: string }[]): Promise<void> {
  for (let i = 0; i < responses.length; i += CHUNK) {
    await tx
      .insertInto('fold_queue')
      .values(responses.slice(i, i + CHUNK).map((r) => ({ org_id: r.orgId, response_id: r.id })))
      .execute();
  }
}

/**
 * Takes responses out of the queue (erasure: a queued response was never added to the aggregates, so
 * there is nothing to take out of them); returns the ids that were queued. Call under the organisation's
 * lock (bumpCellVersions), so no fold is adding them at the same time.
 */
export async function dequeueFolds(tx: Transaction<Database>, orgId: string, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await tx.deleteFrom('fold_queue').where('org_id', '=', orgId).where('response_id', 'in', ids.slice(i, i + CHUNK)).returning('response_id').execute();
    for (const r of rows) out.add(r.response_id);
  }
  return out;
}

/**
 * Empties the organisation's queue (rebuild: it adds every stored response that is not queued once it
 * holds the lock, and a response stored after this is queued, with its row, and left to the next fold).
 */
export async function clearFoldQueue(tx: Transaction<Database>, orgId: string): Promise<void> {
  await tx.deleteFrom('fold_queue').where('org_id', '=', orgId).execute();
}

/** Whether the organisation has responses waiting to be folded (one index probe). */
export async function hasQueuedFolds(db: Kysely<Database>, orgId: string): Promise<boolean> {
  const row = await db.selectFrom('fold_queue').select('response_id').where('org_id', '=', orgId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The responses (with answers) of the given ids, as the aggregate writers take them. */
export async function readCellInputs(tx: Kysely<Database>, orgId: string, ids: readonly string[]): Promise<(CellInput & { id: string; submitted_at: string })[]> {
  const out: (CellInput & { id: string; submitted_at: string })[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await tx
      .selectFrom('responses')
      .select(['id', 'perspective', 'month', 'touchpoint', 'segment_key', 'submitted_at'])
      .where('org_id', '=', orgId)
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    const answers = await readAnswers(tx, orgId, rows.map((r) => r.id));
    for (const r of rows) out.push({ ...r, answers: answers.get(r.id)! });
  }
  return out;
}

/** Adds responses to every aggregate (answer cells and roll-ups, driver cells and roll-ups): folds and rebuilds. */
export async function addToAggregates(tx: Transaction<Database>, orgId: string, responses: readonly (CellInput & { submitted_at: string })[], drivers = new DriverDeltas()): Promise<void> {
  await addAnswerCells(tx, new AnswerCellDeltas().add(orgId, responses).rows());
  await drivers.add(
    tx,
    responses.map((r) => ({
      orgId,
      perspective: r.perspective,
      // The stored cell key, not the segments JSON: the cells must be keyed as the stored ones.
      submission: { submittedAt: r.submitted_at, touchpoint: r.touchpoint, segments: parseSegmentKey(r.segment_key), answers: r.answers },
    })),
  );
  await drivers.write(tx);
}

const nothingQueued = new Error('nothing queued');

/** Folds up to `limit` queued responses of one organisation in one transaction; returns how many. */
async function foldBatch(db: Kysely<Database>, orgId: string, limit: number): Promise<number> {
  return writeTransaction(db, async (tx) => {
    // The organisation's lock first (cell-versions.ts), then the queue as it stands once we hold it.
    await bumpCellVersions(tx, [orgId]);
    const taken = await tx
      .deleteFrom('fold_queue')
      .where('org_id', '=', orgId)
      .where('response_id', 'in', (eb) => eb.selectFrom('fold_queue').select('response_id').where('org_id', '=', orgId).orderBy('response_id').limit(limit))
      .returning('response_id')
      .execute();
    // Nothing left (another fold took it): roll back, so the version bump does not drop every cached report.
    if (taken.length === 0) throw nothingQueued;
    const inputs = await readCellInputs(tx, orgId, taken.map((t) => t.response_id));
    await addToAggregates(tx, orgId, inputs);
    await openCases(tx, orgId, inputs); // each queued response once: the follow-up cases its answers call for (case-opening.ts)
    return taken.length;
  }).catch((err) => {
    if (err === nothingQueued) return 0;
    throw err;
  });
}

/** Folds everything queued for one organisation; returns how many responses were folded. */
export async function foldPending(db: Kysely<Database>, orgId: string, batch = FOLD_BATCH): Promise<number> {
  let folded = 0;
  for (;;) {
    if (!(await hasQueuedFolds(db, orgId))) return folded;
    const n = await foldBatch(db, orgId, batch);
    folded += n;
    if (n < batch) return folded;
  }
}

/** Folds everything queued, organisation by organisation (the server's background folding, tests, the CLI). */
export async function foldAll(db: Kysely<Database>, batch = FOLD_BATCH): Promise<number> {
  const orgs = await db.selectFrom('fold_queue').select('org_id').distinct().execute();
  let folded = 0;
  for (const { org_id } of orgs) folded += await foldPending(db, org_id, batch);
  return folded;
}
