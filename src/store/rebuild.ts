// Rebuilding the derived tables (answer cells, answer roll-ups, driver cells, driver roll-ups) of an
// organisation from its raw responses and answers: after a bug in the incremental upkeep, or after a
// framework change (the driver cells are then recomputed under the predictor set in force now, so every
// stored response that completes it counts, not only those stored since the change). One write
// transaction per organisation: its reports see the old figures or the new ones, never a half-built
// table. Folds of that organisation wait for it; live submissions do not (they are queued, fold-queue.ts),
// except on SQLite, which has one writer.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { bumpCellVersions } from './cell-versions.ts';
import { addAnswerCells } from './rollups.ts';
import { DriverDeltas } from './driver-cells.ts';
import { AnswerCellDeltas, type CellInput } from './answer-cells.ts';
import { writeTransaction } from './write-transaction.ts';
import { readAnswers } from './answers.ts';
import { clearFoldQueue } from './fold-queue.ts';
import { rebuildThemeCounts } from './theme-counts.ts';
import { parseSegmentKey } from '../core/survey.ts';

const BATCH = 2000;

export const DERIVED_TABLES = ['answer_cells', 'answer_rollups', 'driver_cells', 'driver_rollups'] as const;

export class UnknownOrganisation extends Error {
  constructor(public readonly orgId: string) {
    super(`No organisation "${orgId}"`);
  }
}

async function rebuildOne(tx: Transaction<Database>, orgId: string): Promise<number> {
  // The cell version first, as every writer of the organisation takes it (cell-cache.ts): the lock, and
  // the signal to every cached report that its cells changed.
  await bumpCellVersions(tx, [orgId]);
  for (const table of DERIVED_TABLES) await tx.deleteFrom(table).where('org_id', '=', orgId).execute();
  // Every response stored and not queued from here on is added below; one stored later is queued with it
  // (fold-queue.ts) and skipped here, for the next fold.
  await clearFoldQueue(tx, orgId);
  await rebuildThemeCounts(tx, orgId); // the themes' counts (theme_counts), from the texts and their readings
  const cells = new AnswerCellDeltas();
  const drivers = new DriverDeltas();
  let after = '';
  let count = 0;
  for (;;) {
    // Keyset pages of the responses (by id), each with its answers: memory holds one page and the deltas.
    const page = await tx
      .selectFrom('responses')
      .select(['id', 'perspective', 'month', 'touchpoint', 'segment_key', 'submitted_at'])
      .where('org_id', '=', orgId)
      .where('id', '>', after)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('fold_queue as q').select('q.response_id').where('q.org_id', '=', orgId).whereRef('q.response_id', '=', 'responses.id'))),
      )
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    count += page.length;
    const byId = new Map<string, CellInput & { submitted_at: string }>(page.map((r) => [r.id, { ...r, answers: Object.create(null) as Record<string, number> }]));
    for (const [id, answers] of await readAnswers(tx, orgId, [...byId.keys()])) byId.get(id)!.answers = answers;
    cells.add(orgId, byId.values());
    await drivers.add(
      tx,
      [...byId.values()].map((r) => ({
        orgId,
        perspective: r.perspective,
        // The stored cell key, not the segments JSON: the rebuilt cells must be keyed as the stored ones.
        submission: { submittedAt: r.submitted_at, touchpoint: r.touchpoint, segments: parseSegmentKey(r.segment_key), answers: r.answers },
      })),
    );
  }
  await addAnswerCells(tx, cells.rows());
  await drivers.write(tx);
  return count;
}

/**
 * Recomputes every derived table of one organisation (or of every organisation) from the raw answers.
 * Returns the responses read per organisation.
 */
export async function rebuildAggregates(db: Kysely<Database>, orgId?: string): Promise<{ orgId: string; responses: number }[]> {
  const orgs = (await db.selectFrom('organisations').select('id').$if(orgId !== undefined, (q) => q.where('id', '=', orgId!)).orderBy('id').execute()).map((o) => o.id);
  if (orgId !== undefined && orgs.length === 0) throw new UnknownOrganisation(orgId);
  const out: { orgId: string; responses: number }[] = [];
  for (const id of orgs) out.push({ orgId: id, responses: await writeTransaction(db, (tx) => rebuildOne(tx, id)) });
  return out;
}
