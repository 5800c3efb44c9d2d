// The survey widget on both engines: the organisation's widget origins through the set-up API (validated,
// normalised, nothing written on bad input), the framing headers (survey pages framed only in widget mode
// and only by a declared origin; every other page framed by nobody), and GET /widget.js itself.
import { it, expect, beforeAll, afterAll } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders } from '../../../test/auth-fixture.ts';
import { countResponses } from '../../store/responses.ts';
import { setSurveyActive } from '../../store/surveys.ts';
import { replaceSegmentDeclarations } from '../../store/segments.ts';
import { WIDGET_SOURCE } from './widget.ts';

describeEngines('survey widget', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let other: OrgFixture;
  let h: Record<string, string>;
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx());
    other = await makeOrg(ctx());
    h = await authHeaders(ctx(), f.org.id, 'admin');
    await replaceSegmentDeclarations(ctx().db, f.org.id, [{ key: 'region', label: 'Region', public: true, kind: 'values', values: [{ value: 'EMEA', label: 'EMEA' }] }]);
  });
  afterAll(() => app.close());
  const patch = (payload: object) => app.inject({ method: 'PATCH', url: `/api/v1/organisations/${f.org.id}`, headers: h, payload });
  const origins = async () => (await app.inject({ url: `/api/v1/organisations/${f.org.id}`, headers: h })).json().widgetOrigins;
  const frameAncestors = (csp: unknown) => /frame-ancestors ([^;]+)/.exec(String(csp))?.[1];

  it('stores the widget origins normalised to the browser form, and starts with none', async () => {
    expect(await origins()).toEqual([]);
    const r = await patch({ widgetOrigins: ['https://Shop.Example', 'https://shop.example:8443/', 'http://127.0.0.1:3000', 'https://bücher.example'] });
    expect(r.statusCode).toBe(200);
    expect(r.json().widgetOrigins).toEqual(['https://shop.example', 'https://shop.example:8443', 'http://127.0.0.1:3000', 'https://xn--bcher-kva.example']);
    expect(await origins()).toEqual(r.json().widgetOrigins);
    // Other settings leave them alone.
    expect((await patch({ minResponses: 6 })).json().widgetOrigins).toHaveLength(4);
  });

  it('refuses what is not an origin, naming the entry, and changes nothing', async () => {
    const before = await origins();
    const bad: [unknown, string][] = [
      [['https://shop.example', 'https://shop.example/checkout'], 'widgetOrigins.1'],
      [['https://shop.example?x=1'], 'widgetOrigins.0'],
      [['https://shop.example#top'], 'widgetOrigins.0'],
      [['https://*.shop.example'], 'widgetOrigins.0'],
      [['ftp://shop.example'], 'widgetOrigins.0'],
      [['javascript:alert(1)'], 'widgetOrigins.0'],
      [['https://user:pw@shop.example'], 'widgetOrigins.0'],
      [['shop.example'], 'widgetOrigins.0'],
      [["https://shop.example; script-src *"], 'widgetOrigins.0'],
      [['https://a.example', 'https://A.example/'], 'widgetOrigins.1'],
      [[42], 'widgetOrigins.0'],
      [Array.from({ length: 21 }, (_, i) => `https://s${i}.example`), 'widgetOrigins'],
      ['https://shop.example', 'widgetOrigins'],
    ];
    for (const [widgetOrigins, field] of bad) {
      const r = await patch({ widgetOrigins });
      expect(r.statusCode, JSON.stringify(widgetOrigins)).toBe(400);
      expect(r.json().fields.map((x: { field: string }) => x.field)).toContain(field);
    }
    expect(await origins()).toEqual(before);
    // Twenty is the limit, not an error; an empty list turns the widget off.
    expect((await patch({ widgetOrigins: Array.from({ length: 20 }, (_, i) => `https://s${i}.example`) })).statusCode).toBe(200);
    expect((await patch({ widgetOrigins: [] })).json().widgetOrigins).toEqual([]);
  });

  it('lets a survey page be framed only in widget mode and only by a declared origin', async () => {
    await patch({ widgetOrigins: ['https://shop.example', 'https://other.example'] });
    // No widget mode: nobody frames it, as before.
    const plain = await app.inject(`/s/${f.customerSurvey}`);
    expect(frameAncestors(plain.headers['content-security-policy'])).toBe("'none'");
    expect(plain.headers['x-frame-options']).toBe('DENY');
    expect(plain.body).not.toContain('parallax:height');

    // Widget mode for a declared origin: framed by that origin alone; the form stays in widget mode.
    const host = encodeURIComponent('https://shop.example');
    const w = await app.inject(`/s/${f.customerSurvey}?widget=${host}&touchpoint=billing&segment.region=EMEA`);
    expect(w.statusCode).toBe(200);
    expect(frameAncestors(w.headers['content-security-policy'])).toBe('https://shop.example');
    expect(w.headers['x-frame-options']).toBeUndefined();
    expect(w.body).toContain(`action="/s/${f.customerSurvey}?widget=${host}"`);
    expect(w.body).toContain('name="link.touchpoint" value="billing"');
    expect(w.body).toContain(`parent.postMessage({ type: 'parallax:height', height: h }, host);`);
    expect(w.body).toContain('})("https://shop.example");');
    // A snippet set up with a touchpoint or segment the organisation doesn't have is told before anyone answers.
    const misset = await app.inject(`/s/${f.customerSurvey}?widget=${host}&touchpoint=till&segment.store=42`);
    expect(misset.statusCode).toBe(422);
    expect(frameAncestors(misset.headers['content-security-policy'])).toBe('https://shop.example');
    expect(misset.body).toContain('touchpoint: unknown touchpoint &quot;till&quot;');
    expect(misset.body).toContain('segments.store:');
    expect(misset.body).not.toContain('<form');

    // Undeclared, malformed, another organisation's, or the leader survey: refused, and not framable.
    for (const url of [
      `/s/${f.customerSurvey}?widget=${encodeURIComponent('https://evil.example')}`,
      `/s/${f.customerSurvey}?widget=${encodeURIComponent('https://shop.example/x')}`,
      `/s/${f.customerSurvey}?widget=${encodeURIComponent("https://shop.example; frame-ancestors *")}`,
      `/s/${f.customerSurvey}?widget=`,
      `/s/${other.customerSurvey}?widget=${host}`,
      `/s/${f.leaderSurvey}?widget=${host}`,
      `/s/${f.customerSurvey}/thanks?widget=${encodeURIComponent('https://evil.example')}`,
    ]) {
      const r = await app.inject(url);
      expect(r.statusCode, url).toBe(403);
      expect(frameAncestors(r.headers['content-security-policy']), url).toBe("'none'");
      expect(r.headers['x-frame-options'], url).toBe('DENY');
    }
    // Other pages and the API never become framable, widget parameter or not.
    for (const url of [`/api/v1/surveys/${f.customerSurvey}?widget=${host}`, `/widget.js?widget=${host}`, `/login?widget=${host}`]) {
      const r = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(frameAncestors(r.headers['content-security-policy']), url).toBe("'none'");
      expect(r.headers['x-frame-options'], url).toBe('DENY');
    }
  });

  it('keeps widget mode through an error and the thank-you page, storing the answers once', async () => {
    const host = encodeURIComponent('https://shop.example');
    const before = (await countResponses(ctx().db, f.org.id)).customer;
    const post = (body: Record<string, string>, widget = host) =>
      app.inject({ method: 'POST', url: `/s/${f.customerSurvey}?widget=${widget}`, payload: new URLSearchParams(body).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const bad = await post({ _token: 'widget-token-1', nps: '9' });
    expect(bad.statusCode).toBe(422);
    expect(frameAncestors(bad.headers['content-security-policy'])).toBe('https://shop.example');
    expect(bad.body).toContain(`action="/s/${f.customerSurvey}?widget=${host}"`);
    // From a page that is not declared: refused before anything is stored.
    expect((await post({ _token: 'widget-token-2', nps: '9', excellent: '4' }, encodeURIComponent('https://evil.example'))).statusCode).toBe(403);
    expect((await countResponses(ctx().db, f.org.id)).customer).toBe(before);
    const ok = await post({ _token: 'widget-token-3', nps: '9', excellent: '4', 'link.touchpoint': 'billing' });
    expect(ok.statusCode).toBe(303);
    // (Other parameters may follow: what the thank-you page says about follow-up, issue 13.)
    expect(ok.headers.location).toMatch(new RegExp(`^/s/${f.customerSurvey}/thanks\\?widget=${host}(&|$)`));
    expect((await countResponses(ctx().db, f.org.id)).customer).toBe(before + 1);
    const thanks = await app.inject(ok.headers.location as string);
    expect(thanks.statusCode).toBe(200);
    expect(frameAncestors(thanks.headers['content-security-policy'])).toBe('https://shop.example');
    expect(thanks.body).toContain('parallax:height');
    // A closed survey says so inside the frame rather than leaving the host page a browser error.
    await setSurveyActive(ctx().db, f.org.id, f.customerSurvey, false);
    try {
      const closed = await app.inject(`/s/${f.customerSurvey}?widget=${host}`);
      expect(closed.statusCode).toBe(410);
      expect(frameAncestors(closed.headers['content-security-policy'])).toBe('https://shop.example');
      const elsewhere = await app.inject(`/s/${f.customerSurvey}?widget=${encodeURIComponent('https://evil.example')}`);
      expect(frameAncestors(elsewhere.headers['content-security-policy'])).toBe("'none'");
    } finally {
      await setSurveyActive(ctx().db, f.org.id, f.customerSurvey, true);
    }
  });

  it('serves /widget.js as cacheable, compressed JavaScript that other sites may load', async () => {
    const source = readFileSync(WIDGET_SOURCE);
    const r = await app.inject({ url: '/widget.js', headers: { 'accept-encoding': 'gzip' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(r.headers['cache-control']).toBe('public, max-age=86400');
    expect(r.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(r.rawPayload).equals(source)).toBe(true);
    const etag = r.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    const again = await app.inject({ url: '/widget.js', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // Public: no session or key needed.
    expect((await app.inject('/widget.js')).statusCode).toBe(200);
  });
});
