// An attacker's sequences of report queries, through the API on both engines. Each first shows that the
// plain per-group minimum (the aggregates without the rule: store/report-data.ts loadAggregates) lets the
// queries' difference reveal one respondent's answer, then that the reports refuse or withhold it.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders } from '../../../test/auth-fixture.ts';
import { storeResponses } from '../../store/responses.ts';
import { loadAggregates } from '../../store/report-data.ts';
import type { ReportFilters } from '../../core/report-filters.ts';
import type { Store } from '../../store/db.ts';

interface Someone {
  month: string;
  touchpoint: string;
  segments?: Record<string, string>;
  excellent: number;
}

const many = (n: number, s: Omit<Someone, 'excellent'>, excellent = 4): Someone[] => Array.from({ length: n }, () => ({ ...s, excellent }));

async function store(st: Store, f: OrgFixture, people: Someone[]) {
  await storeResponses(
    st.db,
    people.map((p, i) => ({
      orgId: f.org.id,
      surveyId: f.customerSurvey,
      perspective: 'customer' as const,
      submission: { respondentId: `c${i}`, submittedAt: `${p.month}-15T12:00:00.000Z`, touchpoint: p.touchpoint, segments: p.segments ?? {}, answers: { excellent: p.excellent, 'dim:reliability': p.excellent }, comment: null },
    })),
  );
}

/** Histogram difference Σ sign·H over the unprotected aggregates of the given filters. */
async function unprotectedDifference(st: Store, orgId: string, terms: [number, ReportFilters][]): Promise<Record<number, number>> {
  const out: Record<number, number> = {};
  for (const [sign, f] of terms) {
    const h = (await loadAggregates(st.db, orgId, f)).customers.items.excellent ?? {};
    for (const [v, c] of Object.entries(h)) out[Number(v)] = (out[Number(v)] ?? 0) + sign * c;
  }
  return Object.fromEntries(Object.entries(out).filter(([, c]) => c !== 0));
}

describeEngines('anonymity: an attacker differencing filtered reports', (ctx) => {
  let app: FastifyInstance;
  const as = new Map<string, Record<string, string>>();
  const report = async (f: OrgFixture, path: string) => {
    const r = await app.inject({ url: `/api/v1/organisations/${f.org.id}/reports/${path}`, headers: as.get(f.org.id)! });
    expect(r.statusCode, path).toBe(200);
    return r.json();
  };
  const org = async (people: Someone[]) => {
    const f = await makeOrg(ctx());
    await store(ctx(), f, people);
    as.set(f.org.id, await authHeaders(ctx(), f.org.id, 'analyst'));
    return f;
  };
  beforeAll(async () => {
    app = await makeApp(ctx());
  });
  afterAll(() => app.close());

  it('two-attribute inclusion–exclusion (touchpoint × month) cannot isolate the one website customer of March', async () => {
    // app: 6 a month; website: 3, 3 and — in March — only the target, who answered 1.
    const f = await org([
      ...many(6, { month: '2025-01', touchpoint: 'app' }),
      ...many(6, { month: '2025-02', touchpoint: 'app' }),
      ...many(6, { month: '2025-03', touchpoint: 'app' }),
      ...many(3, { month: '2025-01', touchpoint: 'website' }),
      ...many(3, { month: '2025-02', touchpoint: 'website' }),
      { month: '2025-03', touchpoint: 'website', excellent: 1 },
    ]);
    const Q: ReportFilters = {};
    const notWebsite: ReportFilters = { touchpoints: ['app'] };
    const notMarch: ReportFilters = { to: '2025-02' };
    const neither: ReportFilters = { touchpoints: ['app'], to: '2025-02' };
    // Without the rule every term is a group of 12 or more, and the sum is the target's answer.
    expect(await unprotectedDifference(ctx(), f.org.id, [[1, Q], [-1, notWebsite], [-1, notMarch], [1, neither]])).toEqual({ 1: 1 });

    expect((await report(f, 'gap')).headline.customers.n).toBe(25);
    expect((await report(f, 'gap?touchpoint=app')).headline.customers.n).toBe(18);
    expect((await report(f, 'gap?to=2025-02')).headline.customers.n).toBe(18);
    const fourth = await report(f, 'gap?touchpoint=app&to=2025-02');
    expect(fourth.headline.customers).toEqual({ suppressed: true, reason: expect.stringContaining('month × touchpoint') });
    expect(fourth.dimensions.find((d: { key: string }) => d.key === 'reliability').customers.suppressed).toBe(true);
    expect(fourth.responses.customers).toBeNull();
    // The same cell by other routes: a stage, a monthly trend of a touchpoint, a breakdown within a period.
    expect((await report(f, 'gap?stage=use&to=2025-02')).headline.customers.suppressed).toBe(true);
    expect((await report(f, 'trend?touchpoint=app')).suppressed.customers).toContain('month × touchpoint');
    expect((await report(f, 'breakdown?by=touchpoint&from=2025-03')).suppressed).toContain('month × touchpoint');
    expect((await report(f, 'drivers?touchpoint=app&to=2025-02')).model.suppressed).toBe(true);
    // What stays available is safe: the monthly trend of everyone, the breakdown by touchpoint overall.
    const trend = await report(f, 'trend');
    expect(trend.points.map((p: { customers: { n: number } }) => p.customers.n)).toEqual([9, 9, 7]);
    expect((await report(f, 'breakdown?by=touchpoint')).rows.map((r: { customers: { n: number } }) => r.customers.n)).toEqual([7, 18]);
  });

  it('all customers vs all but one touchpoint: the lone renewal customer is in neither', async () => {
    const f = await org([...many(12, { month: '2025-01', touchpoint: 'app' }, 2), ...many(10, { month: '2025-01', touchpoint: 'billing' }, 2), { month: '2025-01', touchpoint: 'renewal', excellent: 5 }]);
    const others: ReportFilters = { touchpoints: ['app', 'billing'] };
    expect(await unprotectedDifference(ctx(), f.org.id, [[1, {}], [-1, others]])).toEqual({ 5: 1 });
    const all = await report(f, 'gap');
    const rest = await report(f, 'gap?touchpoint=app&touchpoint=billing');
    expect(all.headline.customers).toEqual(rest.headline.customers);
    expect(all.responses.customers).toBe(22);
    expect(all.headline.customers.share).toBe(0);
    expect((await report(f, 'gap?touchpoint=renewal')).headline.customers).toEqual({ suppressed: true, reason: 'fewer than 5 respondents' });
    expect((await report(f, 'breakdown?by=touchpoint')).rows.map((r: { value: string }) => r.value)).toEqual(['app', 'billing']);
  });

  it('region=EMEA vs region=EMEA & plan=basic: refused while EMEA × pro holds two', async () => {
    const f = await org([
      ...many(8, { month: '2025-01', touchpoint: 'app', segments: { region: 'EMEA', plan: 'basic' } }),
      ...many(2, { month: '2025-01', touchpoint: 'app', segments: { region: 'EMEA', plan: 'pro' } }, 1),
      ...many(6, { month: '2025-01', touchpoint: 'app', segments: { region: 'APAC', plan: 'basic' } }),
      ...many(6, { month: '2025-01', touchpoint: 'app', segments: { region: 'APAC', plan: 'pro' } }),
    ]);
    const emea: ReportFilters = { segments: { region: ['EMEA'] } };
    const emeaBasic: ReportFilters = { segments: { region: ['EMEA'], plan: ['basic'] } };
    expect(await unprotectedDifference(ctx(), f.org.id, [[1, emea], [-1, emeaBasic]])).toEqual({ 1: 2 });
    expect((await report(f, 'gap?where=segment:region=EMEA')).headline.customers.n).toBe(10);
    const both = await report(f, 'gap?where=segment:region=EMEA&where=segment:plan=basic');
    expect(both.headline.customers.reason).toContain('segment:plan × segment:region');
    expect((await report(f, 'gap?where=segment:plan=pro&where=segment:region=APAC')).headline.customers.suppressed).toBe(true);
    expect((await report(f, 'breakdown?by=segment:plan&where=segment:region=EMEA')).suppressed).toContain('segment:plan × segment:region');
    expect((await report(f, 'breakdown?by=segment:plan')).rows.map((r: { customers: { n: number } }) => r.customers.n)).toEqual([14, 8]);
  });
});
