// Several `parallax serve` processes on one database (issue 8, "many servers, one database"): each keeps
// its own report cache (store/cell-cache.ts), and a load balancer sends a client's write to one and its
// next read to another. Two real processes share one fresh database; writes and reads alternate between
// them, and every report must count exactly what was acknowledged before it was asked for — on
// PostgreSQL, and on SQLite (two processes on one WAL file).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, ENGINES, PG_ADMIN_URL, type TestDatabase } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { startServer, type ServerProcess } from '../../test/server-process.ts';
import { createApiKey } from '../store/api-keys.ts';
import { openStore } from '../store/db.ts';

for (const engine of ENGINES) {
  describe(`two servers on one database [${engine}]`, () => {
    let tdb: TestDatabase;
    let f: OrgFixture;
    let auth: Record<string, string>;
    const servers: ServerProcess[] = [];

    beforeAll(async () => {
      tdb = await createTestDatabase(engine);
      const store = await openStore(tdb.url);
      // One respondent is enough to be shown, so the counts are visible from the first response.
      f = await makeOrg(store, { minResponses: 1 });
      auth = { authorization: `Bearer ${(await createApiKey(store.db, { orgId: f.org.id, name: 'two servers', role: 'admin' })).secret}` };
      await store.close();
      servers.push(...(await Promise.all([startServer(tdb.url), startServer(tdb.url)])));
    });
    afterAll(async () => {
      for (const s of servers) s.kill('SIGKILL');
      await Promise.all(servers.map((s) => s.exited));
      await tdb?.drop();
    });

    let submitted = 0;
    async function submit(server: ServerProcess, count: number): Promise<void> {
      for (let i = 0; i < count; i++) {
        const r = await fetch(`${server.base}/api/v1/surveys/${f.customerSurvey}/responses`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `two-servers-${submitted}` },
          body: JSON.stringify({ answers: { nps: submitted % 11, excellent: 1 + (submitted % 5) } }),
        });
        expect(r.status, await r.clone().text()).toBe(201);
        submitted++;
      }
    }
    async function gap(server: ServerProcess) {
      const r = await fetch(`${server.base}/api/v1/organisations/${f.org.id}/reports/gap`, { headers: auth });
      expect(r.status, await r.clone().text()).toBe(200);
      return (await r.json()) as { minResponses: number; responses: { customers: number | null }; headline: { customers: { n?: number } }; nps: { n?: number } };
    }
    /** What a server's gap report counts: respondents, the headline's answers and NPS answers. */
    async function counts(server: ServerProcess) {
      const g = await gap(server);
      return [g.responses.customers ?? 0, g.headline.customers.n ?? 0, g.nps.n ?? 0];
    }

    it('a response written through one server is counted at once by the other, both ways, every time', async () => {
      const [a, b] = servers as [ServerProcess, ServerProcess];
      // Both hold the empty organisation's report in their caches before the first write.
      expect(await counts(a)).toEqual([0, 0, 0]);
      expect(await counts(b)).toEqual([0, 0, 0]);
      for (let round = 0; round < 8; round++) {
        const [writer, reader] = round % 2 === 0 ? [a, b] : [b, a];
        await submit(writer, 1 + (round % 3));
        expect(await counts(reader), `round ${round}, read from the other server`).toEqual([submitted, submitted, submitted]);
        expect(await counts(writer), `round ${round}, read from the writer`).toEqual([submitted, submitted, submitted]);
      }
    });

    it("an organisation's settings changed through one server apply at once on the other", async () => {
      const [a, b] = servers as [ServerProcess, ServerProcess];
      await gap(a);
      await gap(b); // both cached at the current settings
      for (const [writer, reader, min] of [[a, b, 1000], [b, a, 3]] as const) {
        const r = await fetch(`${writer.base}/api/v1/organisations/${f.org.id}`, {
          method: 'PATCH',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ minResponses: min }),
        });
        expect(r.status, await r.clone().text()).toBe(200);
        const g = await gap(reader);
        expect(g.minResponses).toBe(min);
        // Fewer respondents than the minimum: withheld, not counted (the API's least minimum is 3).
        expect(g.responses.customers).toBe(min === 1000 ? null : submitted);
      }
    });

    it.runIf(engine === 'postgres')('stays fresh after every database connection of both servers is ended', async () => {
      const [a, b] = servers as [ServerProcess, ServerProcess];
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      admin.on('error', () => {});
      await admin.connect();
      try {
        await counts(a);
        await counts(b);
        const ended = await admin.query('select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [
          new URL(tdb.url).pathname.slice(1),
        ]);
        expect(ended.rows[0].n).toBeGreaterThan(0);
      } finally {
        await admin.end().catch(() => {});
      }
      // The first request after the connections ended may meet a dead pooled client (503, Retry-After);
      // a well-behaved client retries. What matters: the processes live, and no answer is stale.
      const retrying = async <T>(fn: () => Promise<T>): Promise<T> => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await fn();
          } catch (e) {
            if (attempt >= 5) throw e;
          }
        }
      };
      for (let round = 0; round < 4; round++) {
        const [writer, reader] = round % 2 === 0 ? [a, b] : [b, a];
        await retrying(() => submit(writer, 1));
        expect(await retrying(() => counts(reader))).toEqual([submitted, submitted, submitted]);
      }
      expect(a.child.exitCode).toBeNull();
      expect(b.child.exitCode).toBeNull();
    });
  });
}
