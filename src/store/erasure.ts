// Erasure (GDPR art. 17, test responses, spam bursts): deletes responses with their answers and comments
// and takes exactly their contributions out of every aggregate (answer cells and every roll-up grain,
// driver cells and driver roll-ups), in one write transaction, so no report ever sees a half-erased
// respondent. The deltas are the ingest's (responses.ts, driver-cells.ts) with the sign reversed,
// written through the same upserts; rows whose counts reach 0 are then deleted, so the tables hold
// exactly what a rebuild from the raw answers would (rebuild.ts).
//
// Leader links keep their row (used_at stays set, so the link cannot be used again to answer twice)
// but lose their response_id: nothing is left pointing at an erased response, and the admin who
// handed the link out still sees that it was used, which the leader's erasure request does not cover.
// Campaign invitations (survey_invitations) likewise keep used_at, so a campaign's counts stay, and lose
// their response_id.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { bumpCellVersions } from './cell-versions.ts';
import { addAnswerCells, ANSWER_GRAINS } from './rollups.ts';
import { inTuples } from './bulk.ts';
import { answeredSetOf, DRIVER_CELL_KEY, DRIVER_OUTCOMES, DriverDeltas, driverSignature, predictorItems } from './driver-cells.ts';
import { countFeedbackOfAuthor, eraseFeedbackOfAuthor } from './feedback.ts';
import { writeTransaction } from './write-transaction.ts';
import { deleteAnswers, readAnswers } from './answers.ts';
import { deleteCommentAnalysis } from './comment-analysis.ts';
import { eraseCasesOf } from './case-opening.ts';
import { AnswerCellDeltas, type CellInput } from './answer-cells.ts';
import { dequeueFolds } from './fold-queue.ts';

/** Which responses to erase: every response of one respondent id, or the given response ids. */
export type ErasureSelector = { respondentId: string } | { responseIds: readonly string[] };

interface ErasedResponse extends CellInput {
  id: string;
}

const CHUNK = 500;

function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** Tuples per statement: 200 × up to 8 columns stays far below either engine's parameter limit. */
const TUPLES = 200;

/** The selected responses of the organisation, with their answers (read under the write lock). */
async function selectResponses(tx: Transaction<Database>, orgId: string, selector: ErasureSelector): Promise<ErasedResponse[]> {
  const base = () => tx.selectFrom('responses').select(['id', 'perspective', 'month', 'touchpoint', 'segment_key']).where('org_id', '=', orgId);
  let rows: Omit<ErasedResponse, 'answers'>[] = [];
  if ('respondentId' in selector) {
    rows = await base().where('respondent_id', '=', selector.respondentId).execute();
  } else {
    for (const ids of chunks([...new Set(selector.responseIds)])) rows.push(...(await base().where('id', 'in', ids).execute()));
  }
  const out = new Map<string, ErasedResponse>(rows.map((r) => [r.id, { ...r, answers: Object.create(null) as Record<string, number> }]));
  for (const [id, answers] of await readAnswers(tx, orgId, [...out.keys()])) out.get(id)!.answers = answers;
  return [...out.values()];
}

/**
 * The driver models' predictor sets stored for the organisation, per model and signature (from the ''
 * grain, a few dozen rows): each answered set's variables with its missing ones are the whole set. A
 * response was added under the predictor set in force when it was stored; that set is not recorded per
 * response, so it is found among these.
 */
async function storedModels(tx: Transaction<Database>, orgId: string): Promise<Map<string, { model: string; signature: string; predictors: string[] }>> {
  const rows = await tx.selectFrom('driver_rollups').select(['model', 'signature', 'missing', 'vars']).where('org_id', '=', orgId).where('grain', '=', '').execute();
  const sets = new Map<string, { model: string; signature: string; items: Set<string> }>();
  for (const r of rows) {
    const k = `${r.model}\u0000${r.signature}`;
    let m = sets.get(k);
    if (!m) sets.set(k, (m = { model: r.model, signature: r.signature, items: new Set() }));
    for (const v of r.vars === '' ? [] : r.vars.split(',')) if (v !== r.model) m.items.add(v);
    if (r.missing !== '') for (const i of r.missing.split(',')) m.items.add(i);
  }
  return new Map([...sets].map(([k, m]) => [k, { model: m.model, signature: m.signature, predictors: [...m.items].sort() }]));
}

/**
 * Driver-cell deltas of the customer responses, negated. The predictor set a response was stored under
 * is not recorded, so it is inferred among the stored sets whose cell for it (its answered set there)
 * still counts a response: the set equal to the dimensions it answered (the survey asked exactly the
 * dimensions in force), else one holding every dimension it answered, else the set in force now, else
 * any. Exact while the framework is unchanged; after a change, a response could be taken out of the
 * wrong set's cell — the totals stay right, and `parallax rebuild` recomputes every set from the raw answers.
 */
async function driverCellDeltas(tx: Transaction<Database>, orgId: string, responses: readonly ErasedResponse[]): Promise<DriverDeltas> {
  const deltas = new DriverDeltas();
  const customers = responses.filter((r) => r.perspective === 'customer');
  if (customers.length === 0) return deltas;
  const current = driverSignature(
    predictorItems((await tx.selectFrom('dimensions').select('key').where('org_id', '=', orgId).where('customer_item', 'is not', null).execute()).map((d) => d.key)),
  );
  const models = [...(await storedModels(tx, orgId)).values()];
  if (models.length === 0) return deltas;
  // What each affected cell counts now (n rows), consumed as responses are assigned to it.
  const left = new Map<string, number>();
  const cellKey = (model: string, signature: string, r: ErasedResponse, missing: string) => [model, signature, r.month, r.touchpoint, r.segment_key, missing].join('\u0000');
  const keys = new Map<string, string[]>();
  for (const r of customers) {
    for (const m of models) {
      const set = answeredSetOf(m.predictors, r.answers);
      if (set) keys.set(cellKey(m.model, m.signature, r, set.missing), [m.model, m.signature, r.month, r.touchpoint, r.segment_key, set.missing]);
    }
  }
  for (const batch of chunks([...keys.values()], TUPLES)) {
    const ns = await sql<{ model: string; signature: string; month: string; touchpoint: string; segment_key: string; missing: string; n: number | string }>`
      SELECT model, signature, month, touchpoint, segment_key, missing, n FROM driver_cells
      WHERE org_id = ${orgId} AND ${inTuples(DRIVER_CELL_KEY.slice(1), batch)}`.execute(tx);
    for (const n of ns.rows) left.set([n.model, n.signature, n.month, n.touchpoint, n.segment_key, n.missing].join('\u0000'), Number(n.n));
  }
  for (const r of customers) {
    const dims = Object.keys(r.answers).filter((i) => i.startsWith('dim:')).sort();
    for (const model of DRIVER_OUTCOMES) {
      if (r.answers[model] === undefined) continue;
      const rank = (m: { signature: string; predictors: string[] }) =>
        m.predictors.join(',') === dims.join(',') ? 0 : dims.every((d) => m.predictors.includes(d)) ? 1 : m.signature === current ? 2 : 3;
      const candidates = models
        .filter((m) => m.model === model)
        .map((m) => ({ m, set: answeredSetOf(m.predictors, r.answers) }))
        .filter(({ m, set }) => set && (left.get(cellKey(model, m.signature, r, set.missing)) ?? 0) > 0)
        .sort((x, y) => rank(x.m) - rank(y.m));
      const pick = candidates[0];
      if (!pick) continue; // in no cell of any stored set: it added nothing
      const { m, set } = pick as { m: (typeof models)[number]; set: NonNullable<ReturnType<typeof answeredSetOf>> };
      const key = cellKey(model, m.signature, r, set.missing);
      left.set(key, left.get(key)! - 1);
      deltas.addResponse({ orgId, month: r.month, touchpoint: r.touchpoint, segmentKey: r.segment_key }, model, m.signature, set, r.answers, -1);
    }
  }
  return deltas;
}

/** Deletes the rows of the touched answer cells and roll-ups whose count reached 0. */
async function dropEmptyAnswerRows(tx: Transaction<Database>, orgId: string, cellRows: readonly unknown[][]) {
  const cells = new Map<string, string[]>();
  for (const r of cellRows) cells.set((r.slice(1, 5) as string[]).join('\u0000'), r.slice(1, 5) as string[]);
  const targets = new Map<string, string[]>(); // grain, perspective, touchpoint, segment, month: the roll-ups' key order
  for (const [perspective, month, touchpoint, seg] of cells.values()) {
    for (const g of ANSWER_GRAINS) {
      const segs = g.includes('v') ? (seg === '' ? [] : seg!.split(';')) : [g.includes('s') ? seg! : ''];
      for (const s of segs) {
        const t = [g, perspective!, g.includes('t') ? touchpoint! : '', s, g.includes('m') ? month! : ''];
        targets.set(t.join('\u0000'), t);
      }
    }
  }
  for (const batch of chunks([...cells.values()], TUPLES)) {
    await sql`DELETE FROM answer_cells WHERE org_id = ${orgId} AND count <= 0
      AND ${inTuples(['perspective', 'month', 'touchpoint', 'segment_key'], batch)}`.execute(tx);
  }
  for (const batch of chunks([...targets.values()], TUPLES)) {
    await sql`DELETE FROM answer_rollups WHERE org_id = ${orgId} AND count <= 0
      AND ${inTuples(['grain', 'perspective', 'touchpoint', 'segment_key', 'month'], batch)}`.execute(tx);
  }
}

/** What an erasure removed: survey responses, and (erasing a respondent id) the feedback items of that author. */
export interface Erased {
  responses: number;
  feedbackItems: number;
}

/**
 * "3 responses and 2 feedback items" ("1 response and 0 feedback items"): what an erasure took or would take.
 * The feedback items are named whenever they could be (a respondent id's erasure) or were.
 */
export function erasedWording(e: Erased, withFeedback = e.feedbackItems > 0): string {
  const n = (x: number, one: string, many: string) => `${x} ${x === 1 ? one : many}`;
  const responses = n(e.responses, 'response', 'responses');
  return withFeedback || e.feedbackItems ? `${responses} and ${n(e.feedbackItems, 'feedback item', 'feedback items')}` : responses;
}

/** eraseSelected, as one number: responses and feedback items erased together (0: nothing matched, nothing written). */
export async function eraseResponses(db: Kysely<Database>, orgId: string, selector: ErasureSelector): Promise<number> {
  const e = await eraseSelected(db, orgId, selector);
  return e.responses + e.feedbackItems;
}

/**
 * Erases the selected responses of one organisation (answers, comments, aggregate contributions) in one
 * write transaction, with the feedback items of a respondent id's author; returns how many of each were erased.
 */
export async function eraseSelected(db: Kysely<Database>, orgId: string, selector: ErasureSelector): Promise<Erased> {
  if ('responseIds' in selector && selector.responseIds.length === 0) return { responses: 0, feedbackItems: 0 };
  // Nothing to erase rolls the transaction back: the version bump below must not stand for a change that
  // did not happen (it would drop every cached report, and a refused request would have written).
  const nothing = new Error('nothing to erase');
  return writeTransaction(db, async (tx) => {
    // The organisation's cell version first, as ingest takes it (responses.ts): the lock that orders
    // this erasure after every write of the organisation under way, so the rows read next are current
    // and no concurrent erasure of the same responses subtracts them twice. It is also what tells every
    // cached report (cell-cache.ts) that the cells changed.
    await bumpCellVersions(tx, [orgId]);
    const responses = await selectResponses(tx, orgId, selector);
    // An author's feedback items (store/feedback.ts) go with their responses: authorRef is erased as a respondent id is.
    const feedback = 'respondentId' in selector ? await eraseFeedbackOfAuthor(tx, orgId, selector.respondentId) : 0;
    if (responses.length === 0 && feedback === 0) throw nothing;
    if (responses.length === 0) return { responses: 0, feedbackItems: feedback };
    // Responses still queued for folding (fold-queue.ts) are in no aggregate yet: only the others are taken out.
    const queued = await dequeueFolds(tx, orgId, responses.map((r) => r.id));
    const folded = responses.filter((r) => !queued.has(r.id));
    const cellRows = new AnswerCellDeltas().add(orgId, folded, -1).rows();
    const drivers = await driverCellDeltas(tx, orgId, folded);
    await addAnswerCells(tx, cellRows);
    await dropEmptyAnswerRows(tx, orgId, cellRows);
    await drivers.write(tx); // packed rows whose n reaches 0 are deleted (driver-stats.ts)
    for (const ids of chunks(responses.map((r) => r.id))) {
      await tx.updateTable('leader_links').set({ response_id: null }).where('org_id', '=', orgId).where('response_id', 'in', ids).execute();
      // A campaign invitation keeps that it was answered (its counts), not which response answered it.
      await tx.updateTable('survey_invitations').set({ response_id: null }).where('org_id', '=', orgId).where('response_id', 'in', ids).execute();
      await deleteAnswers(tx, orgId, ids);
      await deleteCommentAnalysis(tx, orgId, ids); // its redacted copy of the comment too
      await eraseCasesOf(tx, orgId, ids); // the follow-up case, its history and the contact the respondent consented to give
      // The comment is a column of the response row: it goes with it.
      await tx.deleteFrom('responses').where('org_id', '=', orgId).where('id', 'in', ids).execute();
    }
    return { responses: responses.length, feedbackItems: feedback };
  }).catch((err) => {
    if (err === nothing) return { responses: 0, feedbackItems: 0 };
    throw err;
  });
}

/** How many responses and feedback items a selector names (what an erasure would remove; for a dry run). */
export async function countErasable(db: Kysely<Database>, orgId: string, selector: ErasureSelector): Promise<Erased> {
  const q = () => db.selectFrom('responses').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId);
  if ('respondentId' in selector)
    return {
      responses: Number((await q().where('respondent_id', '=', selector.respondentId).executeTakeFirst())?.n ?? 0),
      feedbackItems: await countFeedbackOfAuthor(db, orgId, selector.respondentId),
    };
  let n = 0;
  for (const ids of chunks([...new Set(selector.responseIds)])) n += Number((await q().where('id', 'in', ids).executeTakeFirst())?.n ?? 0);
  return { responses: n, feedbackItems: 0 };
}
