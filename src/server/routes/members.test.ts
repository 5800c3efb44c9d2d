// Members, invitations and API keys through the API on both engines: people join only by invitation
// (same answer whether or not the e-mail has an account; the person sets their own password or accepts
// as the account they have; links single-use, expiring, revocable), roles, the last-admin rule, keys
// shown once and hashed at rest, revocation.
import { it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { adminApp, asSession, authHeaders, loginCookie, makeUser, sessionHeaders, SESSION_COOKIE } from '../../../test/auth-fixture.ts';
import { invite, inviteNewMember, tokenOf } from '../../../test/invite-fixture.ts';
import { findUserByEmail } from '../../store/users.ts';
import { sha256 } from '../../store/sessions.ts';

describeEngines('members, invitations and API keys API', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  beforeAll(async () => {
    ({ app, f, admin } = await adminApp(ctx()));
  });
  afterAll(() => app.close());
  afterEach(() => {
    delete process.env.PARALLAX_PUBLIC_URL;
  });
  const url = (p: string) => `/api/v1/organisations/${f.org.id}${p}`;
  const call = (method: string, p: string, payload?: unknown, headers = admin) => app.inject({ method: method as any, url: url(p), payload: payload as any, headers });
  const members = async () => (await call('GET', '/members')).json().members as { userId: string; email: string; name: string; role: string; department: string | null }[];
  const pending = async () => (await call('GET', '/invitations')).json().invitations as { id: string; email: string; role: string }[];
  const count = async (table: 'users' | 'memberships' | 'invitations') =>
    Number((await ctx().db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const offer = (token: string) => app.inject({ url: `/api/v1/invitations/${token}` });
  const accept = (token: string, payload: object = {}, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: `/api/v1/invitations/${token}/accept`, payload, headers });

  it('invites an e-mail: 202 with a single-use link shown once, and no account or membership yet', async () => {
    const users = await count('users');
    const memberships = await count('memberships');
    const r = await call('POST', '/members', { email: ' New.Person@Example.COM ', role: 'analyst' });
    expect(r.statusCode).toBe(202);
    const body = r.json();
    expect(Object.keys(body).sort()).toEqual(['acceptUrl', 'invitation']);
    expect(body.invitation).toEqual({ id: expect.any(String), email: 'new.person@example.com', role: 'analyst', department: null, expiresAt: expect.any(String) });
    expect(body.acceptUrl).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
    // Valid for 7 days.
    const days = (Date.parse(body.invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    expect(await count('users')).toBe(users);
    expect(await count('memberships')).toBe(memberships);
    expect(await findUserByEmail(ctx().db, 'new.person@example.com')).toBeUndefined();
    // Listed as pending, without the token; at rest only the token's sha256.
    const token = tokenOf(body.acceptUrl);
    const list = await pending();
    expect(list).toContainEqual(body.invitation);
    expect(JSON.stringify(list)).not.toContain(token);
    const row = await ctx().db.selectFrom('invitations').selectAll().where('id', '=', body.invitation.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ org_id: f.org.id, email: 'new.person@example.com', token_hash: sha256(token), accepted_at: null, revoked_at: null });
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it('answers the same for an e-mail with an account as for one without, and touches neither', async () => {
    const elsewhere = await makeUser(ctx(), { name: 'Consultant' });
    const fresh = `fresh-${f.org.id}@example.com`;
    const a = await call('POST', '/members', { email: elsewhere.email, role: 'viewer' });
    const b = await call('POST', '/members', { email: fresh, role: 'viewer' });
    expect(a.statusCode).toBe(b.statusCode);
    const shape = (x: any): unknown => (x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, shape(v)])) : typeof x);
    expect(shape(a.json())).toEqual(shape(b.json()));
    expect(Object.keys(a.headers).sort()).toEqual(Object.keys(b.headers).sort());
    // The existing account is not put into the organisation, and its password still works.
    expect((await members()).some((m) => m.email === elsewhere.email)).toBe(false);
    await loginCookie(app, elsewhere.email, elsewhere.password);
  });

  it('creates the account with the person\'s own password when they accept, and logs them in', async () => {
    const email = `own-${f.org.id}@example.com`;
    const { token } = await invite(app, f.org.id, admin, { email, role: 'owner', department: 'Support' });
    const o = await offer(token);
    expect(o.statusCode).toBe(200);
    expect(o.json()).toEqual({ organisation: { id: f.org.id, name: f.org.name }, email, role: 'owner', department: 'Support', expiresAt: expect.any(String), newAccount: true });
    // A password is needed to make the account.
    const none = await accept(token, { name: 'Own Person' });
    expect(none.statusCode).toBe(422);
    expect(none.json().fields[0].field).toBe('password');
    const short = await accept(token, { password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().fields[0]).toEqual({ field: 'password', message: 'must be at least 10 characters' });
    expect(await findUserByEmail(ctx().db, email)).toBeUndefined();

    const r = await accept(token, { name: 'Own Person', password: 'my own password 1' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ organisation: { id: f.org.id, name: f.org.name }, role: 'owner', department: 'Support', newAccount: true, csrfToken: expect.any(String) });
    const cookie = r.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie.httpOnly).toBe(true);
    const me = await app.inject({ url: '/api/v1/auth/me', headers: { cookie: `${SESSION_COOKIE}=${cookie.value}` } });
    expect(me.json().user).toMatchObject({ email, name: 'Own Person' });
    expect(me.json().organisations).toEqual([{ id: f.org.id, name: f.org.name, industry: f.org.industry, role: 'owner', department: 'Support' }]);
    await loginCookie(app, email, 'my own password 1');
    expect((await members()).find((m) => m.email === email)).toMatchObject({ role: 'owner', department: 'Support', name: 'Own Person' });
    expect((await pending()).some((i) => i.email === email)).toBe(false);
    // Single use: the link is spent, whatever is sent.
    for (const again of [await accept(token, { password: 'another password 2' }), await offer(token)]) {
      expect(again.statusCode).toBe(410);
      expect(again.json().message).toContain('used already');
    }
    await loginCookie(app, email, 'my own password 1');
  });

  it('lets an existing account join only while logged in as it (with the CSRF token)', async () => {
    const them = await makeUser(ctx(), { name: 'Has Account' });
    const { token } = await invite(app, f.org.id, admin, { email: them.email.toUpperCase(), role: 'viewer' });
    expect((await offer(token)).json()).toMatchObject({ email: them.email, newAccount: false });
    // Not logged in: told to log in; a password changes nothing.
    const anon = await accept(token, { password: 'i will take over' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().message).toBe(`${them.email} has an account: log in as ${them.email} to accept this invitation`);
    // Logged in as someone else: refused.
    const other = await sessionHeaders(ctx(), (await makeUser(ctx())).user.id);
    const wrong = await accept(token, {}, other);
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().message).toContain(`log in as ${them.email}`);
    // Logged in as them, but no CSRF token: refused like every cookie write.
    const s = await loginCookie(app, them.email, them.password);
    const noCsrf = await accept(token, {}, { cookie: s.cookie });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().fields[0].field).toBe('x-csrf-token');
    expect((await members()).some((m) => m.email === them.email)).toBe(false);
    const ok = await accept(token, { password: 'ignored password 3' }, asSession(s));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ organisation: { id: f.org.id, name: f.org.name }, role: 'viewer', department: null, newAccount: false });
    expect(ok.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
    expect((await members()).find((m) => m.email === them.email)).toMatchObject({ userId: them.user.id, name: 'Has Account', role: 'viewer' });
    // Their password is theirs still.
    await loginCookie(app, them.email, them.password);
    expect((await accept(token, {}, asSession(s))).statusCode).toBe(410);
  });

  it('re-inviting replaces the earlier link; revoked and expired links stop working', async () => {
    const email = `twice-${f.org.id}@example.com`;
    const first = await invite(app, f.org.id, admin, { email, role: 'viewer' });
    const second = await invite(app, f.org.id, admin, { email, role: 'analyst' });
    expect((await pending()).filter((i) => i.email === email)).toEqual([expect.objectContaining({ id: second.invitation.id, role: 'analyst' })]);
    const old = await accept(first.token, { password: 'first link password' });
    expect(old.statusCode).toBe(410);
    expect(old.json().message).toContain('withdrawn or replaced');
    expect((await offer(first.token)).statusCode).toBe(410);

    expect((await call('DELETE', `/invitations/${second.invitation.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/invitations/${second.invitation.id}`)).statusCode).toBe(404);
    expect((await accept(second.token, { password: 'second link password' })).statusCode).toBe(410);
    expect(await pending()).not.toContainEqual(expect.objectContaining({ email }));

    const third = await invite(app, f.org.id, admin, { email, role: 'viewer' });
    await ctx().db.updateTable('invitations').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', third.invitation.id).execute();
    const expired = await accept(third.token, { password: 'third link password' });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().message).toContain('expired');
    expect((await pending()).some((i) => i.email === email)).toBe(false);
    expect(await findUserByEmail(ctx().db, email)).toBeUndefined();

    const unknown = await offer('x'.repeat(43));
    expect(unknown.statusCode).toBe(404);
    expect((await accept('x'.repeat(43), { password: 'whatever it is' })).statusCode).toBe(404);
    const malformed = await offer('not a token');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().fields[0].field).toBe('token');
  });

  it('accepts a link once when two people race for it', async () => {
    const email = `race-${f.org.id}@example.com`;
    const { token } = await invite(app, f.org.id, admin, { email, role: 'viewer' });
    const results = await Promise.all([accept(token, { password: 'racing password 1' }), accept(token, { password: 'racing password 2' })]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes[0]).toBe(200);
    expect([409, 410]).toContain(codes[1]);
    expect((await members()).filter((m) => m.email === email)).toHaveLength(1);
  });

  it('refuses an API key at the accept route: only the invited person accepts', async () => {
    const { token } = await invite(app, f.org.id, admin, { email: `key-${f.org.id}@example.com`, role: 'viewer' });
    const key = await authHeaders(ctx(), f.org.id, 'admin', { via: 'apiKey' });
    const r = await accept(token, { password: 'key chosen password' }, key);
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toContain('API key');
    expect((await offer(token)).statusCode).toBe(200);
  });

  it('puts the link under PARALLAX_PUBLIC_URL when it is set', async () => {
    process.env.PARALLAX_PUBLIC_URL = 'https://cx.example.com/parallax/';
    const r = await call('POST', '/members', { email: `public-${f.org.id}@example.com`, role: 'viewer' });
    expect(r.json().acceptUrl).toMatch(/^https:\/\/cx\.example\.com\/parallax\/invite\/[A-Za-z0-9_-]{43}$/);
  });

  it('says when the e-mail is a member already', async () => {
    const email = `member-${f.org.id}@example.com`;
    await inviteNewMember(app, f.org.id, admin, { email, role: 'viewer' });
    const again = await call('POST', '/members', { email: email.toUpperCase(), role: 'admin' });
    expect(again.statusCode).toBe(409);
    expect(again.json().fields[0].field).toBe('email');
  });

  it('rejects bad input naming the field, and writes nothing', async () => {
    const before = [await count('users'), await count('memberships'), await count('invitations')];
    const cases: [object, number, string][] = [
      [{ email: 'not-an-email', role: 'viewer' }, 400, 'email'],
      [{ email: 'a@b.example', role: 'boss' }, 400, 'role'],
      [{ email: 'a@b.example', role: 'viewer', password: 'chosen password 1' }, 400, 'password'],
      [{ email: 'a@b.example', role: 'viewer', name: 'A Name' }, 400, 'name'],
      [{ email: 'a@b.example', role: 'viewer', colour: 'red' }, 400, 'colour'],
      [{ email: 'a@b.example', role: 'owner' }, 422, 'department'],
      [{ email: 'a@b.example', role: 'viewer', department: 'Support' }, 422, 'department'],
    ];
    for (const [payload, status, field] of cases) {
      const r = await call('POST', '/members', payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(status);
      expect(r.json().fields.map((x: { field: string }) => x.field), JSON.stringify(payload)).toContain(field);
    }
    const pw = await call('POST', '/members', { email: 'a@b.example', role: 'viewer', password: 'chosen password 1' });
    expect(pw.json().fields[0]).toEqual({ field: 'password', message: 'is not a known field' });
    expect([await count('users'), await count('memberships'), await count('invitations')]).toEqual(before);
    expect(await findUserByEmail(ctx().db, 'a@b.example')).toBeUndefined();
  });

  it('lists and revokes invitations for admins only', async () => {
    const analyst = await authHeaders(ctx(), f.org.id, 'analyst');
    const { invitation } = await invite(app, f.org.id, admin, { email: `only-${f.org.id}@example.com`, role: 'viewer' });
    expect((await call('GET', '/invitations', undefined, analyst)).statusCode).toBe(403);
    expect((await call('DELETE', `/invitations/${invitation.id}`, undefined, analyst)).statusCode).toBe(403);
    expect((await call('POST', '/members', { email: 'x@y.example', role: 'viewer' }, analyst)).statusCode).toBe(403);
    // Another organisation's admin cannot see or revoke them.
    const g = await makeOrg(ctx());
    const gAdmin = await authHeaders(ctx(), g.org.id, 'admin');
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/organisations/${g.org.id}/invitations/${invitation.id}`, headers: gAdmin })).statusCode).toBe(404);
    expect((await app.inject({ url: `/api/v1/organisations/${g.org.id}/invitations`, headers: gAdmin })).json().invitations).toEqual([]);
    expect(await pending()).toContainEqual(invitation);
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

    const secondEmail = `second-${g.org.id}@example.com`;
    const secondSession = await inviteNewMember(app, g.org.id, gAdmin, { email: secondEmail, role: 'viewer' });
    const second = { member: (await app.inject({ url: gUrl('/members'), headers: gAdmin })).json().members.find((m: { email: string }) => m.email === secondEmail) };
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
    const h2 = asSession(secondSession);
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
