// Editing the gap framework, journey and surveys through the API, on both engines.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders } from '../../../test/auth-fixture.ts';

describeEngines('set-up API', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let h: Record<string, string>; // an admin's session
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx());
    h = await authHeaders(ctx(), f.org.id, 'admin');
  });
  afterAll(() => app.close());
  const url = (p: string) => `/api/v1/organisations/${f.org.id}${p}`;

  it('gives a new organisation the default framework, journey and survey pair', async () => {
    const fw = (await app.inject({ url: url('/framework'), headers: h })).json();
    expect(fw.dimensions.map((d: { key: string }) => d.key)).toEqual(['service', 'understanding', 'ai_readiness', 'integration', 'communication', 'reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles']);
    const j = (await app.inject({ url: url('/journey'), headers: h })).json();
    expect(j.stages.map((s: { key: string }) => s.key)).toEqual(['discover', 'buy', 'onboard', 'use', 'support', 'renew']);
    const s = (await app.inject({ url: url('/surveys'), headers: h })).json();
    expect(s.surveys.map((x: { perspective: string }) => x.perspective).sort()).toEqual(['customer', 'leader']);
  });

  it('edits a dimension and the customer survey asks the new item', async () => {
    const fw = (await app.inject({ url: url('/framework'), headers: h })).json();
    fw.dimensions[4].customerItem = 'How clear were our messages to you, {org}-wise?';
    fw.dimensions.push({ key: 'value', label: 'Value for money', customerItem: 'How good is the value for money?', leaderItem: 'How would customers rate our value for money?' });
    const put = await app.inject({ method: 'PUT', headers: h, url: url('/framework'), payload: fw });
    expect(put.statusCode).toBe(200);
    const survey = (await app.inject(`/api/v1/surveys/${f.customerSurvey}`)).json();
    const texts = survey.questions.map((q: { text: string }) => q.text);
    expect(texts).toContain(`How clear were our messages to you, ${f.org.name}-wise?`);
    expect(texts).toContain('How good is the value for money?');
  });

  it('rejects a framework with a duplicate or malformed key, naming it, and changes nothing', async () => {
    const before = (await app.inject({ url: url('/framework'), headers: h })).json();
    const dup = { dimensions: [...before.dimensions, { ...before.dimensions[0] }] };
    const r = await app.inject({ method: 'PUT', headers: h, url: url('/framework'), payload: dup });
    expect(r.statusCode).toBe(400);
    expect(r.json().fields[0].field).toBe(`dimensions.${before.dimensions.length}.key`);
    const bad = await app.inject({ method: 'PUT', headers: h, url: url('/framework'), payload: { dimensions: [{ key: 'Bad Key', label: 'x', customerItem: null, leaderItem: 'y' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('dimensions.0.key');
    expect((await app.inject({ url: url('/framework'), headers: h })).json()).toEqual(before);
  });

  it('edits the journey and rejects duplicate touchpoints', async () => {
    const j = (await app.inject({ url: url('/journey'), headers: h })).json();
    j.stages[0].touchpoints.push({ key: 'podcast', label: 'Podcast ads', department: 'Marketing' });
    expect((await app.inject({ method: 'PUT', headers: h, url: url('/journey'), payload: j })).statusCode).toBe(200);
    const survey = (await app.inject(`/api/v1/surveys/${f.customerSurvey}`)).json();
    expect(survey.questions.find((q: { key: string }) => q.key === 'touchpoint').options.map((o: { value: string }) => o.value)).toContain('podcast');
    j.stages[1].touchpoints.push({ key: 'podcast', label: 'again', department: 'X' });
    const dup = await app.inject({ method: 'PUT', headers: h, url: url('/journey'), payload: j });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().message).toContain('duplicate touchpoint key "podcast"');
  });

  it('closes and reopens a survey', async () => {
    const off = await app.inject({ method: 'PATCH', headers: h, url: url(`/surveys/${f.customerSurvey}`), payload: { active: false } });
    expect(off.statusCode).toBe(200);
    const sub = await app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses`, payload: { answers: { excellent: 3 } } });
    expect(sub.statusCode).toBe(409);
    await app.inject({ method: 'PATCH', headers: h, url: url(`/surveys/${f.customerSurvey}`), payload: { active: true } });
    const ok = await app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses`, payload: { answers: { excellent: 3 } } });
    expect(ok.statusCode).toBe(201);
  });

  it('updates organisation settings with validation', async () => {
    const r = await app.inject({ method: 'PATCH', headers: h, url: url(''), payload: { minResponses: 10 } });
    expect(r.json().minResponses).toBe(10);
    const bad = await app.inject({ method: 'PATCH', headers: h, url: url(''), payload: { industry: 'space' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('industry');
  });

  it('documents the API in OpenAPI', async () => {
    const doc = (await app.inject('/api/v1/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/v1/surveys/{id}/responses');
    expect(Object.keys(doc.paths)).toContain('/api/v1/organisations/{org}/reports/gap');
  });
});
