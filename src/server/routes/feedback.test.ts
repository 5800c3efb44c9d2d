// Feedback items through the API on both engines (issue 9): sources, single and batch items, idempotency
// (Idempotency-Key and externalId), validation (4xx naming the field, nothing written), access, the signed
// inbound webhook (stored once when redelivered; bad, old or absent signatures refused with nothing stored),
// the verbatims under the anonymity rule, the ratings beside the survey figures, and erasure of an author.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { adminApp, authHeaders } from '../../../test/auth-fixture.ts';
import { replaceSegmentDeclarations } from '../../store/segments.ts';
import { webhookSignature } from '../../core/webhooks/webhooks.ts';

describeEngines('feedback items API and inbound webhook', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  let source: { id: string; secret: string };
  const url = () => `/api/v1/organisations/${f.org.id}`;
  const post = (path: string, payload: unknown, headers = admin) => app.inject({ method: 'POST', url: `${url()}${path}`, headers, payload: payload as object });
  const count = async () => Number((await ctx().db.selectFrom('feedback_items').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', f.org.id).executeTakeFirst())?.n ?? 0);
  const item = (i: number, over: Record<string, unknown> = {}) => ({
    source: source.id,
    externalId: `rev-${i}`,
    text: `The invoice was confusing and the refund took weeks (${i})`,
    rating: { value: 1 + (i % 5), min: 1, max: 5 },
    touchpoint: 'billing',
    segments: { region: 'EMEA' },
    authorRef: `author-${i}@example.com`,
    occurredAt: '2025-03-10T10:00:00Z',
    ...over,
  });

  beforeAll(async () => {
    ({ app, f, admin } = await adminApp(ctx()));
    await replaceSegmentDeclarations(ctx().db, f.org.id, [
      { key: 'region', label: 'Region', public: false, kind: 'values', values: [{ value: 'EMEA', label: 'EMEA' }, { value: 'APAC', label: 'APAC' }] },
    ]);
    const r = await post('/feedback-sources', { name: 'Trustpilot', channel: 'review' });
    expect(r.statusCode).toBe(201);
    source = r.json();
    expect(source.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
  });
  afterAll(async () => {
    await app.close();
  });

  it('lists sources without their secret; only admins manage them', async () => {
    const list = await app.inject({ method: 'GET', url: `${url()}/feedback-sources`, headers: admin });
    expect(list.json().sources).toEqual([{ id: source.id, name: 'Trustpilot', channel: 'review', createdAt: expect.any(String) }]);
    expect(list.body).not.toContain(source.secret);
    const analyst = await authHeaders(ctx(), f.org.id, 'analyst');
    expect((await post('/feedback-sources', { name: 'X', channel: 'ticket' }, analyst)).statusCode).toBe(403);
    const bad = await post('/feedback-sources', { name: 'X', channel: 'fax' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('channel');
  });

  it('stores one item and a batch, durable and each once (externalId per source)', async () => {
    const one = await post('/feedback', item(0));
    expect(one.statusCode).toBe(201);
    expect(one.json()).toMatchObject({ created: 1, duplicates: 0, items: [{ id: expect.any(String), created: true }] });
    const batch = { items: Array.from({ length: 6 }, (_, i) => item(i)) };
    const r = await post('/feedback', batch);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ created: 5, duplicates: 1 });
    expect(r.json().items[0]).toEqual({ id: one.json().items[0].id, created: false });
    const again = await post('/feedback', batch);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: 0, duplicates: 6 });
    expect(await count()).toBe(6);
    const row = await ctx().db.selectFrom('feedback_items').selectAll().where('org_id', '=', f.org.id).where('external_id', '=', 'rev-3').executeTakeFirstOrThrow();
    // The rating as given, and normalised beside it: (5 − 1) / (5 − 1) = 1 for value 4+1.
    expect([Number(row.rating_value), Number(row.rating_min), Number(row.rating_max), Number(row.rating)]).toEqual([4, 1, 5, 0.75]);
    expect(row.channel).toBe('review');
    // Read at ingest like a survey comment.
    const a = await ctx().db.selectFrom('comment_analysis').selectAll().where('org_id', '=', f.org.id).where('response_id', '=', row.id).executeTakeFirstOrThrow();
    expect(a.sentiment).toBe('negative');
    // Never a survey response.
    expect(Number((await ctx().db.selectFrom('responses').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', f.org.id).executeTakeFirst())?.n)).toBe(0);
  });

  it('answers a repeated Idempotency-Key once, and refuses it with another body', async () => {
    const h = { ...admin, 'idempotency-key': 'k-1' };
    const body = { items: [item(100, { externalId: undefined }), item(101, { externalId: undefined })] };
    const first = await post('/feedback', body, h);
    expect(first.statusCode).toBe(201);
    const second = await post('/feedback', body, h);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    const other = await post('/feedback', { items: [item(102, { externalId: undefined })] }, h);
    expect(other.statusCode).toBe(409);
    expect(other.json().fields[0].field).toBe('Idempotency-Key');
    expect(await count()).toBe(8);
  });

  it('refuses bad input naming the field, writing nothing', async () => {
    const before = await count();
    const cases: [unknown, number, string][] = [
      [{ items: [item(200), item(201, { rating: { value: 3, min: 5, max: 1 } })] }, 400, 'items.1.rating.max'],
      [{ items: [item(202, { rating: { value: 9, min: 0, max: 5 } })] }, 400, 'items.0.rating.value'],
      [item(203, { source: 'fsrc_nope' }), 422, 'source'],
      [item(204, { source: undefined }), 422, 'source'],
      [item(205, { touchpoint: 'moon' }), 422, 'touchpoint'],
      [item(206, { segments: { planet: 'Mars' } }), 422, 'segments.planet'],
      [item(207, { segments: { region: 'Mars' } }), 422, 'segments.region'],
      [item(208, { channel: 'ticket' }), 422, 'channel'],
      [item(209, { text: '   ' }), 400, 'text'],
      [item(210, { text: 'x'.repeat(10_001) }), 422, 'text'],
      [item(211, { occurredAt: 'yesterday' }), 400, 'occurredAt'],
      [item(212, { occurredAt: '1990-01-01T00:00:00Z' }), 422, 'occurredAt'],
      [item(213, { colour: 'red' }), 400, 'colour'],
      [{ items: [] }, 400, 'items'],
      [{ items: Array.from({ length: 501 }, (_, i) => item(1000 + i)) }, 400, 'items'],
    ];
    for (const [body, status, field] of cases) {
      const r = await post('/feedback', body);
      expect([r.statusCode, r.json().fields?.map((x: { field: string }) => x.field)], JSON.stringify(body).slice(0, 120)).toEqual([status, expect.arrayContaining([field])]);
    }
    expect(await count()).toBe(before);
  });

  it('keeps long interview notes with several speakers and their line breaks', async () => {
    const interviews = (await post('/feedback-sources', { name: 'Research interviews', channel: 'interview' })).json();
    const notes = `Interviewer: How was billing?\r\nCustomer A: The invoice was confusing.\nCustomer B: ${'It took weeks to get a refund. '.repeat(1500)}`;
    expect(notes.length).toBeGreaterThan(40_000);
    const r = await post('/feedback', { source: interviews.id, text: notes, occurredAt: '2025-03-12T10:00:00Z' });
    expect(r.statusCode).toBe(201);
    const row = await ctx().db.selectFrom('feedback_items').select(['comment', 'channel']).where('org_id', '=', f.org.id).where('source_id', '=', interviews.id).executeTakeFirstOrThrow();
    expect(row.channel).toBe('interview');
    expect(row.comment.split('\n').slice(0, 2)).toEqual(['Interviewer: How was billing?', 'Customer A: The invoice was confusing.']);
    await app.inject({ method: 'DELETE', url: `${url()}/feedback-sources/${interviews.id}`, headers: admin });
  });

  it('lets admins, analysts and their API keys write; not viewers', async () => {
    const viewer = await authHeaders(ctx(), f.org.id, 'viewer');
    expect((await post('/feedback', item(300), viewer)).statusCode).toBe(403);
    const viewerKey = await authHeaders(ctx(), f.org.id, 'viewer', { via: 'apiKey' });
    expect((await post('/feedback', item(301), viewerKey)).statusCode).toBe(403);
    const analystKey = await authHeaders(ctx(), f.org.id, 'analyst', { via: 'apiKey' });
    expect((await post('/feedback', item(302), analystKey)).statusCode).toBe(201);
    const other = await makeOrg(ctx());
    const foreignKey = await authHeaders(ctx(), other.org.id, 'admin', { via: 'apiKey' });
    expect((await post('/feedback', item(303), foreignKey)).statusCode).toBe(404);
  });

  const hook = (body: string, headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: `/hooks/feedback/${source.id}`, headers: { 'content-type': 'application/json', ...headers }, payload: body });
  const signed = (id: string, body: string, secret = source.secret, at = Math.floor(Date.now() / 1000)) => ({
    'webhook-id': id,
    'webhook-timestamp': String(at),
    'webhook-signature': webhookSignature(secret, id, at, body),
  });

  it('takes a signed webhook delivery once, even when redelivered', async () => {
    const before = await count();
    const body = JSON.stringify({ items: [{ ...item(400), source: undefined }, { ...item(401), source: undefined }] });
    const r = await hook(body, signed('msg_1', body));
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().created).toBe(2);
    const again = await hook(body, signed('msg_1', body));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(r.json());
    // A new delivery id with the same items: their externalIds keep them single.
    const resent = await hook(body, signed('msg_2', body));
    expect(resent.json()).toMatchObject({ created: 0, duplicates: 2 });
    // Several signatures (a secret being rotated): one valid is enough.
    const one = JSON.stringify({ ...item(402), source: undefined });
    const h = signed('msg_3', one);
    const rotated = await hook(one, { ...h, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')} ${h['webhook-signature']}` });
    expect(rotated.statusCode).toBe(201);
    expect(await count()).toBe(before + 3);
  });

  it('refuses a bad, old or absent signature with 401 and stores nothing', async () => {
    const before = await count();
    const body = JSON.stringify({ ...item(500), source: undefined });
    const now = Math.floor(Date.now() / 1000);
    const wrongSecret = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
    for (const headers of [
      {},
      signed('m1', body, wrongSecret),
      // A minute past the 5-minute tolerance either way: the test's clock and the server's check are read
      // moments apart, so a signature one second out could be back inside it on a busy machine.
      signed('m2', body, source.secret, now - 360),
      signed('m3', body, source.secret, now + 360),
      { ...signed('m4', body), 'webhook-id': 'm4-changed' },
      signed('m5', body.replace('confusing', 'CONFUSING')),
      { ...signed('m6', body), 'webhook-signature': 'v2,abc' },
    ]) {
      const r = await hook(body, headers);
      expect(r.statusCode).toBe(401);
      expect(r.json().fields[0].field).toBe('webhook-signature');
    }
    const huge = JSON.stringify({ text: 'x'.repeat(1024 * 1024) });
    expect((await hook(huge, signed('m9', huge))).statusCode).toBe(413); // refused before it is read, let alone parsed
    const unknown = await app.inject({ method: 'POST', url: '/hooks/feedback/fsrc_unknown', headers: { 'content-type': 'application/json', ...signed('m7', body) }, payload: body });
    expect(unknown.statusCode).toBe(401);
    expect(await count()).toBe(before);
    // A valid signature over an invalid item: 4xx naming the field, nothing stored.
    const bad = JSON.stringify({ text: 'x', rating: { value: 7, min: 1, max: 5 } });
    const r = await hook(bad, signed('m8', bad));
    expect([r.statusCode, r.json().fields[0].field]).toEqual([400, 'rating.value']);
    expect(await count()).toBe(before);
  });

  it('shows the items in the verbatims with channel and source, under the anonymity rule, and their ratings beside', async () => {
    const viewer = await authHeaders(ctx(), f.org.id, 'viewer');
    const get = (q: string) => app.inject({ method: 'GET', url: `${url()}/verbatims?${q}`, headers: viewer });
    const all = await get('limit=200');
    expect(all.statusCode).toBe(200);
    const j = all.json();
    expect(j.total).toBe(await count());
    expect(j.items.every((v: { channel: string; source: string }) => v.channel === 'review' && v.source === 'Trustpilot')).toBe(true);
    expect(all.body).not.toMatch(/author-\d+@example\.com|EMEA/);
    // The survey has no comment: a survey-only query finds none; the review channel, all.
    expect((await get('channel=survey')).json().total).toBe(0);
    expect((await get('channel=review&q=refund')).json().total).toBe(j.total);
    expect((await get('channel=ticket')).json()).toMatchObject({ total: 0, items: [] });
    // The search marks the matched words in the items' text: the redacted text for everyone, the original for admins.
    for (const [q, h] of [['q=refund', viewer], ['q=refund&original=true', admin]] as const) {
      const found = (await app.inject({ method: 'GET', url: `${url()}/verbatims?${q}&limit=200`, headers: h })).json();
      expect(found.total, q).toBe(j.total);
      for (const v of found.items) expect(v.highlights.map(([a, b]: [number, number]) => v.comment.slice(a, b).toLowerCase())).toEqual(['refund']);
    }
    const authored = (await app.inject({ method: 'GET', url: `${url()}/verbatims?q=author&original=true`, headers: admin })).json();
    expect(authored.total).toBe(0); // the author reference is not part of the text
    // A cut with fewer than k (5) items: no text at all, and why.
    const small = (await get('from=2099-01')).json();
    expect(small.items).toEqual([]);
    const ratings = (await app.inject({ method: 'GET', url: `${url()}/feedback/ratings`, headers: viewer })).json();
    expect(ratings.channels).toEqual([{ channel: 'review', items: j.total, rated: j.total, meanRating: expect.any(Number) }]);
  });

  it('erases an author’s feedback with their responses', async () => {
    const before = await count();
    const r = await app.inject({ method: 'DELETE', url: `${url()}/respondents/${encodeURIComponent('author-400@example.com')}`, headers: admin });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ erased: 1, responses: 0, feedbackItems: 1 });
    expect(await count()).toBe(before - 1);
    const left = await ctx().db.selectFrom('comment_analysis as ca').leftJoin('feedback_items as r', (j) => j.onRef('r.org_id', '=', 'ca.org_id').onRef('r.id', '=', 'ca.response_id'))
      .leftJoin('responses as s', (j) => j.onRef('s.org_id', '=', 'ca.org_id').onRef('s.id', '=', 'ca.response_id'))
      .select('ca.response_id').where('ca.org_id', '=', f.org.id).where('r.id', 'is', null).where('s.id', 'is', null).execute();
    expect(left).toEqual([]); // no orphaned reading (its redacted text) left behind
  });
});
