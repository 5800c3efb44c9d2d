// Issue 11, "every hidden figure names its real reason", through the API on both engines: what rule 1 of
// core/anonymity.ts withholds (how many, which groups, why), the side status and trend reason codes for an
// empty, a too-small and a one-month organisation, dimension intervals clipped to the 1–5 scale, and the
// benchmark's structured source fields.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders } from '../../../test/auth-fixture.ts';
import { storeResponses } from '../../store/responses.ts';
import type { Store } from '../../store/db.ts';

interface Answer {
  perspective: 'customer' | 'leader';
  at: string;
  region?: string;
  excellent: number;
  reliability: number;
}

async function store(st: Store, f: OrgFixture, people: Answer[]) {
  await storeResponses(
    st.db,
    people.map((p, i) => ({
      orgId: f.org.id,
      surveyId: p.perspective === 'customer' ? f.customerSurvey : f.leaderSurvey,
      perspective: p.perspective,
      submission: {
        respondentId: `${p.perspective[0]}${i}`,
        submittedAt: `${p.at}T12:00:00.000Z`,
        touchpoint: p.perspective === 'customer' ? 'app' : null,
        segments: (p.region ? { region: p.region } : {}) as Record<string, string>,
        answers: { excellent: p.excellent, 'dim:reliability': p.reliability },
        comment: null,
      },
    })),
  );
}

/** n customers in one month, region EMEA, half of them calling the experience excellent (5), half not (2). */
const month = (m: string, n: number): Answer[] =>
  Array.from({ length: n }, (_, i) => ({ perspective: 'customer', at: `${m}-10`, region: 'EMEA', excellent: i % 2 ? 2 : 5, reliability: 4 }));

describeEngines('overview: every hidden figure names its reason (issue 11)', (ctx) => {
  let app: FastifyInstance;
  const as = new Map<string, Record<string, string>>();
  const get = async (f: OrgFixture, path: string) => {
    const r = await app.inject({ url: `/api/v1/organisations/${f.org.id}/reports/${path}`, headers: as.get(f.org.id)! });
    expect(r.statusCode, path).toBe(200);
    return r.json();
  };
  const org = async (people: Answer[], industry?: string) => {
    const f = await makeOrg(ctx(), industry ? { industry } : {});
    if (people.length) await store(ctx(), f, people);
    as.set(f.org.id, await authHeaders(ctx(), f.org.id, 'analyst'));
    return f;
  };
  beforeAll(async () => {
    app = await makeApp(ctx());
  });
  afterAll(() => app.close());

  it('says how many customers are withheld and why: one response without a region', async () => {
    // 60 customers with region EMEA over Jan–Mar 2025 (20 a month) and one more in March with no region.
    // Rule 1 (k = 5): the value "region not given" is held by 1 < 5 customers and 1 ≤ 5% of 61 = 3.05, so it
    // is withheld from every report: 60 customers are counted, 1 is withheld.
    const lone: Answer = { perspective: 'customer', at: '2025-03-20', excellent: 5, reliability: 4 };
    // Five leaders rate reliability 5, 5, 5, 5, 3: mean 4.6, sd 0.894427, t(0.975, 4) · sd/√5 = 1.110578, so the
    // t interval 3.489422–5.710578 (computed with scipy 1.17.1) runs past the scale and is clipped at 5.
    const leaders: Answer[] = [5, 5, 5, 5, 3].map((v) => ({ perspective: 'leader', at: '2025-02-01', excellent: 5, reliability: v }));
    const f = await org([...month('2025-01', 20), ...month('2025-02', 20), ...month('2025-03', 20), lone, ...leaders]);
    const r = await get(f, 'gap');
    expect(r.responses).toEqual({ customers: 60, leaders: 5 });
    expect(r.status).toEqual({ customers: 'shown', leaders: 'shown' });
    expect(r.withheld).toEqual({
      respondents: 1,
      groups: [{ attribute: 'segment:region', value: '', respondents: 1 }],
      reason:
        '1 response is not shown in any report: groups of fewer than 5 respondents (region not given: 1) could single someone out, so they count once their group reaches 5',
    });
    // The withheld answer is in no figure: 30 of the 60 counted customers said 5 (a sixty-first "5" would make 31 of 61).
    expect(r.headline.customers.n).toBe(60);
    expect(r.headline.customers.share).toBeCloseTo(0.5, 12);

    const rel = r.dimensions.find((d: { key: string }) => d.key === 'reliability');
    expect(rel.leaders.mean).toBeCloseTo(4.6, 12);
    expect(rel.leaders.ci95[0]).toBeCloseTo(3.4894219579208823, 7); // the t quantile is exact to ~1e-8
    expect(rel.leaders.ci95[1]).toBe(5);
    // Customers all answered 4: sd 0, the interval is the point.
    expect(rel.customers.ci95).toEqual([4, 4]);

    // Three months of 20 customers each: the trend is there, so there is no reason to give.
    const t = await get(f, 'trend?period=month');
    expect(t.customerTrend).not.toBeNull();
    expect(t.noTrend).toBeNull();

    // A second response without a region: 2 of 62, still under 5 and within 5% (3.1), so both are withheld.
    await store(ctx(), f, [{ ...lone, at: '2025-03-21' }]);
    const r2 = await get(f, 'gap');
    expect(r2.responses.customers).toBe(60);
    expect(r2.withheld.respondents).toBe(2);
    expect(r2.withheld.reason).toContain('2 responses are not shown in any report: groups of fewer than 5 respondents (region not given: 2)');
  });

  it('an organisation without responses says "no responses yet", not "suppressed"', async () => {
    const f = await org([]);
    const r = await get(f, 'gap');
    expect(r.responses).toEqual({ customers: null, leaders: null });
    expect(r.status).toEqual({ customers: 'no-responses', leaders: 'no-responses' });
    expect(r.headline.customers).toEqual({ suppressed: true, reason: 'no responses yet' });
    expect(r.nps).toEqual({ suppressed: true, reason: 'no responses yet' });
    expect(r.withheld).toEqual({ respondents: 0, reason: null, groups: [] });
    const t = await get(f, 'trend?period=month');
    expect(t.points).toEqual([]);
    expect(t.noTrend).toEqual({ code: 'no-responses', reason: 'no customer responses yet' });
  });

  it('three customers: too few, named as such in the report and the trend', async () => {
    const f = await org(month('2025-01', 3));
    const r = await get(f, 'gap');
    expect(r.status.customers).toBe('too-few');
    expect(r.headline.customers).toEqual({ suppressed: true, reason: 'fewer than 5 respondents' });
    const t = await get(f, 'trend?period=month');
    expect(t.noTrend.code).toBe('too-few');
    expect(t.noTrend.reason).toBe('every month has fewer than 5 customers, the minimum group');
  });

  it('twelve customers in one month: the trend says only one month, not anonymity', async () => {
    const f = await org(month('2025-01', 12));
    const t = await get(f, 'trend?period=month');
    expect(t.points).toHaveLength(1);
    expect(t.points[0].customers.n).toBe(12);
    expect(t.noTrend).toEqual({ code: 'few-periods', reason: 'a trend needs 3 months with at least 5 customers; only 1 month has them' });
  });

  it('returns the benchmark source as fields: the tv_internet sample "500+ leaders, 2,000 consumers" stays whole', async () => {
    const f = await org(month('2025-01', 6), 'tv_internet');
    const r = await get(f, 'gap');
    // No industry-specific gap study for TV & internet: the cross-industry Stellar Elements figure comes first.
    expect(r.headline.benchmarks[0]).toEqual({
      source: 'Stellar Elements CX survey (500+ leaders, 2,000 consumers)',
      name: 'Stellar Elements CX survey',
      sample: '500+ leaders, 2,000 consumers',
      url: null,
      industry: null,
      year: '2024',
      leaders: 0.81,
      customers: 0.21,
      gap: expect.closeTo(0.6, 12),
    });
    const b = await get(f, 'benchmarks');
    expect(b.published.gap[0]).toMatchObject({ name: 'Stellar Elements CX survey', sample: '500+ leaders, 2,000 consumers', industry: null });
  });
});
