// SQLite's bad days — a full disk, a read-only database, a lock held by another process — answer 503
// with Retry-After and a clear message, store nothing, leave the file intact, and pass once the
// condition clears. SQLite-only by nature (PostgreSQL's outages: database-outage.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { openStore, type Store } from '../store/db.ts';
import { countResponses } from '../store/responses.ts';

describe('SQLite conditions answer 503 and recover', () => {
  let tdb: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let f: OrgFixture;
  let n = 0;
  const submit = () =>
    app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${f.customerSurvey}/responses`,
      payload: { answers: { nps: 9, excellent: 4 }, comment: 'fine' },
      headers: { 'idempotency-key': `cond-${++n}` },
    });
  const integrity = async () => (await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(store.db)).rows[0]!.integrity_check;

  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    store = await openStore(tdb.url);
    app = await makeApp(store);
    f = await makeOrg(store);
    expect((await submit()).statusCode).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await tdb?.drop();
  });

  it('a full disk (SQLITE_FULL): 503, nothing stored, file intact, then stores again', async () => {
    const pages = (await sql<{ page_count: number }>`PRAGMA page_count`.execute(store.db)).rows[0]!.page_count;
    // The file may not grow past its current size: every page SQLite would add fails as on a full disk.
    await sql.raw(`PRAGMA max_page_count = ${pages}`).execute(store.db);
    const before = await countResponses(store.db, f.org.id);
    let full;
    // Free pages inside the file can take a few writes before the file must grow.
    for (let i = 0; i < 200; i++) {
      full = await submit();
      if (full.statusCode !== 201) break;
    }
    expect(full!.statusCode).toBe(503);
    expect(full!.headers['retry-after']).toBeDefined();
    expect(full!.json().message).toMatch(/full/);
    const during = await countResponses(store.db, f.org.id);
    expect(during.customer).toBeGreaterThanOrEqual(before.customer);
    await sql.raw('PRAGMA max_page_count = 1073741823').execute(store.db);
    expect(await integrity()).toBe('ok');
    // The refused submission was not half-written: its retry (same key) stores it exactly once.
    const retry = await app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${f.customerSurvey}/responses`,
      payload: { answers: { nps: 9, excellent: 4 }, comment: 'fine' },
      headers: { 'idempotency-key': `cond-${n}` },
    });
    expect(retry.statusCode).toBe(201);
    expect((await countResponses(store.db, f.org.id)).customer).toBe(during.customer + 1);
  });

  it('a read-only database (SQLITE_READONLY): 503, then stores again', async () => {
    const before = await countResponses(store.db, f.org.id);
    await sql`PRAGMA query_only = 1`.execute(store.db);
    const r = await submit();
    expect(r.statusCode).toBe(503);
    expect(r.json().message).toMatch(/read-only/);
    // Reading still works meanwhile.
    expect((await countResponses(store.db, f.org.id)).customer).toBe(before.customer);
    await sql`PRAGMA query_only = 0`.execute(store.db);
    expect((await submit()).statusCode).toBe(201);
    expect((await countResponses(store.db, f.org.id)).customer).toBe(before.customer + 1);
    expect(await integrity()).toBe('ok');
  });

  it('a lock held by another process past the busy timeout (SQLITE_BUSY): 503, then stores again', async () => {
    const before = await countResponses(store.db, f.org.id);
    await sql`PRAGMA busy_timeout = 200`.execute(store.db);
    const other = new SQLite(tdb.url);
    try {
      other.exec('BEGIN EXCLUSIVE');
      const r = await submit();
      expect(r.statusCode).toBe(503);
      expect(r.json().message).toMatch(/busy/);
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    expect((await submit()).statusCode).toBe(201);
    expect((await countResponses(store.db, f.org.id)).customer).toBe(before.customer + 1);
    expect(await integrity()).toBe('ok');
  });
});
