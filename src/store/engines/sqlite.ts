// SQLite's side of the engine interface (engine.ts): fixed-size multi-row VALUES statements (one text for
// every full chunk, which better-sqlite3 parses quickly each time), group_concat, instr/substr.
import SQLite from 'better-sqlite3';
import { CompiledQuery, sql } from 'kysely';
import { conflictClause, ident, MARK_END, MARK_START, type Engine } from './engine.ts';
import { toFts5 } from '../../core/text/search-query.ts';
import { writeTransaction } from '../write-transaction.ts';

// The FTS5 tables of migration 0018: external content over the rows they index, keyed by their rowid.
const FTS = {
  redacted: { table: 'comment_search_redacted', column: 'redacted', rowOf: 'ca' },
  original: { table: 'comment_search_original', column: 'comment', rowOf: 'r' },
} as const;

const MAX_PARAMS = 32_766;
const MAX_ROWS = 1_000;

export const sqliteEngine: Engine = {
  kind: 'sqlite',
  skipLocked: false,
  async bulkWrite(db, table, columns, rows, o) {
    const cols = columns.map((c) => ident(c.name)).join(', ');
    const tail = conflictClause(table, o);
    const per = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns.length)));
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const statement = (n: number) => `INSERT INTO ${ident(table)} (${cols}) VALUES ${Array(n).fill(tuple).join(', ')}${tail}`;
    const full = statement(per);
    const width = columns.length;
    for (let i = 0; i < rows.length; i += per) {
      const n = Math.min(per, rows.length - i);
      const params = new Array(n * width);
      for (let r = 0; r < n; r++) {
        const row = rows[i + r]!;
        for (let c = 0; c < width; c++) params[r * width + c] = row[c];
      }
      await db.executeQuery(CompiledQuery.raw(n === per ? full : statement(n), params));
    }
  },
  packedPairs: () => sql<string>`group_concat(value || ':' || count)`,
  // SQLite's CAST of text to INTEGER reads the longest integer prefix: "5,7=3" → 5.
  packedValue(packed, code) {
    const needle = `,${code}=`;
    return sql<number | null>`(case when instr(${packed}, ${needle}) > 0 then cast(substr(${packed}, instr(${packed}, ${needle}) + ${sql.lit(needle.length)}) as integer) end)`;
  },
  async lockUntilCommit() {},
  // SQLite's online backup: a consistent file while the server keeps writing.
  async backup(location, dest) {
    const db = new SQLite(location, { readonly: true });
    try {
      await db.backup(dest);
    } finally {
      db.close();
    }
  },
  // FTS5 drives the join (its MATCH is the cheap side); bm25() is negative, best first ascending.
  textSearch(query, original) {
    const f = original ? FTS.original : FTS.redacted;
    const t = sql.table(f.table);
    return {
      join: { table: f.table, on: sql<boolean>`${t}.rowid = ${sql.ref(f.rowOf)}.rowid` },
      match: sql<boolean>`${t} match ${toFts5(query)}`,
      rank: sql<number>`bm25(${t})`,
      highlight: sql<string>`highlight(${t}, 0, ${MARK_START}, ${MARK_END})`,
    };
  },
  // External content: 'delete-all' then the rows that the triggers would have indexed.
  async reindexTextSearch(db) {
    await writeTransaction(db, async (tx) => {
      for (const f of Object.values(FTS)) await sql.raw(`INSERT INTO ${f.table} (${f.table}) VALUES ('delete-all')`).execute(tx);
      await sql`INSERT INTO comment_search_redacted (rowid, redacted) SELECT rowid, redacted FROM comment_analysis`.execute(tx);
      await sql`INSERT INTO comment_search_original (rowid, comment) SELECT rowid, comment FROM responses WHERE comment IS NOT NULL AND comment <> ''`.execute(tx);
    });
  },
};
