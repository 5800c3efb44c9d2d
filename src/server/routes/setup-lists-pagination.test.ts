// Keyset pagination of the set-up lists bounded in issue 14 — leader links, pending invitations, API keys —
// on both engines: following `next` → `after` serves every row exactly once in the list's order (ties on
// the creation time broken by id: a batch of leader links shares one), `limit` is bounded, and a cursor
// that is not the list's own is a 400 naming `after`.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { type OrgFixture } from '../../../test/fixtures.ts';
import { adminApp } from '../../../test/auth-fixture.ts';
import { createLeaderLinks, listLeaderLinks } from '../../store/leader-links.ts';
import { createInvitation, listPendingInvitations } from '../../store/invitations.ts';
import { createApiKey, listApiKeys } from '../../store/api-keys.ts';
import { encodeCursor } from '../../store/page-cursor.ts';

const LISTS = [
  { path: 'leader-links', field: 'links' },
  { path: 'invitations', field: 'invitations' },
  { path: 'api-keys', field: 'apiKeys' },
] as const;

describeEngines('paged lists: leader links, invitations, API keys', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  const get = (p: string) => app.inject({ url: `/api/v1/organisations/${f.org.id}/${p}`, headers: admin });

  async function walk(path: string, field: string, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const r = await get(`${path}?limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(r.statusCode, r.body).toBe(200);
      const j = r.json();
      expect(j[field].length).toBeLessThanOrEqual(limit);
      ids.push(...j[field].map((x: { id: string }) => x.id));
      after = j.next;
    } while (after);
    return ids;
  }

  beforeAll(async () => {
    ({ app, f, admin } = await adminApp(ctx()));
    const db = ctx().db;
    const t0 = Date.parse('2026-01-05T10:00:00Z');
    // Two batches: each batch's links share a creation time, so the id orders them.
    await createLeaderLinks(db, { orgId: f.org.id, createdBy: 'seed', count: 12, days: 3650 }, new Date(t0));
    await createLeaderLinks(db, { orgId: f.org.id, createdBy: 'seed', count: 11, days: 3650 }, new Date(t0 + 60_000));
    // Invitations: pairs share a creation time (newest first, then by id); they expire years later.
    for (let i = 0; i < 17; i++)
      await createInvitation(db, { orgId: f.org.id, email: `p${i}@pages.example`, role: 'viewer', createdBy: null, days: 3650 }, new Date(Date.now() - Math.floor(i / 2) * 60_000));
    for (let i = 0; i < 9; i++) await createApiKey(db, { orgId: f.org.id, name: `key ${i}`, role: 'viewer' });
  });
  afterAll(() => app.close());

  it('serves every row exactly once across pages, in the list order', async () => {
    const db = ctx().db;
    const expected: Record<string, string[]> = {
      'leader-links': (await listLeaderLinks(db, f.org.id)).map((l) => l.id),
      invitations: (await listPendingInvitations(db, f.org.id)).map((i) => i.id),
      'api-keys': (await listApiKeys(db, f.org.id)).map((k) => k.id),
    };
    expect(expected['leader-links']).toHaveLength(23);
    expect(expected.invitations).toHaveLength(17);
    expect(expected['api-keys']).toHaveLength(9);
    for (const { path, field } of LISTS) {
      expect(await walk(path, field, 4), path).toEqual(expected[path]);
      const first = (await get(path)).json();
      expect(first[field], path).toHaveLength(expected[path]!.length); // all fit the default page
      expect(first.next, path).toBeNull();
    }
  });

  it("gives the leader links' totals over every page, not the page's own count", async () => {
    const db = ctx().db;
    const [a, b] = (await listLeaderLinks(db, f.org.id)).slice(0, 2);
    await db.updateTable('leader_links').set({ used_at: '2026-02-01T00:00:00.000Z' }).where('id', 'in', [a!.id, b!.id]).execute();
    const r = (await get('leader-links?limit=1')).json();
    expect(r.links).toHaveLength(1);
    expect(r.totals).toEqual({ made: 23, used: 2 });
    await db.updateTable('leader_links').set({ used_at: null }).where('id', 'in', [a!.id, b!.id]).execute();
  });

  it('refuses a limit over 200 and a cursor of another list, naming the field', async () => {
    for (const { path } of LISTS) {
      const big = await get(`${path}?limit=201`);
      expect(big.statusCode, path).toBe(400);
      expect(big.json().fields.map((x: { field: string }) => x.field), path).toContain('limit');
      const foreign = await get(`${path}?after=${encodeCursor('members', ['a@b.example'])}`);
      expect(foreign.statusCode, path).toBe(400);
      expect(foreign.json().fields.map((x: { field: string }) => x.field), path).toContain('after');
    }
  });
});
