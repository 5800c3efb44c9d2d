// Feedback items from every channel (issue 9): reviews, tickets, social posts, chats, e-mails, interview and
// focus-group notes, pushed by the API, a signed inbound webhook or a file import.
//
// Storage design: a table of their own (feedback_items), NOT rows of `responses` with a channel column. Many
// readers take every row of `responses` as a survey response — the aggregate rebuild (rebuild.ts counts each
// one as a respondent), the CSV export, the cases and alert queries — so a feedback row there would change
// survey figures the moment any of them ran. Here no survey figure can see them. What they share with the
// survey comments is the text pipeline: each item's reading (sentiment, tags, redacted text) is a row of
// comment_analysis keyed by the item's id (UUIDv7 ids, never equal to a response id), so the redacted-text
// search index of migration 0018 (its triggers on SQLite, its generated column on PostgreSQL) covers them
// unchanged; the original text (admins) has its own index here, as responses' has there. The verbatims and
// themes (store/comments.ts) read both tables under the same anonymity rule, the feedback items' cells counted
// from this table.
//
// feedback_sources: the organisation's declared sources (name, channel) with the signing secret of their
// inbound webhook (whsec_…, stored as is: it is an HMAC key). feedback_receipts: the request-level idempotency
// records — an API `Idempotency-Key` or a webhook's `webhook-id` — with the hash of the body and the answer given.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../engines/engine.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('feedback_sources')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('feedback_sources_pk', ['org_id', 'id'])
    .execute();
  // The inbound webhook's URL names the source alone.
  await db.schema.createIndex('feedback_sources_id').unique().on('feedback_sources').column('id').execute();
  await db.schema
    .createTable('feedback_items')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text') // the sender's id, unique per source: a re-sent item is stored once
    .addColumn('author_ref', 'text') // like a respondent id: erasable, never shown
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('touchpoint', 'text', (c) => c.notNull()) // '' when none
    .addColumn('segment_key', 'text', (c) => c.notNull())
    .addColumn('segments', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull()) // the text as given (line breaks kept)
    .addColumn('rating_value', 'double precision')
    .addColumn('rating_min', 'double precision')
    .addColumn('rating_max', 'double precision')
    .addColumn('rating', 'double precision') // (value − min) / (max − min), in [0, 1]
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('feedback_items_pk', ['org_id', 'id'])
    .execute();
  await db.schema.createIndex('feedback_items_external').unique().on('feedback_items').columns(['org_id', 'source_id', 'external_id']).execute();
  await db.schema.createIndex('feedback_items_author').on('feedback_items').columns(['org_id', 'author_ref']).execute();
  await db.schema.createIndex('feedback_items_cells').on('feedback_items').columns(['org_id', 'channel', 'month', 'touchpoint', 'segment_key']).execute();
  await sql`CREATE INDEX feedback_items_order ON feedback_items (org_id, month DESC, substr(id, 15), id)`.execute(db); // the verbatims' order (store/comments.ts SHUFFLE)
  await db.schema
    .createTable('feedback_receipts')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull()) // "api:<Idempotency-Key>" or "hook:<source id>:<webhook-id>"
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull()) // JSON: the answer given the first time
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('feedback_receipts_pk', ['org_id', 'key'])
    .execute();
  if (dialectOf(db) === 'postgres') {
    // Spelled as the engine's original-text search is (engines/postgres.ts ORIGINAL), for the planner to use it.
    await sql`CREATE INDEX feedback_items_search ON feedback_items USING gin (to_tsvector('english'::regconfig, comment_search_text(comment)))`.execute(db);
    return;
  }
  await sql.raw(`CREATE VIRTUAL TABLE feedback_search_original USING fts5(comment, content = 'feedback_items', content_rowid = 'rowid', tokenize = 'porter unicode61 remove_diacritics 2')`).execute(db);
  for (const s of [
    `CREATE TRIGGER feedback_search_original_ai AFTER INSERT ON feedback_items BEGIN
       INSERT INTO feedback_search_original (rowid, comment) VALUES (new.rowid, new.comment); END`,
    `CREATE TRIGGER feedback_search_original_ad AFTER DELETE ON feedback_items BEGIN
       INSERT INTO feedback_search_original (feedback_search_original, rowid, comment) VALUES ('delete', old.rowid, old.comment); END`,
    `CREATE TRIGGER feedback_search_original_au AFTER UPDATE OF comment ON feedback_items BEGIN
       INSERT INTO feedback_search_original (feedback_search_original, rowid, comment) VALUES ('delete', old.rowid, old.comment);
       INSERT INTO feedback_search_original (rowid, comment) VALUES (new.rowid, new.comment); END`,
  ])
    await sql.raw(s).execute(db);
}
