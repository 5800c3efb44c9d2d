// Follow-up cases end to end, on both engines (issue 13): rules checked on input; answers through the survey
// form (with and without consent to be contacted) open cases by rule when folded, exactly once, in the
// department that owns the touchpoint, and the thank-you page says what will happen; the board's scope,
// filters, counts and pages; a case under the anonymity rules (redacted comment, contact only with consent)
// with an audited view; two logged-in people editing one case at once (one 409, no lost update); an SLA
// breach with a moved clock escalating step by step, each step once, as mail read back from a real SMTP
// server; and the metrics route.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import nodemailer, { type Transporter } from 'nodemailer';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders, loginCookie, asSession, makeUser } from '../../../test/auth-fixture.ts';
import { startSmtp, type TestSmtp } from '../../../test/smtp.ts';
import { addMembership } from '../../store/memberships.ts';
import { foldAll } from '../../store/fold-queue.ts';
import { escalateDueCases } from '../../store/case-escalation.ts';
import { MailRunner } from '../../mail/runner.ts';
import { eraseResponses } from '../../store/erasure.ts';

const HOUR = 3_600_000;

describeEngines('follow-up cases', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  let finance: Record<string, string>;
  let viewer: Record<string, string>;
  let smtp: TestSmtp;
  let transport: Transporter;
  const url = (p = '') => `/api/v1/organisations/${f.org.id}${p}`;
  const form = (body: Record<string, string>) =>
    app.inject({ method: 'POST', url: `/s/${f.customerSurvey}`, payload: new URLSearchParams(body).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  beforeAll(async () => {
    smtp = await startSmtp();
    transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
    app = await makeApp(ctx());
    f = await makeOrg(ctx(), { name: 'Acme Streaming', minResponses: 1 });
    admin = await authHeaders(ctx(), f.org.id, 'admin');
    finance = await authHeaders(ctx(), f.org.id, 'owner', { department: 'finance ' }); // owns billing (typed loosely)
    viewer = await authHeaders(ctx(), f.org.id, 'viewer');
  });
  afterAll(async () => {
    await app.close();
    transport.close();
    await smtp.close();
  });

  it('checks rules against the framework and journey, naming the field', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: url('/case-rules'),
      headers: admin,
      payload: { name: 'Bad', conditions: [{ kind: 'answer', item: 'loyalty', op: '<=', value: 6 }, { kind: 'touchpoint', touchpoints: ['moon'] }, { kind: 'answer', item: 'ces', op: '>=', value: 9 }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields.map((x: { field: string }) => x.field)).toEqual(['conditions.0.item', 'conditions.1.touchpoints.0', 'conditions.2.value']);
    const unknownField = await app.inject({ method: 'POST', url: url('/case-rules'), headers: admin, payload: { name: 'X', conditions: [{ kind: 'answer', item: 'nps', op: '<=', value: 6, colour: 'red' }] } });
    expect(unknownField.statusCode).toBe(400);
    const byOwner = await app.inject({ method: 'POST', url: url('/case-rules'), headers: finance, payload: { name: 'X', conditions: [{ kind: 'answer', item: 'nps', op: '<=', value: 6 }] } });
    expect(byOwner.statusCode).toBe(403);
    expect((await app.inject({ url: url('/case-rules'), headers: admin })).json().rules).toEqual([]);
  });

  it('says on the thank-you page what happens when no rules exist or none match', async () => {
    const r = await form({ _token: 'tok-case-0000', nps: '2', excellent: '1' });
    expect(r.headers.location).toBe(`/s/${f.customerSurvey}/thanks`); // no rules: no promise either way
    await foldAll(ctx().db);
    expect((await app.inject({ url: url('/cases'), headers: admin })).json().counts.total).toBe(0);
  });

  it('opens cases by rule from folded answers, once, in the owning department; the thank-you page tells the truth', async () => {
    const detractor = await app.inject({ method: 'POST', url: url('/case-rules'), headers: admin, payload: { name: 'Detractors', conditions: [{ kind: 'answer', item: 'nps', op: '<=', value: 6 }] } });
    expect(detractor.statusCode).toBe(201);
    expect(detractor.json()).toMatchObject({ slaHours: 48, active: true, position: 0 });
    const effort = await app.inject({ method: 'POST', url: url('/case-rules'), headers: admin, payload: { name: 'Hard work', conditions: [{ kind: 'answer', item: 'ces', op: '<=', value: 2 }], slaHours: 24 } });
    expect(effort.json().position).toBe(1);

    // Consenting, at billing (Finance): a contactable Finance case.
    const a = await form({ _token: 'tok-case-0001', nps: '3', excellent: '2', touchpoint: 'billing', comment: 'Call me on 07700 900123, my name is Jane Smith.', contact_ok: 'yes', contact_email: 'Jane@Example.com' });
    expect(a.statusCode).toBe(303);
    expect(a.headers.location).toBe(`/s/${f.customerSurvey}/thanks?f=contact&h=48&t=billing`);
    const thanks = await app.inject(a.headers.location!);
    expect(thanks.body).toContain('Because you agreed to be contacted, our Finance team will look into your answers and aim to get in touch within 2 days.');
    // No consent, no touchpoint, hard work: a case about the answer only, the CX lead's.
    const b = await form({ _token: 'tok-case-0002', nps: '8', excellent: '3', ces: '1' });
    expect(b.headers.location).toBe(`/s/${f.customerSurvey}/thanks?f=answer&h=24`);
    expect((await app.inject(b.headers.location!)).body).toContain('Our customer-experience team will look into your answers within 1 day, without knowing who gave them: nobody will contact you.');
    // A happy customer: nothing.
    const c = await form({ _token: 'tok-case-0003', nps: '10', excellent: '5', touchpoint: 'billing' });
    expect(c.headers.location).toBe(`/s/${f.customerSurvey}/thanks?f=none`);
    expect((await app.inject(c.headers.location!)).body).toContain('Nobody will contact you about them.');
    // "Yes" without an address: the form asks for it, keeps the answers and stores nothing.
    const d = await form({ _token: 'tok-case-0004', nps: '1', excellent: '1', contact_ok: 'yes' });
    expect(d.statusCode).toBe(422);
    expect(d.body).toContain('to be contacted, leave your e-mail address');
    expect(d.body).toMatch(/name="nps" value="1" checked/);
    // The form asks the question.
    expect((await app.inject(`/s/${f.customerSurvey}`)).body).toContain('May we contact you about your answers?');

    // Folded by now or here (a report read also folds what is queued: cell-cache.ts); a second fold finds nothing.
    await foldAll(ctx().db);
    expect(await foldAll(ctx().db)).toBe(0);
    const list = (await app.inject({ url: url('/cases'), headers: admin })).json();
    expect(list.counts).toEqual({ total: 2, byState: { open: 2 }, bySla: { on_track: 2 } });
    const byRule = Object.fromEntries(list.items.map((x: any) => [x.rule.name, x]));
    expect(byRule.Detractors).toMatchObject({ department: 'Finance', touchpoint: 'billing', contactable: true, state: 'open', version: 1, sla: 'on_track' });
    expect(byRule['Hard work']).toMatchObject({ department: null, touchpoint: null, contactable: false });
    expect(Date.parse(byRule['Hard work'].dueAt) - Date.parse(byRule['Hard work'].openedAt)).toBe(24 * HOUR);
  });

  it('scopes the board: an owner sees their department, a viewer nothing; filters, pages and a bad cursor', async () => {
    const own = (await app.inject({ url: url('/cases'), headers: finance })).json();
    expect(own.items.map((x: any) => x.department)).toEqual(['Finance']);
    expect((await app.inject({ url: url('/cases'), headers: viewer })).statusCode).toBe(403);
    const unassigned = (await app.inject({ url: url('/cases?assignee=none&state=open&sla=on_track&department=Finance'), headers: admin })).json();
    expect(unassigned.items).toHaveLength(1);
    const p1 = (await app.inject({ url: url('/cases?limit=1'), headers: admin })).json();
    const p2 = (await app.inject({ url: url(`/cases?limit=1&after=${p1.next}`), headers: admin })).json();
    expect(p2.next).toBeNull();
    expect(new Set([p1.items[0].id, p2.items[0].id]).size).toBe(2);
    const bad = await app.inject({ url: url('/cases?after=nonsense'), headers: admin });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('after');
    expect((await app.inject({ url: url('/cases?limit=5000'), headers: admin })).statusCode).toBe(400);
  });

  it('shows a case under the anonymity rules and audits the view', async () => {
    const list = (await app.inject({ url: url('/cases'), headers: admin })).json();
    const fin = list.items.find((x: any) => x.department === 'Finance');
    const anon = list.items.find((x: any) => x.department === null);
    const seen = (await app.inject({ url: url(`/cases/${fin.id}`), headers: finance })).json();
    expect(seen.response.answers).toMatchObject({ nps: 3, excellent: 2 });
    expect(seen.response.comment).not.toContain('07700');
    expect(seen.contact).toEqual({ email: 'jane@example.com', name: null });
    expect(seen.history.map((h: any) => h.kind)).toEqual(['opened']);
    expect(seen).not.toHaveProperty('respondentId');
    expect((await app.inject({ url: url(`/cases/${fin.id}?original=true`), headers: finance })).statusCode).toBe(403);
    expect((await app.inject({ url: url(`/cases/${fin.id}?original=true`), headers: admin })).json().response.comment).toContain('07700 900123');
    // Another department's case is not there for an owner; the anonymous case has no contact.
    expect((await app.inject({ url: url(`/cases/${anon.id}`), headers: finance })).statusCode).toBe(404);
    expect((await app.inject({ url: url(`/cases/${anon.id}`), headers: admin })).json().contact).toBeNull();
    const audit = (await app.inject({ url: url('/audit-log?action=cases.view'), headers: admin })).json();
    expect(audit.entries.length).toBeGreaterThanOrEqual(3);
    expect(audit.entries[0].target).toMatch(/^\/cases\/case_/);
  });

  it('lets two logged-in people edit one case at once: one 409 with the current case, no lost update', async () => {
    const u1 = await makeUser(ctx(), { email: 'fin.one@acme.test' });
    const u2 = await makeUser(ctx(), { email: 'fin.two@acme.test' });
    await addMembership(ctx().db, { orgId: f.org.id, userId: u1.user.id, role: 'owner', department: 'Finance' });
    await addMembership(ctx().db, { orgId: f.org.id, userId: u2.user.id, role: 'owner', department: 'Finance' });
    const s1 = asSession(await loginCookie(app, u1.email, u1.password));
    const s2 = asSession(await loginCookie(app, u2.email, u2.password));
    const fin = (await app.inject({ url: url('/cases'), headers: s1 })).json().items[0];
    const patch = (h: Record<string, string>, body: object, extra: Record<string, string> = {}) => app.inject({ method: 'PATCH', url: url(`/cases/${fin.id}`), headers: { ...h, ...extra }, payload: body });
    const [r1, r2] = await Promise.all([
      patch(s1, { version: fin.version, state: 'in_progress', assigneeId: u1.user.id }),
      patch(s2, { note: 'I know this customer: billed twice in May.' }, { 'if-match': `"${fin.version}"` }),
    ]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
    const lost = r1.statusCode === 409 ? r1 : r2;
    expect(lost.json().fields[0].field).toBe('version');
    expect(lost.json().current.version).toBe(2);
    // The one who lost reapplies on the current version: both changes are kept.
    const retry = lost === r1 ? patch(s1, { version: 2, state: 'in_progress', assigneeId: u1.user.id }) : patch(s2, { version: 2, note: 'I know this customer: billed twice in May.' });
    expect((await retry).statusCode).toBe(200);
    const now = (await app.inject({ url: url(`/cases/${fin.id}`), headers: admin })).json();
    expect(now).toMatchObject({ version: 3, state: 'in_progress', assignee: { id: u1.user.id } });
    expect(now.history.map((h: any) => h.kind).sort()).toEqual(['assigned', 'note', 'opened', 'state']);
    // Bad input names its field and writes nothing; the API refuses what consent does not allow.
    const anon = (await app.inject({ url: url('/cases?department=none'), headers: admin })).json();
    const allCases = (await app.inject({ url: url('/cases'), headers: admin })).json().items;
    const anonCase = allCases.find((x: any) => x.department === null);
    expect(anon.items).toEqual([]);
    const noConsent = await app.inject({ method: 'PATCH', url: url(`/cases/${anonCase.id}`), headers: admin, payload: { version: 1, contact: { channel: 'phone', reached: true } } });
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.json().fields[0].field).toBe('contact');
    const badMove = await app.inject({ method: 'PATCH', url: url(`/cases/${anonCase.id}`), headers: admin, payload: { version: 1, state: 'resolved', rootCause: 'nonsense' } });
    expect(badMove.json().fields.map((x: any) => x.field)).toEqual(['state', 'rootCause']);
    const noVersion = await app.inject({ method: 'PATCH', url: url(`/cases/${anonCase.id}`), headers: admin, payload: { note: 'x' } });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json().fields[0].field).toBe('version');
    expect((await app.inject({ method: 'PATCH', url: url(`/cases/${anonCase.id}`), headers: viewer, payload: { version: 1, note: 'x' } })).statusCode).toBe(403);
    expect((await app.inject({ url: url(`/cases/${anonCase.id}`), headers: admin })).json().version).toBe(1);
  });

  it('escalates a breached SLA with a moved clock: assignee, then owners, then the CX lead, each once, by mail', async () => {
    const cases = (await app.inject({ url: url('/cases'), headers: admin })).json().items;
    const fin = cases.find((x: any) => x.department === 'Finance');
    const due = Date.parse(fin.dueAt);
    let clock = new Date(due - HOUR);
    const runner = new MailRunner({ db: ctx().db, transport, from: 'cx@parallax.test', publicUrl: 'https://cx.example.com', perMinute: 100, now: () => clock });
    // The unassigned case with no department (24 h SLA) is overdue already: to the CX lead (the admins).
    expect(await escalateDueCases(ctx().db, clock)).toBe(1);
    clock = new Date(due + HOUR);
    const taken = await escalateDueCases(ctx().db, clock);
    expect(taken).toBeGreaterThanOrEqual(1); // the Finance case's step 1 (and the other's step 2)
    expect(await escalateDueCases(ctx().db, clock)).toBe(0); // each step once
    expect((await runner.tick()).sent).toBeGreaterThanOrEqual(2);
    const toAssignee = smtp.mailTo('fin.one@acme.test');
    expect(toAssignee).toHaveLength(1);
    expect(toAssignee[0]!.mail.subject).toContain('Overdue follow-up');
    expect(toAssignee[0]!.mail.text).toContain(`https://cx.example.com/o/${f.org.id}/cases/${fin.id}`);
    expect(toAssignee[0]!.mail.text).toContain('you are its assignee (escalation step 1 of 3)');
    clock = new Date(due + 25 * HOUR);
    expect(await escalateDueCases(ctx().db, clock)).toBeGreaterThanOrEqual(1);
    await runner.tick();
    expect(smtp.mailTo('fin.two@acme.test').map((m) => m.mail.text)).toEqual([expect.stringContaining('your department owns it (escalation step 2 of 3)')]);
    const detail = (await app.inject({ url: url(`/cases/${fin.id}`), headers: admin })).json();
    expect(detail.escalationStep).toBe(2);
    // (The API's SLA state is by the real clock, which this test does not move: not asserted here.)
    expect(detail.history.filter((h: any) => h.kind === 'escalated').map((h: any) => [h.details.step, h.details.level])).toEqual([[1, 'assignee'], [2, 'owner']]);
    // Contacted now: the ladder stops, and a message still queued would be cancelled.
    const contacted = await app.inject({ method: 'PATCH', url: url(`/cases/${fin.id}`), headers: admin, payload: { version: detail.version, contact: { channel: 'email', reached: true, note: 'Refund agreed.' }, state: 'contacted' } });
    expect(contacted.statusCode).toBe(200);
    expect(contacted.json().firstContactAt).not.toBeNull();
    clock = new Date(due + 60 * HOUR);
    await escalateDueCases(ctx().db, clock);
    expect((await app.inject({ url: url(`/cases/${fin.id}`), headers: admin })).json().escalationStep).toBe(2);
  });

  it('reports case metrics over the cases the caller may see', async () => {
    const m = (await app.inject({ url: url('/case-metrics'), headers: admin })).json();
    expect(m.cases).toBe(2);
    expect(m.timeToFirstContactHours.n).toBe(1);
    // By the real clock: the Finance case was contacted in time, the other is still within its SLA.
    expect(m.slaByDepartment.map((d: any) => [d.department, d.met, d.breached, d.undecided])).toEqual([[null, 0, 0, 1], ['Finance', 1, 0, 0]]);
    expect(m.npsResolvedVsUnreached.difference).toBeNull();
    const own = (await app.inject({ url: url('/case-metrics'), headers: finance })).json();
    expect(own.cases).toBe(1);
    const doc = (await app.inject('/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/organisations/{org}/cases', '/api/v1/organisations/{org}/cases/{id}', '/api/v1/organisations/{org}/case-rules', '/api/v1/organisations/{org}/case-metrics']));
  });

  it("erases a response's cases with it: contact, case, history and escalation messages", async () => {
    const fin = await ctx().db.selectFrom('cases').select(['id', 'response_id']).where('org_id', '=', f.org.id).where('department', '=', 'Finance').executeTakeFirstOrThrow();
    expect(await eraseResponses(ctx().db, f.org.id, { responseIds: [fin.response_id] })).toBe(1); // the erasure of the response itself (art. 17)
    expect((await app.inject({ url: url(`/cases/${fin.id}`), headers: admin })).statusCode).toBe(404);
    expect(await ctx().db.selectFrom('case_contacts').selectAll().where('org_id', '=', f.org.id).execute()).toEqual([]);
    expect(await ctx().db.selectFrom('case_events').selectAll().where('org_id', '=', f.org.id).where('case_id', '=', fin.id).execute()).toEqual([]);
    expect(await ctx().db.selectFrom('mail_jobs').selectAll().where('org_id', '=', f.org.id).where('invitation_id', 'in', ctx().db.selectFrom('case_notifications').select('id').where('case_id', '=', fin.id)).execute()).toEqual([]);
    expect((await app.inject({ url: url('/cases'), headers: admin })).json().counts.total).toBe(1);
  });
});
