// Keyset pagination of the member and contact lists on both engines (issue 14): walking the pages with
// `next` → `after` returns every row exactly once in the list's order, a row added before the cursor
// between two pages neither repeats nor shifts the rest, `limit` is bounded (≤ 200) and a cursor that is
// not the list's own is a 400 naming `after`.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { type OrgFixture } from '../../../test/fixtures.ts';
import { adminApp } from '../../../test/auth-fixture.ts';
import { createUser, hashPassword } from '../../store/users.ts';
import { addMembership, listMembers } from '../../store/memberships.ts';
import { encodeCursor } from '../../store/page-cursor.ts';
import { seedMembers } from '../../../test/bulk-members.ts';

const MEMBERS = 210;
const CONTACTS = 450;

describeEngines('paged lists: members and contacts', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  const url = (p: string) => `/api/v1/organisations/${f.org.id}/${p}`;
  const get = (p: string) => app.inject({ url: url(p), headers: admin });

  /** Every page of `list`, following `next`; the rows' keys in the order served. */
  async function walk(list: 'members' | 'contacts', query: string, key: (row: any) => string, between?: (page: number) => Promise<void>): Promise<{ keys: string[]; pages: number }> {
    const keys: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const r = await get(`${list}?${query}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(r.statusCode, r.body).toBe(200);
      const j = r.json();
      keys.push(...j[list].map(key));
      after = j.next;
      pages++;
      await between?.(pages);
    } while (after);
    return { keys, pages };
  }

  beforeAll(async () => {
    ({ app, f, admin } = await adminApp(ctx()));
    await seedMembers(ctx(), f.org.id, MEMBERS);
    const contacts = Array.from({ length: CONTACTS }, (_, i) => ({ email: `${['c', 'b.x', 'b_x'][i % 3]}${(i * 104729) % 10007}@page.example`, kind: i % 4 ? 'customer' : 'leader' }));
    const up = await app.inject({ method: 'POST', url: url('contacts'), headers: admin, payload: { contacts } });
    expect(up.statusCode, up.body).toBe(201);
  });
  afterAll(() => app.close());

  it('members: every member exactly once across pages, in the list order; the default page is the largest', async () => {
    const all = (await listMembers(ctx().db, f.org.id)).map((m) => m.email);
    expect(all).toHaveLength(MEMBERS + 1);
    const { keys, pages } = await walk('members', 'limit=37', (m) => m.email);
    expect(keys).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 37));
    const first = (await get('members')).json();
    expect(first.members).toHaveLength(200);
    expect(first.next).not.toBeNull();
  });

  it('members: a member added before the cursor between two pages neither repeats nor shifts the rest', async () => {
    const before = (await listMembers(ctx().db, f.org.id)).map((m) => m.email);
    const { keys } = await walk('members', 'limit=50', (m) => m.email, async (page) => {
      if (page !== 2) return;
      const u = await createUser(ctx().db, { email: '0-first@page.example', passwordHash: await hashPassword('not used by this test') });
      await addMembership(ctx().db, { orgId: f.org.id, userId: u.id, role: 'viewer' });
    });
    expect(keys).toEqual(before);
  });

  it('contacts: every contact of the filter exactly once across pages, with the same total on each', async () => {
    const all = await ctx().db.selectFrom('contacts').select('email').where('org_id', '=', f.org.id).where('kind', '=', 'customer').orderBy('email').execute();
    expect(all.length).toBe(CONTACTS - Math.ceil(CONTACTS / 4));
    const totals = new Set<number>();
    const { keys } = await walk('contacts', 'kind=customer&limit=200', (c) => {
      expect(c.kind).toBe('customer');
      return c.email;
    });
    expect(keys).toEqual(all.map((r) => r.email));
    for (const after of [null, encodeCursor('contacts', [all[150]!.email])]) totals.add((await get(`contacts?kind=customer&limit=10${after ? `&after=${after}` : ''}`)).json().total);
    expect([...totals]).toEqual([all.length]);
    const first = (await get('contacts')).json();
    expect(first.contacts).toHaveLength(100);
    expect(first.total).toBe(CONTACTS);
  });

  it('bounds limit and refuses a cursor that is not the list\'s own with a 400 naming the field', async () => {
    const memberCursor = (await get('members?limit=1')).json().next as string;
    const cases: [string, string][] = [
      ['members?limit=201', 'limit'],
      ['members?limit=0', 'limit'],
      ['contacts?limit=1000', 'limit'],
      ['members?after=not-a-cursor', 'after'],
      [`members?after=${encodeURIComponent(Buffer.from('["members"]').toString('base64url'))}`, 'after'],
      [`contacts?after=${encodeURIComponent(memberCursor)}`, 'after'],
      [`members?after=${'x'.repeat(1300)}`, 'after'],
    ];
    for (const [p, field] of cases) {
      const r = await get(p);
      expect(r.statusCode, p).toBe(400);
      expect(r.json().fields.map((x: { field: string }) => x.field), p).toContain(field);
    }
  });
});
