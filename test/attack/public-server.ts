// A real server on a loopback port over a test store, for the attack tests (each replays its hole through
// it), and the organisation most public-input attacks start from: declared segments and an API key.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Store } from '../../src/store/db.ts';
import { buildApp, type AppOptions } from '../../src/server/app.ts';
import { replaceSegmentDeclarations } from '../../src/store/segments.ts';
import { createApiKey } from '../../src/store/api-keys.ts';
import type { SegmentDeclaration } from '../../src/core/segments.ts';
import type { Role } from '../../src/core/access.ts';
import { makeOrg, type OrgFixture } from '../fixtures.ts';

export interface LiveServer {
  app: FastifyInstance;
  base: string;
}

/** A server over `store` on a free loopback port; `options` as buildApp's (rate limits high unless given). */
export async function listen(store: Store, options: Omit<AppOptions, 'store'> = {}): Promise<LiveServer> {
  // Rate limits high: these tests replay attacks, not floods of requests.
  const app = await buildApp({ rateLimits: { surveyPerMinute: 1_000_000, surveyPerAddressPerMinute: 1_000_000, loginPerAddressPerMinute: 1_000_000 }, ...options, store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return { app, base: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

/**
 * The set-up most public-input attacks share: an organisation with the given declared segments, an API key
 * (analyst unless said) whose secret is `key`, and a live server over the store. Close `s.app` in afterAll.
 */
export async function servedOrg(
  store: Store,
  { segments = [], key = { name: 'crm', role: 'analyst' } }: { segments?: SegmentDeclaration[]; key?: { name: string; role: Role } } = {},
): Promise<{ f: OrgFixture; key: string; s: LiveServer }> {
  const f = await makeOrg(store);
  if (segments.length) await replaceSegmentDeclarations(store.db, f.org.id, segments);
  const { secret } = await createApiKey(store.db, { orgId: f.org.id, name: key.name, role: key.role });
  return { f, key: secret, s: await listen(store) };
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
