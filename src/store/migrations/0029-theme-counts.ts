// Precomputed counts for the themes report (issue 14): how many comments (survey comments and feedback items)
// there are per perspective, channel, month, touchpoint, segment key, sentiment and tag set. Before this table,
// the report joined every comment to its response on each request (2.0 s at 1M responses). The report
// filters on exactly these columns (its anonymity cut's months, touchpoints and segment keys, the perspective,
// the feedback channels), and it reads the tag set as a whole (reports/themes.ts tallyThemes splits it), so
// this grain answers every request with the same figures. Distinct tag sets are few, so the table stays far
// smaller than the comments it counts.
//
// channel: '' for a survey response's comment, else the feedback item's channel (feedback items are customers').
// sentiment, dimensions, touchpoints: the stored reading (comment_analysis), '' for a comment without one
// (stored before migration 0015 and not backfilled, or blank): it counts as a comment, not as analysed.
//
// Kept up to date in the same transaction as the readings (store/theme-counts.ts, called from
// store/comment-analysis.ts), and recomputed by the aggregate rebuild (store/rebuild.ts). Filled here from
// the rows already stored.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('theme_counts')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('perspective', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('touchpoint', 'text', (c) => c.notNull())
    .addColumn('segment_key', 'text', (c) => c.notNull())
    .addColumn('sentiment', 'text', (c) => c.notNull())
    .addColumn('dimensions', 'text', (c) => c.notNull())
    .addColumn('touchpoints', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('theme_counts_pk', ['org_id', 'channel', 'perspective', 'month', 'touchpoint', 'segment_key', 'sentiment', 'dimensions', 'touchpoints'])
    .execute();
  // Only organisations that still exist: comment_analysis has no foreign key, the counts do.
  await sql`
    INSERT INTO theme_counts (org_id, perspective, channel, month, touchpoint, segment_key, sentiment, dimensions, touchpoints, n)
    SELECT r.org_id, r.perspective, '', r.month, r.touchpoint, r.segment_key,
           coalesce(ca.sentiment, ''), coalesce(ca.dimensions, ''), coalesce(ca.touchpoints, ''), count(*)
    FROM responses r LEFT JOIN comment_analysis ca ON ca.org_id = r.org_id AND ca.response_id = r.id
    WHERE r.comment IS NOT NULL AND r.comment <> '' AND r.org_id IN (SELECT id FROM organisations)
    GROUP BY r.org_id, r.perspective, r.month, r.touchpoint, r.segment_key, ca.sentiment, ca.dimensions, ca.touchpoints`.execute(db);
  await sql`
    INSERT INTO theme_counts (org_id, perspective, channel, month, touchpoint, segment_key, sentiment, dimensions, touchpoints, n)
    SELECT r.org_id, 'customer', r.channel, r.month, r.touchpoint, r.segment_key,
           coalesce(ca.sentiment, ''), coalesce(ca.dimensions, ''), coalesce(ca.touchpoints, ''), count(*)
    FROM feedback_items r LEFT JOIN comment_analysis ca ON ca.org_id = r.org_id AND ca.response_id = r.id
    WHERE r.org_id IN (SELECT id FROM organisations)
    GROUP BY r.org_id, r.channel, r.month, r.touchpoint, r.segment_key, ca.sentiment, ca.dimensions, ca.touchpoints`.execute(db);
}
