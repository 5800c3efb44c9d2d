// Calibration over time through the API on both engines: a seeded history whose leaders' over-confidence
// shrinks, checked against numpy/scipy; the withheld waves (below the minimum, and the secondary one);
// months nested in quarters; bad parameters as 400 naming the field.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders } from '../../../test/auth-fixture.ts';
import { fillWaves } from '../../../test/calibration-waves-fixture.ts';
import { WITHHELD_WITH_OTHERS, fewerLeaders } from '../../core/analytics/calibration-waves.ts';

// Reference (numpy 2.4 / scipy 1.17.1), the five shown waves j = 0…4:
//   import numpy as np, scipy.stats as st
//   x=np.arange(5); p=np.array([30,33,27,30,36])/60; m=75-4*x; y=m-100*p
//   var=56/6+1e4*p*(1-p)/60; w=1/var                     # Var(signed error), weights = information
//   X=np.column_stack([np.ones(5),x]); cov=np.linalg.inv((X.T*w)@X); b=cov@(X.T*w)@y
//   se=np.sqrt(cov[1,1]); b[1], b[1]+np.array([-1,1])*st.norm.ppf(.975)*se, 2*st.norm.sf(abs(b[1]/se))
//   np.average(y, weights=w)
//   # wave 0's MOVER interval: t = st.t.ppf(.975,5)*np.sqrt(56/6); (l1,u1) = 75∓t
//   # ci = st.binomtest(30,60).proportion_ci(method='wilson'); (l2,u2) = 100*ci
//   # 25 - np.sqrt((75-l1)**2+(u2-50)**2), 25 + np.sqrt((u1-75)**2+(50-l2)**2)
//   # monthly: the same with X[:,1] = 3*x
const REF = {
  errors: [25, 16, 22, 13, -1],
  variances: [51, 50.58333333333333, 50.58333333333333, 51, 49.333333333333336],
  slope: -5.52948213888276,
  ci95: [-9.92446228, -1.134502],
  p: 0.013666910804789397,
  meanError: 14.906016156228302,
  wave0: { predicted: [67.14674277207871, 82.85325722792129], actual: [37.73502424155577, 62.26497575844423], ci95: [10.436234022646389, 39.56376597735361] },
  slopePerMonth: -1.8431607129609173,
};

describeEngines('calibration-trend route', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let viewer: Record<string, string>;
  const get = (query = '', headers = viewer) => app.inject({ url: `/api/v1/organisations/${f.org.id}/reports/calibration-trend${query}`, headers });
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx());
    await fillWaves(ctx(), f);
    viewer = await authHeaders(ctx(), f.org.id, 'viewer');
  });
  afterAll(() => app.close());

  it('gives each quarterly wave against its own customers and the trend, as numpy/scipy do', async () => {
    const r = await get();
    expect(r.statusCode).toBe(200);
    const j = r.json();
    expect(j.by).toBe('quarter');
    expect(j.waves.map((w: { period: string }) => w.period)).toEqual(['2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    // 2 leaders in 2024-Q2: withheld; then 2 withheld leaders could be all leaders minus the shown waves,
    // so the smallest shown wave (2024-Q3, 5 leaders) is withheld with it. Neither shows a figure.
    expect(j.waves[0]).toEqual({ period: '2024-Q2', suppressed: true, reason: fewerLeaders(5) });
    expect(j.waves[1]).toEqual({ period: '2024-Q3', suppressed: true, reason: WITHHELD_WITH_OTHERS });
    const shown = j.waves.slice(2);
    shown.forEach((w: { leaders: number; customers: number; headline: { signedError: number; absoluteError: number; variance: number } }, i: number) => {
      expect(w.leaders).toBe(6);
      expect(w.customers).toBe(60);
      expect(w.headline.signedError).toBeCloseTo(REF.errors[i]!, 10);
      expect(w.headline.absoluteError).toBeCloseTo(Math.abs(REF.errors[i]!), 10);
      expect(w.headline.variance).toBeCloseTo(REF.variances[i]!, 10);
    });
    const h0 = shown[0].headline;
    expect(h0.predicted.mean).toBe(75);
    expect(h0.predicted.ci95[0]).toBeCloseTo(REF.wave0.predicted[0]!, 8);
    expect(h0.predicted.ci95[1]).toBeCloseTo(REF.wave0.predicted[1]!, 8);
    expect(h0.actual.share).toBeCloseTo(50, 10);
    expect(h0.actual.ci95[0]).toBeCloseTo(REF.wave0.actual[0]!, 8);
    expect(h0.actual.ci95[1]).toBeCloseTo(REF.wave0.actual[1]!, 8);
    expect(h0.ci95[0]).toBeCloseTo(REF.wave0.ci95[0]!, 8);
    expect(h0.ci95[1]).toBeCloseTo(REF.wave0.ci95[1]!, 8);
    // MAE of the individual predictions (offsets ±10, ±6, ±2 around 75, actual 50): mean |25 + o| = 25.
    expect(h0.mae).toBeCloseTo(25, 10);
    expect(shown.map((w: { dimensionsMae: number }) => w.dimensionsMae)).toEqual([1, 1, 0.5, 0.5, 0.5]);
    expect(j.trend.waves).toBe(5);
    expect(j.trend.perPeriod).toBeCloseTo(REF.slope, 10);
    expect(j.trend.ci95[0]).toBeCloseTo(REF.ci95[0]!, 7);
    expect(j.trend.ci95[1]).toBeCloseTo(REF.ci95[1]!, 7);
    expect(j.trend.pValue).toBeCloseTo(REF.p, 6);
    expect(j.trend.meanError).toBeCloseTo(REF.meanError, 10);
    expect(j.trend.direction).toBe('shrinking');
    expect(j.sentence).toBe("Leaders' over-confidence is shrinking by about 5.5 points a quarter (95 % CI 1.1 to 9.9).");
  });

  it('by month: the same waves, months decided inside their quarters, the slope per month', async () => {
    const j = (await get('?by=month')).json();
    expect(j.waves.map((w: { period: string; suppressed?: boolean }) => `${w.period}${w.suppressed ? ' withheld' : ''}`)).toEqual([
      '2024-05 withheld', '2024-08 withheld', '2024-11', '2025-02', '2025-05', '2025-08', '2025-11',
    ]);
    expect(j.waves[1].reason).toBe(WITHHELD_WITH_OTHERS);
    expect(j.trend.perPeriod).toBeCloseTo(REF.slopePerMonth, 10);
    expect(j.trend.pValue).toBeCloseTo(REF.p, 6);
    expect(j.sentence).toMatch(/^Leaders' over-confidence is shrinking by about 1\.8 points a month/);
  });

  it('a period filter: too few waves for a trend, said so', async () => {
    const j = (await get('?from=2025-05')).json();
    // With a period filter the leaders' month table must be safe (core/anonymity.ts); here it is not.
    expect(j.suppressed.leaders).toMatch(/leaders are too few per month/);
    expect(j.waves.every((w: { suppressed?: boolean }) => w.suppressed)).toBe(true);
    expect(j.trend).toBeNull();
    expect(j.sentence).toBe('Too few waves to tell whether leadership is learning: 0 shown, at least 3 needed.');
  });

  it('rejects bad parameters naming the field, and is in the OpenAPI document', async () => {
    for (const [q, field] of [['?by=week', 'by'], ['?from=2025-13', 'from'], ['?from=2025-06&to=2025-01', 'from'], ['?group=function', 'group']] as const) {
      const r = await get(q);
      expect(r.statusCode, q).toBe(400);
      expect(JSON.stringify(r.json()), q).toContain(field);
    }
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toContain('/api/v1/organisations/{org}/reports/calibration-trend');
    expect((await get('', {})).statusCode).toBe(401);
  });
});
