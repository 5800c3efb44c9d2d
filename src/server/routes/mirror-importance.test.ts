// The leader mirror's constant-sum question (issue 11: leaders share 100 points across the customer
// dimensions by how much each drives customers' view), on both engines: served in the survey definition,
// answered through the API and the form, refused whole (422 naming the field, nothing stored) when the
// points are partial, off-scale or do not add up to 100, and read back from the leaders' aggregates the way
// the driver-perception report reads them (reports/report-context.ts sideOf).
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { createLeaderLinks } from '../../store/leader-links.ts';
import { countResponses } from '../../store/responses.ts';
import { leaderCut, reportContext, sideOf } from '../../reports/report-context.ts';

const DIMS = ['service', 'understanding', 'integration', 'communication', 'reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'];
const points = (xs: number[]) => Object.fromEntries(DIMS.map((d, i) => [`imp:${d}`, xs[i]!]));

describeEngines('leader importance question (constant sum)', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let tokens: string[];
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx(), { name: 'Acme' });
    tokens = (await createLeaderLinks(ctx().db, { orgId: f.org.id, createdBy: 'test', count: 8 })).map((l) => l.token);
  });
  afterAll(() => app.close());
  const post = (token: string, answers: Record<string, number>) =>
    app.inject({ method: 'POST', url: `/api/v1/surveys/${f.leaderSurvey}/responses`, headers: { 'x-leader-token': token }, payload: { answers: { excellent: 4, 'predict:excellent_share': 60, ...answers } } });
  const form = (token: string, body: Record<string, string>) =>
    app.inject({ method: 'POST', url: `/s/${f.leaderSurvey}`, payload: new URLSearchParams({ _lt: token, excellent: '4', 'predict:excellent_share': '55', ...body }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  it('is part of the leader survey served by the API, with its parts as item keys', async () => {
    const def = (await app.inject(`/api/v1/surveys/${f.leaderSurvey}`)).json();
    const q = def.questions.find((x: { key: string }) => x.key === 'importance');
    expect(q).toMatchObject({ kind: 'constant_sum', required: false, min: 0, max: 100, total: 100 });
    expect(q.options.map((o: { value: string }) => o.value)).toEqual(DIMS.map((d) => `imp:${d}`));
    const customer = (await app.inject(`/api/v1/surveys/${f.customerSurvey}`)).json();
    expect(customer.questions.some((x: { kind: string }) => x.kind === 'constant_sum')).toBe(false);
  });

  it('refuses a wrong sum, a partial answer, an off-scale part, and customers sending imp:, storing nothing', async () => {
    const sum = await post(tokens[7]!, points([10, 10, 10, 10, 10, 10, 10, 10, 5]));
    expect(sum.statusCode).toBe(422); // ApiError.validation, as for every answer the survey refuses
    expect(sum.json().fields).toEqual([{ field: 'answers.importance', message: 'the points must add up to 100; they add up to 85 (15 left)' }]);
    const partial = await post(tokens[7]!, { 'imp:service': 100 });
    expect(partial.statusCode).toBe(422);
    expect(partial.json().fields.map((x: { field: string }) => x.field)).toEqual(DIMS.slice(1).map((d) => `answers.imp:${d}`));
    const negative = await post(tokens[7]!, points([-10, 110, 0, 0, 0, 0, 0, 0, 0]));
    expect(negative.json().fields.map((x: { field: string }) => x.field).sort()).toEqual(['answers.imp:service', 'answers.imp:understanding']);
    const customer = await app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses`, payload: { answers: { excellent: 4, 'imp:service': 100 } } });
    expect(customer.statusCode).toBe(422);
    expect(customer.json().fields).toEqual([{ field: 'answers.imp:service', message: '"imp:service" is not a question of this customer survey' }]);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 0, leader: 0 });
  });

  it('takes the form: empty boxes beside filled ones are 0; a wrong sum is shown beside the question with the values kept', async () => {
    const wrong = await form(tokens[4]!, { 'imp:service': '50', 'imp:reliability': '30' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('the points must add up to 100; they add up to 80 (20 left)');
    expect(wrong.body).toContain('Total: 80 of 100 — 20 left');
    expect(wrong.body).toMatch(/name="imp:service" type="number" inputmode="numeric" min="0" max="100" step="1" value="50"/);
    expect(wrong.body).toMatch(/<a href="#q\d+">Share 100 points/); // the summary links to the question
    const fraction = await form(tokens[4]!, { 'imp:service': '50.5', 'imp:reliability': '49.5' });
    expect(fraction.statusCode).toBe(422);
    expect(fraction.body).toMatch(/<a href="#q\d+-0">Service delivered vs expected \(points\)<\/a>: must be a whole number from 0 to 100/);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 0, leader: 0 });
    const ok = await form(tokens[4]!, { 'imp:service': '50', 'imp:reliability': '50', 'imp:tangibles': '' });
    expect(ok.statusCode).toBe(303);
  });

  it('answers odd form values with 422 naming the part, never a 500', async () => {
    for (const odd of ['1e2', '0x64', '99999999999999999999', '+100', '５０', '-0.0', 'NaN']) {
      const r = await form(tokens[6]!, { 'imp:service': odd, 'imp:reliability': '0' });
      expect([r.statusCode, r.body.includes('Service delivered vs expected (points)</a>')], odd).toEqual([422, true]);
    }
    const twice = await app.inject({ method: 'POST', url: `/s/${f.leaderSurvey}`, payload: `_lt=${tokens[6]}&excellent=4&predict:excellent_share=50&imp:service=50&imp:service=50`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(twice.statusCode).toBe(422);
    expect(twice.body).toContain('was sent more than once');
    expect(twice.body).toMatch(/<a href="#q\d+-0">Service delivered vs expected \(points\)<\/a>: was sent more than once/);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 0, leader: 1 });
  });

  it("lands in the leaders' aggregates as imp:<key> histograms, read as the driver-perception report reads them", async () => {
    const answered = [
      [30, 10, 10, 5, 20, 5, 5, 5, 10],
      [20, 10, 10, 10, 20, 10, 5, 5, 10],
      [40, 0, 0, 0, 30, 0, 0, 0, 30],
      [12, 11, 11, 11, 11, 11, 11, 11, 11],
    ];
    for (const [i, xs] of answered.entries()) expect((await post(tokens[i]!, points(xs))).statusCode).toBe(201);
    expect((await post(tokens[5]!, {})).statusCode).toBe(201); // a leader may skip the question
    const rc = (await reportContext(ctx().db, f.org.id))!;
    const leaders = await sideOf(ctx().db, f.org.id, 'leader', leaderCut(rc, {}), rc.org.minResponses);
    expect(leaders.respondents).toBe(6);
    // Four API answers and the form's (service 50, reliability 50, the rest 0).
    expect(leaders.items['imp:service']).toEqual({ 12: 1, 20: 1, 30: 1, 40: 1, 50: 1 });
    expect(leaders.items['imp:understanding']).toEqual({ 0: 2, 10: 2, 11: 1 });
    expect(leaders.items['imp:reliability']).toEqual({ 11: 1, 20: 2, 30: 1, 50: 1 });
    expect(leaders.items['imp:ai_readiness']).toBeUndefined();
    for (const d of DIMS) expect(Object.values(leaders.items[`imp:${d}`]!).reduce((a, b) => a + b, 0)).toBe(5);
    // Each leader's points add up to 100, so the mean shares do too: 5 × 100 points over 5 leaders.
    const totalPoints = DIMS.reduce((a, d) => a + Object.entries(leaders.items[`imp:${d}`]!).reduce((s, [v, n]) => s + Number(v) * n, 0), 0);
    expect(totalPoints).toBe(500);
  });
});
