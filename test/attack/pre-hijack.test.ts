// Hole 1: account pre-hijacking. Any logged-in user could create an organisation and, as its admin,
// add a colleague's e-mail with a password of their choosing (POST /organisations/:org/members with
// email + password); when the real organisation later added that e-mail, the attacker's password
// still logged in. The same route told whether an e-mail had an account (201 with id and name, or
// 422) and put an existing account into the attacker's organisation unasked. Replayed through the
// real server (listen + fetch): the password is refused, the answers are identical whatever the
// e-mail, nobody is added anywhere, the victim sets their own password through the real
// organisation's link, and the attacker's links die when replaced, expired or used.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../engines.ts';
import { makeOrg, type OrgFixture } from '../fixtures.ts';
import { makeUser, SESSION_COOKIE, TEST_PASSWORD } from '../auth-fixture.ts';
import { tokenOf } from '../invite-fixture.ts';
import { listen } from './public-server.ts';
import { addMembership } from '../../src/store/memberships.ts';
import { findUserByEmail } from '../../src/store/users.ts';

interface Session {
  cookie: string;
  csrfToken: string;
}

describeEngines('attack: account pre-hijacking through membership', (ctx) => {
  let app: FastifyInstance;
  let base: string;
  let corp: OrgFixture; // the victim's real organisation
  let corpAdmin: Session;
  let attacker: Session;
  let attackerOrg: string;
  const attackerPassword = 'attacker chosen password';
  const victimNew = `victim-new-${Date.now()}@corp.example`; // no account yet
  let victimExisting: { email: string; password: string; userId: string };

  async function send(method: string, path: string, body?: unknown, s?: Session) {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (s) Object.assign(headers, { cookie: s.cookie, 'x-csrf-token': s.csrfToken });
    const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, setCookie: res.headers.getSetCookie() };
  }
  const sessionFrom = (r: { setCookie: string[]; body: any }): Session => {
    const c = r.setCookie.find((x) => x.startsWith(`${SESSION_COOKIE}=`));
    if (!c) throw new Error('no session cookie');
    return { cookie: c.split(';')[0]!, csrfToken: r.body.csrfToken };
  };
  async function login(email: string, password: string) {
    return send('POST', '/api/v1/auth/login', { email, password });
  }
  const organisationsOf = async (s: Session) => (await send('GET', '/api/v1/auth/me', undefined, s)).body.organisations.map((o: { id: string }) => o.id);

  beforeAll(async () => {
    corp = await makeOrg(ctx(), { name: 'Corp' });
    ({ app, base } = await listen(ctx(), { rateLimits: {} })); // the default limits

    const admin = await makeUser(ctx(), { email: `admin-${corp.org.id}@corp.example` });
    await addMembership(ctx().db, { orgId: corp.org.id, userId: admin.user.id, role: 'admin' });
    corpAdmin = sessionFrom(await login(admin.email, admin.password));
    const existing = await makeUser(ctx(), { email: `victim-existing-${corp.org.id}@corp.example`, name: 'Victim' });
    await addMembership(ctx().db, { orgId: corp.org.id, userId: existing.user.id, role: 'viewer' });
    victimExisting = { email: existing.email, password: existing.password, userId: existing.user.id };

    // The attacker: any logged-in user, who makes an organisation of their own and so is its admin.
    const a = await makeUser(ctx(), { email: `attacker-${corp.org.id}@evil.example` });
    attacker = sessionFrom(await login(a.email, a.password));
    const made = await send('POST', '/api/v1/organisations', { name: 'Totally Legit Ltd', industry: 'other' }, attacker);
    expect(made.status).toBe(201);
    attackerOrg = made.body.id;
  });
  afterAll(async () => {
    await app.close();
  });

  const members = (org: string) => `/api/v1/organisations/${org}/members`;

  it('refuses a password chosen by the admin, and creates nothing', async () => {
    const r = await send('POST', members(attackerOrg), { email: victimNew, role: 'admin', password: attackerPassword }, attacker);
    expect(r.status).toBe(400);
    expect(r.body.fields).toContainEqual({ field: 'password', message: 'is not a known field' });
    expect(await findUserByEmail(ctx().db, victimNew)).toBeUndefined();
    expect((await login(victimNew, attackerPassword)).status).toBe(401);
  });

  it('answers identically for an e-mail with an account and one without, and adds no-one', async () => {
    const forExisting = await send('POST', members(attackerOrg), { email: victimExisting.email, role: 'viewer' }, attacker);
    const forNew = await send('POST', members(attackerOrg), { email: victimNew, role: 'viewer' }, attacker);
    expect(forExisting.status).toBe(202);
    expect(forNew.status).toBe(202);
    // Same keys, same types, same header names: only the e-mail, ids, times and token differ.
    const shape = (x: any): unknown => (x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, shape(v)])) : typeof x);
    expect(shape(forExisting.body)).toEqual(shape(forNew.body));
    const names = (h: Headers) => [...h.keys()].filter((k) => k !== 'date').sort();
    expect(names(forExisting.headers)).toEqual(names(forNew.headers));
    const strip = (b: any) => ({ ...b, acceptUrl: undefined, invitation: { ...b.invitation, id: undefined, email: undefined, expiresAt: undefined } });
    expect(strip(forExisting.body)).toEqual(strip(forNew.body));
    expect(JSON.stringify(forExisting.body)).not.toContain('Victim'); // no name, no user id
    expect(JSON.stringify(forExisting.body)).not.toContain(victimExisting.userId);
    // Nobody was put into the attacker's organisation; the victim's account is where it was.
    const list = await send('GET', members(attackerOrg), undefined, attacker);
    expect(list.body.members.map((m: { email: string }) => m.email)).toEqual([expect.stringContaining('attacker-')]);
    const victim = (await login(victimExisting.email, victimExisting.password)).body;
    expect(victim.organisations.map((o: { id: string }) => o.id)).toEqual([corp.org.id]);
    expect(await findUserByEmail(ctx().db, victimNew)).toBeUndefined();
  });

  it("lets the real organisation's invitation have the victim set their own password; the attacker's does not log in", async () => {
    const real = await send('POST', members(corp.org.id), { email: victimNew, role: 'analyst' }, corpAdmin);
    expect(real.status).toBe(202);
    const token = tokenOf(real.body.acceptUrl);
    const offer = await send('GET', `/api/v1/invitations/${token}`);
    expect(offer.body).toMatchObject({ organisation: { id: corp.org.id, name: 'Corp' }, email: victimNew, role: 'analyst', newAccount: true });
    const accepted = await send('POST', `/api/v1/invitations/${token}/accept`, { name: 'Victim New', password: 'the victim own password' });
    expect(accepted.status).toBe(200);
    const s = sessionFrom(accepted);
    expect(await organisationsOf(s)).toEqual([corp.org.id]);
    expect((await login(victimNew, 'the victim own password')).status).toBe(200);
    expect((await login(victimNew, attackerPassword)).status).toBe(401);
    // The attacker's pending invitation does not pull the account in either: it needs the victim, logged in.
    expect((await send('GET', members(attackerOrg), undefined, attacker)).body.members).toHaveLength(1);
  });

  it("kills the attacker's links when replaced, expired or used", async () => {
    const email = `target-${corp.org.id}@corp.example`;
    const first = tokenOf((await send('POST', members(attackerOrg), { email, role: 'viewer' }, attacker)).body.acceptUrl);
    const second = await send('POST', members(attackerOrg), { email, role: 'admin' }, attacker);
    const replaced = await send('POST', `/api/v1/invitations/${first}/accept`, { password: attackerPassword });
    expect(replaced.status).toBe(410);
    expect(replaced.body.message).toContain('withdrawn or replaced');

    await ctx().db.updateTable('invitations').set({ expires_at: new Date(Date.now() - 1).toISOString() }).where('id', '=', second.body.invitation.id).execute();
    const expired = await send('POST', `/api/v1/invitations/${tokenOf(second.body.acceptUrl)}/accept`, { password: attackerPassword });
    expect(expired.status).toBe(410);
    expect(expired.body.message).toContain('expired');
    expect(await findUserByEmail(ctx().db, email)).toBeUndefined();

    // Single use: once accepted, a link neither accepts again nor reveals anything.
    const third = tokenOf((await send('POST', members(attackerOrg), { email, role: 'viewer' }, attacker)).body.acceptUrl);
    expect((await send('POST', `/api/v1/invitations/${third}/accept`, { password: TEST_PASSWORD })).status).toBe(200);
    for (const again of [await send('POST', `/api/v1/invitations/${third}/accept`, { password: attackerPassword }), await send('GET', `/api/v1/invitations/${third}`)])
      expect(again.status).toBe(410);
    expect((await login(email, attackerPassword)).status).toBe(401);
  });

  it('cannot use its own link to join an existing account to its organisation, nor reset its password', async () => {
    const r = await send('POST', members(attackerOrg), { email: victimExisting.email, role: 'admin' }, attacker);
    const token = tokenOf(r.body.acceptUrl);
    const anon = await send('POST', `/api/v1/invitations/${token}/accept`, { name: 'Hijacked', password: attackerPassword });
    expect(anon.status).toBe(401);
    expect(anon.body.message).toContain(`log in as ${victimExisting.email}`);
    const asAttacker = await send('POST', `/api/v1/invitations/${token}/accept`, { password: attackerPassword }, attacker);
    expect(asAttacker.status).toBe(403);
    expect((await login(victimExisting.email, attackerPassword)).status).toBe(401);
    const victim = sessionFrom(await login(victimExisting.email, victimExisting.password));
    expect(await organisationsOf(victim)).toEqual([corp.org.id]);
    // A cross-site page cannot make the logged-in victim accept it: without the CSRF token, refused.
    const forged = await fetch(`${base}/api/v1/invitations/${token}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: victim.cookie },
      body: '{}',
    });
    expect(forged.status).toBe(403);
    expect((await forged.json()).fields[0].field).toBe('x-csrf-token');
    expect(await organisationsOf(victim)).toEqual([corp.org.id]);
  });
});
