// An organisation's cell version: how many times what its reports read has changed (migration 0004).
// Every transaction that changes an organisation's aggregates, settings, framework or journey bumps it
// first: it is the lock that orders such writers (PostgreSQL row lock; SQLite has one writer anyway),
// and the signal to every process's cached reports (cell-cache.ts) that they are stale.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { bulkWrite } from './bulk.ts';

/**
 * Marks what the organisations' reports read as changed, for every process on the database: their cells
 * (call in the transaction that changes them — ingest, erasure, rebuild — before the cells are written) or
 * their settings, framework or journey (organisations.ts). This is the cache's one invalidation.
 */
export async function bumpCellVersions(tx: Kysely<Database>, orgIds: Iterable<string>): Promise<void> {
  const rows = [...new Set(orgIds)].sort().map((id) => [id, 1]);
  await bulkWrite(
    tx,
    'cell_versions',
    [
      { name: 'org_id', type: 'text' },
      { name: 'version', type: 'bigint' },
    ],
    rows,
    { conflict: ['org_id'], add: ['version'] },
  );
}

