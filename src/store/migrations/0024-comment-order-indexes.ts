// Indexes that let the verbatims page and the themes' quotes stop after the rows they show (issue 14) instead
// of sorting every comment of the organisation first.
//
// responses_comment_order: the commented responses in the verbatims' order within a perspective (month, then
// the random bits of the id, then the id: store/comments.ts SHUFFLE; the month descending, as the list
// reads it, since a B-tree is walked backwards only when every term is). It replaces 0016's responses_commented
// (org_id, perspective, month), whose columns it starts with, so every query that used that one can use this.
// The expression must stay exactly store/comments.ts's `substr(r.id, 15)` for the planners to match it.
// On the 1M bench database (SQLite) the first verbatims page went from ~600 ms to a few ms with it.
//
// comment_analysis_quotes: the themes' quotes (store/comments.ts readThemeQuotes) are read clearest first —
// |score| (its CLARITY key) then the redacted text — a tag and sentiment at a time; walking this index in that order stops at
// the first few dozen matching rows (~1 s per theme at 1M before, each a scan of every comment). PostgreSQL
// leaves out the redacted text: a B-tree entry there is limited to ~2.7 kB and a comment can be longer; ties
// on |score| are then sorted, which real (continuous) scores make small.
//
// SQLite, last: statistics for the planner (sqlite_stat1), which databases built before had none, so that it
// weighs these indexes against the others by their real sizes. `analysis_limit` bounds the work per index (an
// estimate from a sample is what the planner needs), so the migration stays quick at millions of rows.
// PostgreSQL's autovacuum keeps its own statistics.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../engines/engine.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  await sql`CREATE INDEX responses_comment_order ON responses (org_id, perspective, month DESC, substr(id, 15), id) WHERE comment IS NOT NULL AND comment <> ''`.execute(db);
  await sql`DROP INDEX responses_commented`.execute(db);
  const clarity = sql.raw(`(case when sentiment = 'neutral' then abs(score) else -abs(score) end)`); // store/comments.ts CLARITY
  if (pg) await sql`CREATE INDEX comment_analysis_quotes ON comment_analysis (org_id, sentiment, ${clarity})`.execute(db);
  else await sql`CREATE INDEX comment_analysis_quotes ON comment_analysis (org_id, sentiment, ${clarity}, redacted)`.execute(db);
  // The themes' counts read every comment's analysis by response: from this index alone, not the table.
  await sql`CREATE INDEX comment_analysis_tags ON comment_analysis (org_id, response_id, sentiment, dimensions, touchpoints)`.execute(db);
  if (!pg) {
    await sql`PRAGMA analysis_limit = 1000`.execute(db);
    await sql`ANALYZE`.execute(db);
  }
}
