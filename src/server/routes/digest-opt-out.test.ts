// The digest's one-click opt-out link (issue 13), on both engines: a digest sent through a real SMTP
// server carries the link in both parts and as List-Unsubscribe + List-Unsubscribe-Post (RFC 8058); GET
// shows a page and changes nothing (mail scanners open links); the mail client's one-click POST turns that
// member's digest off in that organisation only; a forged, malformed or other member's token changes nothing.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import nodemailer, { type Transporter } from 'nodemailer';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { makeUser, sessionHeaders } from '../../../test/auth-fixture.ts';
import { startSmtp, type TestSmtp } from '../../../test/smtp.ts';
import { addMembership, removeMembership } from '../../store/memberships.ts';
import { DIGEST_OPT_OUT_TOKEN_DAYS, enqueueDueDigests, getDigestPreference, pruneDigestOptOutTokens } from '../../store/digests.ts';
import { MailRunner } from '../../mail/runner.ts';

const optOutTokenIn = (s: string) => /\/digest-off\/(dx_[A-Za-z0-9_-]+)/.exec(s)?.[1];

describeEngines('digest opt-out link', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let other: OrgFixture;
  let smtp: TestSmtp;
  let transport: Transporter;
  const MONDAY_7 = new Date('2026-11-30T07:00:00Z');
  const users: Record<string, { id: string; email: string }> = {};

  beforeAll(async () => {
    smtp = await startSmtp();
    transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
    app = await makeApp(ctx());
    f = await makeOrg(ctx());
    other = await makeOrg(ctx());
    for (const key of ['ada', 'bo']) {
      const u = await makeUser(ctx(), { name: key });
      users[key] = { id: u.user.id, email: u.email };
      await addMembership(ctx().db, { orgId: f.org.id, userId: u.user.id, role: key === 'ada' ? 'admin' : 'viewer', department: null });
    }
    await addMembership(ctx().db, { orgId: other.org.id, userId: users.ada!.id, role: 'admin', department: null });
    expect(await enqueueDueDigests(ctx().db, MONDAY_7)).toBe(3);
    const runner = new MailRunner({ db: ctx().db, transport, from: 'cx@parallax.test', publicUrl: 'https://cx.example.com/', perMinute: 100, now: () => MONDAY_7 });
    expect((await runner.tick()).sent).toBe(3);
  });
  afterAll(async () => {
    await app.close();
    transport.close();
    await smtp.close();
  });

  const mailIn = (key: string, org: OrgFixture) => {
    const m = smtp.mailTo(users[key]!.email).find((x) => String(x.mail.subject).startsWith(org.org.name + ':'));
    expect(m).toBeDefined();
    return m!.mail;
  };
  const pref = (key: string, org: OrgFixture) => getDigestPreference(ctx().db, org.org.id, users[key]!.id);

  it('carries the link in both parts and as List-Unsubscribe with one-click', async () => {
    const m = mailIn('ada', f);
    const token = optOutTokenIn(m.text!)!;
    expect(token).toMatch(/^dx_[A-Za-z0-9_-]{32}$/);
    expect(String(m.html)).toContain(`href="https://cx.example.com/digest-off/${token}"`);
    const header = (name: string) => m.headerLines.find((h) => h.key === name)?.line.replace(/\r\n[ \t]+/g, ' '); // unfolded (RFC 5322 §2.2.3)
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <https://cx.example.com/digest-off/${token}>`);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    // The dashboard's switch is named too, and no longer an API call.
    expect(m.text).toContain(`https://cx.example.com/o/${f.org.id}/setup/alerts`);
    // Each message its own token; only hashes are stored.
    expect(optOutTokenIn(mailIn('ada', other).text!)).not.toBe(token);
    const stored = await ctx().db.selectFrom('digest_opt_out_tokens').select('token_hash').execute();
    expect(stored).toHaveLength(3);
    expect(stored.map((r) => r.token_hash)).not.toContain(token);
  });

  it('GET shows one button and changes nothing; the one-click POST turns that digest off there only', async () => {
    const token = optOutTokenIn(mailIn('ada', f).text!)!;
    const page = await app.inject({ url: `/digest-off/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain(`<form method="post" action="/digest-off/${token}">`);
    expect(page.body).toContain('Turn my digest off');
    expect(await pref('ada', f)).toBe('weekly');

    const one = await app.inject({ method: 'POST', url: `/digest-off/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.body).toContain('Your digest is off');
    expect(one.body).toContain(`href="/o/${f.org.id}/setup/alerts"`);
    expect(await pref('ada', f)).toBe('off');
    expect(await pref('ada', other)).toBe('weekly'); // the other organisation's digest stays
    expect(await pref('bo', f)).toBe('weekly');
    // The member sees it in their own setting, and may turn it back on there.
    const headers = await sessionHeaders(ctx(), users.ada!.id);
    expect((await app.inject({ url: `/api/v1/organisations/${f.org.id}/digest`, headers })).json().digest).toBe('off');
    // A second click (the page's button after the mail client's one-click) says the same.
    const again = await app.inject({ method: 'POST', url: `/digest-off/${token}` });
    expect(again.statusCode).toBe(200);
  });

  it('a forged, malformed or departed member\'s token is a 404 page and changes nothing', async () => {
    const real = optOutTokenIn(mailIn('bo', f).text!)!;
    const forged = [`dx_${'A'.repeat(32)}`, real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A'), 'nonsense', `pu_${real.slice(3)}`];
    for (const t of forged) {
      for (const method of ['GET', 'POST'] as const) {
        const r = await app.inject({ method, url: `/digest-off/${encodeURIComponent(t)}` });
        expect(r.statusCode, t).toBe(404);
        expect(r.body).toContain('Link not valid');
      }
    }
    // Longer than any token: Fastify refuses the path parameter itself (414), before any lookup.
    expect((await app.inject({ method: 'POST', url: `/digest-off/dx_${'x'.repeat(120)}` })).statusCode).toBe(414);
    expect(await pref('bo', f)).toBe('weekly');
    // A member who has left: their old link does nothing.
    await removeMembership(ctx().db, f.org.id, users.bo!.id);
    const gone = await app.inject({ method: 'POST', url: `/digest-off/${real}` });
    expect(gone.statusCode).toBe(404);
    expect(await ctx().db.selectFrom('digest_preferences').selectAll().where('user_id', '=', users.bo!.id).execute()).toEqual([]);
  });

  it('prunes links of departed members and links older than DIGEST_OPT_OUT_TOKEN_DAYS, and only those', async () => {
    // After the test above, bo has left f: bo's link there is prunable; ada's links (f and other) are current.
    const tokens = () => ctx().db.selectFrom('digest_opt_out_tokens').select(['org_id', 'user_id', 'created_at']).orderBy('org_id').orderBy('user_id').execute();
    const before = await tokens();
    expect(before.filter((t) => t.user_id === users.bo!.id)).toHaveLength(1);
    expect(await pruneDigestOptOutTokens(ctx().db, MONDAY_7)).toBe(1);
    const kept = await tokens();
    expect(kept.map((t) => t.user_id).sort()).toEqual([users.ada!.id, users.ada!.id]);
    const adaLink = optOutTokenIn(mailIn('ada', f).text!)!;
    expect((await app.inject({ method: 'GET', url: `/digest-off/${adaLink}` })).statusCode).toBe(200);
    // One day short of the limit: kept; one day past it: gone, and the link then leads nowhere.
    const day = 86_400_000;
    expect(await pruneDigestOptOutTokens(ctx().db, new Date(MONDAY_7.getTime() + (DIGEST_OPT_OUT_TOKEN_DAYS - 1) * day))).toBe(0);
    expect(await pruneDigestOptOutTokens(ctx().db, new Date(MONDAY_7.getTime() + (DIGEST_OPT_OUT_TOKEN_DAYS + 1) * day))).toBe(2);
    expect(await tokens()).toEqual([]);
    expect((await app.inject({ method: 'GET', url: `/digest-off/${adaLink}` })).statusCode).toBe(404);
  });
});
