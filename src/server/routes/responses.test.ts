// POST /surveys/:id/responses on both engines: stored once per Idempotency-Key, bad input is a 4xx
// naming the field and writes nothing.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { countResponses } from '../../store/responses.ts';
import { createLeaderLinks } from '../../store/leader-links.ts';
import { replaceSegmentDeclarations } from '../../store/segments.ts';

describeEngines('POST /api/v1/surveys/:id/responses', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx());
    await replaceSegmentDeclarations(ctx().db, f.org.id, [{ key: 'region', label: 'Region', public: true, kind: 'values', values: [{ value: 'EMEA', label: 'EMEA' }] }]);
  });
  afterAll(() => app.close());
  const post = (survey: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: `/api/v1/surveys/${survey}/responses`, payload: payload as object, headers });
  const counts = () => countResponses(ctx().db, f.org.id);

  it('stores a valid response (201) and a retry with the same Idempotency-Key once (200)', async () => {
    const body = { answers: { nps: 9, excellent: 4, 'dim:empathy': 3 }, touchpoint: 'app', segments: { region: 'EMEA' } };
    const a = await post(f.customerSurvey, body, { 'idempotency-key': 'abc-1' });
    expect(a.statusCode).toBe(201);
    const b = await post(f.customerSurvey, body, { 'idempotency-key': 'abc-1' });
    expect(b.statusCode).toBe(200);
    expect(b.json()).toEqual({ id: a.json().id, created: false });
    const c = await post(f.customerSurvey, { ...body, answers: { excellent: 1 } }, { 'idempotency-key': 'abc-1' });
    expect(c.statusCode).toBe(409);
    expect(c.json().fields[0].field).toBe('Idempotency-Key');
    expect(await counts()).toEqual({ customer: 1, leader: 0 });
  });

  it.each([
    [{ answers: { nps: 11, excellent: 4 } }, 422, 'answers.nps'],
    [{ answers: { nps: 'ten', excellent: 4 } }, 400, 'answers.nps'],
    [{ answers: { csat: 3 } }, 422, 'answers.excellent'],
    [{ answers: { excellent: 4 }, touchpoint: 'moon' }, 422, 'touchpoint'],
    [{ answers: { excellent: 4 }, submittedAt: 'last tuesday' }, 400, 'submittedAt'],
    [{ answers: { excellent: 4 }, colour: 'red' }, 400, 'colour'],
    [{ answers: { excellent: 4, 'predict:excellent_share': 50 } }, 422, 'answers.predict:excellent_share'],
  ])('rejects %j with %i naming %s and stores nothing', async (body, status, field) => {
    const before = await counts();
    const r = await post(f.customerSurvey, body);
    expect(r.statusCode).toBe(status);
    const json = r.json();
    expect(json.fields.map((x: { field: string }) => x.field).join(' ')).toContain(field);
    expect(json.message).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('rejects malformed JSON with 400 and an unknown survey with 404', async () => {
    const bad = await app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses`, payload: '{"answers":', headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect((await post('nope', { answers: { excellent: 3 } })).statusCode).toBe(404);
  });

  it('accepts leader responses on the leader survey only through a personal link', async () => {
    const body = { answers: { excellent: 5, 'predict:excellent_share': 70, 'dim:ai_readiness': 2 } };
    const before = await counts();
    expect((await post(f.leaderSurvey, body)).statusCode).toBe(403);
    expect(await counts()).toEqual(before);
    const [link] = await createLeaderLinks(ctx().db, { orgId: f.org.id, createdBy: 'test', count: 1 });
    const r = await post(f.leaderSurvey, body, { 'x-leader-token': link!.token });
    expect(r.statusCode).toBe(201);
  });

  it("never lets a customer's respondentId replace an earlier response", async () => {
    const before = await counts();
    for (const excellent of [5, 1]) expect((await post(f.customerSurvey, { respondentId: 'same-person', answers: { excellent } })).statusCode).toBe(201);
    expect(await counts()).toEqual({ ...before, customer: before.customer + 2 });
    const rows = await ctx().db.selectFrom('responses').select('id').where('org_id', '=', f.org.id).where('respondent_id', '=', 'same-person').execute();
    expect(rows).toHaveLength(2);
  });
});
