// Re-tagging stored readings after a framework or journey change (`parallax text backfill --retag`, and in
// the background after PUT …/framework or …/journey: server/retag-on-change.ts). A reading's dimension and
// touchpoint tags come from the organisation's set-up when the comment was analysed; this finds the readings
// whose tags the CURRENT set-up would give differently and has them re-analysed, 500 rows per transaction
// (safe beside a live server, and to rerun: a rerun finds nothing). Readings are written only through the
// functions --rescore uses (deleteCommentAnalysis + writeCommentAnalysis), so whatever those keep in step
// with a reading is kept here too.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { writeTransaction } from './write-transaction.ts';
import { deleteCommentAnalysis, joinTags, textContextFor, writeCommentAnalysis } from './comment-analysis.ts';
import { tagText } from '../core/text/tags.ts';
import { MAX_REDACT_CHARS } from '../core/text/redact.ts';

const CHUNK = 500;

/** Re-analyses the readings of `orgId` whose stored tags differ from the current set-up's; returns how many. */
export async function retagCommentAnalysis(db: Kysely<Database>, orgId: string, onProgress?: (changed: number, seen: number) => void): Promise<number> {
  let changed = 0;
  let seen = 0;
  // Survey comments, then feedback items: their readings share the table, keyed by the item's id.
  for (const table of ['responses', 'feedback_items'] as const) {
    let after = '';
    for (;;) {
      const page = await writeTransaction(db, async (tx) => {
        // Read in the transaction that rewrites: the set-up and the rows are those of one moment.
        const ctx = await textContextFor(tx, orgId);
        const rows: { id: string; comment: string; dimensions: string; touchpoints: string }[] = await (tx as unknown as Kysely<any>)
          .selectFrom(`${table} as r`)
          .innerJoin('comment_analysis as c', (j: any) => j.onRef('c.org_id', '=', 'r.org_id').onRef('c.response_id', '=', 'r.id'))
          .select(['r.id', 'r.comment', 'c.dimensions', 'c.touchpoints'])
          .where('r.org_id', '=', orgId)
          .where('r.id', '>', after)
          .orderBy('r.id')
          .limit(CHUNK)
          .execute();
        // Tagged as at ingest (analyseComment reads a comment up to the redactor's limit).
        const stale = rows.filter((r) => {
          const tags = tagText(ctx.vocab, r.comment.slice(0, MAX_REDACT_CHARS));
          return joinTags(tags.dimensions) !== (r.dimensions ?? '') || joinTags(tags.touchpoints) !== (r.touchpoints ?? '');
        });
        await deleteCommentAnalysis(tx, orgId, stale.map((r) => r.id));
        await writeCommentAnalysis(tx, stale.map((r) => ({ orgId, responseId: r.id, comment: r.comment })));
        return { rows: rows.length, stale: stale.length, last: rows[rows.length - 1]?.id };
      });
      changed += page.stale;
      seen += page.rows;
      onProgress?.(changed, seen);
      if (page.rows < CHUNK || page.last === undefined) break;
      after = page.last;
    }
  }
  return changed;
}
