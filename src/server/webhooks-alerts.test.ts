// Outgoing webhooks and alerts, end to end on both engines, in one store per engine (each engine's
// database set-up costs seconds; the suite's budget is small).
//
// Webhooks: the CRUD API (4xx naming the field, the secret shown once, audited, at most 20), and
// deliveries to a local HTTP receiver started here that checks the signature itself — the HMAC
// computed with node:crypto as the Standard Webhooks spec words it, not by the code under test — a
// retry after a 500 then success with the same webhook-id, a permanent 410, the keyset-paged delivery
// log, subscriptions, one claim per delivery with two senders, and the SSRF guard. The sender runs on a
// clock the test moves (WebhookRunner.tick), never on a timer.
//
// Alerts on seeded data with the clock moved: customers at billing rate everything a point lower in
// April 2025 while the app stays flat. Evaluated in May, a drop is raised for billing's headline figure
// and for communication (org-wide), none for the flat app or for reliability (noise); evaluated again
// the same month, nothing new (the dedupe key); the alert reaches the subscribed webhook's queue in
// the same transaction; a burst of negative comments at billing is raised against its own history;
// and a cut below the anonymity minimum raises nothing. References (scipy 1.17), BASE as below:
//   billing drop: scipy.stats.ttest_ind(BASE-1, BASE*3, equal_var=False, alternative='less').pvalue = 3.429618681423389e-06
//   communication org-wide: a = BASE-1 ++ BASE (n=40), b = BASE ×6 (n=120): same call = 0.0009234222780103311
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { authHeaders } from '../../test/auth-fixture.ts';
import type { Store } from '../store/db.ts';
import { claimDueDeliveries, createWebhook, listDeliveries, queueWebhookEvent } from '../store/webhooks.ts';
import { WebhookRunner } from './webhook-runner.ts';
import { storeResponses, type NewResponse } from '../store/responses.ts';
import { alertRound, evaluateAlerts } from './alert-runner.ts';

const BASE = [2, 3, 4, 3, 2, 4, 3, 3, 2, 4, 3, 3, 4, 2, 3, 3, 2, 4, 3, 3];

function seeded(f: OrgFixture, perMonth = BASE.length): NewResponse[] {
  const out: NewResponse[] = [];
  let id = 0;
  for (const month of ['2025-01', '2025-02', '2025-03', '2025-04'])
    for (const touchpoint of ['billing', 'app'])
      BASE.slice(0, perMonth).forEach((v, i) => {
        const x = month === '2025-04' && touchpoint === 'billing' ? v - 1 : v;
        out.push({
          orgId: f.org.id,
          surveyId: f.customerSurvey,
          perspective: 'customer',
          submission: {
            respondentId: `c${++id}`,
            submittedAt: `${month}-${String(1 + (i % 27)).padStart(2, '0')}T12:00:00.000Z`,
            touchpoint,
            segments: {},
            answers: { 'dim:communication': x, 'dim:reliability': v, excellent: x },
            comment: null,
          },
        });
      });
  return out;
}

interface Received {
  path: string;
  id: string;
  timestamp: string;
  body: string;
  verified: boolean;
}

/** Verifies as a receiver would: HMAC-SHA256 over "{id}.{timestamp}.{body}", key = base64-decoded secret after "whsec_". */
function verify(secret: string, headers: http.IncomingHttpHeaders, body: string): boolean {
  const key = Buffer.from(secret.split('_')[1]!, 'base64');
  const expected = createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest('base64');
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .some((s) => s === `v1,${expected}`);
}

describeEngines('webhooks and alerts', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let af: OrgFixture; // the alerts' organisation
  let admin: Record<string, string>;
  let receiver: http.Server;
  let base: string;
  const received: Received[] = [];
  const secrets = new Map<string, string>(); // receiver path → secret
  const answers = new Map<string, number[]>(); // path → statuses to answer, in turn (the last repeats)
  // Whole seconds (the timestamp header), a minute ahead of the real time the routes queue at, so that
  // what they queue is due on the test's clock.
  let clock = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
  const runner = () => new WebhookRunner({ db: ctx().db, now: () => clock, policy: { allowHttp: false, allowPrivate: true } });
  const url = (path = '') => `/api/v1/organisations/${f.org.id}/webhooks${path}`;
  const create = async (path: string, over: object = {}) => {
    const r = await app.inject({ method: 'POST', url: url(), headers: admin, payload: { url: `${base}${path}`, eventTypes: ['alert.sla_backlog'], ...over } });
    expect(r.statusCode, r.body).toBe(201);
    secrets.set(path, r.json().secret);
    return r.json().webhook.id as string;
  };
  const log = async (id: string, q = '') => (await app.inject({ url: url(`/${id}/deliveries${q}`), headers: admin })).json();

  beforeAll(async () => {
    process.env.PARALLAX_WEBHOOK_INTERVAL_MS = 'off'; // the test's clock drives the sender
    process.env.PARALLAX_ALERT_INTERVAL_MS = 'off'; // and the alerts' evaluation
    process.env.PARALLAX_WEBHOOK_ALLOW_PRIVATE = '1'; // the receiver is on loopback
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const path = req.url ?? '';
        const secret = secrets.get(path) ?? '';
        received.push({ path, id: String(req.headers['webhook-id']), timestamp: String(req.headers['webhook-timestamp']), body, verified: verify(secret, req.headers, body) });
        const queue = answers.get(path) ?? [200];
        res.writeHead(queue.length > 1 ? queue.shift()! : queue[0]!).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const store: Store = ctx();
    app = await makeApp(store);
    f = await makeOrg(store);
    admin = await authHeaders(store, f.org.id, 'admin');
    af = await makeOrg(store);
    await storeResponses(store.db, seeded(af));
  });
  afterAll(async () => {
    await app.close();
    await new Promise((r) => receiver.close(r));
  });

  it('creates, lists, updates and deletes endpoints; the secret once; bad input named; audited; at most 20', async () => {
    const r = await app.inject({ method: 'POST', url: url(), headers: admin, payload: { url: `${base}/crud`, eventTypes: ['alert.gap_widened'], format: 'slack', description: 'ops' } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const id = r.json().webhook.id;
    const read = await app.inject({ url: url(`/${id}`), headers: admin });
    expect(read.json().webhook).toMatchObject({ url: `${base}/crud`, format: 'slack', enabled: true, eventTypes: ['alert.gap_widened'] });
    expect(read.body).not.toContain('whsec_');
    const patched = await app.inject({ method: 'PATCH', url: url(`/${id}`), headers: admin, payload: { enabled: false, eventTypes: ['alert.sla_backlog', 'alert.sla_backlog'] } });
    expect(patched.json().webhook).toMatchObject({ enabled: false, eventTypes: ['alert.sla_backlog'], format: 'slack' });
    const bad: [object, string][] = [
      [{ url: 'ftp://x.example/', eventTypes: ['alert.sla_backlog'] }, 'url'],
      [{ url: 'http://hooks.example.com/', eventTypes: ['alert.sla_backlog'] }, 'url'],
      [{ url: `${base}/x`, eventTypes: ['alert.nonsense'] }, 'eventTypes.0'],
      [{ url: `${base}/x`, eventTypes: [] }, 'eventTypes'],
      [{ url: `${base}/x`, eventTypes: ['webhook.test'], colour: 'red' }, 'colour'],
      [{ url: `${base}/x`, eventTypes: ['webhook.test'], format: 'xml' }, 'format'],
    ];
    for (const [payload, field] of bad) {
      const e = await app.inject({ method: 'POST', url: url(), headers: admin, payload });
      expect(e.statusCode, JSON.stringify(payload)).toBeGreaterThanOrEqual(400);
      expect(e.statusCode).toBeLessThan(500);
      expect(e.json().fields.map((x: { field: string }) => x.field)).toContain(field);
    }
    delete process.env.PARALLAX_WEBHOOK_ALLOW_PRIVATE; // production default: loopback refused
    const priv = await app.inject({ method: 'PATCH', url: url(`/${id}`), headers: admin, payload: { url: 'http://127.0.0.1:9/x' } });
    process.env.PARALLAX_WEBHOOK_ALLOW_PRIVATE = '1';
    expect(priv.statusCode).toBe(422);
    expect(priv.json().fields[0].field).toBe('url');
    const analyst = await authHeaders(ctx(), f.org.id, 'analyst');
    expect((await app.inject({ url: url(), headers: analyst })).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: url(`/${id}`), headers: admin })).statusCode).toBe(204);
    expect((await app.inject({ url: url(`/${id}`), headers: admin })).statusCode).toBe(404);
    const audit = (await app.inject({ url: `/api/v1/organisations/${f.org.id}/audit-log`, headers: admin })).body;
    for (const action of ['webhooks.create', 'webhooks.update', 'webhooks.delete']) expect(audit).toContain(action);
    expect(audit).not.toContain('whsec_');
    expect((await app.inject({ url: url(), headers: admin })).json().webhooks).toHaveLength(0);
    // The limit, on another organisation so the endpoints below are not in its way.
    const g = await makeOrg(ctx());
    const gAdmin = await authHeaders(ctx(), g.org.id, 'admin');
    const gUrl = `/api/v1/organisations/${g.org.id}/webhooks`;
    // 19 straight into the store (the API's path is covered above), the 20th and 21st through the API.
    for (let i = 0; i < 19; i++) await createWebhook(ctx().db, g.org.id, { url: `${base}/n${i}`, description: null, eventTypes: ['webhook.test'], format: 'standard', enabled: true });
    expect((await app.inject({ method: 'POST', url: gUrl, headers: gAdmin, payload: { url: `${base}/n19`, eventTypes: ['webhook.test'] } })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: gUrl, headers: gAdmin, payload: { url: `${base}/n20`, eventTypes: ['webhook.test'] } })).statusCode).toBe(409);
  });

  it('delivers a signed test event that the receiver verifies, and logs it', async () => {
    const id = await create('/ok');
    const t = await app.inject({ method: 'POST', url: url(`/${id}/test`), headers: admin });
    expect(t.statusCode, t.body).toBe(202);
    expect(await runner().tick()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    const got = received.filter((x) => x.path === '/ok');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ id: t.json().deliveryId, timestamp: String(clock.getTime() / 1000), verified: true });
    const body = JSON.parse(got[0]!.body);
    expect(body).toMatchObject({ type: 'webhook.test', data: { webhook: id } });
    expect(Date.parse(body.timestamp)).toBeLessThanOrEqual(clock.getTime()); // when the event happened (queued), not when sent
    const l = await log(id);
    expect(l.deliveries).toEqual([expect.objectContaining({ id: t.json().deliveryId, eventType: 'webhook.test', state: 'delivered', attempts: 1, lastStatus: 200, lastError: null })]);
  });

  it('retries after a 500 with back-off and the same webhook-id, then succeeds', async () => {
    const id = await create('/flaky', { format: 'slack' });
    answers.set('/flaky', [500, 200]);
    const dids = await queueWebhookEvent(ctx().db, f.org.id, { type: 'alert.sla_backlog', summary: '3 cases are past their SLA', data: { open: 3 } }, { at: clock });
    expect(await runner().tick()).toMatchObject({ retried: 1 });
    expect((await log(id)).deliveries[0]).toMatchObject({ state: 'queued', attempts: 1, lastStatus: 500, nextAttemptAt: new Date(clock.getTime() + 5000).toISOString() });
    clock = new Date(clock.getTime() + 4000);
    expect(await runner().tick()).toEqual({ delivered: 0, retried: 0, failed: 0 }); // not due yet
    clock = new Date(clock.getTime() + 1000);
    expect(await runner().tick()).toMatchObject({ delivered: 1 });
    const got = received.filter((x) => x.path === '/flaky');
    expect(got).toHaveLength(2);
    expect(got[1]!.id).toBe(got[0]!.id);
    expect(dids).toContain(got[0]!.id);
    expect(got.every((x) => x.verified)).toBe(true);
    expect(got[1]!.timestamp).toBe(String(clock.getTime() / 1000)); // signed afresh at each attempt
    expect(JSON.parse(got[1]!.body)).toEqual({ text: '3 cases are past their SLA' });
    expect((await log(id)).deliveries[0]).toMatchObject({ state: 'delivered', attempts: 2, lastStatus: 200 });
  });

  it('takes a 410 as final, pages the log, and only subscribed, enabled endpoints get an event', async () => {
    const gone = await create('/gone', { eventTypes: ['alert.negative_burst'] });
    const off = await create('/off', { eventTypes: ['alert.negative_burst'], enabled: false });
    answers.set('/gone', [410]);
    for (let i = 0; i < 3; i++) await queueWebhookEvent(ctx().db, f.org.id, { type: 'alert.negative_burst', summary: `burst ${i}`, data: { i } }, { at: new Date(clock.getTime() + i) });
    clock = new Date(clock.getTime() + 10);
    expect(await runner().tick()).toEqual({ delivered: 0, retried: 0, failed: 3 });
    expect(received.filter((x) => x.path === '/off')).toHaveLength(0);
    expect((await log(off)).deliveries).toHaveLength(0);
    const p1 = await log(gone, '?limit=2');
    expect(p1.deliveries.map((d: { state: string; lastStatus: number; attempts: number }) => [d.state, d.lastStatus, d.attempts])).toEqual([['failed', 410, 1], ['failed', 410, 1]]);
    const p2 = await log(gone, `?limit=2&after=${p1.next}`);
    expect(p2.next).toBeNull();
    expect(p2.deliveries).toHaveLength(1);
    expect(new Set([...p1.deliveries, ...p2.deliveries].map((d: { id: string }) => d.id)).size).toBe(3);
    const badCursor = await app.inject({ url: url(`/${gone}/deliveries?after=nonsense`), headers: admin });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().fields[0].field).toBe('after');
    expect((await app.inject({ url: url(`/${gone}/deliveries?limit=1000`), headers: admin })).statusCode).toBe(400);
  });

  it('claims each delivery once with two senders, and refuses private addresses unless allowed', async () => {
    await create('/twice', { eventTypes: ['alert.customer_drop'] });
    for (let i = 0; i < 6; i++) await queueWebhookEvent(ctx().db, f.org.id, { type: 'alert.customer_drop', summary: 's', data: {} }, { at: clock });
    const [a, b] = await Promise.all([claimDueDeliveries(ctx().db, 4, clock), claimDueDeliveries(ctx().db, 4, clock)]);
    const ids = [...a!, ...b!].map((d) => d.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    // The default policy: 127.0.0.1 is refused when connecting, so nothing reaches the receiver.
    const strict = new WebhookRunner({ db: ctx().db, now: () => clock, policy: { allowHttp: false, allowPrivate: false } });
    const before = received.length;
    const id = await create('/private');
    await app.inject({ method: 'POST', url: url(`/${id}/test`), headers: admin });
    expect(await strict.tick()).toMatchObject({ failed: 1 });
    expect(received.length).toBe(before);
    expect((await log(id)).deliveries[0].lastError).toMatch(/private/);
  });


  it('raises a significant drop once, not on noise, and queues it for the subscribed webhook', async () => {
    const admin = await authHeaders(ctx(), af.org.id, 'admin');
    const wh = await app.inject({ method: 'POST', url: `/api/v1/organisations/${af.org.id}/webhooks`, headers: admin, payload: { url: 'http://127.0.0.1:9/hook', eventTypes: ['alert.customer_drop'] } });
    expect(wh.statusCode, wh.body).toBe(201);
    const raised = await alertRound(ctx().db, new Date('2025-05-03T08:00:00Z'));
    const mine = raised.filter((a) => a.dedupeKey.startsWith('customer_drop'));
    expect(mine.map((a) => a.dedupeKey).sort()).toEqual(['customer_drop:dimension:communication:2025-04', 'customer_drop:touchpoint:billing:2025-04']);
    const billing = mine.find((a) => a.subject === 'touchpoint:billing')!;
    expect(billing.data).toMatchObject({ respondents: 20, previousRespondents: 60, mean: 2, previousMean: 3 });
    // scipy.stats.ttest_ind(BASE-1, BASE*3, equal_var=False, alternative='less').pvalue
    expect(billing.data.pValue as number).toBeCloseTo(3.429618681423389e-6, 12);
    expect(mine.find((a) => a.subject === 'dimension:communication')!.data.pValue as number).toBeCloseTo(0.0009234222780103311, 10);
    expect(await alertRound(ctx().db, new Date('2025-05-20T08:00:00Z'))).toEqual([]); // same month: once
    const log = await listDeliveries(ctx().db, af.org.id, wh.json().webhook.id, 10);
    expect(log.deliveries.map((d) => d.eventType)).toEqual(['alert.customer_drop', 'alert.customer_drop']);
    const listed = (await app.inject({ url: `/api/v1/organisations/${af.org.id}/alerts`, headers: admin })).json();
    expect(listed.alerts.map((a: { subject: string }) => a.subject).sort()).toEqual(['dimension:communication', 'touchpoint:billing']);
  });

  it('raises a burst of negative comments on a touchpoint against its own history, not on the quiet one', async () => {
    // Sentiment as the text pipeline would store it: billing's comments in the week of 14 April all
    // negative, otherwise 1 in 10 (answer index 0 and 10 of each month) on both touchpoints.
    const rows = await ctx().db.selectFrom('responses').select(['id', 'touchpoint', 'submitted_at']).where('org_id', '=', af.org.id).execute();
    const inWeek = (at: string) => at >= '2025-04-14' && at < '2025-04-21';
    await ctx().db
      .insertInto('comment_analysis')
      .values(
        rows.map((r) => {
          const day = Number(r.submitted_at.slice(8, 10));
          const negative = (r.touchpoint === 'billing' && inWeek(r.submitted_at)) || day === 1 || day === 11;
          return { org_id: af.org.id, response_id: r.id, sentiment: negative ? 'negative' : 'neutral', score: negative ? -0.8 : 0, dimensions: '', touchpoints: '', redacted: 'x', model: 'test' };
        }),
      )
      .execute();
    // Monday 21 April: the last full week is 14–20 April (7 comments per touchpoint), history the 12 weeks
    // before (20 Jan–13 Apr: 54 comments, 6 negative). scipy.stats.binomtest(7, 7, 6/54, alternative='greater').pvalue = 2.090751581287689e-07
    const alerts = (await evaluateAlerts(ctx().db, af.org.id, new Date('2025-04-21T06:00:00Z'))).filter((a) => a.kind === 'negative_burst');
    expect(alerts.map((a) => a.dedupeKey)).toEqual(['negative_burst:touchpoint:billing:2025-04-14']);
    expect(alerts[0]!.data).toMatchObject({ negative: 7, comments: 7, historicalShare: 6 / 54 });
    expect(alerts[0]!.data.pValue as number).toBeCloseTo(2.090751581287689e-7, 12);
  });

  it('honours the settings, and names no cut below the minimum', async () => {
    const admin = await authHeaders(ctx(), af.org.id, 'admin');
    const put = await app.inject({ method: 'PUT', url: `/api/v1/organisations/${af.org.id}/alert-settings`, headers: admin, payload: { kinds: ['sla_backlog'], alpha: 0.05, slaBacklog: 3 } });
    expect(put.statusCode, put.body).toBe(200);
    expect(await evaluateAlerts(ctx().db, af.org.id, new Date('2025-05-03T08:00:00Z'))).toEqual([]);
    const bad = await app.inject({ method: 'PUT', url: `/api/v1/organisations/${af.org.id}/alert-settings`, headers: admin, payload: { kinds: ['nope'], alpha: 2, slaBacklog: 0 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields.map((x: { field: string }) => x.field).sort()).toEqual(['alpha', 'kinds.0', 'slaBacklog']);
    // An organisation whose minimum is above the touchpoints' monthly counts: no touchpoint is named.
    const g = await makeOrg(ctx(), { minResponses: 25 });
    await storeResponses(ctx().db, seeded(g));
    const subjects = (await evaluateAlerts(ctx().db, g.org.id, new Date('2025-05-03T08:00:00Z'))).map((a) => a.subject);
    expect(subjects.filter((s) => s.startsWith('touchpoint:'))).toEqual([]);
  });
});
