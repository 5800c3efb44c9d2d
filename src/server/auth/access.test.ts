// Authorisation through the real API on both engines: each role against each kind of route, with
// exact statuses; nobody reaches another organisation; an owner sees only their touchpoints.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders } from '../../../test/auth-fixture.ts';
import { getFramework } from '../../store/organisations.ts';
import { loadAggregates } from '../../store/report-data.ts';
import { createApiKey } from '../../store/api-keys.ts';

const CALLERS = ['admin', 'analyst', 'owner', 'viewer', 'apiKeyAdmin', 'apiKeyViewer', 'nonMember', 'anonymous', 'otherOrgApiKey'] as const;
type Caller = (typeof CALLERS)[number];
type Matrix = Record<Caller, number>;

/** Expected status per caller: `read` = any member, `setup` = admin + analyst, `admin` = admin. */
const expectFor = (allowed: number, level: 'read' | 'setup' | 'admin'): Matrix => ({
  admin: allowed,
  analyst: level === 'admin' ? 403 : allowed,
  owner: level === 'read' ? allowed : 403,
  viewer: level === 'read' ? allowed : 403,
  apiKeyAdmin: allowed,
  apiKeyViewer: level === 'read' ? allowed : 403,
  nonMember: 404, // as if the organisation did not exist
  anonymous: 401,
  otherOrgApiKey: 404,
});

describeEngines('authorisation', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let other: OrgFixture;
  const h = {} as Record<Caller, Record<string, string>>;
  let n = 0;

  beforeAll(async () => {
    const store = ctx();
    app = await makeApp(store);
    f = await makeOrg(store);
    other = await makeOrg(store);
    h.admin = await authHeaders(store, f.org.id, 'admin');
    h.analyst = await authHeaders(store, f.org.id, 'analyst');
    h.owner = await authHeaders(store, f.org.id, 'owner', { department: 'Support' });
    h.viewer = await authHeaders(store, f.org.id, 'viewer');
    h.apiKeyAdmin = await authHeaders(store, f.org.id, 'admin', { via: 'apiKey' });
    h.apiKeyViewer = await authHeaders(store, f.org.id, 'viewer', { via: 'apiKey' });
    h.nonMember = await authHeaders(store, other.org.id, 'admin'); // an admin — of another organisation
    h.anonymous = {};
    h.otherOrgApiKey = await authHeaders(store, other.org.id, 'admin', { via: 'apiKey' });
  });
  afterAll(() => app.close());

  const org = (p: string) => `/api/v1/organisations/${f.org.id}${p}`;

  /** Runs one request per caller; `make` builds it fresh (unique e-mails etc.). */
  async function matrix(make: () => { method: string; url: string; payload?: unknown }): Promise<Matrix> {
    const out = {} as Matrix;
    for (const c of CALLERS) {
      const req = make();
      out[c] = (await app.inject({ ...(req as any), headers: h[c] })).statusCode;
    }
    return out;
  }

  it('read a report: every member and API key of the organisation', async () => {
    expect(await matrix(() => ({ method: 'GET', url: org('/reports/gap') }))).toEqual(expectFor(200, 'read'));
    expect(await matrix(() => ({ method: 'GET', url: org('/framework') }))).toEqual(expectFor(200, 'read'));
  });

  it('edit the framework, the journey, a survey, the settings: admin and analyst', async () => {
    const dimensions = await getFramework(ctx().db, f.org.id);
    const journey = (await app.inject({ url: org('/journey'), headers: h.viewer })).json();
    expect(await matrix(() => ({ method: 'PUT', url: org('/framework'), payload: { dimensions } }))).toEqual(expectFor(200, 'setup'));
    expect(await matrix(() => ({ method: 'PUT', url: org('/journey'), payload: journey }))).toEqual(expectFor(200, 'setup'));
    expect(await matrix(() => ({ method: 'PATCH', url: org(`/surveys/${f.customerSurvey}`), payload: { active: true } }))).toEqual(expectFor(200, 'setup'));
    expect(await matrix(() => ({ method: 'PATCH', url: org(''), payload: { minResponses: 5 } }))).toEqual(expectFor(200, 'setup'));
  });

  it('manage members and API keys: admin only', async () => {
    expect(await matrix(() => ({ method: 'GET', url: org('/members') }))).toEqual(expectFor(200, 'admin'));
    expect(await matrix(() => ({ method: 'POST', url: org('/members'), payload: { email: `m${++n}@matrix.example`, role: 'viewer' } }))).toEqual(
      expectFor(202, 'admin'),
    );
    expect(await matrix(() => ({ method: 'GET', url: org('/invitations') }))).toEqual(expectFor(200, 'admin'));
    expect(await matrix(() => ({ method: 'GET', url: org('/api-keys') }))).toEqual(expectFor(200, 'admin'));
    expect(await matrix(() => ({ method: 'POST', url: org('/api-keys'), payload: { name: `k${++n}`, role: 'viewer' } }))).toEqual(expectFor(201, 'admin'));
  });

  it('create an organisation: any logged-in user, not an API key', async () => {
    const r = await matrix(() => ({ method: 'POST', url: '/api/v1/organisations', payload: { name: `Made ${++n}`, industry: 'other' } }));
    expect(r).toEqual({ admin: 201, analyst: 201, owner: 201, viewer: 201, apiKeyAdmin: 403, apiKeyViewer: 403, nonMember: 201, anonymous: 401, otherOrgApiKey: 403 });
  });

  it('public routes need no caller: survey definition, response submission, OpenAPI, login', async () => {
    expect((await app.inject(`/api/v1/surveys/${f.customerSurvey}`)).statusCode).toBe(200);
    const sub = await app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses`, payload: { answers: { excellent: 4 } } });
    expect(sub.statusCode).toBe(201);
    expect((await app.inject('/api/v1/openapi.json')).statusCode).toBe(200);
    expect((await app.inject(`/s/${f.customerSurvey}`)).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'x@y.example', password: 'whatever-it-is' } })).statusCode).toBe(401);
  });

  it('a refused write changes nothing', async () => {
    const before = await getFramework(ctx().db, f.org.id);
    const changed = { dimensions: before.map((d) => ({ ...d, label: `${d.label} (edited)` })) };
    for (const c of ['owner', 'viewer', 'apiKeyViewer', 'nonMember', 'anonymous', 'otherOrgApiKey'] as const) {
      const r = await app.inject({ method: 'PUT', url: org('/framework'), payload: changed, headers: h[c] });
      expect(r.statusCode, c).toBeGreaterThanOrEqual(401);
    }
    expect(await getFramework(ctx().db, f.org.id)).toEqual(before);
    const off = await app.inject({ method: 'PATCH', url: org(`/surveys/${f.customerSurvey}`), payload: { active: false }, headers: h.viewer });
    expect(off.statusCode).toBe(403);
    expect(off.json().message).toContain('(viewer)');
    expect((await app.inject(`/api/v1/surveys/${f.customerSurvey}`)).json().active).toBe(true);
  });

  it('refuses cross-organisation access the same way as a missing organisation', async () => {
    const store = ctx();
    const a = await makeOrg(store);
    const b = await makeOrg(store);
    const adminOfA = await authHeaders(store, a.org.id, 'admin');
    const keyOfA = await authHeaders(store, a.org.id, 'admin', { via: 'apiKey' });
    const bFramework = await getFramework(store.db, b.org.id);
    for (const who of [adminOfA, keyOfA]) {
      const read = await app.inject({ url: `/api/v1/organisations/${b.org.id}/reports/gap`, headers: who });
      expect(read.statusCode).toBe(404);
      expect(read.json().message).toBe(`organisation "${b.org.id}" not found`);
      const missing = await app.inject({ url: '/api/v1/organisations/no-such-org/reports/gap', headers: who });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().message).toBe('organisation "no-such-org" not found');
      const write = await app.inject({
        method: 'PUT',
        url: `/api/v1/organisations/${b.org.id}/framework`,
        payload: { dimensions: bFramework.map((d) => ({ ...d, label: 'hijacked' })) },
        headers: who,
      });
      expect(write.statusCode).toBe(404);
      for (const p of ['/members', '/api-keys', '/journey', '/surveys', '']) {
        expect((await app.inject({ url: `/api/v1/organisations/${b.org.id}${p}`, headers: who })).statusCode, p).toBe(404);
      }
      const addMe = await app.inject({ method: 'POST', url: `/api/v1/organisations/${b.org.id}/members`, payload: { email: 'me@a.example', role: 'admin' }, headers: who });
      expect(addMe.statusCode).toBe(404);
    }
    expect(await getFramework(store.db, b.org.id)).toEqual(bFramework);
    // Survey ids of B are capabilities for respondents, but not a way into B's set-up.
    const toggle = await app.inject({ method: 'PATCH', url: `/api/v1/organisations/${a.org.id}/surveys/${b.customerSurvey}`, payload: { active: false }, headers: adminOfA });
    expect(toggle.statusCode).toBe(404);
    expect((await app.inject(`/api/v1/surveys/${b.customerSurvey}`)).json().active).toBe(true);
  });

  it('lists only the caller\'s organisations, with the role in each (a consultant in two)', async () => {
    const store = ctx();
    const a = await makeOrg(store, { name: 'Alpha client' });
    const b = await makeOrg(store, { name: 'Beta client' });
    const consultant = await authHeaders(store, a.org.id, 'analyst');
    const me = (await app.inject({ url: '/api/v1/auth/me', headers: consultant })).json();
    const admin = await authHeaders(store, b.org.id, 'admin');
    const add = await app.inject({ method: 'POST', url: `/api/v1/organisations/${b.org.id}/members`, payload: { email: me.user.email, role: 'viewer' }, headers: admin });
    expect(add.statusCode).toBe(202);
    // The consultant joins B by accepting the invitation while logged in as themselves.
    const token = add.json().acceptUrl.split('/').pop();
    expect((await app.inject({ method: 'POST', url: `/api/v1/invitations/${token}/accept`, payload: {}, headers: consultant })).statusCode).toBe(200);
    const list = (await app.inject({ url: '/api/v1/organisations', headers: consultant })).json();
    expect(list.map((o: { id: string; role: string }) => [o.id, o.role])).toEqual([
      [a.org.id, 'analyst'],
      [b.org.id, 'viewer'],
    ]);
    expect((await app.inject({ url: `/api/v1/organisations/${b.org.id}/reports/gap`, headers: consultant })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/v1/organisations/${b.org.id}/framework`, headers: consultant })).statusCode).toBe(200);
    const key = (await app.inject({ url: '/api/v1/organisations', headers: h.apiKeyViewer })).json();
    expect(key.map((o: { id: string; role: string }) => [o.id, o.role])).toEqual([[f.org.id, 'viewer']]);
    expect((await app.inject({ url: '/api/v1/organisations' })).statusCode).toBe(401);
  });

  it('shows an owner only the touchpoints their department owns, whatever the query asks', async () => {
    const store = ctx();
    const g = await makeOrg(store);
    // Support owns help_centre and contact_centre in the default journey.
    const plan: [string, number][] = [['help_centre', 6], ['contact_centre', 5], ['app', 9], ['billing', 7]];
    // Back-dated: an API key's submission (the public may not send submittedAt).
    const trusted = { authorization: `Bearer ${(await createApiKey(store.db, { orgId: g.org.id, name: 'import', role: 'analyst' })).secret}` };
    for (const [touchpoint, count] of plan)
      for (let i = 0; i < count; i++) {
        const r = await app.inject({
          method: 'POST',
          url: `/api/v1/surveys/${g.customerSurvey}/responses`,
          headers: trusted,
          payload: { submittedAt: '2025-05-05T10:00:00Z', touchpoint, answers: { excellent: 1 + (i % 5) } },
        });
        expect(r.statusCode).toBe(201);
      }
    const url = `/api/v1/organisations/${g.org.id}/reports/gap`;
    const support = await authHeaders(store, g.org.id, 'owner', { department: 'Support' });
    const direct = await loadAggregates(store.db, g.org.id, { touchpoints: ['help_centre', 'contact_centre'] });
    expect(direct.customers.respondents).toBe(11);
    const own = (await app.inject({ url, headers: support })).json();
    expect(own.headline.customers.n).toBe(direct.customers.respondents);
    expect(own.filters.touchpoints).toEqual(['help_centre', 'contact_centre']);
    // Asking for another department's touchpoint narrows to nothing rather than widening.
    const sneaky = (await app.inject({ url: `${url}?touchpoint=app&touchpoint=help_centre`, headers: support })).json();
    expect(sneaky.headline.customers.n).toBe(6);
    const none = (await app.inject({ url: `${url}?touchpoint=app`, headers: support })).json();
    expect(none.headline.customers).toEqual({ suppressed: true, reason: 'fewer than 5 respondents' });
    expect(none.responses.customers).toBeNull();
    // A viewer sees every touchpoint.
    const viewer = (await app.inject({ url, headers: await authHeaders(store, g.org.id, 'viewer') })).json();
    expect(viewer.headline.customers.n).toBe(27);
    // Other report routes build their filters the same way: a breakdown shows the owner's rows only.
    const rows = (await app.inject({ url: `/api/v1/organisations/${g.org.id}/reports/breakdown?by=touchpoint`, headers: support })).json().rows;
    expect(rows.map((x: { value: string }) => x.value)).toEqual(['help_centre', 'contact_centre']);
    // An owner of a department that owns nothing sees no customers at all.
    const nobody = (await app.inject({ url, headers: await authHeaders(store, g.org.id, 'owner', { department: 'Legal' }) })).json();
    expect(nobody.responses.customers).toBeNull();
  });
});
