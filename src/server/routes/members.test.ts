// Members and API keys through the API on both engines: adding users (with a generated password
// shown once), roles, the last-admin rule, keys shown once and hashed at rest, revocation.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders, loginCookie, makeUser } from '../../../test/auth-fixture.ts';
import { findUserByEmail } from '../../store/users.ts';
import { sha256 } from '../../store/sessions.ts';

describeEngines('members and API keys API', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx());
    admin = await authHeaders(ctx(), f.org.id, 'admin');
  });
  afterAll(() => app.close());
  const url = (p: string) => `/api/v1/organisations/${f.org.id}${p}`;
  const call = (method: string, p: string, payload?: unknown, headers = admin) => app.inject({ method: method as any, url: url(p), payload: payload as any, headers });
  const members = async () => (await call('GET', '/members')).json().members as { userId: string; email: string; role: string; department: string | null }[];
  const userCount = async () => Number((await ctx().db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('adds a new user with a generated password, shown once, that logs in', async () => {
    const r = await call('POST', '/members', { email: 'New.Person@Example.COM', name: 'New Person', role: 'analyst' });
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(body.member).toMatchObject({ email: 'new.person@example.com', name: 'New Person', role: 'analyst', department: null });
    expect(body.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const s = await loginCookie(app, 'new.person@example.com', body.password);
    expect(s.csrfToken).toBeTruthy();
    expect(JSON.stringify(await members())).not.toContain(body.password);
  });

  it('adds a new user with the given password, and returns no password', async () => {
    const r = await call('POST', '/members', { email: 'chosen@example.com', role: 'owner', department: 'Support', password: 'chosen password 1' });
    expect(r.statusCode).toBe(201);
    expect(r.json().password).toBeUndefined();
    expect(r.json().member).toMatchObject({ role: 'owner', department: 'Support' });
    await loginCookie(app, 'chosen@example.com', 'chosen password 1');
  });

  it('adds an existing user (of another organisation) without touching their account', async () => {
    const elsewhere = await makeUser(ctx(), { name: 'Consultant' });
    const withPassword = await call('POST', '/members', { email: elsewhere.email, role: 'viewer', password: 'i will take over' });
    expect(withPassword.statusCode).toBe(422);
    expect(withPassword.json().fields[0].field).toBe('password');
    const r = await call('POST', '/members', { email: elsewhere.email, name: 'Renamed', role: 'viewer' });
    expect(r.statusCode).toBe(201);
    expect(r.json().member).toMatchObject({ userId: elsewhere.user.id, name: 'Consultant', role: 'viewer' });
    expect(r.json().password).toBeUndefined();
    await loginCookie(app, elsewhere.email, elsewhere.password);
    const again = await call('POST', '/members', { email: elsewhere.email.toUpperCase(), role: 'admin' });
    expect(again.statusCode).toBe(409);
    expect(again.json().fields[0].field).toBe('email');
  });

  it('rejects bad input naming the field, and writes nothing', async () => {
    const users = await userCount();
    const count = (await members()).length;
    const cases: [object, number, string][] = [
      [{ email: 'not-an-email', role: 'viewer' }, 400, 'email'],
      [{ email: 'a@b.example', role: 'boss' }, 400, 'role'],
      [{ email: 'a@b.example', role: 'viewer', password: 'short' }, 400, 'password'],
      [{ email: 'a@b.example', role: 'viewer', colour: 'red' }, 400, 'colour'],
      [{ email: 'a@b.example', role: 'owner' }, 422, 'department'],
      [{ email: 'a@b.example', role: 'viewer', department: 'Support' }, 422, 'department'],
    ];
    for (const [payload, status, field] of cases) {
      const r = await call('POST', '/members', payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(status);
      expect(r.json().fields.map((x: { field: string }) => x.field), JSON.stringify(payload)).toContain(field);
    }
    const short = await call('POST', '/members', { email: 'a@b.example', role: 'viewer', password: 'short' });
    expect(short.json().fields[0].message).toBe('must be at least 10 characters');
    expect(await userCount()).toBe(users);
    expect((await members()).length).toBe(count);
    expect(await findUserByEmail(ctx().db, 'a@b.example')).toBeUndefined();
  });

  it('changes roles and removes members, but keeps at least one admin', async () => {
    const g = await makeOrg(ctx());
    const gAdmin = await authHeaders(ctx(), g.org.id, 'admin');
    const gUrl = (p: string) => `/api/v1/organisations/${g.org.id}${p}`;
    const me = (await app.inject({ url: '/api/v1/auth/me', headers: gAdmin })).json().user;
    const demote = await app.inject({ method: 'PATCH', url: gUrl(`/members/${me.id}`), payload: { role: 'viewer' }, headers: gAdmin });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().message).toContain('at least one admin');
    expect((await app.inject({ method: 'DELETE', url: gUrl(`/members/${me.id}`), headers: gAdmin })).statusCode).toBe(409);

    const second = (await app.inject({ method: 'POST', url: gUrl('/members'), payload: { email: `second-${g.org.id}@example.com`, role: 'viewer' }, headers: gAdmin })).json();
    const toOwner = await app.inject({ method: 'PATCH', url: gUrl(`/members/${second.member.userId}`), payload: { role: 'owner' }, headers: gAdmin });
    expect(toOwner.statusCode).toBe(422);
    expect(toOwner.json().fields[0].field).toBe('department');
    const owner = await app.inject({ method: 'PATCH', url: gUrl(`/members/${second.member.userId}`), payload: { role: 'owner', department: 'Finance' }, headers: gAdmin });
    expect(owner.json()).toMatchObject({ role: 'owner', department: 'Finance' });
    const promoted = await app.inject({ method: 'PATCH', url: gUrl(`/members/${second.member.userId}`), payload: { role: 'admin' }, headers: gAdmin });
    expect(promoted.json()).toMatchObject({ role: 'admin', department: null });
    // Now the first admin may step down, and leave.
    expect((await app.inject({ method: 'PATCH', url: gUrl(`/members/${me.id}`), payload: { role: 'analyst' }, headers: gAdmin })).statusCode).toBe(200);
    // ...and, no longer admin, can no longer manage members.
    expect((await app.inject({ url: gUrl('/members'), headers: gAdmin })).statusCode).toBe(403);
    const secondSession = await loginCookie(app, second.member.email, second.password);
    const h2 = { cookie: secondSession.cookie, 'x-csrf-token': secondSession.csrfToken };
    expect((await app.inject({ method: 'DELETE', url: gUrl(`/members/${me.id}`), headers: h2 })).statusCode).toBe(204);
    expect((await app.inject({ url: gUrl('/framework'), headers: gAdmin })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: gUrl(`/members/${me.id}`), headers: h2 })).statusCode).toBe(404);
    expect((await app.inject({ method: 'PATCH', url: gUrl('/members/usr_nobody'), payload: { role: 'viewer' }, headers: h2 })).statusCode).toBe(404);
  });

  it('shows an API key once, keeps only its hash, and stops it when revoked', async () => {
    const r = await call('POST', '/api-keys', { name: 'Zapier', role: 'viewer' });
    expect(r.statusCode).toBe(201);
    const { apiKey, secret } = r.json();
    expect(secret).toMatch(/^px_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toEqual({ id: expect.any(String), name: 'Zapier', role: 'viewer', createdAt: expect.any(String), lastUsedAt: null, revokedAt: null });
    // Listed without the secret or its hash.
    const list = (await call('GET', '/api-keys')).json().apiKeys;
    expect(list.find((k: { id: string }) => k.id === apiKey.id)).toMatchObject({ name: 'Zapier', revokedAt: null });
    expect(JSON.stringify(list)).not.toContain(secret);
    expect(JSON.stringify(list)).not.toContain(sha256(secret));
    // At rest: the sha256, never the secret.
    const row = await ctx().db.selectFrom('api_keys').selectAll().where('id', '=', apiKey.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(sha256(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret.slice(3));

    const bearer = { authorization: `Bearer ${secret}` };
    expect((await call('GET', '/reports/gap', undefined, bearer)).statusCode).toBe(200);
    expect((await call('PATCH', '', { minResponses: 7 }, bearer)).statusCode).toBe(403); // a viewer key
    const used = (await call('GET', '/api-keys')).json().apiKeys.find((k: { id: string }) => k.id === apiKey.id);
    expect(used.lastUsedAt).not.toBeNull();

    expect((await call('DELETE', `/api-keys/${apiKey.id}`)).statusCode).toBe(204);
    const revoked = await call('GET', '/reports/gap', undefined, bearer);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().message).toBe('unknown or revoked API key');
    expect((await call('DELETE', `/api-keys/${apiKey.id}`)).statusCode).toBe(404);
    expect((await call('GET', '/reports/gap', undefined, { authorization: 'Bearer px_madeup' })).statusCode).toBe(401);
  });

  it('rejects bad API key input naming the field, and writes nothing', async () => {
    const before = (await call('GET', '/api-keys')).json().apiKeys.length;
    for (const [payload, field] of [
      [{ name: '', role: 'viewer' }, 'name'],
      [{ name: 'x', role: 'owner' }, 'role'],
      [{ role: 'viewer' }, 'name'],
    ] as const) {
      const r = await call('POST', '/api-keys', payload);
      expect(r.statusCode).toBe(400);
      expect(r.json().fields[0].field).toBe(field);
    }
    expect((await call('GET', '/api-keys')).json().apiKeys.length).toBe(before);
  });

  it("cannot revoke another organisation's key", async () => {
    const other = await makeOrg(ctx());
    const otherAdmin = await authHeaders(ctx(), other.org.id, 'admin');
    const k = (await app.inject({ method: 'POST', url: `/api/v1/organisations/${other.org.id}/api-keys`, payload: { name: 'theirs', role: 'admin' }, headers: otherAdmin })).json();
    expect((await call('DELETE', `/api-keys/${k.apiKey.id}`)).statusCode).toBe(404);
    expect((await app.inject({ url: `/api/v1/organisations/${other.org.id}/framework`, headers: { authorization: `Bearer ${k.secret}` } })).statusCode).toBe(200);
  });
});
