// What the text pipeline (src/core/text/analyse.ts) read in each response's comment, stored at ingest
// (issue 10): sentiment label and score, the dimension and touchpoint tags, the redacted text that every
// role but admins sees, and the model that scored it. One row per response with a comment, written in the
// response's transaction and erased with it (store/comment-analysis.ts). Responses stored before this
// migration are analysed by `parallax text backfill`; until then the verbatims redact them on the fly.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('comment_analysis')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('response_id', 'text', (c) => c.notNull())
    .addColumn('sentiment', 'text', (c) => c.notNull()) // negative | neutral | positive
    .addColumn('score', 'double precision', (c) => c.notNull()) // P(positive) − P(negative), in [−1, 1]
    // ','-wrapped key lists (",billing,app,"; "" for none): a tag filter is one LIKE '%,key,%'.
    .addColumn('dimensions', 'text', (c) => c.notNull())
    .addColumn('touchpoints', 'text', (c) => c.notNull())
    .addColumn('redacted', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('comment_analysis_pk', ['org_id', 'response_id'])
    .execute();
}
