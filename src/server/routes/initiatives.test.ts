// The initiatives API on both engines: CRUD with 4xx naming the field and audit entries, and the effect
// on a seeded change — communication at billing raised by exactly 0.5 after the start while the other
// touchpoints stay flat (DiD = 0.5, its interval covering it), reliability raised by 0.5 everywhere
// (DiD = 0 although the target itself rose), and leaders who lowered their belief by 0.4. Also what
// `parallax initiatives list|show` print (src/cli/initiatives-cli.ts, called in-process over the same
// seeded organisation: a subprocess per command would cost seconds of the suite's budget, and
// src/cli/bin.test.ts covers starting the CLI).
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders, makeUser } from '../../../test/auth-fixture.ts';
import { addMembership } from '../../store/memberships.ts';
import { storeResponses } from '../../store/responses.ts';
import type { Store } from '../../store/db.ts';
import { billingInitiative, seededChange } from '../../../test/initiative-fixture.ts';
import { initiativeShowText, initiativesListText } from '../../cli/initiatives-cli.ts';

describeEngines('initiatives routes', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let analyst: Record<string, string>;
  let viewer: Record<string, string>;
  let ownerEmail: string;
  const url = (path = '') => `/api/v1/organisations/${f.org.id}/initiatives${path}`;
  const post = (payload: unknown, headers = analyst) => app.inject({ method: 'POST', url: url(), headers, payload: payload as object });
  beforeAll(async () => {
    const store: Store = ctx();
    app = await makeApp(store);
    f = await makeOrg(store);
    await storeResponses(store.db, seededChange(f));
    analyst = await authHeaders(store, f.org.id, 'analyst');
    viewer = await authHeaders(store, f.org.id, 'viewer');
    const u = await makeUser(store, { name: 'Billing Lead' });
    await addMembership(store.db, { orgId: f.org.id, userId: u.user.id, role: 'owner', department: 'Finance' });
    ownerEmail = u.email;
  });
  afterAll(() => app.close());

  it('creates, lists, reads, updates and deletes, each write audited', async () => {
    const r = await post({ ...billingInitiative, owner: ownerEmail.toUpperCase() });
    expect(r.statusCode, r.body).toBe(201);
    const created = r.json().initiative;
    expect(created).toMatchObject({ title: 'Plain-language bills', owner: { email: ownerEmail, name: 'Billing Lead' }, windowDays: 90, status: 'active', comparison: null, end: null });
    const list = (await app.inject({ url: url(), headers: viewer })).json();
    expect(list.initiatives.map((i: { id: string }) => i.id)).toContain(created.id);
    const patched = await app.inject({ method: 'PATCH', url: url(`/${created.id}`), headers: analyst, payload: { status: 'completed', end: '2025-06-30' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().initiative).toMatchObject({ status: 'completed', end: '2025-06-30', dimension: 'communication' });
    expect((await app.inject({ url: url(`/${created.id}`), headers: viewer })).json().initiative.status).toBe('completed');
    expect((await app.inject({ method: 'DELETE', url: url(`/${created.id}`), headers: analyst })).statusCode).toBe(204);
    expect((await app.inject({ url: url(`/${created.id}`), headers: viewer })).statusCode).toBe(404);
    const admin = await authHeaders(ctx(), f.org.id, 'admin');
    const audit = (await app.inject({ url: `/api/v1/organisations/${f.org.id}/audit-log`, headers: admin })).body;
    for (const action of ['initiatives.create', 'initiatives.update', 'initiatives.delete']) expect(audit).toContain(action);
  });

  it('refuses bad input with 4xx naming the field and writes nothing', async () => {
    const before = (await app.inject({ url: url(), headers: viewer })).json().initiatives.length;
    const cases: [unknown, number, string][] = [
      [{ ...billingInitiative, dimension: 'ai_readiness' }, 422, 'dimension'],
      [{ ...billingInitiative, touchpoints: ['billing', 'nowhere'] }, 422, 'touchpoints.1'],
      [{ ...billingInitiative, owner: 'stranger@test.example' }, 422, 'owner'],
      [{ ...billingInitiative, start: '2025-13-01' }, 400, 'start'],
      [{ ...billingInitiative, goal: { measure: 'gap', direction: 'increase', size: 1 } }, 400, 'goal'],
      [{ ...billingInitiative, colour: 'red' }, 400, 'colour'],
      [{ ...billingInitiative, end: '2025-01-01' }, 422, 'end'],
    ];
    for (const [body, status, field] of cases) {
      const r = await post(body);
      expect(r.statusCode, r.body).toBe(status);
      expect(r.json().fields.map((x: { field: string }) => x.field).join(' ')).toContain(field);
    }
    expect((await post(billingInitiative, viewer)).statusCode).toBe(403);
    const created = (await post(billingInitiative)).json().initiative;
    const bad = await app.inject({ method: 'PATCH', url: url(`/${created.id}`), headers: analyst, payload: { metric: 'dimension', dimension: 'nothing' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().fields[0].field).toBe('dimension');
    expect((await app.inject({ url: url(`/${created.id}`), headers: viewer })).json().initiative.dimension).toBe('communication');
    expect((await app.inject({ url: url(), headers: viewer })).json().initiatives.length).toBe(before + 1);
  });

  it('measures a change at the target alone: DiD ≈ the seeded 0.5, its interval covering it', async () => {
    const id = (await post({ ...billingInitiative, goal: { measure: 'gap', direction: 'narrow', size: 0.5 } })).json().initiative.id;
    const r = await app.inject({ url: url(`/${id}/effect`), headers: viewer });
    expect(r.statusCode, r.body).toBe(200);
    const { effect, target } = r.json();
    expect(target.where).toBe('at Billing');
    expect(effect.windows).toMatchObject({ months: 3, before: { from: '2025-01', to: '2025-03' }, after: { from: '2025-04', to: '2025-06' } });
    expect(effect.target.before).toMatchObject({ shown: true, n: 60, estimate: 3 });
    expect(effect.target.after.estimate).toBeCloseTo(3.5, 12);
    expect(effect.comparison.touchpoints).not.toContain('billing');
    expect(effect.comparison.change.estimate).toBeCloseTo(0, 12);
    const did = effect.comparison.did;
    expect(did.estimate).toBeCloseTo(0.5, 12);
    expect(did.ci95[0]).toBeLessThan(0.5);
    expect(did.ci95[1]).toBeGreaterThan(0.5);
    expect(did.ci95[0]).toBeGreaterThan(0);
    // Leaders 4.4 → 4.0: the gap (leaders − customers) went from 1.4 to 0.5, −0.9 = ΔL − ΔC = −0.4 − 0.5.
    expect(effect.leaders.change.estimate).toBeCloseTo(-0.4, 12);
    expect(effect.gap.change.estimate).toBeCloseTo(-0.9, 12);
    expect(effect.gap.customerPart).toBeCloseTo(-0.5, 12);
    expect(effect.gap.leaderPart).toBeCloseTo(-0.4, 12);
    expect(effect.goal).toMatchObject({ basis: 'gap-change', size: 0.5 });
    expect(effect.goal.achieved).toBeCloseTo(0.9, 12);
    expect(effect.summary.join(' ')).toMatch(/only if the target would otherwise have moved like the comparison touchpoints/);
  });

  it('measures no effect when everything moved: DiD ≈ 0 although the target rose', async () => {
    const id = (await post({ ...billingInitiative, dimension: 'reliability', comparison: ['app', 'website'] })).json().initiative.id;
    const { effect } = (await app.inject({ url: url(`/${id}/effect`), headers: viewer })).json();
    expect(effect.target.change.estimate).toBeCloseTo(0.5, 12);
    expect(effect.target.change.ci95[0]).toBeGreaterThan(0);
    expect(effect.comparison.did.estimate).toBeCloseTo(0, 12);
    expect(effect.comparison.did.ci95[0]).toBeLessThan(0);
    expect(effect.comparison.did.ci95[1]).toBeGreaterThan(0);
    expect(effect.goal).toMatchObject({ basis: 'difference-in-differences', verdict: 'unclear' });
  });

  it('reports a window without enough answers as too small, and keeps owners out', async () => {
    const id = (await post({ ...billingInitiative, metric: 'excellence', dimension: null, touchpoints: ['renewal'], goal: { measure: 'customers', direction: 'increase', size: 5 } })).json().initiative.id;
    const { effect } = (await app.inject({ url: url(`/${id}/effect`), headers: viewer })).json();
    expect(effect.target.before).toEqual({ shown: false, reason: 'fewer than 5 respondents' });
    expect(effect.comparison.did.shown).toBe(false);
    expect(effect.goal.verdict).toBe('not-measurable');
    const owner = await authHeaders(ctx(), f.org.id, 'owner', { department: 'Finance' });
    expect((await app.inject({ url: url(`/${id}/effect`), headers: owner })).statusCode).toBe(403);
    expect((await app.inject({ url: url('/nope/effect'), headers: viewer })).statusCode).toBe(404);
  });

  it('prints the list and the effect on the CLI', async () => {
    const id = (await post({ ...billingInitiative, title: 'CLI bills' })).json().initiative.id;
    const list = await initiativesListText(ctx(), f.org.id);
    expect(list).toContain(`${id}  active     2025-04-01              CLI bills  (communication at billing; owner `);
    const show = await initiativeShowText(ctx(), f.org.id, id);
    expect(show).toContain('Windows: before 2025-01 – 2025-03, after 2025-04 – 2025-06 (3 months each)');
    expect(show).toMatch(/difference-in-differences\s+\+0\.50 {2}\[0\.\d\d, 0\.\d\d\]/);
    expect(show).toContain('Goal (difference-in-differences): moving');
    expect(JSON.parse(await initiativeShowText(ctx(), f.org.id, id, true)).effect.comparison.did.estimate).toBeCloseTo(0.5, 12);
    await expect(initiativeShowText(ctx(), f.org.id, 'nope')).rejects.toThrow('no initiative "nope"');
  });
});
