// SQLite's side of the engine interface (engine.ts): fixed-size multi-row VALUES statements (one text for
// every full chunk, which better-sqlite3 parses quickly each time), group_concat, instr/substr.
import SQLite from 'better-sqlite3';
import { CompiledQuery, sql } from 'kysely';
import { conflictClause, ident, type Engine } from './engine.ts';

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
};
