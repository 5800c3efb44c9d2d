// PostgreSQL's side of the engine interface (engine.ts): one INSERT … SELECT FROM unnest() of column arrays
// per chunk (a handful of parameters, whatever the row count), string_agg, a regular expression, advisory
// transaction locks.
import { spawnSync } from 'node:child_process';
import { CompiledQuery, sql } from 'kysely';
import { conflictClause, ident, MARK_END, MARK_START, type Engine } from './engine.ts';
import { toTsquery } from '../../core/text/search-query.ts';

// The indexed texts of migration 0018, spelled exactly as its indexes are (or the planner would not use them).
const REDACTED = sql`ca.search`;
const ORIGINAL = sql`to_tsvector('english'::regconfig, comment_search_text(r.comment))`;
const HEADLINE_OPTIONS = `HighlightAll=true, StartSel=${MARK_START}, StopSel=${MARK_END}`;

const MAX_ROWS = 20_000;

export const postgresEngine: Engine = {
  kind: 'postgres',
  skipLocked: true,
  async bulkWrite(db, table, columns, rows, o) {
    const cols = columns.map((c) => ident(c.name)).join(', ');
    const arrays = columns.map((c, j) => `$${j + 1}::${c.type}[]`).join(', ');
    const text = `INSERT INTO ${ident(table)} (${cols}) SELECT * FROM unnest(${arrays})${conflictClause(table, o)}`;
    for (let i = 0; i < rows.length; i += MAX_ROWS) {
      const chunk = rows.slice(i, i + MAX_ROWS);
      await db.executeQuery(CompiledQuery.raw(text, columns.map((_, j) => chunk.map((r) => r[j]))));
    }
  },
  packedPairs: () => sql<string>`string_agg(value::text || ':' || count::text, ',')`,
  packedValue: (packed, code) => sql<number | null>`(substring(${packed} from ${`,${code}=(-?[0-9]+)`}::text))::integer`,
  async lockUntilCommit(tx, scope, key) {
    await sql`select pg_advisory_xact_lock(hashtext(${scope}), hashtext(${key}))`.execute(tx);
  },
  // pg_dump's custom format (restore with pg_restore); pg_dump must be installed where this runs.
  async backup(location, dest) {
    const r = spawnSync('pg_dump', ['--format=custom', '--file', dest, location], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('pg_dump failed (is it installed?)');
  },
  // The query text is one bound parameter; its tokens are letters and digits only (search-query.ts).
  textSearch(query, original) {
    const tsq = sql`to_tsquery('english'::regconfig, comment_search_fold(${toTsquery(query)}))`;
    const vector = original ? ORIGINAL : REDACTED;
    const text = original ? sql`r.comment` : sql`ca.redacted`;
    return {
      match: sql<boolean>`${vector} @@ ${tsq}`,
      // float8, so that the value a cursor carries compares equal to the one recomputed.
      rank: sql<number>`(-ts_rank(${vector}, ${tsq}))::float8`,
      highlight: sql<string>`ts_headline('english'::regconfig, comment_search_text(${text}), ${tsq}, ${HEADLINE_OPTIONS})`,
    };
  },
  async reindexTextSearch() {}, // generated column and expression index: kept by PostgreSQL itself
};
