// Hole 5: calibration's anonymous ranked list could be de-anonymised, and the leader survey was public.
// The attack: read the calibration report, submit a leader response with a guessed `respondentId` (demo
// ids are `leader-NN`) through the open survey id, read again — the row that changed gave that leader's
// stored prediction, and the new response replaced the real one. Replayed through the real server
// (listen + fetch): the open submission is refused (API and form), a body `respondentId` is refused even
// with a link, a link takes one response (also under a race), and the report holds no row per leader —
// only bands of ≥ k and rounded quartiles, of bounded size — so there is nothing to difference.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../engines.ts';
import { makeOrg, type OrgFixture } from '../fixtures.ts';
import { authHeaders, makeUser, sessionHeaders } from '../auth-fixture.ts';
import { listen } from './public-server.ts';
import { demoHistory } from '../../src/sample-data/demo-history.ts';
import { getFramework, getJourney } from '../../src/store/organisations.ts';
import { storeResponses, countResponses } from '../../src/store/responses.ts';
import { addMembership } from '../../src/store/memberships.ts';

describeEngines('attack: calibration differencing and open leader submissions', (ctx) => {
  let app: FastifyInstance;
  let base: string;
  let f: OrgFixture;
  let viewer: Record<string, string>;
  let analyst: Record<string, string>;
  const leaderAnswers = { excellent: 5, 'predict:excellent_share': 99 };

  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) };
  };
  const calibration = async (h = viewer) => {
    const r = await send('GET', `/api/v1/organisations/${f.org.id}/reports/calibration`, undefined, h);
    expect(r.status).toBe(200);
    return r;
  };
  const leaderCount = async () => (await countResponses(ctx().db, f.org.id)).leader;
  const respondentRows = async (id: string) =>
    (await ctx().db.selectFrom('responses').select('id').where('org_id', '=', f.org.id).where('respondent_id', '=', id).execute()).length;
  const newLinks = async (count: number, fn?: string) => {
    const r = await send('POST', `/api/v1/organisations/${f.org.id}/leader-links`, { count, ...(fn ? { function: fn } : {}) }, analyst);
    expect(r.status).toBe(201);
    return r.json().links as { id: string; token: string; path: string; function: string | null }[];
  };

  beforeAll(async () => {
    f = await makeOrg(ctx(), { industry: 'grocery' });
    const [framework, journey] = await Promise.all([getFramework(ctx().db, f.org.id), getJourney(ctx().db, f.org.id)]);
    // The demo keeps storing its leaders directly: respondent ids leader-01 … leader-40.
    const history = demoHistory({ framework, journey, customers: 800, leaders: 40, seed: 11, now: new Date('2025-12-15T12:00:00Z') });
    await storeResponses(
      ctx().db,
      history.map((h) => ({ orgId: f.org.id, surveyId: h.perspective === 'customer' ? f.customerSurvey : f.leaderSurvey, perspective: h.perspective, submission: h.submission })),
    );
    viewer = await authHeaders(ctx(), f.org.id, 'viewer');
    analyst = await authHeaders(ctx(), f.org.id, 'analyst');
    ({ app, base } = await listen(ctx(), { rateLimits: {} })); // the default limits
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the original attack: read, submit as leader-07 through the open link, read again — refused, nothing changed', async () => {
    const before = (await calibration()).text;
    const stored = await leaderCount();
    expect(await respondentRows('leader-07')).toBe(1);
    const api = await send('POST', `/api/v1/surveys/${f.leaderSurvey}/responses`, { respondentId: 'leader-07', answers: leaderAnswers });
    expect(api.status).toBe(403);
    expect(api.json().message).toMatch(/personal link/);
    // A guessed or made-up token is no better.
    for (const t of ['pl_' + 'A'.repeat(32), 'leader-07', '']) {
      const r = await send('POST', `/api/v1/surveys/${f.leaderSurvey}/responses?t=${encodeURIComponent(t)}`, { answers: leaderAnswers }, t ? { 'x-leader-token': t } : {});
      expect(r.status, t).toBe(403);
    }
    // The form: no page and no submission without a personal link.
    expect((await send('GET', `/s/${f.leaderSurvey}`)).status).toBe(403);
    const form = await fetch(`${base}/s/${f.leaderSurvey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _token: 'attackattack', excellent: '5', 'predict:excellent_share': '99' }).toString(),
      redirect: 'manual',
    });
    expect(form.status).toBe(403);
    expect(await leaderCount()).toBe(stored);
    expect(await respondentRows('leader-07')).toBe(1);
    expect((await calibration()).text).toBe(before);
  });

  it('the report holds no row per leader: bands of at least k and rounded quartiles, bounded in size', async () => {
    const r = await calibration();
    const j = r.json();
    expect(j.leaders).not.toHaveProperty('ranked');
    expect(j.leaders.identified).toBe(40);
    expect(j.leaders.bands.length).toBeLessThanOrEqual(6);
    for (const b of j.leaders.bands) expect(b.leaders).toBeGreaterThanOrEqual(5);
    for (const g of j.groups) expect(g.leaders).toBeGreaterThanOrEqual(5);
    expect(j.you).toBeNull();
    expect(r.text).not.toMatch(/leader-\d/);
    expect(r.text.length).toBeLessThan(8_000); // was 247 KB at scale: now independent of the number of leaders
  });

  it('a personal link: the respondent id is the server\'s, one response per link, even under a race', async () => {
    const [link, raced] = await newLinks(2, 'Sales');
    expect(link!.path).toBe(`/s/${f.leaderSurvey}?t=${link!.token}`);
    const url = `/api/v1/surveys/${f.leaderSurvey}/responses`;
    // Claiming another leader's id is refused even with a valid link (and the link stays unused).
    const claim = await send('POST', url, { respondentId: 'leader-07', answers: leaderAnswers }, { 'x-leader-token': link!.token });
    expect(claim.status).toBe(400);
    expect(claim.json().fields[0].field).toBe('respondentId');
    const ok = await send('POST', url, { answers: leaderAnswers }, { 'x-leader-token': link!.token });
    expect(ok.status).toBe(201);
    const again = await send('POST', url, { answers: { ...leaderAnswers, excellent: 1 } }, { 'x-leader-token': link!.token });
    expect(again.status).toBe(403);
    expect(again.json().message).toMatch(/already been used/);
    // leader-07's answer is untouched; the new one has a server-made id and the link's function.
    expect(await respondentRows('leader-07')).toBe(1);
    const row = await ctx().db.selectFrom('responses').select(['respondent_id', 'segments']).where('org_id', '=', f.org.id).where('id', '=', ok.json().id).executeTakeFirstOrThrow();
    expect(row.respondent_id).toMatch(/^leader:/);
    expect(JSON.parse(row.segments)).toEqual({ function: 'Sales' });
    // Ten concurrent submissions with one link store exactly one response.
    const before = await leaderCount();
    const results = await Promise.all(Array.from({ length: 10 }, () => send('POST', url, { answers: leaderAnswers }, { 'x-leader-token': raced!.token })));
    expect(results.filter((x) => x.status === 201)).toHaveLength(1);
    expect(results.filter((x) => x.status !== 201).every((x) => x.status === 403)).toBe(true);
    expect(await leaderCount()).toBe(before + 1);
    // The list shows both as used, without tokens or responses.
    const list = await send('GET', `/api/v1/organisations/${f.org.id}/leader-links`, undefined, analyst);
    expect(list.text).not.toContain(link!.token);
    expect(list.text).not.toContain(ok.json().id);
    expect(list.json().links.filter((l: { used: boolean }) => l.used)).toHaveLength(2);
  });

  it('the form takes a link once; a logged-in member answers as themself and alone sees their own line', async () => {
    // With its function on the link: a link without one first asks it (survey-pages.test.ts), before the form.
    const [link] = await newLinks(1, 'Sales');
    const page = await send('GET', link!.path);
    expect(page.status).toBe(200);
    const formToken = /name="_token" value="([^"]+)"/.exec(page.text)![1]!;
    const post = (token: string) =>
      fetch(`${base}/s/${f.leaderSurvey}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _token: token, _lt: link!.token, excellent: '4', 'predict:excellent_share': '40' }).toString(),
        redirect: 'manual',
      });
    expect((await post(formToken)).status).toBe(303);
    expect((await post(formToken)).status).toBe(303); // a double click: the same response, nothing more
    expect((await post('anotherformtoken')).status).toBe(403); // a second response with the link
    expect((await send('GET', link!.path)).status).toBe(403);

    const { user } = await makeUser(ctx());
    await addMembership(ctx().db, { orgId: f.org.id, userId: user.id, role: 'viewer' });
    const me = await sessionHeaders(ctx(), user.id);
    const url = `/api/v1/surveys/${f.leaderSurvey}/responses`;
    // A session needs its CSRF token on the API (a cross-site page cannot send it).
    expect((await send('POST', url, { answers: leaderAnswers }, { cookie: me.cookie! })).status).toBe(403);
    expect((await send('POST', url, { answers: leaderAnswers }, me)).status).toBe(201);
    const mine = (await calibration(me)).json();
    expect(mine.you).toMatchObject({ band: expect.any(String) });
    expect(mine.you.excellenceMae).toBeGreaterThan(0);
    expect((await calibration()).json().you).toBeNull(); // the viewer who did not answer
  });
});
