// The post-stratified gap figures through the API and the CLI, on both engines: a campaign to 12 north
// and 12 south customers (10 of each delivered), where 6 of the north and only 3 of the south answer —
// through their invitation tokens, as customers do — and the south rates the experience lower, so
// weighting the south up must pull every figure down, to the values computed by hand below. Three
// open-link answers (no invitation) must not count.
//
// Reference values (python3, numpy 2.4 / scipy 1.17), with lin() the raw per-respondent linearisation of
// src/core/post-stratification.test.ts:
//   N = {'ex':[5,5,5,4,4,3], 'dim':[5,5,4,4,3,3], 'nps':[10,10,9,8,7,6]}; S = {'ex':[2,2,4], 'dim':[2,1,3], 'nps':[3,5,9]}
//   wN, wS = 0.5/(6/9), 0.5/(3/9) → 0.75, 1.5; Kish (6*wN+3*wS)**2/(6*wN**2+3*wS**2) → 8.0
//   share (y>=4): 0.5·5/6 + 0.5·1/3 = 0.5833333333333334, se 0.18633899812498247, Wilson at p(1−p)/v → [0.25885858800011985, 0.8487530061554324]
//   dim:service: 0.5·4 + 0.5·2 = 3.0, se 0.3415650255319866, t(7) → [2.192327057131156, 3.807672942868844]
//   nps: 0.5·(1/3) + 0.5·(−1/3) = 0 → 0.0, 1.96·100·se = 73.04488726499314
//   unweighted: share 6/9; dim mean 30/9 = 3.3333333333333335, stats.t.interval(.95, 8, …) → [2.316481089327202, 4.350185577339465]; NPS 100·(4−3)/9
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { authHeaders } from '../../test/auth-fixture.ts';
import { cli } from '../../test/cli.ts';
import { replaceSegmentDeclarations } from '../store/segments.ts';
import { getJourney } from '../store/organisations.ts';
import { createCampaign, issueTokens } from '../store/campaigns.ts';
import { weightedGapTable } from '../cli/weighted-gap-table.ts';

describeEngines('post-stratified gap report', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  let campaignId: string;
  const url = (q: string) => `/api/v1/organisations/${f.org.id}/reports/gap?${q}`;
  const get = async (q: string, headers = admin) => app.inject({ url: url(q), headers });

  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx(), { minResponses: 3 });
    admin = await authHeaders(ctx(), f.org.id, 'admin');
    const db = ctx().db;
    await replaceSegmentDeclarations(db, f.org.id, [
      { key: 'region', label: 'Region', kind: 'values', public: false, values: [{ value: 'north', label: 'North' }, { value: 'south', label: 'South' }] },
      { key: 'plan', label: 'Plan', kind: 'values', public: false, values: [{ value: 'pro', label: 'Pro' }, { value: 'basic', label: 'Basic' }] },
    ]);
    const tp = (await getJourney(db, f.org.id))[0]!.touchpoints[0]!.key;
    const now = new Date().toISOString();
    // 12 contacts per region; plan "basic" only for the first two of each (a cross with cells below k).
    const contacts = ['north', 'south'].flatMap((region) =>
      Array.from({ length: 12 }, (_, i) => ({
        org_id: f.org.id, id: `ct_${region}${i}`, email: `${region}${i}@example.com`, name: null, language: null, kind: 'customer' as const, leader_function: null,
        segments: JSON.stringify({ region, plan: i < 2 ? 'basic' : 'pro' }), touchpoint: tp, status: 'active' as const, status_at: null, created_at: now, updated_at: now,
      })),
    );
    await db.insertInto('contacts').values(contacts).execute();
    const c = await createCampaign(db, f.org.id, { name: 'Spring', surveyId: f.customerSurvey, perspective: 'customer', filter: {}, subject: 's', body: 'b', senderName: 'T', sendAt: now, reminderDays: null, maxReminders: 0, createdBy: 'test' });
    campaignId = c.campaign.id;
    // The SMTP server accepted 10 of each region (the mail path has its own tests, src/mail/campaign-mail.test.ts).
    const invs = await db.selectFrom('survey_invitations').select(['id', 'contact_id']).where('org_id', '=', f.org.id).execute();
    const delivered = invs.filter((v) => Number(/\d+$/.exec(v.contact_id)![0]) < 10);
    await db.updateTable('survey_invitations').set({ delivered_at: now }).where('org_id', '=', f.org.id).where('id', 'in', delivered.map((v) => v.id)).execute();
    const answers: Record<string, [number, number, number][]> = {
      north: [[5, 5, 10], [5, 5, 10], [5, 4, 9], [4, 4, 8], [4, 3, 7], [3, 3, 6]],
      south: [[2, 2, 3], [2, 1, 5], [4, 3, 9]],
    };
    for (const [region, rows] of Object.entries(answers)) {
      for (const [i, [excellent, service, nps]] of rows.entries()) {
        const inv = delivered.find((v) => v.contact_id === `ct_${region}${i + 2}`)!; // the "pro" ones
        const { answer } = await issueTokens(db, f.org.id, inv.id, inv.contact_id);
        const r = await app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses?i=${answer}`, payload: { answers: { excellent, 'dim:service': service, nps } } });
        expect(r.statusCode).toBe(201);
      }
    }
    for (let i = 0; i < 3; i++) {
      const r = await app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses`, payload: { answers: { excellent: 1, 'dim:service': 1, nps: 0 }, touchpoint: tp } });
      expect(r.statusCode).toBe(201);
    }
  });
  afterAll(async () => {
    await app.close();
  });

  it('puts the weighted figures beside the unweighted ones, weighting the under-responding region up', async () => {
    const r = await get(`weightBy=campaign:${campaignId}&attribute=region`);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.responses.customers).toBe(12); // the gap report itself is unchanged: all customers
    const w = body.weighted;
    expect(w.campaign).toEqual({ id: campaignId, name: 'Spring' });
    expect(w.weighting).toMatchObject({ population: 20, respondents: 9, trimmed: false, unrepresented: [] });
    expect(w.weighting.effectiveSampleSize).toBeCloseTo(8, 10);
    expect(w.weighting.strata.map((s: { values: string[]; invited: number; respondents: number; weight: number }) => [s.values, s.invited, s.respondents, s.weight])).toEqual([
      [['north'], 10, 6, 0.75],
      [['south'], 10, 3, 1.5],
    ]);
    const h = w.headline;
    expect(h.unweighted).toMatchObject({ n: 9, share: expect.closeTo(6 / 9, 12) });
    expect(h.weighted.share).toBeCloseTo(0.5833333333333334, 12);
    expect(h.weighted.share).toBeLessThan(h.unweighted.share);
    expect(h.weighted.se).toBeCloseTo(0.18633899812498247, 12);
    expect(h.weighted.ci95[0]).toBeCloseTo(0.25885858800011985, 10);
    expect(h.weighted.ci95[1]).toBeCloseTo(0.8487530061554324, 10);
    const service = w.dimensions.find((d: { key: string }) => d.key === 'service');
    expect(service.unweighted.mean).toBeCloseTo(3.3333333333333335, 12);
    expect(service.unweighted.ci95[0]).toBeCloseTo(2.316481089327202, 6);
    expect(service.weighted.mean).toBeCloseTo(3, 12);
    expect(service.weighted.se).toBeCloseTo(0.3415650255319866, 12);
    expect(service.weighted.ci95[0]).toBeCloseTo(2.192327057131156, 6);
    expect(service.weighted.ci95[1]).toBeCloseTo(3.807672942868844, 6);
    // A dimension nobody answered is suppressed on both sides.
    expect(w.dimensions.find((d: { key: string }) => d.key === 'empathy').weighted).toEqual({ suppressed: true, reason: 'fewer than 3 respondents' });
    expect(w.nps.unweighted.score).toBeCloseTo(100 / 9, 10);
    expect(w.nps.weighted.score).toBeCloseTo(0, 10);
    expect(w.nps.weighted.moe95).toBeCloseTo(73.04488726499314, 10);

    // The CLI's two columns, laid out from the same figures.
    const table = weightedGapTable(w);
    expect(table).toMatch(/north\s+10\s+6\s+0\.75/);
    expect(table).toMatch(/Excellent \(agree or strongly\)\s+66\.7 % \(35\.4 %–87\.9 %\)\s+58\.3 % \(25\.9 %–84\.9 %\)/);
    expect(table).toMatch(/NPS\s+11\.1 ± 57\.2\s+0\.0 ± 73\.0/);
  });

  it('shows them from `parallax campaign show --weight-by`', async () => {
    const out = await cli(ctx().location, ['campaign', 'show', campaignId, '--org', f.org.id, '--weight-by', 'region', '--weight-by', 'plan']);
    // The cross has small cells: the CLI says why and still shows the unweighted column.
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('Weighted by region × plan to the invited contacts of "Spring"');
    expect(out.stdout).toContain('no weights: the cross has cells with fewer than 3 respondents (north × basic; south × basic): weight by one attribute');
    expect(out.stdout).toMatch(/Excellent \(agree or strongly\)\s+66\.7 % \(35\.4 %–87\.9 %\)\s+— \(the cross has cells/);
  });

  it('says why it cannot weight: one group left by the filters, a cross with small cells', async () => {
    const north = (await get(`weightBy=campaign:${campaignId}&attribute=plan&where=segment:region=north`)).json().weighted;
    // Within north every respondent holds plan "pro": nothing to weight; the unweighted figures still show.
    expect(north.weighting).toEqual({ suppressed: true, reason: 'the respondents form a single group of at least 3 (smaller groups pooled): there is nothing to weight' });
    expect(north.headline.unweighted).toMatchObject({ n: 6, share: expect.closeTo(5 / 6, 12) });
    expect(north.headline.weighted.suppressed).toBe(true);
    const cross = (await get(`weightBy=campaign:${campaignId}&attribute=region&attribute=plan`)).json().weighted;
    expect(cross.weighting.reason).toBe('the cross has cells with fewer than 3 respondents (north × basic; south × basic): weight by one attribute');
  });

  it('refuses bad input naming the field, and roles that may not see the invited', async () => {
    const cases: [string, string][] = [
      ['weightBy=region&attribute=region', 'weightBy'],
      ['weightBy=campaign:cp_nope&attribute=region', 'weightBy'],
      [`weightBy=campaign:${campaignId}&attribute=planet`, 'attribute'],
      [`weightBy=campaign:${campaignId}`, 'attribute'],
      [`weightBy=campaign:${campaignId}&attribute=region&attribute=region`, 'attribute'],
      [`weightBy=campaign:${campaignId}&attribute=region&attribute=plan&attribute=touchpoint`, 'attribute'],
      ['attribute=region', 'weightBy'],
    ];
    for (const [q, field] of cases) {
      const r = await get(q);
      expect([q, r.statusCode, r.json().fields?.[0]?.field]).toEqual([q, 400, field]);
    }
    const viewer = await authHeaders(ctx(), f.org.id, 'viewer');
    const v = await get(`weightBy=campaign:${campaignId}&attribute=region`, viewer);
    expect(v.statusCode).toBe(403);
    expect(v.json().fields[0].field).toBe('weightBy');
    expect((await get('', viewer)).statusCode).toBe(200);
    // The OpenAPI document carries the parameters and the `weighted` shape.
    const doc = (await app.inject('/api/v1/openapi.json')).json();
    const op = Object.entries(doc.paths as Record<string, { get?: { parameters: { name: string }[] } }>).find(([p]) => p.endsWith('/reports/gap'))![1].get!;
    expect(op.parameters.map((x) => x.name)).toEqual(expect.arrayContaining(['weightBy', 'attribute']));
    expect(JSON.stringify(op)).toContain('effectiveSampleSize');
  });
});
