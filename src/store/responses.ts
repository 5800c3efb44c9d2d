// Storing responses: raw rows and their answers in one transaction, so an acknowledged response is durable
// and complete, and an idempotency key stores it at most once. A live submission is queued for folding
// into the aggregates (fold-queue.ts); a bulk load adds its cells in its own transaction.
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { bulkWrite, type BulkColumn } from './bulk.ts';
import { addAnswerCells } from './rollups.ts';
import { AnswerCellDeltas } from './answer-cells.ts';
import { bumpCellVersions } from './cell-versions.ts';
import { DriverDeltas } from './driver-cells.ts';
import { writeTransaction } from './write-transaction.ts';
import { writeAnswers } from './answers.ts';
import { writeCommentAnalysis } from './comment-analysis.ts';
import { enqueueFolds } from './fold-queue.ts';
import { segmentKey, type Perspective, type ValidSubmission } from '../core/survey.ts';

export interface StoredResponse {
  id: string;
  created: boolean;
}

export class IdempotencyConflict extends Error {
  constructor(public readonly key: string) {
    super(`Idempotency-Key "${key}" was already used with a different request body`);
  }
}

export const monthOf = (iso: string) => iso.slice(0, 7);

/**
 * A time-ordered UUID (version 7: 48-bit millisecond time, then random bits). New rows land at the
 * right-hand edge of the responses and answers keys instead of at random pages, which keeps bulk
 * ingest and the b-trees compact at millions of responses; 74 random bits keep ids unguessable.
 */
export function newResponseId(now = Date.now()): string {
  const t = now.toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

/** A stable fingerprint of what a submission says, to tell a retry from a reused key. */
export function submissionHash(s: ValidSubmission): string {
  const canonical = JSON.stringify([
    s.respondentId,
    s.touchpoint,
    segmentKey(s.segments),
    Object.keys(s.answers)
      .sort()
      .map((k) => [k, s.answers[k]]),
    s.comment,
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * Idempotency keys are the client's, scoped to one survey: the same token sent to two surveys of an
 * organisation is two responses. Stored as "<survey id>:<key>" under the (org_id, idempotency_key) unique
 * constraint (survey ids never hold ':'; migration 0010 scoped the keys stored before).
 */
export const storedIdempotencyKey = (r: { surveyId: string; idempotencyKey?: string | null }): string | null =>
  r.idempotencyKey ? `${r.surveyId}:${r.idempotencyKey}` : null;

export interface NewResponse {
  orgId: string;
  surveyId: string;
  perspective: Perspective;
  submission: ValidSubmission;
  idempotencyKey?: string | null;
}

const CHUNK = 500;

const text = (name: string): BulkColumn => ({ name, type: 'text' });
const int = (name: string): BulkColumn => ({ name, type: 'integer' });

/** Adds cell deltas into the stored cells and into their roll-ups (rollups.ts). */
async function writeCells(tx: Transaction<Database>, cells: AnswerCellDeltas) {
  if (cells.size === 0) return;
  // First the organisations' cell versions (cell-versions.ts): also the lock that orders concurrent writers.
  await bumpCellVersions(tx, cells.organisations());
  await addAnswerCells(tx, cells.rows());
}

const RESPONSE_COLUMNS = [
  text('org_id'), text('id'), text('survey_id'), text('perspective'), text('respondent_id'), text('submitted_at'), text('month'),
  text('touchpoint'), text('segment_key'), text('segments'), text('comment'), text('idempotency_key'), text('request_hash'), text('created_at'),
];

/** A response ready to write: its id, request hash, and its idempotency key as stored (storedIdempotencyKey). */
export type PreparedResponse = NewResponse & { id: string; hash: string };

/**
 * Writes the responses and their answers. With `deltas` (a bulk load) their cells are added to the
 * caller's deltas, which it writes once, later in the same transaction: a bulk load touches each cell once,
 * not once per batch. Without, they are queued for folding (fold-queue.ts).
 */
export async function insertRows(
  tx: Transaction<Database>,
  batch: PreparedResponse[],
  deltas?: { cells: AnswerCellDeltas; drivers: DriverDeltas },
) {
  const now = new Date().toISOString();
  await bulkWrite(
    tx,
    'responses',
    RESPONSE_COLUMNS,
    batch.map((r) => [
      r.orgId,
      r.id,
      r.surveyId,
      r.perspective,
      r.submission.respondentId,
      r.submission.submittedAt,
      monthOf(r.submission.submittedAt),
      r.submission.touchpoint ?? '',
      segmentKey(r.submission.segments),
      JSON.stringify(r.submission.segments),
      r.submission.comment,
      r.idempotencyKey ?? null,
      r.hash,
      now,
    ]),
  );
  await writeAnswers(tx, batch.map((r) => ({ orgId: r.orgId, responseId: r.id, answers: r.submission.answers })));
  await writeCommentAnalysis(tx, batch.map((r) => ({ orgId: r.orgId, responseId: r.id, comment: r.submission.comment, source: r.submission }))); // sentiment, tags, redaction
  if (!deltas) {
    // A live submission: the aggregates take it in later, with others (fold-queue.ts).
    await enqueueFolds(tx, batch);
    return;
  }
  for (const r of batch) {
    const s = r.submission;
    deltas.cells.add(r.orgId, [{ perspective: r.perspective, month: monthOf(s.submittedAt), touchpoint: s.touchpoint ?? '', segment_key: segmentKey(s.segments), answers: s.answers }]);
  }
  await deltas.drivers.add(tx, batch);
}

/**
 * Stores one response. With an idempotency key already used for the same submission it returns the
 * stored response (created: false); for a different submission it throws IdempotencyConflict.
 */
/**
 * `inTransaction` runs inside the storing transaction, before the rows are written (a leader link is
 * claimed there: leader-links.ts); if it throws, nothing is stored.
 */
export async function storeResponse(
  db: Kysely<Database>,
  r: NewResponse,
  inTransaction?: (tx: Transaction<Database>, responseId: string) => Promise<void>,
): Promise<StoredResponse> {
  const hash = submissionHash(r.submission);
  const key = storedIdempotencyKey(r);
  const existing = async (): Promise<StoredResponse | undefined> => {
    if (!r.idempotencyKey || !key) return undefined;
    const row = await db
      .selectFrom('responses')
      .select(['id', 'request_hash'])
      .where('org_id', '=', r.orgId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.request_hash !== hash) throw new IdempotencyConflict(r.idempotencyKey);
    return { id: row.id, created: false };
  };
  const before = await existing();
  if (before) return before;
  const id = newResponseId();
  try {
    await writeTransaction(db, async (tx) => {
      await inTransaction?.(tx, id);
      await insertRows(tx, [{ ...r, idempotencyKey: key, id, hash }]);
    });
  } catch (err) {
    // Two concurrent requests with one key: the loser of the unique-constraint race returns the winner's row.
    const raced = await existing();
    if (raced) return raced;
    throw err;
  }
  return { id, created: true };
}

/**
 * Stores many responses all-or-nothing (imports, demo). Rows whose idempotency key is already
 * stored are skipped, so importing the same file twice stores each response once.
 */
export async function storeResponses(
  db: Kysely<Database>,
  rows: NewResponse[],
  onProgress?: (done: number, total: number) => void,
): Promise<{ inserted: number; skipped: number }> {
  const prepared = rows.map((r) => ({ ...r, idempotencyKey: storedIdempotencyKey(r), id: newResponseId(), hash: submissionHash(r.submission) }));
  let inserted = 0;
  await writeTransaction(db, async (tx) => {
    const cells = new AnswerCellDeltas();
    const drivers = new DriverDeltas();
    const step = 2000;
    for (let i = 0; i < prepared.length; i += step) {
      let batch = prepared.slice(i, i + step);
      const keyed = batch.filter((r) => r.idempotencyKey);
      if (keyed.length) {
        const seen = new Set<string>();
        for (const orgId of new Set(keyed.map((r) => r.orgId))) {
          const keys = keyed.filter((r) => r.orgId === orgId).map((r) => r.idempotencyKey!);
          for (let k = 0; k < keys.length; k += CHUNK) {
            const found = await tx
              .selectFrom('responses')
              .select('idempotency_key')
              .where('org_id', '=', orgId)
              .where('idempotency_key', 'in', keys.slice(k, k + CHUNK))
              .execute();
            for (const f of found) seen.add(`${orgId}\u0000${f.idempotency_key}`);
          }
        }
        batch = batch.filter((r) => {
          if (!r.idempotencyKey) return true;
          const k = `${r.orgId}\u0000${r.idempotencyKey}`;
          if (seen.has(k)) return false;
          seen.add(k); // a key repeated inside the same file also stores once
          return true;
        });
      }
      if (batch.length) await insertRows(tx, batch, { cells, drivers });
      inserted += batch.length;
      onProgress?.(Math.min(i + step, prepared.length), prepared.length);
    }
    await writeCells(tx, cells);
    await drivers.write(tx);
  });
  return { inserted, skipped: prepared.length - inserted };
}

export async function countResponses(db: Kysely<Database>, orgId: string): Promise<{ customer: number; leader: number }> {
  const rows = await db
    .selectFrom('responses')
    .select(['perspective', (eb) => eb.fn.countAll<number>().as('n')])
    .where('org_id', '=', orgId)
    .groupBy('perspective')
    .execute();
  const get = (p: string) => Number(rows.find((r) => r.perspective === p)?.n ?? 0);
  return { customer: get('customer'), leader: get('leader') };
}
