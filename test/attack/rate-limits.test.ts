// Attack: one address floods a public survey (form or API) or login with requests. Now each public
// route has limits per client address (and per survey), answered 429 with Retry-After and the API's
// error body; other addresses and a campaign's burst of 50 responses a second from many addresses pass.
import { it, expect, beforeAll, afterAll, describe } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../engines.ts';
import { makeOrg, type OrgFixture } from '../fixtures.ts';
import { makeUser } from '../auth-fixture.ts';
import { buildApp } from '../../src/server/app.ts';
import { countResponses } from '../../src/store/responses.ts';
import { listen } from './public-server.ts';
import { DEFAULT_RATE_LIMITS, rateLimitsFrom } from '../../src/server/rate-limits.ts';

const ok = { answers: { nps: 9, excellent: 4 } };

describe('rate limit settings', () => {
  it('take options over environment over defaults, 0 turning a limit off, and refuse nonsense', () => {
    expect(rateLimitsFrom({}, {})).toEqual(DEFAULT_RATE_LIMITS);
    expect(rateLimitsFrom({ loginPerAddressPerMinute: 0 }, { PARALLAX_RATE_SURVEY_PER_MIN: '100', PARALLAX_RATE_LOGIN_PER_MIN: '5' })).toEqual({
      ...DEFAULT_RATE_LIMITS,
      surveyPerMinute: 100,
      loginPerAddressPerMinute: 0,
    });
    expect(() => rateLimitsFrom({}, { PARALLAX_RATE_SURVEY_PER_IP_PER_MIN: 'lots' })).toThrow(/PARALLAX_RATE_SURVEY_PER_IP_PER_MIN/);
    // The defaults let a campaign's 50 responses a second for a minute through, but not one address's flood.
    expect(DEFAULT_RATE_LIMITS.surveyPerMinute).toBeGreaterThanOrEqual(50 * 60);
    expect(DEFAULT_RATE_LIMITS.surveyPerAddressPerMinute).toBeLessThanOrEqual(60);
  });
});

describeEngines('attack: flooding the public routes from one address', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let f2: OrgFixture;
  beforeAll(async () => {
    app = await buildApp({ store: ctx(), rateLimits: { surveyPerAddressPerMinute: 5, surveyPerMinute: 12, loginPerAddressPerMinute: 4 } });
    await app.ready();
    f = await makeOrg(ctx());
    f2 = await makeOrg(ctx());
  });
  afterAll(() => app.close());

  const api = (survey: string, ip: string) =>
    app.inject({ method: 'POST', url: `/api/v1/surveys/${survey}/responses`, payload: ok, remoteAddress: ip });
  const form = (survey: string, ip: string) =>
    app.inject({
      method: 'POST',
      url: `/s/${survey}`,
      payload: new URLSearchParams({ excellent: '4', nps: '8' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: ip,
    });

  it('one address: past its limit (form and API together) 429 with Retry-After and the error body; nothing stored', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await api(f.customerSurvey, '198.51.100.7')).statusCode);
    for (let i = 0; i < 2; i++) codes.push((await form(f.customerSurvey, '198.51.100.7')).statusCode);
    expect(codes).toEqual([201, 201, 201, 303, 303]);
    const before = await countResponses(ctx().db, f.org.id);
    const r = await api(f.customerSurvey, '198.51.100.7');
    expect(r.statusCode).toBe(429);
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    expect(r.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests', fields: [] });
    expect(r.json().message).toMatch(/too many responses from your address; try again in \d+ second/);
    const page = await form(f.customerSurvey, '198.51.100.7');
    expect(page.statusCode).toBe(429);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['retry-after']).toBeDefined();
    expect(page.body).toContain('Please try again shortly');
    // The limit is per address across surveys: another survey does not give a fresh allowance.
    expect((await api(f2.customerSurvey, '198.51.100.7')).statusCode).toBe(429);
    expect(await countResponses(ctx().db, f.org.id)).toEqual(before);
  });

  it('another address still gets through', async () => {
    expect((await api(f.customerSurvey, '198.51.100.8')).statusCode).toBe(201);
  });

  it('one survey: past its own limit from many addresses, 429 for that survey only', async () => {
    // f.customerSurvey has taken 6 of its 12 so far (5 above, 1 from .8).
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push((await api(f.customerSurvey, `203.0.113.${i + 1}`)).statusCode);
    expect(codes).toEqual([201, 201, 201, 201, 201, 201, 429, 429]);
    const r = await api(f.customerSurvey, '203.0.113.99');
    expect(r.json().message).toMatch(/too many responses to this survey/);
    expect((await api(f2.customerSurvey, '203.0.113.99')).statusCode).toBe(201);
  });

  it('login: one address past its limit gets 429 even with new e-mails each time; another address logs in', async () => {
    const u = await makeUser(ctx());
    const codes: number[] = [];
    for (let i = 0; i < 5; i++)
      codes.push(
        (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `spray${i}@test.example`, password: 'wrong password!' }, remoteAddress: '192.0.2.50' }))
          .statusCode,
      );
    expect(codes).toEqual([401, 401, 401, 401, 429]);
    const blocked = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: u.password }, remoteAddress: '192.0.2.50' });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    expect(blocked.headers['set-cookie']).toBeUndefined();
    const other = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: u.password }, remoteAddress: '192.0.2.51' });
    expect(other.statusCode).toBe(200);
  });
});

describeEngines('rate limits with the defaults, through a real server', (ctx) => {
  let app: FastifyInstance;
  let base: string;
  let f: OrgFixture;
  beforeAll(async () => {
    // Behind a trusted proxy (loopback here) the client address comes from X-Forwarded-For.
    ({ app, base } = await listen(ctx(), { trustProxy: ['127.0.0.1'], rateLimits: rateLimitsFrom({}, {}) }));
    f = await makeOrg(ctx());
  });
  afterAll(() => app.close());

  const post = (ip: string) =>
    fetch(`${base}/api/v1/surveys/${f.customerSurvey}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify(ok),
    });

  it("a campaign's burst of 50 responses at once from 50 addresses: all 201", async () => {
    const before = (await countResponses(ctx().db, f.org.id)).customer;
    const res = await Promise.all(Array.from({ length: 50 }, (_, i) => post(`10.1.${Math.floor(i / 200)}.${(i % 200) + 1}`)));
    expect(res.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect((await countResponses(ctx().db, f.org.id)).customer).toBe(before + 50);
  });

  it('one address sending 50 at once: the default per-address limit lets 30 through and refuses the rest with 429', async () => {
    const before = (await countResponses(ctx().db, f.org.id)).customer;
    const res = await Promise.all(Array.from({ length: 50 }, () => post('10.9.9.9')));
    const codes = res.map((r) => r.status);
    expect(codes.filter((c) => c === 201)).toHaveLength(DEFAULT_RATE_LIMITS.surveyPerAddressPerMinute);
    expect(codes.filter((c) => c === 429)).toHaveLength(50 - DEFAULT_RATE_LIMITS.surveyPerAddressPerMinute);
    expect((await countResponses(ctx().db, f.org.id)).customer).toBe(before + DEFAULT_RATE_LIMITS.surveyPerAddressPerMinute);
  });
});
