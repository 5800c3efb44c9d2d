// PostgreSQL's side of the engine interface (engine.ts): one INSERT … SELECT FROM unnest() of column arrays
// per chunk (a handful of parameters, whatever the row count), string_agg, a regular expression, advisory
// transaction locks.
import { spawnSync } from 'node:child_process';
import { CompiledQuery, sql } from 'kysely';
import { conflictClause, ident, type Engine } from './engine.ts';

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
};
