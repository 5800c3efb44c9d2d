// The stored reading of each response's comment (table comment_analysis, migration 0015): sentiment, the
// dimension/touchpoint tags and the redacted text, from analyseText() (src/core/text/analyse.ts), the one
// code path `parallax text score` shares. Written by insertRows (responses.ts) in the response's own
// transaction, deleted by erasure (erasure.ts) with the response, and filled in for responses stored before
// the table existed by backfillCommentAnalysis (`parallax text backfill`). Every write and delete here also
// keeps the themes' counts (theme_counts: store/theme-counts.ts) in the same transaction.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { bulkWrite, type BulkColumn } from './bulk.ts';
import { getFramework, getJourney } from './organisations.ts';
import { writeTransaction } from './write-transaction.ts';
import { addThemeCounts } from './theme-counts.ts';
import { analyseText, type TextAnalysis, type TextContext } from '../core/text/analyse.ts';
import { MAX_REDACT_CHARS } from '../core/text/redact.ts';
import { buildVocabulary, type TagVocabulary } from '../core/text/tags.ts';
import type { SentimentModel } from '../core/text/sentiment.ts';
import type { Dimension } from '../core/framework.ts';
import type { Stage } from '../core/journey.ts';
import { loadSentimentModel } from '../text/sentiment-model.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface CommentToAnalyse {
  orgId: string;
  responseId: string;
  comment: string | null | undefined;
  /** The submission the comment came from: finds an analysis prepared before the transaction. */
  source?: object;
}

/** Which model scored a comment: its training time, from the model file's header. */
export const modelVersion = (m: SentimentModel): string => `sentiment@${typeof m.header.trainedAt === 'string' ? m.header.trainedAt : 'unknown'}`;

/** ','-wrapped so that one key is found with LIKE '%,key,%' and never as part of another key. */
export const joinTags = (keys: readonly string[]): string => (keys.length ? `,${keys.join(',')},` : '');
export const splitTags = (stored: string | null | undefined): string[] => (stored ? stored.split(',').filter(Boolean) : []);

/**
 * A comment past the redactor's limit (only an import can bring one) is read up to the limit and shown
 * cut there: never refused at ingest, never shown with unredacted text after the limit.
 */
export function analyseComment(ctx: TextContext, comment: string): TextAnalysis {
  if (comment.length <= MAX_REDACT_CHARS) return analyseText(ctx, comment);
  const a = analyseText(ctx, comment.slice(0, MAX_REDACT_CHARS));
  return { ...a, redacted: `${a.redacted}…` };
}

// Compiled vocabularies by the set-up they come from: the framework and journey are read once per batch,
// but their regular expressions are compiled only when they change. Bounded: a long-running server with many
// organisations keeps the most recent few.
const vocabularies = new Map<string, TagVocabulary>();
const MAX_VOCABULARIES = 64;

function vocabularyFor(framework: readonly Dimension[], journey: readonly Stage[]): TagVocabulary {
  const signature = JSON.stringify([
    framework.map((d) => [d.key, d.label, d.customerItem === null]),
    journey.map((s) => s.touchpoints.map((t) => [t.key, t.label])),
  ]);
  const hit = vocabularies.get(signature);
  if (hit) return hit;
  const vocab = buildVocabulary(framework, journey);
  if (vocabularies.size >= MAX_VOCABULARIES) vocabularies.delete(vocabularies.keys().next().value!);
  vocabularies.set(signature, vocab);
  return vocab;
}

/** The text context of one organisation: the shipped model and its framework's and journey's vocabulary. */
export async function textContextFor(db: Db, orgId: string): Promise<TextContext> {
  const [framework, journey] = await Promise.all([getFramework(db, orgId), getJourney(db, orgId)]);
  return { model: loadSentimentModel(), vocab: vocabularyFor(framework, journey) };
}

const text = (name: string): BulkColumn => ({ name, type: 'text' });
const COLUMNS: BulkColumn[] = [
  text('org_id'), text('response_id'), text('sentiment'), { name: 'score', type: 'double precision' },
  text('dimensions'), text('touchpoints'), text('redacted'), text('model'),
];

/** The row to store for one analysed comment, in COLUMNS order. */
const rowOf = (c: CommentToAnalyse, a: TextAnalysis, model: string): unknown[] => [
  c.orgId, c.responseId, a.sentiment.label, a.sentiment.score,
  joinTags(a.tags.dimensions), joinTags(a.tags.touchpoints), a.redacted, model,
];

// Analyses prepared outside the write transaction (prepareCommentAnalysis), by the submission object they
// belong to: a WeakMap, so one never outlives its submission or keeps it alive.
const prepared = new WeakMap<object, { orgId: string; comment: string; analysis: TextAnalysis }>();

/**
 * Analyses the comments of submissions about to be stored, BEFORE their write transaction (group commit:
 * store/group-commit.ts), so that the write lock is not held for the analysis: about 0.1 ms for a two-sentence
 * comment but 1.6 ms for one of 5,000 characters, 300 ms for a batch of 200 such. Never throws: what is not
 * prepared is analysed in the transaction by writeCommentAnalysis.
 */
export async function prepareCommentAnalysis(db: Kysely<Database>, items: readonly { orgId: string; submission: { comment: string | null } }[]): Promise<void> {
  try {
    const withText = items.filter((i) => i.submission.comment?.trim());
    const contexts = new Map<string, TextContext>();
    for (const orgId of new Set(withText.map((i) => i.orgId))) contexts.set(orgId, await textContextFor(db, orgId));
    for (const i of withText) {
      const comment = i.submission.comment!;
      prepared.set(i.submission, { orgId: i.orgId, comment, analysis: analyseComment(contexts.get(i.orgId)!, comment) });
    }
  } catch {
    // e.g. the database is away: the transaction will fail or analyse in place; nothing to do here.
  }
}

/**
 * Analyses and stores the comments of a batch of responses (those without a comment are skipped), in the
 * caller's transaction, so that a stored response always has its analysis. An analysis prepared before the
 * transaction for the same organisation and text is used as it is; the rest are computed here, with the
 * organisation's framework and journey read once per organisation of the batch.
 */
export async function writeCommentAnalysis(tx: Transaction<Database>, batch: readonly CommentToAnalyse[]): Promise<void> {
  await writeAnalysisRows(tx, batch);
  // Every text with a comment counts in the themes, analysed or not (a blank one counts as not analysed).
  for (const [orgId, ids] of idsByOrg(batch.filter((c) => c.comment !== null && c.comment !== undefined))) await addThemeCounts(tx, orgId, ids, 1);
}

const idsByOrg = (batch: readonly CommentToAnalyse[]): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  for (const c of batch) {
    const ids = out.get(c.orgId);
    if (ids) ids.push(c.responseId);
    else out.set(c.orgId, [c.responseId]);
  }
  return out;
};

async function writeAnalysisRows(tx: Transaction<Database>, batch: readonly CommentToAnalyse[]): Promise<void> {
  const withText = batch.filter((c) => c.comment && c.comment.trim());
  if (withText.length === 0) return;
  const ready = (c: CommentToAnalyse) => {
    const p = c.source ? prepared.get(c.source) : undefined;
    return p && p.orgId === c.orgId && p.comment === c.comment ? p.analysis : undefined;
  };
  const contexts = new Map<string, TextContext>();
  for (const orgId of new Set(withText.filter((c) => !ready(c)).map((c) => c.orgId))) contexts.set(orgId, await textContextFor(tx, orgId));
  const model = modelVersion(loadSentimentModel());
  const rows = withText.map((c) => rowOf(c, ready(c) ?? analyseComment(contexts.get(c.orgId)!, c.comment!), model));
  await bulkWrite(tx, 'comment_analysis', COLUMNS, rows);
}

const CHUNK = 500;

/**
 * Erasure: the analysis (and so the redacted copy of the comment) goes with the response; the text's count in
 * the themes goes too (the caller deletes the text itself next).
 */
export async function deleteCommentAnalysis(tx: Transaction<Database>, orgId: string, responseIds: readonly string[]): Promise<void> {
  await addThemeCounts(tx, orgId, responseIds, -1);
  await deleteAnalysisRows(tx, orgId, responseIds);
}

async function deleteAnalysisRows(tx: Transaction<Database>, orgId: string, responseIds: readonly string[]): Promise<void> {
  for (let i = 0; i < responseIds.length; i += CHUNK)
    await tx.deleteFrom('comment_analysis').where('org_id', '=', orgId).where('response_id', 'in', responseIds.slice(i, i + CHUNK)).execute();
}

/**
 * Analyses the stored comments that have no analysis yet (responses stored before migration 0015), a chunk
 * per transaction so that a large backfill never holds the write lock for long; safe to rerun and to run
 * while the server takes responses (a response stored meanwhile has its analysis already). With `rescore`,
 * also re-analyses those scored by another model than the shipped one (the `model` column), so that a retrained
 * model's readings replace the old ones; each row ends on the current model, so a rerun finds nothing. Returns how many.
 */
export async function backfillCommentAnalysis(
  db: Kysely<Database>,
  orgId: string,
  onProgress?: (done: number) => void,
  opts: { rescore?: boolean } = {},
): Promise<number> {
  const current = modelVersion(loadSentimentModel());
  let done = 0;
  // Survey comments, then feedback items (issue 9: their analysis is keyed by the item's id the same way).
  for (const table of ['responses', 'feedback_items'] as const) {
    for (;;) {
      const n = await writeTransaction(db, async (tx) => {
        // The two tables share what is read here (org_id, id, comment): one query, typed loosely.
        const missing: { id: string; comment: string; analysed: string | null }[] = await (tx as unknown as Kysely<any>)
          .selectFrom(`${table} as r`)
          .leftJoin('comment_analysis as c', (j: any) => j.onRef('c.org_id', '=', 'r.org_id').onRef('c.response_id', '=', 'r.id'))
          .select(['r.id', 'r.comment', 'c.response_id as analysed'])
          .where('r.org_id', '=', orgId)
          .where('r.comment', 'is not', null)
          .where(sql<boolean>`trim(r.comment) <> ''`) // as at ingest: a blank comment has no analysis
          .where((eb: any) => (opts.rescore ? eb.or([eb('c.response_id', 'is', null), eb('c.model', '<>', current)]) : eb('c.response_id', 'is', null)))
          .orderBy('r.id')
          .limit(CHUNK)
          .execute();
        // An older model's rows go first: the new analysis takes their place. Their counts in the themes (and
        // those of the texts not analysed yet, counted without a reading) are taken out, then added back as read now.
        await addThemeCounts(tx, orgId, missing.map((m) => m.id), -1);
        await deleteAnalysisRows(tx, orgId, missing.filter((m) => m.analysed !== null).map((m) => m.id));
        await writeCommentAnalysis(tx, missing.map((m) => ({ orgId, responseId: m.id, comment: m.comment })));
        return missing.length;
      });
      done += n;
      onProgress?.(done);
      if (n < CHUNK) break;
    }
  }
  return done;
}
