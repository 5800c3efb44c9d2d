// Group commit for the public routes: concurrent submissions share one durable write transaction.
// Why: every response pays one durable commit (an fsync on SQLite with synchronous=FULL, a WAL flush on
// PostgreSQL), and on SQLite one writer at a time. Here submissions queue in memory instead: while one
// batch commits, the next gathers, and each batch commits once. No timer: a lone submission is written at
// once. A batch writes raw rows only (responses, answers, fold-queue rows); the aggregates take them in
// later (fold-queue.ts), so a batch holds no per-organisation lock.
//
// Per response the semantics are storeResponse's: an idempotency key already stored with the same body
// answers the stored id (created: false), with another body IdempotencyConflict — for that caller only;
// two submissions of one key in one batch are stored once and both get the id; a leader link is claimed
// inside the transaction (under a savepoint, so a used link fails its caller and nobody else). Every
// caller is answered only after the transaction holding its response committed. A database-availability
// error (db-errors.ts) fails every caller of the batch — nothing acknowledged; any other error from the
// batch's writes re-runs its submissions one by one through storeResponse, so one bad item fails alone.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { writeTransaction } from './write-transaction.ts';
import { databaseUnavailable } from './db-errors.ts';
import { prepareCommentAnalysis } from './comment-analysis.ts';
import {
  IdempotencyConflict,
  insertRows,
  newResponseId,
  storedIdempotencyKey,
  storeResponse,
  submissionHash,
  type NewResponse,
  type PreparedResponse,
  type StoredResponse,
} from './responses.ts';

type InTransaction = (tx: Transaction<Database>, responseId: string) => Promise<void>;

interface Pending {
  r: NewResponse;
  inTransaction?: InTransaction;
  /** The idempotency key as stored ("<survey>:<key>"), or null. */
  key: string | null;
  hash: string;
  resolve: (s: StoredResponse) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: StoredResponse } | { err: unknown };

export interface GroupCommitOptions {
  /** false: every submission is stored by itself (storeResponse), as before group commit. Default true. */
  enabled?: boolean;
  /** Most responses in one transaction. Default 200. */
  maxBatch?: number;
  /** Test hook: runs inside each batch's transaction after its writes; throwing rolls the batch back. */
  beforeCommit?: (tx: Transaction<Database>, size: number) => Promise<void>;
}

/** Keys looked up per query (bound parameters stay far below both engines' limits). */
const KEY_CHUNK = 500;

export class GroupCommitter {
  readonly enabled: boolean;
  private readonly maxBatch: number;
  private queue: Pending[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  /** Batch transactions committed (for tests and the benchmark). */
  transactions = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.enabled = options.enabled ?? true;
    this.maxBatch = Math.max(1, options.maxBatch ?? 200);
  }

  /** Stores one validated response; resolves once the transaction holding it has committed. */
  submit(r: NewResponse, inTransaction?: InTransaction): Promise<StoredResponse> {
    // Off, or the app is closing (its queue already flushed): the submission is written by itself.
    if (!this.enabled || this.closed) return storeResponse(this.db, r, inTransaction);
    return new Promise<StoredResponse>((resolve, reject) => {
      this.queue.push({ r, inTransaction, key: storedIdempotencyKey(r), hash: submissionHash(r.submission), resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Writes what is queued and waits for it; later submissions are stored one by one. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // One turn of the event loop lets the submissions that arrived with this one join its batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length) await this.commit(this.queue.splice(0, this.maxBatch));
    } finally {
      this.running = undefined;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    let outcomes = new Map<Pending, Outcome>();
    await prepareCommentAnalysis(this.db, batch.map((p) => p.r)); // the text analysis outside the write lock (issue 10)
    try {
      await writeTransaction(this.db, async (tx) => {
        outcomes = await this.write(tx, batch);
        await this.options.beforeCommit?.(tx, batch.length);
      });
      this.transactions++;
    } catch (err) {
      if (databaseUnavailable(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      // Not the database's availability: a submission of the batch is at fault (or raced another server
      // for its key). Each is stored by itself, so only the faulty one fails.
      await Promise.all(batch.map((p) => storeResponse(this.db, p.r, p.inTransaction).then(p.resolve, p.reject)));
      return;
    }
    for (const p of batch) {
      const o = outcomes.get(p)!;
      if ('ok' in o) p.resolve(o.ok);
      else p.reject(o.err);
    }
  }

  /** The batch's writes, in the caller's transaction; what each submission will be answered. */
  private async write(tx: Transaction<Database>, batch: Pending[]): Promise<Map<Pending, Outcome>> {
    const outcomes = new Map<Pending, Outcome>();
    const scoped = (orgId: string, key: string) => `${orgId}\u0000${key}`;
    // Keys stored before this transaction (it holds the write lock: on SQLite nothing can add one now; a
    // PostgreSQL server racing us for a key makes the insert fail, and the one-by-one retry sorts it out).
    const stored = new Map<string, { id: string; hash: string | null }>();
    const keysByOrg = new Map<string, string[]>();
    for (const p of batch) if (p.key) keysByOrg.set(p.r.orgId, [...(keysByOrg.get(p.r.orgId) ?? []), p.key]);
    for (const [orgId, keys] of keysByOrg) {
      const unique = [...new Set(keys)];
      for (let i = 0; i < unique.length; i += KEY_CHUNK) {
        const rows = await tx
          .selectFrom('responses')
          .select(['id', 'idempotency_key', 'request_hash'])
          .where('org_id', '=', orgId)
          .where('idempotency_key', 'in', unique.slice(i, i + KEY_CHUNK))
          .execute();
        for (const row of rows) stored.set(scoped(orgId, row.idempotency_key!), { id: row.id, hash: row.request_hash });
      }
    }
    const written = new Map<string, { id: string; hash: string }>();
    const rows: PreparedResponse[] = [];
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i]!;
      const k = p.key ? scoped(p.r.orgId, p.key) : undefined;
      const before = k ? (stored.get(k) ?? written.get(k)) : undefined;
      if (before) {
        outcomes.set(p, before.hash === p.hash ? { ok: { id: before.id, created: false } } : { err: new IdempotencyConflict(p.r.idempotencyKey!) });
        continue;
      }
      const id = newResponseId();
      if (p.inTransaction) {
        // A savepoint: on PostgreSQL a failed statement would otherwise abort the whole batch.
        const name = sql.raw(`gc_${i}`);
        await sql`savepoint ${name}`.execute(tx);
        try {
          await p.inTransaction(tx, id);
          await sql`release savepoint ${name}`.execute(tx);
        } catch (err) {
          await sql`rollback to savepoint ${name}`.execute(tx);
          await sql`release savepoint ${name}`.execute(tx);
          if (databaseUnavailable(err)) throw err;
          outcomes.set(p, { err });
          continue;
        }
      }
      if (k) written.set(k, { id, hash: p.hash });
      rows.push({ ...p.r, idempotencyKey: p.key, id, hash: p.hash });
      outcomes.set(p, { ok: { id, created: true } });
    }
    if (rows.length) await insertRows(tx, rows);
    return outcomes;
  }
}

/** Whether group commit is on: PARALLAX_GROUP_COMMIT=off turns it off (e.g. to measure without it). */
export function groupCommitFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return !/^(off|0|false|no)$/i.test(env.PARALLAX_GROUP_COMMIT ?? '');
}
