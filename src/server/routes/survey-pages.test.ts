// The respondent's HTML form on both engines: renders with labels, shows errors next to fields
// with answers kept, redirects to a thank-you page, and a double submit stores one response.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { countResponses } from '../../store/responses.ts';
import { setSurveyActive } from '../../store/surveys.ts';
import { loadAggregates } from '../../store/report-data.ts';
import { replaceSegmentDeclarations } from '../../store/segments.ts';

describeEngines('survey pages', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx(), { name: 'Acme <b>Streaming</b>' });
    // Respondents may set only declared public segments (core/segments.ts).
    await replaceSegmentDeclarations(ctx().db, f.org.id, [
      { key: 'plan', label: 'Plan', public: true, kind: 'values', values: ['basic', 'premium'].map((v) => ({ value: v, label: v })) },
    ]);
  });
  afterAll(() => app.close());
  const form = (body: Record<string, string>) =>
    app.inject({ method: 'POST', url: `/s/${f.customerSurvey}`, payload: new URLSearchParams(body).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  it('renders an accessible form that escapes the organisation name and carries link context', async () => {
    const r = await app.inject(`/s/${f.customerSurvey}?touchpoint=billing&segment.region=EMEA`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.body).toContain('Acme &lt;b&gt;Streaming&lt;/b&gt;');
    expect(r.body).not.toContain('<b>Streaming</b>');
    expect(r.body).toMatch(/<fieldset[^>]*>\s*<legend>How likely are you to recommend/);
    expect(r.body).toContain('name="segment.region" value="EMEA"');
    expect(r.body).toContain('name="link.touchpoint" value="billing"');
    expect(r.body).not.toContain('<select'); // the link already says which touchpoint
    expect(r.body).toMatch(/name="_token" value="[A-Za-z0-9_-]{16}"/);
  });

  it('shows errors next to the fields and keeps the answers, storing nothing', async () => {
    const r = await form({ _token: 'tok-errors-1', nps: '7', 'dim:empathy': '9', comment: 'hello there' });
    expect(r.statusCode).toBe(422);
    expect(r.body).toContain('please answer this question'); // excellent is required
    expect(r.body).toContain('must be a whole number from 1 to 5');
    expect(r.body).toMatch(/name="nps" value="7" checked/);
    expect(r.body).toContain('>hello there</textarea>');
    expect(r.body).toContain('role="alert"');
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 0, leader: 0 });
  });

  it('redirects to the thank-you page and stores a double submit once', async () => {
    const body = { _token: 'tok-double-1', nps: '9', excellent: '5', touchpoint: 'app', 'segment.plan': 'premium' };
    const [a, b] = await Promise.all([form(body), form(body)]);
    expect(a.statusCode).toBe(303);
    expect(b.statusCode).toBe(303);
    expect(a.headers.location).toBe(`/s/${f.customerSurvey}/thanks`);
    const again = await form(body); // reload-and-resend
    expect(again.statusCode).toBe(303);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 1, leader: 0 });
    const agg = await loadAggregates(ctx().db, f.org.id, { segments: { plan: ['premium'] } });
    expect(agg.customers.items.excellent).toEqual({ 5: 1 });
    const thanks = await app.inject(a.headers.location as string);
    expect(thanks.body).toContain('Thank you');
  });

  it('answers 404 for an unknown survey and 410 for a closed one', async () => {
    expect((await app.inject('/s/doesnotexist')).statusCode).toBe(404);
    await setSurveyActive(ctx().db, f.org.id, f.leaderSurvey, false);
    const closed = await app.inject(`/s/${f.leaderSurvey}`);
    expect(closed.statusCode).toBe(410);
    expect(closed.body).toContain('no longer taking answers');
  });
});
