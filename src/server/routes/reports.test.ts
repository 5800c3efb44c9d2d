// The gap report through the real path (API submissions → cells → report) on both engines, with
// reference figures computed independently (numpy/scipy; see src/core/gap-report.test.ts).
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders } from '../../../test/auth-fixture.ts';
import { createLeaderLinks } from '../../store/leader-links.ts';
import { createApiKey } from '../../store/api-keys.ts';
import { replaceSegmentDeclarations } from '../../store/segments.ts';

const rep = (v: number, n: number) => Array<number>(n).fill(v);
const L_EXC = [...rep(5, 6), ...rep(4, 2), ...rep(3, 2)];
const C_EXC = [...rep(5, 3), ...rep(4, 5), ...rep(3, 12), ...rep(2, 10), ...rep(1, 5)];
const L_REL = [5, 4, 4, 5, 4, 3, 4, 5, 4, 4];
const C_REL = [3, 2, 4, 3, 3, 2, 1, 3, 4, 5, 2, 3, 3, 2, 3, 4, 3, 2, 2, 3];
const PRED = [70, 80, 60, 75, 90, 65, 70, 85, 50, 60];

describeEngines('GET /api/v1/organisations/:org/reports/gap', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let h: Record<string, string>; // a viewer's session: reading reports needs no more
  const get = (q = '') => app.inject({ url: `/api/v1/organisations/${f.org.id}/reports/gap${q}`, headers: h });
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx());
    h = await authHeaders(ctx(), f.org.id, 'viewer');
    // Back-dated submissions need a trusted caller (an API key), and segments a declaration (issue 7, holes 2 and 4).
    const trusted = { authorization: `Bearer ${(await createApiKey(ctx().db, { orgId: f.org.id, name: 'import', role: 'analyst' })).secret}` };
    await replaceSegmentDeclarations(ctx().db, f.org.id, [{ key: 'region', label: 'Region', public: true, kind: 'values', values: ['EMEA', 'APAC'].map((v) => ({ value: v, label: v })) }]);
    // Leaders answer through personal, single-use links (issue 7, hole 5).
    const links = await createLeaderLinks(ctx().db, { orgId: f.org.id, createdBy: 'test', count: L_EXC.length });
    for (let i = 0; i < L_EXC.length; i++) {
      const r = await app.inject({
        method: 'POST',
        url: `/api/v1/surveys/${f.leaderSurvey}/responses`,
        headers: { 'x-leader-token': links[i]!.token, ...trusted },
        payload: { submittedAt: '2025-01-15T10:00:00Z', answers: { excellent: L_EXC[i], 'dim:reliability': L_REL[i], 'predict:excellent_share': PRED[i] } },
      });
      expect(r.statusCode).toBe(201);
    }
    for (let i = 0; i < C_EXC.length; i++) {
      const answers: Record<string, number> = { excellent: C_EXC[i]! };
      if (i < C_REL.length) answers['dim:reliability'] = C_REL[i]!;
      const r = await app.inject({
        method: 'POST',
        url: `/api/v1/surveys/${f.customerSurvey}/responses`,
        headers: trusted,
        payload: {
          // 20 in February in EMEA at the app, 15 in March in APAC at billing
          submittedAt: i < 20 ? '2025-02-10T10:00:00Z' : '2025-03-10T10:00:00Z',
          touchpoint: i < 20 ? 'app' : 'billing',
          segments: { region: i < 20 ? 'EMEA' : 'APAC' },
          answers,
        },
      });
      expect(r.statusCode).toBe(201);
    }
  });
  afterAll(() => app.close());

  it('reports the headline gap, Welch dimension gap and calibration matching the reference values', async () => {
    const r = await get();
    expect(r.statusCode).toBe(200);
    const j = r.json();
    expect(j.headline.leaders.n).toBe(10);
    expect(j.headline.customers.n).toBe(35);
    expect(j.headline.pValue).toBeCloseTo(0.000870877964035887, 8); // scipy: 2*norm.sf(3.3292257121385647)
    const rel = j.dimensions.find((d: { key: string }) => d.key === 'reliability');
    expect(rel.t).toBeCloseTo(4.670395960215456, 8); // scipy ttest_ind(equal_var=False)
    expect(rel.df).toBeCloseTo(25.146847885430564, 8);
    expect(j.calibration.maeExcellenceShare).toBeCloseTo(47.642857142857146, 9);
    expect(j.responses).toEqual({ customers: 35, leaders: 10 });
  });

  it('filters customers by segment, touchpoint and period; leaders stay in for customer-only filters', async () => {
    const emea = (await get('?where=segment:region=EMEA')).json();
    expect(emea.headline.customers.n).toBe(20);
    expect(emea.headline.leaders.n).toBe(10);
    // First 20 customer answers to "excellent": 3×5, 5×4, 12×3 → 8 agree
    expect(emea.headline.customers.share).toBeCloseTo(8 / 20, 12);
    const billing = (await get('?touchpoint=billing')).json();
    expect(billing.headline.customers.n).toBe(15);
    expect(billing.headline.customers.share).toBe(0);
    const march = (await get('?from=2025-03&to=2025-03')).json();
    expect(march.headline.customers.n).toBe(15);
    // Leaders answered in January: outside the period, so suppressed (0 < 5)
    expect(march.headline.leaders).toEqual({ suppressed: true, reason: 'fewer than 5 respondents' });
  });

  it('suppresses groups under the minimum and never shows their figures', async () => {
    const tiny = (await get('?where=segment:region=Mars')).json();
    expect(tiny.headline.customers).toEqual({ suppressed: true, reason: 'fewer than 5 respondents' });
    expect(tiny.nps).toHaveProperty('suppressed', true);
    expect(tiny.responses.customers).toBeNull();
  });

  it('rejects bad filters with 400 naming the field', async () => {
    const r = await get('?from=2025-13');
    expect(r.statusCode).toBe(400);
    expect(r.json().fields[0].field).toBe('from');
    const w = await get('?where=colour=red');
    expect(w.statusCode).toBe(400);
    expect(w.json().message).toContain('unknown filter "colour"');
    expect((await app.inject({ url: '/api/v1/organisations/nope/reports/gap', headers: h })).statusCode).toBe(404);
  });
});
