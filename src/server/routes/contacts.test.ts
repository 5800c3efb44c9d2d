// The contacts and campaigns API's edges on both engines: roles (viewers and owners may neither read nor
// write contacts), 4xx naming the field, bounded bodies, CSV header errors, the OpenAPI document.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { type OrgFixture } from '../../../test/fixtures.ts';
import { adminApp, authHeaders } from '../../../test/auth-fixture.ts';

describeEngines('contacts and campaigns API', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  const url = (p: string) => `/api/v1/organisations/${f.org.id}/${p}`;
  beforeAll(async () => {
    ({ app, f, admin } = await adminApp(ctx()));
  });
  afterAll(() => app.close());

  it('lets only admins and analysts read or write contacts and campaigns', async () => {
    for (const role of ['viewer', 'owner'] as const) {
      const h = await authHeaders(ctx(), f.org.id, role);
      expect((await app.inject({ url: url('contacts'), headers: h })).statusCode).toBe(403);
      expect((await app.inject({ method: 'POST', url: url('contacts'), headers: h, payload: { contacts: [{ email: 'a@example.com' }] } })).statusCode).toBe(403);
      expect((await app.inject({ url: url('campaigns'), headers: h })).statusCode).toBe(403);
      expect((await app.inject({ method: 'POST', url: url('campaigns'), headers: h, payload: { name: 'x' } })).statusCode).toBe(403);
    }
    expect((await app.inject({ url: url('contacts') })).statusCode).toBe(401);
    const analyst = await authHeaders(ctx(), f.org.id, 'analyst');
    expect((await app.inject({ method: 'POST', url: url('contacts'), headers: analyst, payload: { contacts: [{ email: 'an@example.com' }] } })).statusCode).toBe(201);
    // Viewing contacts is audited.
    expect((await app.inject({ url: url('contacts'), headers: analyst })).statusCode).toBe(200);
    const audit = await ctx().db.selectFrom('audit_log').select('action').where('org_id', '=', f.org.id).execute();
    expect(audit.map((a) => a.action)).toContain('contacts.view');
  });

  it('answers bad input with a 4xx naming the field, writing nothing', async () => {
    const cases: [unknown, number, string][] = [
      [{ contacts: [] }, 400, 'contacts'],
      [{ contacts: [{ email: 'no' }] }, 422, 'contacts.0.email'],
      [{ contacts: [{ email: 'ok@example.com', kind: 'boss' }] }, 422, 'contacts.0.kind'],
      [{ people: [] }, 400, 'people'],
    ];
    for (const [payload, status, field] of cases) {
      const r = await app.inject({ method: 'POST', url: url('contacts'), headers: admin, payload: payload as object });
      expect(r.statusCode, JSON.stringify(payload)).toBe(status);
      expect(r.json().fields.map((x: { field: string }) => x.field)).toContain(field);
    }
    const csv = await app.inject({ method: 'POST', url: url('contacts'), headers: { ...admin, 'content-type': 'text/csv' }, payload: 'name\nAna\n' });
    expect(csv.statusCode).toBe(400);
    expect(csv.json().message).toMatch(/missing column "email"/);
    const two = await app.inject({ method: 'POST', url: url('contacts'), headers: admin, payload: { contacts: [{ email: 'x@example.com' }, { email: 'X@example.com' }] } });
    expect(two.statusCode).toBe(422);
    expect(two.json().fields[0].field).toBe('contacts.1.email');
    const big = await app.inject({ method: 'POST', url: url('contacts'), headers: { ...admin, 'content-type': 'text/csv' }, payload: 'email\n' + 'a@example.com\n'.repeat(450_000) });
    expect(big.statusCode).toBe(413);
    const n = await ctx().db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', f.org.id).where('email', 'in', ['ok@example.com', 'x@example.com']).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);

    for (const [payload, field] of [
      [{}, 'name'],
      [{ name: 'x', maxReminders: 2 }, 'reminderDays'],
      [{ name: 'x', reminderDays: 0, maxReminders: 1 }, 'reminderDays'],
      [{ name: 'x', perspective: 'board' }, 'perspective'],
      [{ name: 'x', sendAt: 'tomorrow' }, 'sendAt'],
      [{ name: 'x', senderName: 'Evil <x@y>' }, 'senderName'],
      [{ name: 'x', filter: { segments: { __proto__x: ['a'] } } }, 'filter.segments'],
    ] as const) {
      const r = await app.inject({ method: 'POST', url: url('campaigns'), headers: admin, payload });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().fields.map((x: { field: string }) => x.field).join(' ')).toContain(field);
    }
    expect((await app.inject({ url: url('campaigns/cp_nope'), headers: admin })).statusCode).toBe(404);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await app.inject('/api/v1/openapi.json')).json();
    for (const p of ['/api/v1/organisations/{org}/contacts', '/api/v1/organisations/{org}/campaigns', '/api/v1/organisations/{org}/campaigns/{id}']) expect(doc.paths[p], p).toBeDefined();
  });
});
