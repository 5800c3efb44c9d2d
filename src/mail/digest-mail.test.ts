// The weekly digest end to end, on both engines (issue 13): with the clock moved to Monday 07:00, one
// check queues a digest per opted-in member (two servers checking at once queue each once), the mail
// runner sends them through a real SMTP server, and each is read back with mailparser: the executive's
// holds the headline gap, calibration, initiative verdict and SLA compliance equal to the API's reports in
// both parts; the owner's holds their department's touchpoints only and their cases; a viewer's the
// headline only; an opted-out member gets nothing; a second check in the same week sends nothing more.
// Also: the gap interval against Newcombe's published example, the schedule, and the settings' 4xx.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import nodemailer, { type Transporter } from 'nodemailer';
import { describeEngines } from '../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { makeUser, sessionHeaders } from '../../test/auth-fixture.ts';
import { startSmtp, type TestSmtp } from '../../test/smtp.ts';
import { billingInitiative, seededChange } from '../../test/initiative-fixture.ts';
import { addMembership } from '../store/memberships.ts';
import { storeResponses } from '../store/responses.ts';
import { enqueueDueDigests, lastScheduledMoment } from '../store/digests.ts';
import { newcombeInterval } from '../core/stats/newcombe.ts';
import type { Role } from '../core/access.ts';
import { MailRunner } from './runner.ts';
import { percent, points, ratingPoints } from './digest-mail.ts';

it('states the gap interval as Newcombe (1998) does', () => {
  // Newcombe 1998, Statistics in Medicine 17:873, Table II example (a): 56/70 − 48/80, method 10: 0.0524 to 0.3339.
  // python3: wilson() from scipy.stats.norm.ppf(0.975), then d ∓ sqrt(...) → 0.05243147240236498 0.333872654036906
  const w = (x: number, n: number, z = 1.959963984540054): [number, number] => {
    const p = x / n;
    const c = p + (z * z) / (2 * n);
    const h = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
    return [(c - h) / (1 + (z * z) / n), (c + h) / (1 + (z * z) / n)];
  };
  const [lo, hi] = newcombeInterval(56 / 70, w(56, 70), 48 / 80, w(48, 80));
  expect(lo).toBeCloseTo(0.05243147240236498, 10);
  expect(hi).toBeCloseTo(0.333872654036906, 10);
});

it('finds the latest scheduled moment (UTC)', () => {
  const mon7 = { weekday: 1, hour: 7 };
  expect(lastScheduledMoment(mon7, new Date('2026-11-30T07:00:00Z')).toISOString()).toBe('2026-11-30T07:00:00.000Z');
  expect(lastScheduledMoment(mon7, new Date('2026-11-30T06:59:59Z')).toISOString()).toBe('2026-11-23T07:00:00.000Z');
  expect(lastScheduledMoment({ weekday: 5, hour: 18 }, new Date('2026-11-30T07:00:00Z')).toISOString()).toBe('2026-11-27T18:00:00.000Z');
});

describeEngines('weekly digest', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let smtp: TestSmtp;
  let transport: Transporter;
  const people: Record<string, { email: string; headers: Record<string, string> }> = Object.create(null);
  const url = (p = '') => `/api/v1/organisations/${f.org.id}${p}`;
  const MONDAY_7 = new Date('2026-11-30T07:00:00Z');

  const member = async (key: string, role: Role, department: string | null = null) => {
    const u = await makeUser(ctx(), { name: key });
    await addMembership(ctx().db, { orgId: f.org.id, userId: u.user.id, role, department });
    people[key] = { email: u.email, headers: await sessionHeaders(ctx(), u.user.id) };
  };
  const get = async (p: string, who: string) => {
    const r = await app.inject({ url: url(p), headers: people[who]!.headers });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const mailOf = (who: string) => smtp.mailTo(people[who]!.email);

  beforeAll(async () => {
    smtp = await startSmtp();
    transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
    app = await makeApp(ctx());
    f = await makeOrg(ctx());
    // Billing and app only (240 customers, 10 leaders): enough for every figure, and a smaller seed.
    await storeResponses(ctx().db, seededChange(f).filter((r) => r.submission.touchpoint !== 'website'));
    await member('exec', 'admin');
    await member('finance', 'owner', 'Finance'); // owns billing
    await member('viewer', 'viewer');
    await member('quiet', 'analyst');
    const created = await app.inject({ method: 'POST', url: url('/initiatives'), headers: people.exec!.headers, payload: { ...billingInitiative, owner: people.finance!.email } });
    expect(created.statusCode, created.body).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    transport.close();
    await smtp.close();
  });

  it('keeps each member\'s own setting and the schedule, refusing bad input by field', async () => {
    expect(await get('/digest', 'quiet')).toEqual({ digest: 'weekly', schedule: { weekday: 1, hour: 7 } });
    const off = await app.inject({ method: 'PUT', url: url('/digest'), headers: people.quiet!.headers, payload: { digest: 'off' } });
    expect(off.statusCode, off.body).toBe(200);
    expect((await get('/digest', 'quiet')).digest).toBe('off');
    const bad = await app.inject({ method: 'PUT', url: url('/digest'), headers: people.quiet!.headers, payload: { digest: 'daily' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('digest');
    const hour = await app.inject({ method: 'PUT', url: url('/digest-schedule'), headers: people.exec!.headers, payload: { weekday: 1, hour: 24 } });
    expect(hour.statusCode).toBe(400);
    expect(hour.json().fields[0].field).toBe('hour');
    const byViewer = await app.inject({ method: 'PUT', url: url('/digest-schedule'), headers: people.viewer!.headers, payload: { weekday: 1, hour: 7 } });
    expect(byViewer.statusCode).toBe(403);
    const ok = await app.inject({ method: 'PUT', url: url('/digest-schedule'), headers: people.exec!.headers, payload: { weekday: 1, hour: 7 } });
    expect(ok.json()).toEqual({ weekday: 1, hour: 7 });
  });

  it('sends each opted-in member their digest once on Monday 07:00, with the reports\' figures', async () => {
    const runner = new MailRunner({ db: ctx().db, transport, from: 'cx@parallax.test', publicUrl: 'https://cx.example.com', perMinute: 100, now: () => MONDAY_7 });
    expect(await enqueueDueDigests(ctx().db, new Date('2026-11-30T06:59:00Z'))).toBe(0); // last week's moment is over a day old
    // Two servers checking at once: each member's week is queued once (exec, finance, viewer; quiet is off).
    const [a, b] = await Promise.all([enqueueDueDigests(ctx().db, MONDAY_7), enqueueDueDigests(ctx().db, MONDAY_7)]);
    expect(a + b).toBe(3);
    expect((await runner.tick()).sent).toBe(3);
    expect(mailOf('quiet')).toEqual([]);

    const gap = await get('/reports/gap', 'exec');
    const h = gap.headline;
    const exec = mailOf('exec');
    expect(exec).toHaveLength(1);
    const m = exec[0]!.mail;
    expect(m.subject).toContain('weekly customer-experience digest (2026-11-30)');
    const html = String(m.html);
    // The seeded leaders give no prediction item: the gap report hides calibration, and so does the digest.
    const c = gap.calibration;
    const calibration = 'suppressed' in c ? `Not shown: ${c.reason}` : `they predict ${percent(c.meanPredictedShare)} excellent, customers give ${percent(c.actualShare)}`;
    for (const part of [m.text!, html]) {
      expect(part).toContain(`Customers who call it excellent: ${percent(h.customers.share)} (95% CI ${percent(h.customers.ci95[0])} to ${percent(h.customers.ci95[1])}), ${h.customers.n} respondents`);
      expect(part).toContain(`${percent(h.leaders.share)} (95% CI`);
      expect(part).toContain(`The gap (leaders − customers): ${points(h.gap)}`);
      expect(part).toContain(calibration);
      expect(part).toContain('Plain-language bills (active): ');
      expect(part).toContain('https://cx.example.com/o/');
      expect(part).toContain('To stop it, set your digest to');
    }
    const initiatives = (await get('/initiatives', 'exec')).initiatives;
    const effect = (await get(`/initiatives/${initiatives[0].id}/effect`, 'exec')).effect;
    expect(m.text).toContain(`Plain-language bills (active): ${effect.goal.verdict}, ${ratingPoints(effect.goal.achieved)} towards its goal (95% CI ${effect.goal.ci95[0].toFixed(2)} to ${effect.goal.ci95[1].toFixed(2)})`);
    // The month-on-month change: the trend report's last two months with both sides shown.
    const trend = (await get('/reports/trend?period=month', 'exec')).points.filter((p: { gap: number | null }) => p.gap !== null);
    const [prev, last] = trend.slice(-2);
    expect(m.text).toContain(`Against the previous month: ${points(last.gap - prev.gap)} (${last.period}: ${points(last.gap)}; ${prev.period}: ${points(prev.gap)})`);
    expect(m.text).toContain('Follow-up cases: first contact within the SLA');

    // The owner: billing only (Finance), with the owner's own view of the breakdown; nothing of other departments.
    const own = mailOf('finance');
    expect(own).toHaveLength(1);
    const billing = (await get('/reports/breakdown?by=touchpoint', 'finance')).rows.find((r: { value: string }) => r.value === 'billing');
    for (const part of [own[0]!.mail.text!, String(own[0]!.mail.html)]) {
      expect(part).toContain(`Billing: customers ${percent(billing.customers.share)} (95% CI ${percent(billing.customers.ci95[0])} to ${percent(billing.customers.ci95[1])}), ${billing.customers.n} respondents; gap ${points(billing.gap)}`);
      expect(part).toContain('Open: 0');
      expect(part).not.toMatch(/App|Website|Calibration|Initiatives/);
    }
    // A viewer: the headline only.
    const seen = mailOf('viewer')[0]!.mail.text!;
    expect(seen).toContain('The headline gap');
    expect(seen).not.toMatch(/Calibration|Initiatives|Your touchpoints|Your cases/);

    // A second check the same week (this server or another) queues and sends nothing more.
    const later = new Date('2026-11-30T09:00:00Z');
    expect(await enqueueDueDigests(ctx().db, later)).toBe(0);
    expect((await new MailRunner({ db: ctx().db, transport, from: 'cx@parallax.test', publicUrl: 'https://cx.example.com', perMinute: 100, now: () => later }).tick()).sent).toBe(0);
    expect(smtp.received).toHaveLength(3);
  });
});
