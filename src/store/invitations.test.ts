// Invitations in the store on both engines: one open invitation per e-mail and organisation, the
// token kept only as its hash, expiry, and acceptance that is all-or-nothing under concurrency — one
// token accepted once, and two organisations' links for one new e-mail making one account, not an error.
import { it, expect } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg } from '../../test/fixtures.ts';
import { acceptInvitation, createInvitation, findInvitation, listPendingInvitations, stateOf } from './invitations.ts';
import { findUserByEmail, hashPassword } from './users.ts';
import { getMembership, listMembers } from './memberships.ts';

describeEngines('invitations store', (ctx) => {
  it('keeps one open invitation per e-mail, and finds it only by its token', async () => {
    const { db } = ctx();
    const f = await makeOrg(ctx());
    const a = await createInvitation(db, { orgId: f.org.id, email: ' Pat@Example.com ', role: 'viewer', createdBy: null });
    const b = await createInvitation(db, { orgId: f.org.id, email: 'pat@example.com', role: 'analyst', createdBy: null });
    expect(b.invitation.email).toBe('pat@example.com');
    expect((await listPendingInvitations(db, f.org.id)).map((i) => i.id)).toEqual([b.invitation.id]);
    const old = await findInvitation(db, a.token);
    expect(old && stateOf(old.invitation)).toBe('revoked');
    expect((await findInvitation(db, b.token))?.orgName).toBe(f.org.name);
    expect(await findInvitation(db, b.token.slice(0, -1) + (b.token.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
    expect(await findInvitation(db, "' or 1=1 --")).toBeUndefined();
  });

  it('treats an invitation past its expiry as expired, and does not list it', async () => {
    const { db } = ctx();
    const f = await makeOrg(ctx());
    const past = new Date(Date.now() - 8 * 86_400_000);
    const { token } = await createInvitation(db, { orgId: f.org.id, email: 'late@example.com', role: 'viewer', createdBy: null }, past);
    expect(stateOf((await findInvitation(db, token))!.invitation)).toBe('expired');
    expect(await listPendingInvitations(db, f.org.id)).toEqual([]);
    const hash = await hashPassword('late password 1');
    expect(await acceptInvitation(db, token, { callerUserId: null, newAccount: { passwordHash: hash } })).toEqual({ ok: false, reason: 'expired' });
    expect(await findUserByEmail(db, 'late@example.com')).toBeUndefined();
  });

  it('accepts one token once, however many try at the same time', async () => {
    const { db } = ctx();
    const f = await makeOrg(ctx());
    const { token } = await createInvitation(db, { orgId: f.org.id, email: 'once@example.com', role: 'viewer', createdBy: null });
    const hash = await hashPassword('once password 1');
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => acceptInvitation(db, token, { callerUserId: null, newAccount: { passwordHash: hash } })));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    for (const o of outcomes.filter((x) => !x.ok)) expect(['accepted', 'log-in', 'account-just-created']).toContain((o as { reason: string }).reason);
    expect((await listMembers(db, f.org.id)).map((m) => m.email)).toEqual(['once@example.com']);
  });

  it("makes one account when two organisations' links for a new e-mail are accepted at once", async () => {
    const { db } = ctx();
    const f = await makeOrg(ctx());
    const g = await makeOrg(ctx());
    const email = `both-${f.org.id}@example.com`;
    const x = await createInvitation(db, { orgId: f.org.id, email, role: 'viewer', createdBy: null });
    const y = await createInvitation(db, { orgId: g.org.id, email, role: 'analyst', createdBy: null });
    const hash = await hashPassword('both password 1');
    const [ox, oy] = await Promise.all([
      acceptInvitation(db, x.token, { callerUserId: null, newAccount: { passwordHash: hash } }),
      acceptInvitation(db, y.token, { callerUserId: null, newAccount: { passwordHash: hash } }),
    ]);
    const won = [ox, oy].filter((o) => o.ok);
    expect(won).toHaveLength(1);
    const lost = [ox, oy].find((o) => !o.ok) as { reason: string };
    expect(['log-in', 'account-just-created']).toContain(lost.reason);
    const user = (await findUserByEmail(db, email))!;
    // The loser's link is still open: the person logs in and accepts it as their account.
    const loserToken = ox.ok ? y.token : x.token;
    const loserOrg = ox.ok ? g.org.id : f.org.id;
    expect(stateOf((await findInvitation(db, loserToken))!.invitation)).toBe('open');
    const later = await acceptInvitation(db, loserToken, { callerUserId: user.id });
    expect(later).toMatchObject({ ok: true, userId: user.id, created: false });
    expect(await getMembership(db, loserOrg, user.id)).toBeTruthy();
  });
});
