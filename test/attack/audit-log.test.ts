// Attack: an insider reads individual-level data (verbatims, calibration's per-leader rows), exports,
// or quietly changes set-up, members or keys, and nobody can tell who did it. Now each such action is
// recorded (who, what, when, the filters used) and admins read the log in the API; what is recorded
// never holds a secret or a respondent's words.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../fixtures.ts';
import { authHeaders, makeUser, sessionHeaders } from '../auth-fixture.ts';
import { addMembership } from '../../src/store/memberships.ts';
import { listAudit, recordAudit, cliActor } from '../../src/store/audit-log.ts';
import { derivedAction } from '../../src/server/audit.ts';

describeEngines('attack: unaccountable reads and changes (audit log)', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  let analyst: Record<string, string>;
  let analystEmail: string;
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx(), { minResponses: 3 });
    admin = await authHeaders(ctx(), f.org.id, 'admin');
    const u = await makeUser(ctx());
    analystEmail = u.email;
    await addMembership(ctx().db, { orgId: f.org.id, userId: u.user.id, role: 'analyst', department: null });
    analyst = await sessionHeaders(ctx(), u.user.id);
    for (let i = 0; i < 4; i++)
      await app.inject({
        method: 'POST',
        url: `/api/v1/surveys/${f.customerSurvey}/responses`,
        payload: { answers: { excellent: 4, nps: 9 }, comment: `SECRET-COMMENT-${i} my account number is 12345` },
      });
  });
  afterAll(() => app.close());
  const log = async (query = '') => {
    const r = await app.inject({ url: `/api/v1/organisations/${f.org.id}/audit-log${query}`, headers: admin });
    expect(r.statusCode).toBe(200);
    return r.json() as { entries: any[]; next: string | null };
  };

  it('records who read verbatims and calibration, with the filters, without the comments', async () => {
    const v = await app.inject({ url: `/api/v1/organisations/${f.org.id}/verbatims?q=account&where=segment:region%3DEMEA`, headers: analyst });
    expect(v.statusCode).toBe(200);
    const c = await app.inject({ url: `/api/v1/organisations/${f.org.id}/reports/calibration`, headers: analyst });
    expect(c.statusCode).toBe(200);
    const { entries } = await log();
    const view = entries.find((e) => e.action === 'verbatims.view');
    expect(view).toMatchObject({ actor: { kind: 'user', label: analystEmail }, target: '/verbatims', details: { status: 200, query: { q: 'account', where: 'segment:region=EMEA' } } });
    expect(view.requestId).toBe(v.headers['x-request-id']);
    expect(entries.find((e) => e.action === 'calibration.view')).toMatchObject({ actor: { label: analystEmail } });
    expect(JSON.stringify(entries)).not.toContain('SECRET-COMMENT');
  });

  it('records set-up changes (derived action names) and member/key changes, never the secret', async () => {
    const patch = await app.inject({ method: 'PATCH', url: `/api/v1/organisations/${f.org.id}`, headers: analyst, payload: { minResponses: 5 } });
    expect(patch.statusCode).toBe(200);
    const key = await app.inject({ method: 'POST', url: `/api/v1/organisations/${f.org.id}/api-keys`, headers: admin, payload: { name: 'warehouse', role: 'viewer' } });
    expect(key.statusCode).toBe(201);
    const { secret, apiKey } = key.json();
    const del = await app.inject({ method: 'DELETE', url: `/api/v1/organisations/${f.org.id}/api-keys/${apiKey.id}`, headers: admin });
    expect(del.statusCode).toBe(204);
    const { entries } = await log();
    expect(entries.find((e) => e.action === 'organisation.update')).toMatchObject({ actor: { label: analystEmail }, details: { fields: ['minResponses'], minResponses: 5 } });
    expect(entries.find((e) => e.action === 'api-keys.create')).toMatchObject({ details: { name: 'warehouse', role: 'viewer' } });
    expect(entries.find((e) => e.action === 'api-keys.delete')).toMatchObject({ target: `/api-keys/${apiKey.id}` });
    expect(JSON.stringify(entries)).not.toContain(secret);
  });

  it('names API keys as actors, and refused requests record nothing', async () => {
    const keyHeaders = await authHeaders(ctx(), f.org.id, 'analyst', { via: 'apiKey' });
    expect((await app.inject({ url: `/api/v1/organisations/${f.org.id}/verbatims`, headers: keyHeaders })).statusCode).toBe(200);
    const before = (await listAudit(ctx().db, f.org.id, { limit: 200 })).entries.length;
    const bad = await app.inject({ method: 'PATCH', url: `/api/v1/organisations/${f.org.id}`, headers: analyst, payload: { minResponses: 'many' } });
    expect(bad.statusCode).toBe(400);
    const viewer = await authHeaders(ctx(), f.org.id, 'viewer');
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/organisations/${f.org.id}`, headers: viewer, payload: { minResponses: 6 } })).statusCode).toBe(403);
    const { entries } = await log();
    expect(entries.length).toBe(before);
    expect(entries.find((e) => e.actor.kind === 'api_key')).toMatchObject({ action: 'verbatims.view', actor: { label: 'API key "test key"' } });
  });

  it('is admin-only, per organisation, newest first with a keyset cursor and a bounded page', async () => {
    for (let i = 0; i < 5; i++) await recordAudit(ctx().db, { orgId: f.org.id, actor: cliActor(), action: 'responses.export', target: 'responses' });
    const first = await log('?limit=3');
    expect(first.entries).toHaveLength(3);
    expect(first.next).toBeTruthy();
    const second = await log(`?limit=3&before=${first.next}`);
    const ids = [...first.entries, ...second.entries].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const all = (await log('?limit=200')).entries;
    expect(all.map((e) => e.id).slice(0, 6)).toEqual(ids);
    const ats = all.map((e) => e.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    expect((await log('?action=responses.export')).entries.every((e) => e.action === 'responses.export' && e.actor.kind === 'cli')).toBe(true);
    expect((await app.inject({ url: `/api/v1/organisations/${f.org.id}/audit-log?limit=201`, headers: admin })).statusCode).toBe(400);
    const badCursor = await app.inject({ url: `/api/v1/organisations/${f.org.id}/audit-log?before=nonsense`, headers: admin });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().fields[0].field).toBe('before');
    expect((await app.inject({ url: `/api/v1/organisations/${f.org.id}/audit-log`, headers: analyst })).statusCode).toBe(403);
    const other = await makeOrg(ctx());
    expect((await app.inject({ url: `/api/v1/organisations/${other.org.id}/audit-log`, headers: admin })).statusCode).toBe(404);
    expect((await listAudit(ctx().db, other.org.id, { limit: 10 })).entries).toEqual([]);
  });

  it('derives an action name for any organisation write that declares none', () => {
    expect(derivedAction('/api/v1/organisations/:org/members/:userId', 'PATCH')).toBe('members.update');
    expect(derivedAction('/api/v1/organisations/:org/framework', 'PUT')).toBe('framework.replace');
    expect(derivedAction('/api/v1/organisations/:org', 'PATCH')).toBe('organisation.update');
  });
});
