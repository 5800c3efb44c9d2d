// Alerts on seeded responses and cases, and their e-mails end to end, on both engines (issue 13).
//
// gap_widened: leaders' excellence share stays at 8 of 10 every month of January–June 2025 while customers'
// falls (16, 15, 12, 11, 7, 6 of 20), so the perception gap widens. The trend test is a weighted least
// squares line through the monthly gaps with the variances taken as known (core/stats/regression.ts):
//   x = 0..5, y = 0.8 − c/20, var = 0.8·0.2/10 + (c/20)(1 − c/20)/20, w = 1/var
//   numpy: cov = inv(X'WX); slope = (cov X'W y)[1] = 0.10686187567771382; se = sqrt(cov[1,1]) = 0.038237280677827536
//   p = 2·scipy.stats.norm.sf(slope/se) = 0.005194727783959923
//   (cross-check: scipy.optimize.curve_fit(lambda t, a, b: a + b*t, x, y, sigma=sqrt(var), absolute_sigma=True)
//    gives slope 0.10686187564707803, se 0.038237280424472136, p 0.005194727499311188)
// Evaluated on 3 July the alert is raised for June; evaluated in August (July has no customers: an old
// slope is not news) it is not.
//
// sla_backlog: N answers submitted live with nps ≤ 6 open N cases by rule when folded (48-hour SLA);
// three days later they are all overdue: the alert at threshold N, none at N + 1.
//
// Mail: the raised alert becomes one mail job per recipient, the mail runner sends it through the local
// SMTP server (test/smtp.ts), and it is read back — to the CX lead when one is set; to every admin without
// one, or once the CX lead has left (their queued message is cancelled); none with the settings' email off;
// and an alert raised twice mails once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import nodemailer, { type Transporter } from 'nodemailer';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { makeUser } from '../../test/auth-fixture.ts';
import { startSmtp, type TestSmtp } from '../../test/smtp.ts';
import { storeResponse, storeResponses, type NewResponse } from '../store/responses.ts';
import { foldAll } from '../store/fold-queue.ts';
import { createCaseRule } from '../store/case-rules.ts';
import { addMembership, removeMembership } from '../store/memberships.ts';
import { updateOrganisation } from '../store/organisations.ts';
import { getAlertSettings, raiseAlert, saveAlertSettings } from '../store/alerts.ts';
import { DEFAULT_ALERT_SETTINGS } from '../core/alerts.ts';
import type { Role } from '../core/access.ts';
import { MailRunner } from '../mail/runner.ts';
import { MAX_SUBJECT, alertSubject, renderAlertMail } from '../mail/alert-mail.ts';
import { alertRound, evaluateAlerts } from './alert-runner.ts';

const DAY = 86_400_000;
const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
const CUSTOMERS_EXCELLENT = [16, 15, 12, 11, 7, 6]; // of 20 a month
const LEADERS = [5, 5, 4, 4, 4, 4, 4, 4, 3, 2]; // 8 of 10 call it excellent (4 or 5), every month

function wideningGap(f: OrgFixture): NewResponse[] {
  const out: NewResponse[] = [];
  let id = 0;
  MONTHS.forEach((month, m) => {
    for (let i = 0; i < 20; i++) {
      const excellent = i < CUSTOMERS_EXCELLENT[m]! ? 4 + (i % 2) : 2 + (i % 2);
      const day = String(1 + i).padStart(2, '0');
      out.push({ orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer', submission: { respondentId: `c${++id}`, submittedAt: `${month}-${day}T12:00:00.000Z`, touchpoint: 'app', segments: {}, answers: { excellent, 'dim:communication': excellent }, comment: null } });
    }
    LEADERS.forEach((excellent, i) =>
      out.push({ orgId: f.org.id, surveyId: f.leaderSurvey, perspective: 'leader', submission: { respondentId: `l${++id}`, submittedAt: `${month}-${String(10 + i)}T09:00:00.000Z`, touchpoint: null, segments: {}, answers: { excellent, 'dim:communication': excellent }, comment: null } }),
    );
  });
  return out;
}

describeEngines('alerts on seeded data, and their e-mails', (ctx) => {
  let smtp: TestSmtp;
  let transport: Transporter;
  let s: OrgFixture; // the SLA organisation, whose alerts are mailed
  const N = 4; // overdue cases seeded
  const opened = Date.now();
  const people: Record<string, { id: string; email: string }> = Object.create(null);
  const runner = (clock: Date) => new MailRunner({ db: ctx().db, transport, from: 'alerts@parallax.test', publicUrl: 'https://cx.example.com/', perMinute: 100, now: () => clock });
  /** Evaluates the SLA organisation's alerts on day `d` after the cases opened, and raises them. */
  const raiseOn = async (d: number) => {
    const at = new Date(opened + d * DAY);
    const raised = [];
    for (const a of await evaluateAlerts(ctx().db, s.org.id, at)) if (await raiseAlert(ctx().db, s.org.id, a, at)) raised.push(a);
    return { at, raised };
  };
  const member = async (key: string, role: Role) => {
    const u = await makeUser(ctx(), { email: `${key}-${Math.random().toString(36).slice(2, 8)}@acme.test` });
    await addMembership(ctx().db, { orgId: s.org.id, userId: u.user.id, role });
    people[key] = { id: u.user.id, email: u.email };
  };
  const jobs = async () => ctx().db.selectFrom('mail_jobs').select(['state', 'last_error']).where('org_id', '=', s.org.id).where('kind', '=', 'alert').execute();

  beforeAll(async () => {
    smtp = await startSmtp();
    transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
    s = await makeOrg(ctx(), { name: 'Acme Support', minResponses: 1 });
    await saveAlertSettings(ctx().db, s.org.id, { ...DEFAULT_ALERT_SETTINGS, kinds: ['sla_backlog'], slaBacklog: N });
    await createCaseRule(ctx().db, s.org.id, { name: 'Detractors', conditions: [{ kind: 'answer', item: 'nps', op: '<=', value: 6 }], slaHours: 48, active: true });
    // Live submissions (queued for folding, as the survey form stores them): folding opens the cases by rule.
    for (let i = 0; i < N; i++)
      await storeResponse(ctx().db, { orgId: s.org.id, surveyId: s.customerSurvey, perspective: 'customer', submission: { respondentId: `d${i}`, submittedAt: new Date(opened).toISOString(), touchpoint: null, segments: {}, answers: { nps: 2 + i, excellent: 2 }, comment: null } });
    await foldAll(ctx().db);
    await member('lead', 'analyst');
    await member('boss', 'admin');
    await member('deputy', 'admin');
  });
  afterAll(async () => {
    transport.close();
    await smtp.close();
  });

  it('raises gap_widened when leaders stay put and customers fall month after month, with the trend test\'s slope', async () => {
    const g = await makeOrg(ctx(), { minResponses: 5 });
    await storeResponses(ctx().db, wideningGap(g));
    const july = (await evaluateAlerts(ctx().db, g.org.id, new Date('2025-07-03T08:00:00Z'))).filter((a) => a.kind === 'gap_widened');
    expect(july.map((a) => a.dedupeKey)).toEqual(['gap_widened:headline:2025-06']);
    const d = july[0]!.data as { perMonth: number; pValue: number; months: number };
    expect(d.months).toBe(6);
    expect(d.perMonth).toBeCloseTo(0.10686187567771382, 9); // numpy WLS, see the header
    expect(d.pValue).toBeCloseTo(0.005194727783959923, 9); // 2·scipy.stats.norm.sf(slope/se)
    expect(july[0]!.summary).toBe('The perception gap is widening: +10.7 points a month over 6 months (p = 0.0052).');
    // The e-mail says what was tested, in plain words, with the figures and the p-value.
    const mail = renderAlertMail({ ...july[0]!, raisedAt: '2025-07-03T08:00:00.000Z' }, 'Acme', 'https://cx.example.com/o/acme/setup/alerts');
    expect(mail.subject).toBe(july[0]!.summary);
    expect(mail.text).toContain('a straight line fitted through the last 6 months');
    expect(mail.text).toContain('the gap grows by 10.7 percentage points a month, through 2025-06. The chance of a result at least this strong if nothing had really changed is p = 0.0052.');
    expect(mail.html).toContain('p = 0.0052');
    // A stricter alpha than the p-value: not raised.
    await saveAlertSettings(ctx().db, g.org.id, { ...DEFAULT_ALERT_SETTINGS, alpha: 0.005 });
    expect((await evaluateAlerts(ctx().db, g.org.id, new Date('2025-07-03T08:00:00Z'))).filter((a) => a.kind === 'gap_widened')).toEqual([]);
    await saveAlertSettings(ctx().db, g.org.id, DEFAULT_ALERT_SETTINGS);
    // In August the last full month (July) has no customers: no news.
    expect((await evaluateAlerts(ctx().db, g.org.id, new Date('2025-08-03T08:00:00Z'))).filter((a) => a.kind === 'gap_widened')).toEqual([]);
    // Through alertRound: raised once, then not again the same month.
    expect((await alertRound(ctx().db, new Date('2025-07-03T08:00:00Z'))).map((a) => a.dedupeKey)).toContain('gap_widened:headline:2025-06');
    expect((await alertRound(ctx().db, new Date('2025-07-20T08:00:00Z'))).map((a) => a.dedupeKey)).not.toContain('gap_widened:headline:2025-06');
  });

  it('raises sla_backlog at the threshold of overdue cases and not below it', async () => {
    const cases = await ctx().db.selectFrom('cases').select(['due_at', 'first_contact_at']).where('org_id', '=', s.org.id).execute();
    expect(cases).toHaveLength(N);
    // Before the SLA runs out nothing is overdue.
    expect(await evaluateAlerts(ctx().db, s.org.id, new Date(opened + DAY))).toEqual([]);
    const late = new Date(opened + 3 * DAY);
    const at = await evaluateAlerts(ctx().db, s.org.id, late);
    expect(at.map((a) => [a.kind, a.data.overdue, a.data.threshold])).toEqual([['sla_backlog', N, N]]);
    await saveAlertSettings(ctx().db, s.org.id, { ...(await getAlertSettings(ctx().db, s.org.id)), slaBacklog: N + 1 });
    expect(await evaluateAlerts(ctx().db, s.org.id, late)).toEqual([]);
    await saveAlertSettings(ctx().db, s.org.id, { ...(await getAlertSettings(ctx().db, s.org.id)), slaBacklog: N });
  });

  it('mails a raised alert to the CX lead only, once, through SMTP', async () => {
    await updateOrganisation(ctx().db, s.org.id, { cxLeadUserId: people.lead!.id });
    const { at, raised } = await raiseOn(3);
    expect(raised.map((a) => a.kind)).toEqual(['sla_backlog']);
    expect((await raiseOn(3)).raised).toEqual([]); // raised twice: once, so no second message either
    expect(await runner(at).tick()).toMatchObject({ sent: 1, cancelled: 0 });
    expect(smtp.mailTo(people.boss!.email)).toEqual([]);
    const got = smtp.mailTo(people.lead!.email);
    expect(got).toHaveLength(1);
    const m = got[0]!.mail;
    expect(m.subject).toBe(`${N} follow-up cases are past their SLA (threshold ${N}).`);
    expect(m.from?.text).toContain('Parallax · Acme Support');
    expect(m.text).toContain(`What was found: ${N} such cases; your alert threshold is ${N}.`);
    expect(m.text).toContain(`https://cx.example.com/o/${s.org.id}/setup/alerts`);
    expect(m.html).toContain(`href="https://cx.example.com/o/${s.org.id}/setup/alerts"`);
    expect(await runner(at).tick()).toMatchObject({ sent: 0 }); // nothing left to send
  });

  it('mails every admin when no CX lead is set, and cancels the message of a CX lead who left', async () => {
    await updateOrganisation(ctx().db, s.org.id, { cxLeadUserId: null });
    const day4 = await raiseOn(4);
    expect(day4.raised).toHaveLength(1);
    expect(await runner(day4.at).tick()).toMatchObject({ sent: 2 });
    expect(smtp.mailTo(people.boss!.email)).toHaveLength(1);
    expect(smtp.mailTo(people.deputy!.email)).toHaveLength(1);
    expect(smtp.mailTo(people.lead!.email)).toHaveLength(1); // still only the day-3 message

    // Queued for the CX lead, who leaves before it goes: cancelled, and the next alert goes to the admins.
    await updateOrganisation(ctx().db, s.org.id, { cxLeadUserId: people.lead!.id });
    const day5 = await raiseOn(5);
    expect(day5.raised).toHaveLength(1);
    expect(await removeMembership(ctx().db, s.org.id, people.lead!.id)).toBe(true);
    expect(await runner(day5.at).tick()).toMatchObject({ sent: 0, cancelled: 1 });
    expect((await jobs()).filter((j) => j.state === 'cancelled')).toEqual([{ state: 'cancelled', last_error: 'recipient no longer a member' }]);
    const day6 = await raiseOn(6);
    expect(await runner(day6.at).tick()).toMatchObject({ sent: 2 });
    expect(smtp.mailTo(people.boss!.email)).toHaveLength(2);
    expect(smtp.mailTo(people.lead!.email)).toHaveLength(1);
  });

  it('sends nothing when the settings turn e-mail off (the alert is still raised)', async () => {
    await saveAlertSettings(ctx().db, s.org.id, { ...(await getAlertSettings(ctx().db, s.org.id)), email: false });
    const before = (await jobs()).length;
    const day7 = await raiseOn(7);
    expect(day7.raised).toHaveLength(1);
    expect((await jobs()).length).toBe(before);
    const received = smtp.received.length;
    expect(await runner(day7.at).tick()).toMatchObject({ sent: 0 });
    expect(smtp.received.length).toBe(received);
  });
});

it('bounds the subject to one line of at most MAX_SUBJECT characters', () => {
  expect(alertSubject('Customers rated\nBilling lower')).toBe('Customers rated Billing lower');
  const long = alertSubject(`Customers rated ${'a very long label '.repeat(20)}lower`);
  expect(long.length).toBeLessThanOrEqual(MAX_SUBJECT);
  expect(long.length).toBeGreaterThan(MAX_SUBJECT - 3);
  expect(long.endsWith('…')).toBe(true);
});
