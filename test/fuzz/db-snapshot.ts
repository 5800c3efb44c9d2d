// A fingerprint of everything the database holds (per table: row count + a hash of the sorted rows),
// to prove a refused request wrote nothing. Left out: the bookkeeping that authenticating itself updates
// (a session's sliding expiry, an API key's last use), which is not the request's doing.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Store } from '../../src/store/db.ts';

const VOLATILE: Record<string, string[]> = {
  sessions: ['last_seen_at', 'expires_at'],
  api_keys: ['last_used_at'],
};

export type Snapshot = Map<string, string>;

async function tablesOf(store: Store): Promise<string[]> {
  const rows =
    store.engine === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(store.db)).rows
      : (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public'`.execute(store.db)).rows;
  return rows.map((r) => r.name).filter((n) => !n.startsWith('kysely_')).sort();
}

export async function snapshot(store: Store): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const t of await tablesOf(store)) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(store.db)).rows;
    const drop = VOLATILE[t] ?? [];
    const lines = rows.map((r) => JSON.stringify(Object.entries(r).filter(([k]) => !drop.includes(k)).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]))).sort();
    out.set(t, `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`);
  }
  return out;
}

/** The tables whose content differs ("name: before → after"), empty when nothing changed. */
export function changedTables(a: Snapshot, b: Snapshot): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((n) => a.get(n) !== b.get(n)).map((n) => `${n}: ${a.get(n) ?? '-'} → ${b.get(n) ?? '-'}`);
}
