// Users, sessions and memberships in the store on both engines: e-mails unique whatever their
// case, argon2id hashes, sliding session expiry, and the last admin kept under concurrent changes.
import { it, expect } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg } from '../../test/fixtures.ts';
import { authenticate, createUser, EmailTaken, findUserByEmail } from './users.ts';
import { createSession, useSession, deleteOtherSessions, SESSION_DAYS } from './sessions.ts';
import { addMembership, LastAdmin, listMembers, removeMembership, updateMembership } from './memberships.ts';

const DAY = 24 * 3600 * 1000;

describeEngines('accounts store', (ctx) => {
  it('keeps e-mails lower-cased and unique, and passwords as argon2id hashes', async () => {
    const { db } = ctx();
    const u = await createUser(db, { email: ' Kim@Example.COM ', password: 'kim password 1' });
    expect(u.email).toBe('kim@example.com');
    expect(u.name).toBe('kim');
    await expect(createUser(db, { email: 'KIM@example.com', password: 'another one 22' })).rejects.toBeInstanceOf(EmailTaken);
    const row = await db.selectFrom('users').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain('kim password 1');
    expect((await authenticate(db, 'KIM@EXAMPLE.COM', 'kim password 1'))?.id).toBe(u.id);
    expect(await authenticate(db, 'kim@example.com', 'kim password 2')).toBeUndefined();
    expect(await authenticate(db, 'who@example.com', 'kim password 1')).toBeUndefined();
    expect((await findUserByEmail(db, 'kim@EXAMPLE.com'))?.id).toBe(u.id);
  });

  it('slides a session forward with use and ends it after 14 idle days', async () => {
    const { db } = ctx();
    const u = await createUser(db, { email: 'slide@example.com', password: 'slide password' });
    const t0 = new Date('2025-01-01T00:00:00Z');
    const { token, session } = await createSession(db, u.id, t0);
    expect(session.expiresAt).toBe(new Date(t0.getTime() + SESSION_DAYS * DAY).toISOString());
    // Used after 10 days: still alive, and now good for 14 days from then.
    const t10 = new Date(t0.getTime() + 10 * DAY);
    const used = await useSession(db, token, t10);
    expect(used?.touched).toBe(true);
    expect(used?.session.expiresAt).toBe(new Date(t10.getTime() + 14 * DAY).toISOString());
    // 20 days after creation: beyond the original expiry, within the slid one.
    expect(await useSession(db, token, new Date(t0.getTime() + 20 * DAY))).toBeDefined();
    // 14 days and a second after the last use: gone, and deleted.
    const late = new Date(t0.getTime() + 34 * DAY + 1000);
    expect(await useSession(db, token, late)).toBeUndefined();
    expect(await db.selectFrom('sessions').select('id').where('id', '=', session.id).executeTakeFirst()).toBeUndefined();
    expect(await useSession(db, 'unknown-token')).toBeUndefined();
  });

  it('ends all of a user\'s other sessions at once', async () => {
    const { db } = ctx();
    const u = await createUser(db, { email: 'many@example.com', password: 'many password' });
    const a = await createSession(db, u.id);
    const b = await createSession(db, u.id);
    const c = await createSession(db, u.id);
    await deleteOtherSessions(db, u.id, b.session.id);
    expect(await useSession(db, a.token)).toBeUndefined();
    expect(await useSession(db, b.token)).toBeDefined();
    expect(await useSession(db, c.token)).toBeUndefined();
  });

  it('keeps one admin even when two admins demote each other at the same time', async () => {
    const { db } = ctx();
    const f = await makeOrg(ctx());
    const a = await createUser(db, { email: `a-${f.org.id}@example.com`, password: 'admin a password' });
    const b = await createUser(db, { email: `b-${f.org.id}@example.com`, password: 'admin b password' });
    await addMembership(db, { orgId: f.org.id, userId: a.id, role: 'admin' });
    await addMembership(db, { orgId: f.org.id, userId: b.id, role: 'admin' });
    const results = await Promise.allSettled([
      updateMembership(db, f.org.id, a.id, { role: 'viewer' }),
      updateMembership(db, f.org.id, b.id, { role: 'viewer' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(LastAdmin);
    expect((await listMembers(db, f.org.id)).filter((m) => m.role === 'admin')).toHaveLength(1);
    const [last] = (await listMembers(db, f.org.id)).filter((m) => m.role === 'admin');
    await expect(removeMembership(db, f.org.id, last!.userId)).rejects.toBeInstanceOf(LastAdmin);
  });

  it('forgets an organisation\'s memberships with the organisation, not the users', async () => {
    const { db } = ctx();
    const f = await makeOrg(ctx());
    const u = await createUser(db, { email: `gone-${f.org.id}@example.com`, password: 'gone password' });
    await addMembership(db, { orgId: f.org.id, userId: u.id, role: 'owner', department: 'Support' });
    expect((await listMembers(db, f.org.id))[0]).toMatchObject({ role: 'owner', department: 'Support' });
    await db.deleteFrom('organisations').where('id', '=', f.org.id).execute();
    expect(await listMembers(db, f.org.id)).toEqual([]);
    expect(await findUserByEmail(db, u.email)).toBeDefined();
  });
});
