// Proof that a refused request wrote nothing: a change journal kept by the test database itself. A trigger
// on every table (both engines) appends the table's name to `fuzz_journal` on each insert, delete, and
// update that changes a value, so "what changed since this mark" is one indexed read instead of hashing
// every table before and after each request (which made the fuzz suite minutes long). Left out: the
// bookkeeping that authenticating itself updates (a session's sliding expiry, an API key's last use),
// which is not the request's doing. SQLite's full-text index (a virtual table and its shadow tables)
// takes no triggers; it changes only with the responses' comments, which are journaled.
import { sql } from 'kysely';
import type { Store } from '../../src/store/db.ts';

const JOURNAL = 'fuzz_journal';
const VOLATILE: Record<string, string[]> = {
  sessions: ['last_seen_at', 'expires_at'],
  api_keys: ['last_used_at'],
};

/** A position in the journal: changes after it are the ones `changedSince` reports. */
export type Mark = number;

/** The tables a trigger can watch: every table of the schema but the journal, the migrator's and SQLite's FTS ones. */
export async function watchableTables(store: Store): Promise<string[]> {
  if (store.engine === 'sqlite') {
    const rows = (await sql<{ name: string; sql: string | null }>`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(store.db)).rows;
    const virtual = rows.filter((r) => /^create virtual table/i.test(r.sql ?? '')).map((r) => r.name);
    return rows
      .map((r) => r.name)
      .filter((n) => !virtual.some((v) => n === v || n.startsWith(`${v}_`)))
      .filter((n) => n !== JOURNAL && !n.startsWith('kysely_'))
      .sort();
  }
  const rows = (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(store.db)).rows;
  return rows.map((r) => r.name).filter((n) => n !== JOURNAL && !n.startsWith('kysely_')).sort();
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Creates the journal and a trigger on every table; returns the tables watched. Run after the migrations. */
export async function installChangeJournal(store: Store): Promise<string[]> {
  const tables = await watchableTables(store);
  if (store.engine === 'sqlite') {
    await sql.raw(`create table ${JOURNAL} (id integer primary key autoincrement, tbl text not null)`).execute(store.db);
    for (const t of tables) {
      const log = `insert into ${JOURNAL}(tbl) values (${literal(t)});`;
      const cols = (await sql<{ name: string }>`select name from pragma_table_info(${t})`.execute(store.db)).rows.map((r) => r.name);
      const watched = cols.filter((c) => !(VOLATILE[t] ?? []).includes(c));
      const changed = watched.map((c) => `old.${quote(c)} is not new.${quote(c)}`).join(' or ');
      await sql.raw(`create trigger ${quote(`fuzz_i_${t}`)} after insert on ${quote(t)} begin ${log} end`).execute(store.db);
      await sql.raw(`create trigger ${quote(`fuzz_d_${t}`)} after delete on ${quote(t)} begin ${log} end`).execute(store.db);
      await sql.raw(`create trigger ${quote(`fuzz_u_${t}`)} after update on ${quote(t)} when ${changed || '0'} begin ${log} end`).execute(store.db);
    }
  } else {
    await sql.raw(`create table ${JOURNAL} (id bigserial primary key, tbl text not null)`).execute(store.db);
    // The volatile columns come as trigger arguments and are left out of the comparison of old and new
    // (tg_argv is null, not empty, for a trigger without arguments).
    await sql
      .raw(
        `create function fuzz_journal_row() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and (to_jsonb(new) - coalesce(tg_argv, '{}')) = (to_jsonb(old) - coalesce(tg_argv, '{}')) then return null; end if;
  insert into ${JOURNAL}(tbl) values (tg_table_name);
  return null;
end $$`,
      )
      .execute(store.db);
    for (const t of tables) {
      const args = (VOLATILE[t] ?? []).map(literal).join(', ');
      await sql.raw(`create trigger fuzz_journal after insert or update or delete on ${quote(t)} for each row execute function fuzz_journal_row(${args})`).execute(store.db);
    }
  }
  return tables;
}

/** The journal's current end. */
export async function journalMark(store: Store): Promise<Mark> {
  const r = (await sql<{ id: number | string | null }>`select max(id) as id from ${sql.table(JOURNAL)}`.execute(store.db)).rows[0];
  return Number(r?.id ?? 0);
}

/** The tables changed after `mark` ("name ×count"), empty when nothing changed. */
export async function changedSince(store: Store, mark: Mark): Promise<string[]> {
  const rows = (await sql<{ tbl: string; n: number | string }>`select tbl, count(*) as n from ${sql.table(JOURNAL)} where id > ${mark} group by tbl order by tbl`.execute(store.db)).rows;
  return rows.map((r) => `${r.tbl} ×${Number(r.n)}`);
}
