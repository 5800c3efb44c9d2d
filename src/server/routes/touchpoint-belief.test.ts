// Leaders' belief by touchpoint (issue 11) on the survey page and the API, on both engines: a leader whose
// link names a function is asked about the touchpoints that function owns and no others; a link without a
// function, or with one that owns nothing, says why there are no touchpoint questions; the answers are
// stored (form and API) and an unknown touchpoint or a customer sending one is refused with the field named.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { createLeaderLinks } from '../../store/leader-links.ts';
import { countResponses } from '../../store/responses.ts';
import { reportContext, leaderCut, sideOf } from '../../reports/report-context.ts';

describeEngines('leaders’ belief by touchpoint on the survey page', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  const link = async (fn: string | null) => (await createLeaderLinks(ctx().db, { orgId: f.org.id, createdBy: 'test', function: fn, count: 1 }))[0]!.token;
  const page = async (token: string) => (await app.inject(`/s/${f.leaderSurvey}?t=${token}`)).body.replace(/\s+/g, ' ');
  const form = (token: string, body: Record<string, string>) =>
    app.inject({ method: 'POST', url: `/s/${f.leaderSurvey}`, payload: new URLSearchParams({ _lt: token, excellent: '4', 'predict:excellent_share': '55', ...body }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx(), { name: 'Acme' });
  });
  afterAll(() => app.close());

  it("asks a leader only about their function's touchpoints (departments compared trimmed, any case)", async () => {
    const html = await page(await link(' support '));
    expect(html).toContain('name="predict:excellent_share@help_centre"');
    expect(html).toContain('name="predict:excellent_share@contact_centre"');
    expect(html).toContain('At Help centre (Support), what share of customers would say their experience is excellent?');
    expect(html).not.toContain('predict:excellent_share@app');
    expect(html).not.toContain('predict:excellent_share@billing');
    expect(html).toMatch(/support owns 2 touchpoints of the customer journey/);
  });

  it('asks the function first when the link names none, and says why a function owning none has no touchpoint questions', async () => {
    // A link without a function: the leader picks it from the journey's departments (survey-page issue 11).
    const token = await link(null);
    const none = await page(token);
    expect(none).not.toContain('predict:excellent_share@');
    expect(none).toContain('<select id="function" name="function" required');
    expect(none).toContain('<option value="Support">Support</option>');
    const chosen = (await app.inject(`/s/${f.leaderSurvey}?t=${token}&function=support`)).body.replace(/\s+/g, ' ');
    expect(chosen).toContain('name="_fn" value="Support"');
    expect(chosen).toContain('name="predict:excellent_share@help_centre"');
    const exec = await page(await link('Executive'));
    expect(exec).not.toContain('predict:excellent_share@');
    expect(exec).toContain('Executive owns no touchpoint of the customer journey');
  });

  it('stores the predictions from the form and the API, where the leaders’ aggregates hold them', async () => {
    const res = await form(await link('Support'), { 'predict:excellent_share@help_centre': '40', 'predict:excellent_share@contact_centre': '' });
    expect(res.statusCode).toBe(303);
    const api = await app.inject({ method: 'POST', url: `/api/v1/surveys/${f.leaderSurvey}/responses`, headers: { 'x-leader-token': await link('Support') }, payload: { answers: { excellent: 4, 'predict:excellent_share': 60, 'predict:excellent_share@help_centre': 50 } } });
    expect(api.statusCode).toBe(201);
    const rc = (await reportContext(ctx().db, f.org.id))!;
    const leaders = await sideOf(ctx().db, f.org.id, 'leader', leaderCut(rc, {}), rc.org.minResponses);
    expect(leaders.items['predict:excellent_share@help_centre']).toEqual({ 40: 1, 50: 1 });
    expect(leaders.items['predict:excellent_share@contact_centre']).toBeUndefined();
  });

  it('refuses an off-scale prediction on the form, keeping the answers and naming the question', async () => {
    const before = await countResponses(ctx().db, f.org.id);
    const res = await form(await link('Support'), { 'predict:excellent_share@help_centre': '140' });
    expect(res.statusCode).toBe(422);
    const html = res.body.replace(/\s+/g, ' ');
    expect(html).toContain('must be a whole number from 0 to 100');
    expect(html).toContain('value="140"');
    expect(await countResponses(ctx().db, f.org.id)).toEqual(before);
  });

  it('refuses an unknown touchpoint, and a customer sending a prediction, with the field named and nothing stored', async () => {
    const before = await countResponses(ctx().db, f.org.id);
    const unknown = await app.inject({ method: 'POST', url: `/api/v1/surveys/${f.leaderSurvey}/responses`, headers: { 'x-leader-token': await link('Support') }, payload: { answers: { excellent: 4, 'predict:excellent_share': 60, 'predict:excellent_share@nowhere': 50 } } });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().fields).toEqual([{ field: 'answers.predict:excellent_share@nowhere', message: '"predict:excellent_share@nowhere" is not a question of this leader survey' }]);
    const customer = await app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses`, payload: { answers: { excellent: 4, 'predict:excellent_share@app': 50 } } });
    expect(customer.statusCode).toBe(422);
    expect(customer.json().fields[0].field).toBe('answers.predict:excellent_share@app');
    expect(await countResponses(ctx().db, f.org.id)).toEqual(before);
  });
});
