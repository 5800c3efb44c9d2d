// The CX lead (issue 13), on both engines: chosen by an admin with PATCH /organisations/:org and read back
// by GET; it must name a current member (else 422 naming cxLeadUserId, and nothing of the request is
// written), only an admin may choose it (an analyst, who may edit the other settings, gets 403 naming the
// field); a CX lead removed from the organisation simply stops counting (null again); and an overdue case
// that nobody below can take (no assignee, no department) escalates to the CX lead when one is set,
// else — also once the lead has left — to every admin.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { authHeaders, makeUser, sessionHeaders } from '../../test/auth-fixture.ts';
import { addMembership } from '../store/memberships.ts';
import { storeResponse } from '../store/responses.ts';
import { foldAll } from '../store/fold-queue.ts';
import { createCaseRule } from '../store/case-rules.ts';
import { escalateDueCases } from '../store/case-escalation.ts';

const HOUR = 3_600_000;

describeEngines('the CX lead', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  let adminEmail: string;
  let analyst: Record<string, string>;
  let lead: { id: string; email: string };
  let stranger: string; // a user of another organisation
  const url = (p = '') => `/api/v1/organisations/${f.org.id}${p}`;
  const patch = (headers: Record<string, string>, payload: object) => app.inject({ method: 'PATCH', url: url(), headers, payload });
  const read = async () => (await app.inject({ url: url(), headers: admin })).json();

  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx(), { name: 'Acme Lead', minResponses: 1 });
    const a = await makeUser(ctx(), { email: `admin-${Math.random().toString(36).slice(2, 8)}@acme.test` });
    await addMembership(ctx().db, { orgId: f.org.id, userId: a.user.id, role: 'admin' });
    admin = await sessionHeaders(ctx(), a.user.id);
    adminEmail = a.email;
    analyst = await authHeaders(ctx(), f.org.id, 'analyst');
    const l = await makeUser(ctx(), { email: `lead-${Math.random().toString(36).slice(2, 8)}@acme.test` });
    await addMembership(ctx().db, { orgId: f.org.id, userId: l.user.id, role: 'viewer' });
    lead = { id: l.user.id, email: l.email };
    const g = await makeOrg(ctx());
    const s = await makeUser(ctx());
    await addMembership(ctx().db, { orgId: g.org.id, userId: s.user.id, role: 'admin' });
    stranger = s.user.id;
    await createCaseRule(ctx().db, f.org.id, { name: 'Detractors', conditions: [{ kind: 'answer', item: 'nps', op: '<=', value: 6 }], slaHours: 24, active: true });
  });
  afterAll(async () => {
    await app.close();
  });

  /** One live answer that opens an unassigned case with no department (no touchpoint), folded now. */
  let n = 0;
  const openCase = async () => {
    await storeResponse(ctx().db, { orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer', submission: { respondentId: `r${++n}`, submittedAt: new Date().toISOString(), touchpoint: null, segments: {}, answers: { nps: 1, excellent: 1 }, comment: null } });
    await foldAll(ctx().db);
  };
  const notified = async () =>
    (await ctx().db.selectFrom('case_notifications').select(['email', 'level']).where('org_id', '=', f.org.id).orderBy('created_at').orderBy('email').execute()).map((r) => [r.level, r.email]);

  it('is null by default, set by an admin to a member, and read back', async () => {
    expect((await read()).cxLeadUserId).toBeNull();
    const r = await patch(admin, { cxLeadUserId: lead.id });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().cxLeadUserId).toBe(lead.id);
    expect((await read()).cxLeadUserId).toBe(lead.id);
    const mine = (await app.inject({ url: '/api/v1/organisations', headers: admin })).json();
    expect(mine.find((o: { id: string }) => o.id === f.org.id)).toBeTruthy();
  });

  it('refuses a non-member or an analyst, naming cxLeadUserId, and writes nothing', async () => {
    for (const who of [stranger, 'u_nobody']) {
      const r = await patch(admin, { name: 'Renamed', cxLeadUserId: who });
      expect(r.statusCode).toBe(422);
      expect(r.json().fields.map((x: { field: string }) => x.field)).toEqual(['cxLeadUserId']);
    }
    const byAnalyst = await patch(analyst, { name: 'Renamed', cxLeadUserId: null });
    expect(byAnalyst.statusCode).toBe(403);
    expect(byAnalyst.json().fields[0].field).toBe('cxLeadUserId');
    const bad = await patch(admin, { cxLeadUserId: 42 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('cxLeadUserId');
    expect(await read()).toMatchObject({ name: 'Acme Lead', cxLeadUserId: lead.id });
    // The analyst may still edit the other settings.
    expect((await patch(analyst, { minResponses: 3 })).statusCode).toBe(200);
  });

  it('escalates to the CX lead, and to the admins once the lead has left the organisation', async () => {
    await openCase();
    // An hour past the 24-hour SLA (step 1 only): no assignee, no department, so it goes up the ladder to the CX lead.
    expect(await escalateDueCases(ctx().db, new Date(Date.now() + 25 * HOUR))).toBe(1);
    expect(await notified()).toEqual([['cx_lead', lead.email]]);

    const removed = await app.inject({ method: 'DELETE', url: url(`/members/${lead.id}`), headers: admin });
    expect(removed.statusCode, removed.body).toBeLessThan(300);
    expect((await read()).cxLeadUserId).toBeNull(); // stops counting: the fallback applies
    await openCase();
    expect(await escalateDueCases(ctx().db, new Date(Date.now() + 25 * HOUR))).toBe(1);
    // The new case's step goes to the admins (the analyst is no admin), not to the former lead.
    expect((await notified()).slice(1)).toEqual([['cx_lead', adminEmail]]);
    // Added back later, the former lead is a member again but not the CX lead: nobody chose them again.
    await addMembership(ctx().db, { orgId: f.org.id, userId: lead.id, role: 'viewer' });
    expect((await read()).cxLeadUserId).toBeNull();
  });
});
