// `parallax serve` stops gracefully on SIGTERM/SIGINT: it stops accepting, finishes the requests in
// flight, closes the database and exits 0 — losing no acknowledged response — and a second signal, or a
// request that will not finish, ends it at once or after the bounded wait.
import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg } from '../../test/fixtures.ts';
import { startServer } from '../../test/server-process.ts';
import { submissionLoad } from '../../test/submission-load.ts';


/** A request whose body never finishes arriving: in flight until the server gives up on it. */
function stalledRequest(base: string, surveyId: string) {
  const { port } = new URL(base);
  const socket = connect(Number(port), '127.0.0.1');
  socket.on('error', () => {});
  socket.write(`POST /api/v1/surveys/${surveyId}/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"answers":`);
  return socket;
}

describeEngines('graceful shutdown of parallax serve', (ctx) => {
  it('SIGTERM during a submission load: exit 0 and every acknowledged response stored exactly once', async () => {
    const f = await makeOrg(ctx());
    const server = await startServer(ctx().location);
    const loading = submissionLoad({ base: server.base, surveyId: f.customerSurvey, count: 5000, concurrency: 8, keyPrefix: 'term', retry: () => false });
    // Signal once the load is well under way.
    await new Promise((r) => setTimeout(r, 1500));
    server.kill('SIGTERM');
    const [code, load] = await Promise.all([server.exited, loading]);
    expect(code).toBe(0);
    expect(server.output()).toMatch(/SIGTERM — finishing requests in flight/);
    expect(load.acknowledged.size).toBeGreaterThan(0);
    // Refused after the signal, never a 500.
    for (const status of load.seen.keys()) expect([200, 201, 503, 'network']).toContain(status);
    const rows = await ctx().db.selectFrom('responses').select('idempotency_key').where('org_id', '=', f.org.id).execute();
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.idempotency_key!, (counts.get(r.idempotency_key!) ?? 0) + 1);
    // Keys are kept per survey (`<survey id>:<key>`).
    for (const key of load.acknowledged) expect(counts.get(`${f.customerSurvey}:${key}`), key).toBe(1);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
  });

  it('a request that never finishes: the wait is bounded, then exit 1; a second signal exits at once', async () => {
    const f = await makeOrg(ctx());
    const bounded = await startServer(ctx().location, { PARALLAX_SHUTDOWN_TIMEOUT_MS: '800' });
    const s1 = stalledRequest(bounded.base, f.customerSurvey);
    await new Promise((r) => setTimeout(r, 200));
    bounded.kill('SIGTERM');
    expect(await bounded.exited).toBe(1);
    expect(bounded.output()).toMatch(/still running after 800 ms/);
    s1.destroy();

    const twice = await startServer(ctx().location, { PARALLAX_SHUTDOWN_TIMEOUT_MS: '60000' });
    const s2 = stalledRequest(twice.base, f.customerSurvey);
    await new Promise((r) => setTimeout(r, 200));
    twice.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    expect(twice.child.exitCode).toBeNull(); // still waiting for the stalled request
    twice.kill('SIGINT');
    expect(await twice.exited).toBe(130);
    expect(twice.output()).toMatch(/SIGINT again — exiting now/);
    s2.destroy();
  });
});
