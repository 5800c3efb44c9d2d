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
import { createLeaderLinks } from '../../store/leader-links.ts';

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

  // A browser's form post (Sec-Fetch-Mode: navigate) is answered Post/Redirect/Get (issue 11): no history
  // entry is a POST result, so Back never shows "Confirm form resubmission"; answers never go in the URL.
  const browserForm = (body: Record<string, string>, url = `/s/${f.customerSurvey}`) =>
    app.inject({ method: 'POST', url, payload: new URLSearchParams(body).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-mode': 'navigate' } });

  it('redirects a refused browser post to the form with a server-side draft, dropped once the form is sent', async () => {
    const r = await browserForm({ _token: 'tok-prg-1', nps: '7', comment: 'my private words' });
    expect(r.statusCode).toBe(303);
    const location = r.headers.location as string;
    expect(location).toMatch(new RegExp(`^/s/${f.customerSurvey}\\?d=[A-Za-z0-9_-]{22}$`));
    expect(location).not.toContain('private');
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 1, leader: 0 }); // the earlier test's one
    const form2 = await app.inject(location);
    expect(form2.statusCode).toBe(200);
    expect(form2.headers['cache-control']).toBe('no-store');
    expect(form2.body).toContain('please answer this question');
    expect(form2.body).toMatch(/name="nps" value="7" checked/);
    expect(form2.body).toContain('>my private words</textarea>');
    expect(form2.body).toContain('name="_token" value="tok-prg-1"'); // the same form: a resend stores once
    // Focused without JavaScript: the summary carries autofocus (it is focusable by tabindex=-1).
    expect(form2.body).toMatch(/<div class="summary" role="alert" tabindex="-1" id="error-summary" autofocus>/);
    // Another survey cannot read the draft; a made-up id finds nothing.
    expect((await app.inject(location.replace(f.customerSurvey, f.leaderSurvey))).body).not.toContain('my private words');
    expect((await app.inject(`/s/${f.customerSurvey}?d=AAAAAAAAAAAAAAAAAAAAAA`)).body).toContain('This page has expired');
    // Sent: the draft goes, and Back to it says so instead of showing the typed answers.
    const sent = await browserForm({ _token: 'tok-prg-1', nps: '7', excellent: '4', comment: 'my private words' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/s/${f.customerSurvey}/thanks`);
    const back = await app.inject(location);
    expect(back.statusCode).toBe(200);
    expect(back.body).toContain('This page has expired');
    expect(back.body).not.toContain('my private words');
    expect(back.body).toContain(`href="/s/${f.customerSurvey}"`);
  });

  it('asks a leader whose link names no function for it, from the journey, and stores it with the answers', async () => {
    const [link] = await createLeaderLinks(ctx().db, { orgId: f.org.id, createdBy: 'test', count: 1 });
    const step = await app.inject(`/s/${f.leaderSurvey}?t=${link!.token}`);
    expect(step.statusCode).toBe(200);
    expect(step.body).toMatch(/<form method="get" action="\/s\/[^"]+">/);
    expect(step.body).toContain(`name="t" value="${link!.token}"`);
    // The default journey's departments, sorted.
    const options = [...step.body.matchAll(/<option value="([^"]*)">/g)].map((m) => m[1]);
    expect(options).toEqual(['', 'Commercial', 'Customer Success', 'Digital', 'Finance', 'Marketing', 'Product', 'Retention', 'Support']);
    const wrong = await app.inject(`/s/${f.leaderSurvey}?t=${link!.token}&function=Nowhere`);
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('<a href="#function">Your function</a>: choose your function from the list');
    const form = await app.inject(`/s/${f.leaderSurvey}?t=${link!.token}&function=finance`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="_fn" value="Finance"');
    expect(form.body).toContain('name="predict:excellent_share@billing"'); // Finance owns Billing
    const post = (fn: string) =>
      app.inject({ method: 'POST', url: `/s/${f.leaderSurvey}`, payload: new URLSearchParams({ _token: `tok-fn-${fn}`, _lt: link!.token, _fn: fn, excellent: '3', 'predict:excellent_share': '50' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const forged = await post('Nowhere');
    expect(forged.statusCode).toBe(422);
    expect(forged.body).toContain('function: is not one of the functions listed');
    expect((await countResponses(ctx().db, f.org.id)).leader).toBe(0);
    expect((await post('Finance')).statusCode).toBe(303);
    const agg = await loadAggregates(ctx().db, f.org.id, {});
    expect(agg.leaders.items.excellent).toEqual({ 3: 1 });
    const rows = await ctx().db.selectFrom('responses').select('segment_key').where('org_id', '=', f.org.id).where('perspective', '=', 'leader').execute();
    expect(rows.map((r) => r.segment_key)).toEqual(['function=Finance']);
  });

  it("lists the leader page's errors in the order of the fields on the page", async () => {
    const [link] = await createLeaderLinks(ctx().db, { orgId: f.org.id, createdBy: 'test', function: 'Support', count: 1 });
    // excellent left out (a validator error), a dimension not a number (a form error, found first), the
    // prediction off its scale (a validator error): three checks, each in its own order.
    const r = await app.inject({ method: 'POST', url: `/s/${f.leaderSurvey}`, payload: new URLSearchParams({ _lt: link!.token, 'dim:empathy': 'x', 'predict:excellent_share': '500' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.statusCode).toBe(422);
    const summary = r.body.slice(r.body.indexOf('id="error-summary"'), r.body.indexOf('</ul></div>'));
    const links = [...summary.matchAll(/<a href="#q(\d+)(?:-(\d+))?">/g)].map((m) => Number(m[1]));
    expect(links.length).toBe(3);
    expect(links).toEqual([...links].sort((a, b) => a - b));
    // and each link's target is on the page, in that order
    const at = links.map((i) => r.body.indexOf(`id="q${i}"`));
    expect(at.every((p) => p > 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });

  it('answers 404 for an unknown survey and 410 for a closed one', async () => {
    expect((await app.inject('/s/doesnotexist')).statusCode).toBe(404);
    await setSurveyActive(ctx().db, f.org.id, f.leaderSurvey, false);
    const closed = await app.inject(`/s/${f.leaderSurvey}`);
    expect(closed.statusCode).toBe(410);
    expect(closed.body).toContain('no longer taking answers');
  });
});
