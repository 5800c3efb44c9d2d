// A real server on a loopback port over a test store, for the attack tests of issue 7's public-input
// holes (segment flood, backdating, prototype names, form validation, NUL bytes, login CSRF).
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Store } from '../../src/store/db.ts';
import { buildApp } from '../../src/server/app.ts';

export interface LiveServer {
  app: FastifyInstance;
  base: string;
}

export async function listen(store: Store): Promise<LiveServer> {
  // Rate limits high: these tests replay attacks, not floods of requests.
  const app = await buildApp({ store, rateLimits: { surveyPerMinute: 1_000_000, surveyPerAddressPerMinute: 1_000_000, loginPerAddressPerMinute: 1_000_000 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return { app, base: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

/** Row counts of the tables a submission writes: equal before and after a refused request. */
export async function snapshot(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['responses', 'answers', 'answer_cells', 'answer_rollups', 'driver_cells', 'segment_declarations']) {
    const r = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${sql.table(t)}`.execute(store.db);
    out[t] = Number(r.rows[0]!.n);
  }
  return out;
}

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export const form = (body: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body,
  redirect: 'manual',
});
