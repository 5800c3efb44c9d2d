// The analytics routes on both engines: response shapes (validated by the zod serializer), the figures
// handed through from the store, bad parameters as 400 naming the field, access per role.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders } from '../../../test/auth-fixture.ts';
import { demoHistory } from '../../sample-data/demo-history.ts';
import { getFramework, getJourney } from '../../store/organisations.ts';
import { storeResponses } from '../../store/responses.ts';
import { gapReportFor } from '../../reports/gap.ts';
import type { Store } from '../../store/db.ts';

async function fill(store: Store, f: OrgFixture, customers: number, leaders: number, seed: number) {
  const [framework, journey] = await Promise.all([getFramework(store.db, f.org.id), getJourney(store.db, f.org.id)]);
  const history = demoHistory({ framework, journey, customers, leaders, seed, now: new Date('2025-12-15T12:00:00Z') });
  await storeResponses(
    store.db,
    history.map((h) => ({ orgId: f.org.id, surveyId: h.perspective === 'customer' ? f.customerSurvey : f.leaderSurvey, perspective: h.perspective, submission: h.submission })),
  );
}

describeEngines('analytics routes', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let viewer: Record<string, string>;
  const get = (path: string, headers = viewer) => app.inject({ url: `/api/v1/organisations/${f.org.id}/reports/${path}`, headers });
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx(), { industry: 'grocery' });
    await fill(ctx(), f, 1500, 40, 7);
    viewer = await authHeaders(ctx(), f.org.id, 'viewer');
  });
  afterAll(() => app.close());

  it('trend: monthly points, the gap slope over the leaders\' quarterly waves, and the customer slope', async () => {
    const r = await get('trend');
    expect(r.statusCode).toBe(200);
    const j = r.json();
    expect(j.period).toBe('month');
    expect(j.points).toHaveLength(18);
    expect(j.points[0].period).toBe('2024-07');
    // The demo's leaders answer in quarterly waves (last month of each quarter, 6–7 leaders each):
    // those months show both sides and give the gap slope; the others show customers only.
    const both = j.points.filter((p: { leaders: { suppressed?: boolean } }) => !p.leaders.suppressed).map((p: { period: string }) => p.period);
    expect(both).toEqual(['2024-09', '2024-12', '2025-03', '2025-06', '2025-09', '2025-12']);
    expect(j.suppressed.leaders).toBeNull();
    expect(j.slope.periods).toBe(6);
    expect(j.customerTrend.periods).toBe(18);
    expect(j.leadersOverall.n).toBe(40);
    const n = j.points.reduce((s: number, p: { customers: { n: number } }) => s + p.customers.n, 0);
    expect(n).toBe(1500);
    const q = (await get('trend?period=quarter&touchpoint=app')).json();
    expect(q.period).toBe('quarter');
    expect(q.points[0].period).toBe('2024-Q3');
  });

  it('drivers: relative weights summing to R², touchpoints and the quadrant', async () => {
    const j = (await get('drivers?outcome=nps')).json();
    expect(j.outcome).toBe('nps');
    expect(j.model.completeCases).toBeGreaterThan(900);
    const sum = j.dimensions.reduce((s: number, d: { importance: number }) => s + d.importance, 0);
    expect(sum).toBeCloseTo(j.model.rSquared, 12);
    expect(j.dimensions.filter((d: { critical: boolean }) => d.critical).length).toBeGreaterThan(0);
    expect(j.touchpoints.rows).toHaveLength(10);
    expect(j.touchpoints.rows.reduce((s: number, t: { importance: number }) => s + t.importance, 0)).toBeCloseTo(j.touchpoints.etaSquared, 12);
  });

  it('calibration: team, groups pooled below the minimum, anonymous leaders', async () => {
    const j = (await get('calibration')).json();
    expect(j.groupBy).toBe('function');
    expect(j.team.leaders).toBe(40);
    expect(j.team.direction).toBe('over-confident');
    const total = j.groups.reduce((s: number, g: { leaders: number }) => s + g.leaders, 0);
    expect(total).toBe(40);
    expect(j.groups.every((g: { leaders: number }) => g.leaders >= 5)).toBe(true);
    expect(j.leaders.identified).toBe(40);
    // The spread of leaders, never a row per leader (issue 7, hole 5).
    expect(j.leaders.bands.reduce((s: number, b: { leaders: number }) => s + b.leaders, 0)).toBe(40);
    expect(j.leaders.bands.every((b: { leaders: number }) => b.leaders >= 5)).toBe(true);
    expect(j.leaders.quartiles.dimensionsMae.q1).toBeLessThanOrEqual(j.leaders.quartiles.dimensionsMae.q3);
    expect(j.leaders).not.toHaveProperty('ranked');
    expect(j.you).toBeNull(); // the viewer did not answer the leader survey
    expect(JSON.stringify(j.leaders)).not.toContain('leader-');
    // The team's headline error is the gap report's calibration error.
    const gap = (await gapReportFor(ctx().db, f.org.id, {}))!;
    if ('suppressed' in gap.calibration) throw new Error('suppressed');
    expect(j.team.excellenceMae).toBeCloseTo(gap.calibration.maeExcellenceShare, 10);
    expect(j.team.brier).toBeCloseTo(gap.calibration.brier, 12);
  });

  it('breakdown: one row per touchpoint with stage and owner, adjusted p-values', async () => {
    const j = (await get('breakdown?by=touchpoint&dimensions=true')).json();
    expect(j.suppressed).toBeNull();
    expect(j.rows.map((r: { value: string }) => r.value)).toEqual(['advertising', 'website', 'pricing', 'checkout', 'welcome', 'app', 'billing', 'help_centre', 'contact_centre', 'renewal']);
    const cc = j.rows.find((r: { value: string }) => r.value === 'contact_centre');
    expect(cc).toMatchObject({ label: 'Contact centre', stage: 'support', stageLabel: 'Support', department: 'Support' });
    expect(cc.gapTest.holm).toBeGreaterThanOrEqual(cc.gapTest.pValue);
    expect(cc.dimensions.reliability.customers.n).toBeGreaterThan(0);
    expect(j.tests).toBe(10 * 2 + 10 * 9);
    const seg = (await get('breakdown?by=segment:region')).json();
    expect(seg.rows.map((r: { value: string }) => r.value)).toEqual(['APAC', 'EMEA', 'LATAM', 'North America']);
  });

  it('benchmarks: published figures; peers only with five other organisations of the industry', async () => {
    const alone = (await get('benchmarks')).json();
    expect(alone.industry).toEqual({ key: 'grocery', label: 'Grocery' });
    expect(alone.published.nps).toMatchObject({ low: 30, high: 30 });
    expect(alone.peers.nps).toMatchObject({ suppressed: true });
    for (let i = 0; i < 5; i++) await fill(ctx(), await makeOrg(ctx(), { industry: 'grocery' }), 60, 6, 100 + i);
    const j = (await get('benchmarks')).json();
    expect(j.peers.excellentShare.organisations).toBe(5);
    expect(j.peers.excellentShare.own).toBeCloseTo(j.own.customers.share, 14);
    expect(j.peers.nps.q1).toBeLessThanOrEqual(j.peers.nps.median);
    expect(JSON.stringify(j.peers)).not.toMatch(/test-org/i);
  });

  it('rejects bad parameters with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['trend?period=week', 'period'],
      ['drivers?outcome=csat', 'outcome'],
      ['breakdown?by=colour', 'by'],
      ['breakdown', 'by'],
      ['breakdown?by=touchpoint&dimensions=maybe', 'dimensions'],
      ['calibration?touchpoint=app', 'touchpoint'],
      ['calibration?group=Not-A-Segment', 'group'],
      ['calibration?from=2025-06&to=2025-01', 'from'],
      ['trend?from=2025-13', 'from'],
      ['benchmarks?extra=1', 'extra'],
    ];
    for (const [path, field] of cases) {
      const r = await get(path);
      expect(r.statusCode, path).toBe(400);
      expect(r.json().fields.map((x: { field: string }) => x.field), path).toContain(field);
    }
  });

  it('answers 404 for an unknown organisation, 401 without a caller, 403 for an owner on whole-organisation reports', async () => {
    expect((await app.inject({ url: '/api/v1/organisations/nope/reports/trend', headers: viewer })).statusCode).toBe(404);
    expect((await app.inject({ url: `/api/v1/organisations/${f.org.id}/reports/trend` })).statusCode).toBe(401);
    const owner = await authHeaders(ctx(), f.org.id, 'owner', { department: 'Support' });
    expect((await get('calibration', owner)).statusCode).toBe(403);
    expect((await get('benchmarks', owner)).statusCode).toBe(403);
    const mine = (await get('breakdown?by=touchpoint', owner)).json();
    expect(mine.rows.map((r: { value: string }) => r.value)).toEqual(['help_centre', 'contact_centre']);
  });
});
