// Login, sessions, CSRF, logout and password change through the API on both engines.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { buildApp } from '../app.ts';
import { asSession, loginCookie, makeUser, SESSION_COOKIE, TEST_PASSWORD } from '../../../test/auth-fixture.ts';
import { addMembership } from '../../store/memberships.ts';
import { getFramework, listOrganisations } from '../../store/organisations.ts';
import { sha256 } from '../../store/sessions.ts';

describeEngines('accounts API: login, sessions, CSRF', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx());
  });
  afterAll(() => app.close());

  const member = async (role: 'admin' | 'owner' = 'admin') => {
    const u = await makeUser(ctx(), { name: 'Dana Lead' });
    await addMembership(ctx().db, { orgId: f.org.id, userId: u.user.id, role, department: role === 'owner' ? 'Support' : null });
    return u;
  };
  const sessionCount = async (userId: string) =>
    Number((await ctx().db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n);

  it('logs in: an HttpOnly SameSite=Lax cookie, the user, their organisations and a CSRF token', async () => {
    const u = await member('owner');
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `  ${u.email.toUpperCase()} `, password: u.password } });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.user).toEqual({ id: u.user.id, email: u.email, name: 'Dana Lead' });
    expect(body.organisations).toEqual([{ id: f.org.id, name: f.org.name, industry: f.org.industry, role: 'owner', department: 'Support' }]);
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const c = r.cookies.find((x) => x.name === SESSION_COOKIE)!;
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 14 * 24 * 3600 });
    expect(c.secure).toBeUndefined();
    // The database holds the token's hash, not the token.
    const row = await ctx().db.selectFrom('sessions').selectAll().where('user_id', '=', u.user.id).executeTakeFirstOrThrow();
    expect(row.id).toBe(sha256(c.value));
    expect(JSON.stringify(row)).not.toContain(c.value);
    // GET /auth/me answers the same.
    const me = await app.inject({ url: '/api/v1/auth/me', headers: { cookie: `${SESSION_COOKIE}=${c.value}` } });
    expect(me.json()).toEqual(body);
  });

  it('marks the cookie Secure when the request came over https through a trusted proxy', async () => {
    const u = await member();
    const proxied = await buildApp({ store: ctx(), trustProxy: ['127.0.0.1'] });
    const r = await proxied.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-proto': 'https' }, payload: { email: u.email, password: u.password } });
    expect(r.cookies.find((x) => x.name === SESSION_COOKIE)!.secure).toBe(true);
    await proxied.close();
    // Without a trusted proxy, a client's own X-Forwarded-Proto is not believed.
    const direct = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-proto': 'https' }, payload: { email: u.email, password: u.password } });
    expect(direct.cookies.find((x) => x.name === SESSION_COOKIE)!.secure).toBeFalsy();
  });

  it('answers a wrong password and an unknown e-mail identically, and sets no cookie', async () => {
    const u = await member();
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: 'not the password' } });
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@nowhere.example', password: 'not the password' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().message).toBe('wrong e-mail or password');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(await sessionCount(u.user.id)).toBe(0);
  });

  it('names the missing or unknown login field with a 400', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { password: 'x' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().fields.map((x: { field: string }) => x.field)).toEqual(['email']);
    const extra = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@b.example', password: 'x', remember: true } });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().fields[0].field).toBe('remember');
  });

  it('refuses a login after 10 failures for one e-mail from one address, even with the right password', async () => {
    const u = await member();
    const attempt = (password: string, remoteAddress = '203.0.113.7') =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { email: u.email, password } });
    for (let i = 0; i < 10; i++) expect((await attempt(`wrong password ${i}`)).statusCode).toBe(401);
    const blocked = await attempt(u.password);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.headers['set-cookie']).toBeUndefined();
    // Another address is not punished for the first one's guessing.
    expect((await attempt(u.password, '198.51.100.9')).statusCode).toBe(200);
  });

  it('needs a session for /auth/me and tells an ended session apart', async () => {
    expect((await app.inject('/api/v1/auth/me')).statusCode).toBe(401);
    const bogus = await app.inject({ url: '/api/v1/auth/me', headers: { cookie: `${SESSION_COOKIE}=made-up` } });
    expect(bogus.statusCode).toBe(401);
    expect(bogus.json().message).toContain('session has ended');
  });

  it('refuses a cookie-authenticated write without the right CSRF token (403) and writes nothing', async () => {
    const u = await member();
    const s = await loginCookie(app, u.email, u.password);
    const before = await getFramework(ctx().db, f.org.id);
    const orgsBefore = (await listOrganisations(ctx().db)).length;
    const payload = { dimensions: before.map((d) => ({ ...d, label: 'forged' })) };
    for (const headers of [{ cookie: s.cookie }, { cookie: s.cookie, 'x-csrf-token': 'wrong' }, { cookie: s.cookie, 'x-csrf-token': s.csrfToken.slice(1) }]) {
      const r = await app.inject({ method: 'PUT', url: `/api/v1/organisations/${f.org.id}/framework`, headers, payload });
      expect(r.statusCode).toBe(403);
      expect(r.json()).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: 'missing or wrong CSRF token',
        fields: [{ field: 'x-csrf-token', message: expect.any(String) }],
      });
      const o = await app.inject({ method: 'POST', url: '/api/v1/organisations', headers, payload: { name: 'Forged Org', industry: 'other' } });
      expect(o.statusCode).toBe(403);
      const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers });
      expect(out.statusCode).toBe(403);
    }
    expect(await getFramework(ctx().db, f.org.id)).toEqual(before);
    expect((await listOrganisations(ctx().db)).length).toBe(orgsBefore);
    // Reads need no token; writes with it pass.
    expect((await app.inject({ url: `/api/v1/organisations/${f.org.id}/framework`, headers: { cookie: s.cookie } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'PUT', url: `/api/v1/organisations/${f.org.id}/framework`, headers: asSession(s), payload: { dimensions: before } })).statusCode).toBe(200);
  });

  it('logs out: the session ends, its cookie is cleared and no longer works', async () => {
    const u = await member();
    const s = await loginCookie(app, u.email, u.password);
    const other = await loginCookie(app, u.email, u.password);
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: asSession(s) });
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((x) => x.name === SESSION_COOKIE)!;
    expect(cleared.value).toBe('');
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
    expect((await app.inject({ url: `/api/v1/organisations/${f.org.id}/framework`, headers: { cookie: s.cookie } })).statusCode).toBe(401);
    // Only that session: the user's other browser stays logged in.
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: other.cookie } })).statusCode).toBe(200);
  });

  it('changes the password: checks the current one, ends the other sessions, keeps this one', async () => {
    const u = await member();
    const here = await loginCookie(app, u.email, u.password);
    const elsewhere = await loginCookie(app, u.email, u.password);
    const change = (body: object) => app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: asSession(here), payload: body });

    const short = await change({ currentPassword: u.password, newPassword: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().fields).toEqual([{ field: 'newPassword', message: 'must be at least 10 characters' }]);
    const wrong = await change({ currentPassword: 'not my password', newPassword: 'a brand new secret' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().fields[0].field).toBe('currentPassword');
    // Neither attempt changed anything.
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: elsewhere.cookie } })).statusCode).toBe(200);

    expect((await change({ currentPassword: u.password, newPassword: 'a brand new secret' })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: elsewhere.cookie } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: here.cookie } })).statusCode).toBe(200);
    expect(await sessionCount(u.user.id)).toBe(1);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: u.password } })).statusCode).toBe(401);
    await loginCookie(app, u.email, 'a brand new secret');
  });

  it('keeps API keys away from user-only routes, and needs no CSRF token from them', async () => {
    const admin = await loginCookie(app, (await member()).email, TEST_PASSWORD);
    const created = await app.inject({ method: 'POST', url: `/api/v1/organisations/${f.org.id}/api-keys`, headers: asSession(admin), payload: { name: 'CRM', role: 'analyst' } });
    const bearer = { authorization: `Bearer ${created.json().secret}` };
    expect((await app.inject({ url: '/api/v1/auth/me', headers: bearer })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: bearer, payload: { currentPassword: 'x', newPassword: 'yyyyyyyyyyyy' } })).statusCode).toBe(403);
    const put = await app.inject({ method: 'PUT', url: `/api/v1/organisations/${f.org.id}/framework`, headers: bearer, payload: { dimensions: await getFramework(ctx().db, f.org.id) } });
    expect(put.statusCode).toBe(200);
    // A malformed Authorization header is refused, not ignored in favour of a cookie.
    const mixed = await app.inject({ url: `/api/v1/organisations/${f.org.id}/framework`, headers: { cookie: admin.cookie, authorization: 'Basic abc' } });
    expect(mixed.statusCode).toBe(401);
    expect(mixed.json().fields[0].field).toBe('authorization');
  });
});
