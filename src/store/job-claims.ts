// Claiming durable jobs (mail_jobs, webhook_deliveries): an atomic UPDATE … RETURNING of queued, due rows,
// so two servers never take one job. PostgreSQL picks and locks the due rows first (a CTE, materialised once,
// so its LIMIT holds), SKIP LOCKED passing rows another server is claiming; SQLite has one writer at a time
// (BEGIN IMMEDIATE). In both, the outer `state = 'queued'` is checked again on the row, so a row is claimed once.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { engineOf } from './bulk.ts';
import { writeTransaction } from './write-transaction.ts';

type JobTable = 'mail_jobs' | 'webhook_deliveries';

/** Claims up to `limit` due, queued rows of `table` for this server: state 'sending', attempts + 1. */
export async function claimDue<T extends { attempts: number }>(db: Kysely<Database>, table: JobTable, limit: number, now: Date): Promise<T[]> {
  if (limit <= 0) return [];
  const at = now.toISOString();
  const t = sql.table(table);
  return writeTransaction(db, async (tx) => {
    const r = engineOf(tx).skipLocked
      ? await sql<T>`
      with picked as (
        select org_id, id from ${t} where state = 'queued' and next_attempt_at <= ${at}
        order by next_attempt_at, id limit ${limit} for update skip locked)
      update ${t} j set state = 'sending', claimed_at = ${at}, attempts = j.attempts + 1
      from picked where j.org_id = picked.org_id and j.id = picked.id and j.state = 'queued'
      returning j.*`.execute(tx)
      : await sql<T>`
      update ${t} set state = 'sending', claimed_at = ${at}, attempts = attempts + 1
      where state = 'queued' and (org_id, id) in (
        select org_id, id from ${t} where state = 'queued' and next_attempt_at <= ${at}
        order by next_attempt_at, id limit ${limit})
      returning *`.execute(tx);
    return r.rows.map((j) => ({ ...j, attempts: Number(j.attempts) }));
  });
}
