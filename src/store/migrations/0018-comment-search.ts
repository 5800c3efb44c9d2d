// Full-text search of the verbatims (issue 14): an index of the text each reader searches — the redacted
// comment (comment_analysis.redacted) for everyone, the original (responses.comment) for admins who ask for it —
// with English stemming, case and accents folded, on both engines; and the per-organisation keys that seal the
// verbatims' page cursors (store/comment-search.ts).
//
// SQLite: two external-content FTS5 tables (`porter unicode61 remove_diacritics 2`) that read their text from
// the rows they index, so the text is not stored twice, kept in step by triggers: every write path (live
// submissions, imports, `parallax text backfill`, erasure, an organisation's deletion) is covered without
// each having to remember it. Their rowids are the indexed rows' rowids: a VACUUM may renumber those (the
// tables have no INTEGER PRIMARY KEY), so after one run `parallax verbatims --reindex`.
// PostgreSQL: a stored generated tsvector of the redacted text with a GIN index (ranking reads it rather than
// parsing every match again), and an expression GIN index over the original text (admins only; ranked by
// parsing the matches). Accents are folded by comment_search_fold() (the query's words go through it too):
// translate() over the Latin letters with diacritics, because the unaccent extension needs rights the application role may not have and is not
// immutable, so no index could use it. The fold maps one character to one, so highlight offsets carry over.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../engines/engine.ts';

/** Latin letters with diacritics (U+00C0–U+024F, U+1E00–U+1EFF whose NFD is an ASCII letter and marks), and their letter. */
const FOLD_FROM = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ";
const FOLD_TO = "aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwyaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy";

/**
 * Characters PostgreSQL's parser would join words with (e-mail addresses, host names, URLs, paths, versions):
 * FTS5's unicode61 splits on them, so the indexed text has them as spaces and both engines see the same words.
 */
const SPLIT = '@./:_+-~#=?%&|’';

const TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('comment_search_keys')
    .addColumn('org_id', 'text', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .execute();
  if (dialectOf(db) === 'postgres') {
    await sql.raw(
      `CREATE FUNCTION comment_search_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$ SELECT translate(lower(t), '${FOLD_FROM}', '${FOLD_TO}') $f$`,
    ).execute(db);
    // The indexed text: folded, and split where FTS5 splits (one character for one, as highlights need).
    await sql.raw(
      `CREATE FUNCTION comment_search_text(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$ SELECT translate(comment_search_fold(t), '${SPLIT}', '${' '.repeat(SPLIT.length)}') $f$`,
    ).execute(db);
    await sql`ALTER TABLE comment_analysis ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, comment_search_text(redacted))) STORED`.execute(db);
    await sql`CREATE INDEX comment_analysis_search ON comment_analysis USING gin (search)`.execute(db);
    await sql`CREATE INDEX responses_comment_search ON responses USING gin (to_tsvector('english'::regconfig, comment_search_text(comment))) WHERE comment IS NOT NULL AND comment <> ''`.execute(db);
    return;
  }
  await sql.raw(`CREATE VIRTUAL TABLE comment_search_redacted USING fts5(redacted, content = 'comment_analysis', content_rowid = 'rowid', ${TOKENIZE})`).execute(db);
  await sql.raw(`CREATE VIRTUAL TABLE comment_search_original USING fts5(comment, content = 'responses', content_rowid = 'rowid', ${TOKENIZE})`).execute(db);
  // External content: a row leaves the index by a 'delete' that repeats the text it was indexed with.
  for (const s of [
    `CREATE TRIGGER comment_search_redacted_ai AFTER INSERT ON comment_analysis BEGIN
       INSERT INTO comment_search_redacted (rowid, redacted) VALUES (new.rowid, new.redacted); END`,
    `CREATE TRIGGER comment_search_redacted_ad AFTER DELETE ON comment_analysis BEGIN
       INSERT INTO comment_search_redacted (comment_search_redacted, rowid, redacted) VALUES ('delete', old.rowid, old.redacted); END`,
    `CREATE TRIGGER comment_search_redacted_au AFTER UPDATE OF redacted ON comment_analysis BEGIN
       INSERT INTO comment_search_redacted (comment_search_redacted, rowid, redacted) VALUES ('delete', old.rowid, old.redacted);
       INSERT INTO comment_search_redacted (rowid, redacted) VALUES (new.rowid, new.redacted); END`,
    // Only responses with a comment are indexed (most have none): the same condition on every trigger.
    `CREATE TRIGGER comment_search_original_ai AFTER INSERT ON responses WHEN new.comment IS NOT NULL AND new.comment <> '' BEGIN
       INSERT INTO comment_search_original (rowid, comment) VALUES (new.rowid, new.comment); END`,
    `CREATE TRIGGER comment_search_original_ad AFTER DELETE ON responses WHEN old.comment IS NOT NULL AND old.comment <> '' BEGIN
       INSERT INTO comment_search_original (comment_search_original, rowid, comment) VALUES ('delete', old.rowid, old.comment); END`,
    `CREATE TRIGGER comment_search_original_au_old AFTER UPDATE OF comment ON responses WHEN old.comment IS NOT NULL AND old.comment <> '' BEGIN
       INSERT INTO comment_search_original (comment_search_original, rowid, comment) VALUES ('delete', old.rowid, old.comment); END`,
    `CREATE TRIGGER comment_search_original_au_new AFTER UPDATE OF comment ON responses WHEN new.comment IS NOT NULL AND new.comment <> '' BEGIN
       INSERT INTO comment_search_original (rowid, comment) VALUES (new.rowid, new.comment); END`,
  ])
    await sql.raw(s).execute(db);
  // The rows stored before this migration.
  await sql`INSERT INTO comment_search_redacted (rowid, redacted) SELECT rowid, redacted FROM comment_analysis`.execute(db);
  await sql`INSERT INTO comment_search_original (rowid, comment) SELECT rowid, comment FROM responses WHERE comment IS NOT NULL AND comment <> ''`.execute(db);
}
