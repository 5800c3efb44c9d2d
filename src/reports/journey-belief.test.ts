// Leaders' belief by touchpoint (issue 11) on both engines, on a seeded history whose shares are known:
// Product's six leaders predict the app (mean 73.3 %) where 18 of 50 customers call it excellent; Finance's
// three predictions of billing are withheld (below the minimum of 5); nobody predicted the website; the
// welcome touchpoint has too few customers. Through the report and through the API (zod serializer, OpenAPI).
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { authHeaders } from '../../test/auth-fixture.ts';
import { fillJourneyBelief } from '../../test/journey-belief-fixture.ts';
import { journeyBeliefFor } from './journey-belief.ts';
import { breakdownFor } from './breakdown.ts';

describeEngines('journey-belief report', (ctx) => {
  let f: OrgFixture;
  let app: FastifyInstance;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    app = await makeApp(ctx());
    await fillJourneyBelief(ctx(), f); // test/journey-belief-fixture.ts: the history the header describes
  });
  afterAll(() => app.close());

  it("sets the leaders' mean prediction (t interval) beside customers' share (Wilson) with a MOVER gap", async () => {
    const r = (await journeyBeliefFor(ctx().db, f.org.id, {}))!;
    expect(r.touchpoints.map((t) => t.key)).toEqual(['advertising', 'website', 'pricing', 'checkout', 'welcome', 'app', 'billing', 'help_centre', 'contact_centre', 'renewal']);
    const app = r.touchpoints.find((t) => t.key === 'app')!;
    expect(app.department).toBe('Product');
    if (!app.believed || 'suppressed' in app.believed || 'suppressed' in app.actual) throw new Error(JSON.stringify(app));
    // Reference values (scipy 1.17.1):
    //   p = np.array([60,70,80,75,65,90]); m = p.mean()/100; st.t.interval(.95, 5, loc=p.mean(), scale=st.sem(p)) / 100
    //   ci = st.binomtest(18, 50).proportion_ci(method='wilson')
    //   d = m - .36; lo = d - np.hypot(m - l1, u2 - .36); hi = d + np.hypot(u1 - m, .36 - l2)
    expect(app.believed.n).toBe(6);
    expect(app.believed.mean).toBeCloseTo(0.7333333333333333, 10);
    expect(app.believed.sd).toBeCloseTo(0.10801234497346433, 10);
    expect(app.believed.ci95![0]).toBeCloseTo(0.6199813289694399, 8);
    expect(app.believed.ci95![1]).toBeCloseTo(0.8466853376972268, 8);
    expect(app.actual.n).toBe(50);
    expect(app.actual.share).toBeCloseTo(0.36, 12);
    expect(app.actual.ci95[0]).toBeCloseTo(0.2413874965184674, 6);
    expect(app.actual.ci95[1]).toBeCloseTo(0.4985898312388731, 6);
    expect(app.gap!).toBeCloseTo(0.3733333333333333, 10);
    expect(app.gapCi![0]).toBeCloseTo(0.1942919464527256, 6);
    expect(app.gapCi![1]).toBeCloseTo(0.5373991825386712, 6);
  });

  it('withholds what the anonymity rule withholds and says when nobody predicted a touchpoint', async () => {
    const r = (await journeyBeliefFor(ctx().db, f.org.id, {}))!;
    const tp = (k: string) => r.touchpoints.find((t) => t.key === k)!;
    // Three Finance leaders: below the minimum of 5, so their mean is not shown (nor the gap).
    expect(tp('billing').believed).toEqual({ suppressed: true, reason: 'fewer than 5 leaders predicted this touchpoint' });
    expect(tp('billing').actual).toMatchObject({ n: 12, share: 0.25 });
    expect(tp('billing').gap).toBeNull();
    expect(tp('website').believed).toBeNull();
    expect(tp('website').actual).toMatchObject({ n: 8, share: 0.5 });
    expect(tp('welcome').actual).toMatchObject({ suppressed: true });
    expect(tp('welcome').gapCi).toBeNull();
    // The customers' side is the breakdown by touchpoint's, figure for figure.
    const b = (await breakdownFor(ctx().db, f.org.id, {}, 'touchpoint', false))!;
    for (const row of b.rows) expect(tp(row.value).actual).toEqual(row.customers);
  });

  it('is served at reports/journey-belief, checked by its schema, narrowed by the filters, in the OpenAPI document', async () => {
    const viewer = await authHeaders(ctx(), f.org.id, 'viewer');
    const url = `/api/v1/organisations/${f.org.id}/reports/journey-belief`;
    const res = await app.inject({ url, headers: viewer });
    expect(res.statusCode).toBe(200);
    expect(res.json().touchpoints).toHaveLength(10);
    const one = (await app.inject({ url: `${url}?touchpoint=app`, headers: viewer })).json();
    expect(one.touchpoints.map((t: { key: string }) => t.key)).toEqual(['app']);
    expect(one.touchpoints[0].believed.n).toBe(6);
    const bad = await app.inject({ url: `${url}?from=2025-13`, headers: viewer });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('from');
    expect((await app.inject({ url })).statusCode).toBe(401);
    const doc = (await app.inject('/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths)).toContain('/api/v1/organisations/{org}/reports/journey-belief');
  });
});
