// Hole 12, the smaller holes, each replayed against the real server on both engines: an idempotency
// token reused on the organisation's other survey; unknown fields on POST /organisations (and, as a
// class, on any request body in the OpenAPI document); the survey footer's fixed "five"; the login
// redirect to "/\evil.example"; a QR code built from the caller's Host header; no security headers,
// hashed assets not cached, nothing compressed.
import { it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../engines.ts';
import { makeOrg, type OrgFixture } from '../fixtures.ts';
import { authHeaders } from '../auth-fixture.ts';
import { buildApp } from '../../src/server/app.ts';
import { listen } from './public-server.ts';
import { WEB_DIST } from '../../src/server/routes/web.ts';
import { countResponses } from '../../src/store/responses.ts';
import { listOrganisations } from '../../src/store/organisations.ts';
import { safeNextPath } from '../../src/web/lib/next-path.ts';

describeEngines('attack: the smaller holes', (ctx) => {
  let app: FastifyInstance;
  let base: string;
  let f: OrgFixture;
  beforeAll(async () => {
    f = await makeOrg(ctx(), { minResponses: 8 });
    ({ app, base } = await listen(ctx(), { rateLimits: {} })); // the default limits
  });
  afterAll(() => app.close());
  afterEach(() => {
    delete process.env.PARALLAX_PUBLIC_URL;
  });

  it('an idempotency token reused on the other survey stores a second response', async () => {
    const post = (survey: string, headers: Record<string, string>, answers: object) =>
      fetch(`${base}/api/v1/surveys/${survey}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'campaign-7', ...headers },
        body: JSON.stringify({ answers }),
      });
    expect((await post(f.customerSurvey, {}, { excellent: 4 })).status).toBe(201);
    // The leader survey, answered by a logged-in member (its only open way in), with the same token.
    const member = await authHeaders(ctx(), f.org.id, 'admin');
    const leader = await post(f.leaderSurvey, member, { excellent: 5, 'predict:excellent_share': 60 });
    expect(leader.status).toBe(201);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 1, leader: 1 });
    // Within one survey the token still means "the same response".
    const retry = await post(f.customerSurvey, {}, { excellent: 4 });
    expect(retry.status).toBe(200);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 1, leader: 1 });
  });

  it('POST /organisations refuses unknown fields (400 naming the field) and creates nothing', async () => {
    const h = await authHeaders(ctx(), null);
    const before = (await listOrganisations(ctx().db)).length;
    const r = await app.inject({ method: 'POST', url: '/api/v1/organisations', headers: h, payload: { name: 'Sneaky', industry: 'retail', id: 'streamly', plan: 'enterprise' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/\bid\b|plan/);
    expect((await listOrganisations(ctx().db)).length).toBe(before);
  });

  it('every request body in the OpenAPI document refuses unknown fields, at every level', async () => {
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json();
    const loose: string[] = [];
    // An object schema with named properties must say additionalProperties: false; a record (a schema
    // for additionalProperties) is a dictionary by design, and its values are walked too.
    const walk = (s: any, where: string): void => {
      if (!s || typeof s !== 'object') return;
      if (Array.isArray(s)) return s.forEach((x, i) => walk(x, `${where}[${i}]`));
      if (s.$ref) return walk(resolveRef(doc, s.$ref), s.$ref);
      if ((s.type === 'object' || s.properties) && s.properties && s.additionalProperties !== false) loose.push(where);
      for (const [k, v] of Object.entries(s)) if (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'example' && k !== 'examples') walk(v, `${where}.${k}`);
    };
    let bodies = 0;
    for (const [path, ops] of Object.entries<any>(doc.paths))
      for (const [method, op] of Object.entries<any>(ops))
        for (const [type, content] of Object.entries<any>(op.requestBody?.content ?? {})) {
          bodies++;
          walk(content.schema, `${method.toUpperCase()} ${path} (${type})`);
        }
    expect(bodies).toBeGreaterThan(10);
    expect(loose).toEqual([]);
  });

  it("the survey footer promises the organisation's own group size", async () => {
    const page = await (await fetch(`${base}/s/${f.customerSurvey}`)).text();
    expect(page).toContain('reported in groups of at least eight');
    expect(page).not.toContain('at least five');
  });

  it('the login redirect never follows /\\evil.example off the site', () => {
    const origin = 'http://127.0.0.1:3000';
    for (const next of ['/\\evil.example', '//evil.example', '/\t/evil.example', '/.//evil.example', 'https://evil.example'])
      expect(safeNextPath(new URLSearchParams(`next=${encodeURIComponent(next)}`).get('next'), origin)).toBe('/');
    expect(safeNextPath(new URLSearchParams('next=%2F%5Cevil.example').get('next'), origin)).toBe('/');
    expect(safeNextPath('/o/streamly/journey?from=2025-01', origin)).toBe('/o/streamly/journey?from=2025-01');
  });

  it("the QR code encodes the configured public URL, never the caller's Host header", async () => {
    const qr = () => app.inject({ url: `/api/v1/surveys/${f.customerSurvey}/qr.svg`, headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } });
    process.env.PARALLAX_PUBLIC_URL = 'https://cx.example.com/parallax/';
    // Read at start: a fresh app picks the setting up.
    const configured = await buildApp({ store: ctx() });
    try {
      const r = await configured.inject({ url: `/api/v1/surveys/${f.customerSurvey}/qr.svg`, headers: { host: 'evil.example' } });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain(`aria-label="QR code for https://cx.example.com/parallax/s/${f.customerSurvey}"`);
      expect(r.body).not.toContain('evil.example');
    } finally {
      await configured.close();
    }
    // Unset, in development: the address this server accepted the connection on.
    const viaSocket = await fetch(`${base}/api/v1/surveys/${f.customerSurvey}/qr.svg`, { headers: { 'x-forwarded-host': 'evil.example' } });
    const svg = await viaSocket.text();
    expect(svg).toContain(`aria-label="QR code for ${base}/s/${f.customerSurvey}"`);
    expect((await qr()).body).not.toContain('evil.example');
    // A malformed setting stops the server at start, with its reason.
    process.env.PARALLAX_PUBLIC_URL = 'cx.example.com';
    await expect(buildApp({ store: ctx() })).rejects.toThrow(/PARALLAX_PUBLIC_URL must be an absolute URL/);
  });

  it('answers with security headers; the survey page allows exactly its own inline script', async () => {
    const r = await fetch(`${base}/s/${f.customerSurvey}`);
    const html = await r.text();
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')*(;|$)/);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
    expect(scripts.length).toBeGreaterThan(0);
    for (const h of scripts) expect(csp).toContain(h);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    const api = await fetch(`${base}/api/v1/surveys/${f.customerSurvey}`);
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('compresses responses that are worth it', async () => {
    const r = await fetch(`${base}/api/v1/openapi.json`, { headers: { 'accept-encoding': 'gzip' } });
    expect(r.headers.get('content-encoding')).toBe('gzip');
    expect((await r.json()).openapi).toBeDefined(); // fetch inflates it: the body is intact
    const page = await fetch(`${base}/s/${f.customerSurvey}`, { headers: { 'accept-encoding': 'br' } });
    expect(page.headers.get('content-encoding')).toBe('br');
  });

  const built = existsSync(join(WEB_DIST, 'index.html'));
  it.skipIf(!built)('caches hashed assets for a year and revalidates index.html (needs npm run build:web)', async () => {
    const asset = readdirSync(join(WEB_DIST, 'assets')).find((n) => n.endsWith('.js'))!;
    const a = await fetch(`${base}/assets/${asset}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(a.status).toBe(200);
    expect(a.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(a.headers.get('content-encoding')).toBe('gzip');
    for (const path of ['/', '/o/streamly/journey']) {
      const index = await fetch(`${base}${path}`, { headers: { accept: 'text/html' } });
      expect(index.status).toBe(200);
      expect(index.headers.get('cache-control')).toBe('no-cache');
      expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    // A revalidation (304) must not carry a policy: its headers replace the cached page's, and a
    // non-HTML "default-src 'none'" there blanked the dashboard on every reload.
    // (inject: fetch turns a conditional request into a no-cache one, which is never answered 304)
    const first = await app.inject({ url: '/', headers: { accept: 'text/html' } });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/"/);
    const again = await app.inject({ url: '/o/streamly', headers: { accept: 'text/html', 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.headers['content-security-policy']).toBeUndefined();
  });
});

function resolveRef(doc: any, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((o, k) => o?.[k.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
}
