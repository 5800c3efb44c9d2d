// Storing responses: raw rows, their answers and the answer-count cells, in one transaction, so an
// acknowledged response is durable and complete, and an idempotency key stores it at most once.
import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
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

export interface NewResponse {
  orgId: string;
  surveyId: string;
  perspective: Perspective;
  submission: ValidSubmission;
  idempotencyKey?: string | null;
}

type CellKey = string;
/** Adds responses' answers into cell deltas, keyed by the cell's primary key. */
function addCells(cells: Map<CellKey, Database['answer_cells']>, r: NewResponse) {
  const base = {
    org_id: r.orgId,
    perspective: r.perspective,
    month: monthOf(r.submission.submittedAt),
    touchpoint: r.submission.touchpoint ?? '',
    segment_key: segmentKey(r.submission.segments),
  };
  const items: [string, number][] = [['*', 0], ...Object.entries(r.submission.answers)];
  for (const [item, value] of items) {
    const k = [base.perspective, base.month, base.touchpoint, base.segment_key, item, value].join('\u0000');
    const c = cells.get(k);
    if (c) c.count += 1;
    else cells.set(k, { ...base, item, value, count: 1 });
  }
}

const CHUNK = 500;

async function writeCells(tx: Transaction<Database>, cells: Map<CellKey, Database['answer_cells']>) {
  const rows = [...cells.values()];
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx
      .insertInto('answer_cells')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc
          .columns(['org_id', 'perspective', 'month', 'touchpoint', 'segment_key', 'item', 'value'])
          .doUpdateSet({ count: sql<number>`answer_cells.count + excluded.count` }),
      )
      .execute();
  }
}

async function insertRows(tx: Transaction<Database>, batch: (NewResponse & { id: string; hash: string })[]) {
  const now = new Date().toISOString();
  for (let i = 0; i < batch.length; i += CHUNK) {
    await tx
      .insertInto('responses')
      .values(
        batch.slice(i, i + CHUNK).map((r) => ({
          org_id: r.orgId,
          id: r.id,
          survey_id: r.surveyId,
          perspective: r.perspective,
          respondent_id: r.submission.respondentId,
          submitted_at: r.submission.submittedAt,
          month: monthOf(r.submission.submittedAt),
          touchpoint: r.submission.touchpoint ?? '',
          segment_key: segmentKey(r.submission.segments),
          segments: JSON.stringify(r.submission.segments),
          comment: r.submission.comment,
          idempotency_key: r.idempotencyKey ?? null,
          request_hash: r.hash,
          created_at: now,
        })),
      )
      .execute();
  }
  const answers = batch.flatMap((r) =>
    Object.entries(r.submission.answers).map(([item, value]) => ({ org_id: r.orgId, response_id: r.id, item, value })),
  );
  // Multi-row inserts bounded so PostgreSQL's 65,535-parameter limit is never reached.
  for (let i = 0; i < answers.length; i += CHUNK * 4) {
    await tx.insertInto('answers').values(answers.slice(i, i + CHUNK * 4)).execute();
  }
  const cells = new Map<CellKey, Database['answer_cells']>();
  for (const r of batch) addCells(cells, r);
  await writeCells(tx, cells);
}

/**
 * Stores one response. With an idempotency key already used for the same submission it returns the
 * stored response (created: false); for a different submission it throws IdempotencyConflict.
 */
export async function storeResponse(db: Kysely<Database>, r: NewResponse): Promise<StoredResponse> {
  const hash = submissionHash(r.submission);
  const existing = async (): Promise<StoredResponse | undefined> => {
    if (!r.idempotencyKey) return undefined;
    const row = await db
      .selectFrom('responses')
      .select(['id', 'request_hash'])
      .where('org_id', '=', r.orgId)
      .where('idempotency_key', '=', r.idempotencyKey)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.request_hash !== hash) throw new IdempotencyConflict(r.idempotencyKey);
    return { id: row.id, created: false };
  };
  const before = await existing();
  if (before) return before;
  const id = randomUUID();
  try {
    await db.transaction().execute((tx) => insertRows(tx, [{ ...r, id, hash }]));
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
  const prepared = rows.map((r) => ({ ...r, id: randomUUID(), hash: submissionHash(r.submission) }));
  let inserted = 0;
  await db.transaction().execute(async (tx) => {
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
      if (batch.length) await insertRows(tx, batch);
      inserted += batch.length;
      onProgress?.(Math.min(i + step, prepared.length), prepared.length);
    }
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
