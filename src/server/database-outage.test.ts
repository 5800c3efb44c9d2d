// A PostgreSQL restart, failover or connection proxy ends the server's connections under it
// (pg_terminate_backend does exactly that). The real `parallax serve` process must survive, answer 503
// (or succeed) meanwhile, serve again without a restart, and store every acknowledged response exactly
// once — the client's retry with its idempotency key settles an interrupted write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, ENGINES, PG_ADMIN_URL, type TestDatabase } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { startServer, type ServerProcess } from '../../test/server-process.ts';
import { submissionLoad } from '../../test/submission-load.ts';
import { openStore } from '../store/db.ts';


async function storedKeys(url: string, orgId: string): Promise<Map<string, number>> {
  const store = await openStore(url);
  try {
    const rows = await store.db.selectFrom('responses').select('idempotency_key').where('org_id', '=', orgId).execute();
    const counts = new Map<string, number>();
    for (const r of rows) if (r.idempotency_key) counts.set(r.idempotency_key, (counts.get(r.idempotency_key) ?? 0) + 1);
    return counts;
  } finally {
    await store.close();
  }
}

describe.runIf(ENGINES.includes('postgres'))('the server survives its PostgreSQL connections being ended [postgres]', () => {
  let tdb: TestDatabase;
  let server: ServerProcess | undefined;
  let f: OrgFixture;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  admin.on('error', () => {});
  const dbName = () => new URL(tdb.url).pathname.slice(1);
  const terminate = async () =>
    (await admin.query('select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName()])).rows[0].n as number;

  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
    const store = await openStore(tdb.url);
    f = await makeOrg(store);
    await store.close();
    await admin.connect();
    server = await startServer(tdb.url);
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await server?.exited;
    await admin.end().catch(() => {});
    await tdb?.drop();
  });

  it('idle connections ended: the process lives on and the next request succeeds', async () => {
    // Warm the pool so it holds idle connections, then end them all.
    await Promise.all(Array.from({ length: 6 }, () => fetch(`${server!.base}/readyz`)));
    expect(await terminate()).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(server!.child.exitCode).toBeNull();
    const ready = await fetch(`${server!.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', engine: 'postgres' });
    expect(server!.output()).toMatch(/PostgreSQL connection was lost \(57P01/);
  });

  it('connections ended again and again under a submission load: 503 or success, every acknowledged response stored once', async () => {
    let stop = false;
    let terminations = 0;
    const killer = (async () => {
      while (!stop) {
        await new Promise((r) => setTimeout(r, 150));
        if (!stop) terminations += await terminate();
      }
    })();
    // A client that keeps retrying with its key: since the themes' counts are written in the submission's
    // transaction (migration 0029) that transaction is longer, so with every connection ended every 150 ms a
    // response can need more than the default 50 attempts to get through (5 of 200 did, once).
    const load = await submissionLoad({ base: server!.base, surveyId: f.customerSurvey, count: 200, concurrency: 12, keyPrefix: 'outage', retry: (a) => a < 400 });
    stop = true;
    await killer;
    expect(terminations).toBeGreaterThan(0);
    expect(server!.child.exitCode).toBeNull();
    // Only successes, 503s and nothing else (never a 500).
    for (const status of load.seen.keys()) expect([200, 201, 503]).toContain(status);
    expect(load.abandoned).toEqual([]);
    expect(load.acknowledged.size).toBe(200);
    const stored = await storedKeys(tdb.url, f.org.id);
    // Keys are kept per survey (`<survey id>:<key>`).
    for (const key of load.acknowledged) expect(stored.get(`${f.customerSurvey}:${key}`), key).toBe(1);
    expect([...stored.values()].every((c) => c === 1)).toBe(true);
    // And it serves normally afterwards.
    expect((await fetch(`${server!.base}/readyz`)).status).toBe(200);
    // Every connection is ended every 150 ms, so most transactions are cut and retried: on a loaded 2-core
    // machine the 200 responses take minutes, not seconds (what is checked is the outcome, not the time).
  }, 300_000);

  it('readyz answers 503 while the database cannot be reached, 200 once it can', async () => {
    // Block new connections to this database, end the existing ones: every query fails to connect.
    await admin.query(`ALTER DATABASE ${dbName()} WITH ALLOW_CONNECTIONS false`);
    try {
      await terminate();
      const down = await fetch(`${server!.base}/readyz`);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBeTruthy();
      expect((await fetch(`${server!.base}/healthz`)).status).toBe(200);
      const submit = await fetch(`${server!.base}/api/v1/surveys/${f.customerSurvey}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'while-down' },
        body: JSON.stringify({ answers: { nps: 3, excellent: 2 } }),
      });
      expect(submit.status).toBe(503);
      expect((await submit.json()).message).toMatch(/unavailable/);
    } finally {
      await admin.query(`ALTER DATABASE ${dbName()} WITH ALLOW_CONNECTIONS true`);
    }
    expect((await fetch(`${server!.base}/readyz`)).status).toBe(200);
    expect(server!.child.exitCode).toBeNull();
  });
});
