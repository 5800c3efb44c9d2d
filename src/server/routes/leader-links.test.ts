// Leader links through the API on both engines: made by admins and analysts (token shown once), listed
// without tokens, revoked; bad input a 400 naming the field; expired and revoked links refused.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { adminApp, authHeaders } from '../../../test/auth-fixture.ts';
import { createLeaderLinks, listLeaderLinks } from '../../store/leader-links.ts';

describeEngines('leader links API', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  const url = () => `/api/v1/organisations/${f.org.id}/leader-links`;
  const answer = (token: string) =>
    app.inject({ method: 'POST', url: `/api/v1/surveys/${f.leaderSurvey}/responses`, headers: { 'x-leader-token': token }, payload: { answers: { excellent: 4, 'predict:excellent_share': 50 } } });
  beforeAll(async () => {
    ({ app, f, admin } = await adminApp(ctx()));
  });
  afterAll(() => app.close());

  it('makes links with their token once, lists them without, and revokes', async () => {
    const r = await app.inject({ method: 'POST', url: url(), headers: admin, payload: { count: 3, function: 'Sales' } });
    expect(r.statusCode).toBe(201);
    const links = r.json().links;
    expect(links).toHaveLength(3);
    for (const l of links) {
      expect(l.token).toMatch(/^pl_/);
      expect(l.path).toBe(`/s/${f.leaderSurvey}?t=${l.token}`);
      expect(l.function).toBe('Sales');
    }
    const list = await app.inject({ url: url(), headers: admin });
    expect(list.statusCode).toBe(200);
    expect(list.json().links.map((l: { id: string }) => l.id).sort()).toEqual(links.map((l: { id: string }) => l.id).sort());
    for (const l of links) expect(list.body).not.toContain(l.token);
    expect((await app.inject({ method: 'DELETE', url: `${url()}/${links[0].id}`, headers: admin })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: `${url()}/${links[0].id}`, headers: admin })).statusCode).toBe(404);
    expect((await answer(links[0].token)).statusCode).toBe(403);
    expect((await answer(links[1].token)).statusCode).toBe(201);
  });

  it('refuses an expired link', async () => {
    const [old] = await createLeaderLinks(ctx().db, { orgId: f.org.id, createdBy: 'test', count: 1, days: 1 }, new Date(Date.now() - 2 * 24 * 3600 * 1000));
    const r = await answer(old!.token);
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toMatch(/expired/);
    expect((await app.inject(`/s/${f.leaderSurvey}?t=${old!.token}`)).statusCode).toBe(403);
  });

  it('refuses bad input with a 400 naming the field, and roles below analyst', async () => {
    for (const [payload, field] of [
      [{ count: 0 }, 'count'],
      [{ count: 201 }, 'count'],
      [{ count: 1.5 }, 'count'],
      [{ function: 'a;b=c' }, 'function'],
      [{ function: '' }, 'function'],
      [{ colour: 'red' }, 'colour'],
      [{ days: 0 }, 'days'],
    ] as const) {
      const r = await app.inject({ method: 'POST', url: url(), headers: admin, payload });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().fields.map((x: { field: string }) => x.field).join(','), JSON.stringify(payload)).toContain(field);
    }
    const n = (await listLeaderLinks(ctx().db, f.org.id)).length;
    for (const role of ['viewer', 'owner'] as const) {
      const h = await authHeaders(ctx(), f.org.id, role);
      expect((await app.inject({ method: 'POST', url: url(), headers: h, payload: {} })).statusCode).toBe(403);
      expect((await app.inject({ url: url(), headers: h })).statusCode).toBe(403);
    }
    const analyst = await authHeaders(ctx(), f.org.id, 'analyst');
    expect((await app.inject({ method: 'POST', url: url(), headers: analyst, payload: {} })).statusCode).toBe(201);
    expect(await listLeaderLinks(ctx().db, f.org.id)).toHaveLength(n + 1);
    const other = await authHeaders(ctx(), (await makeOrg(ctx())).org.id, 'admin');
    expect((await app.inject({ url: url(), headers: other })).statusCode).toBe(404);
  });
});
