// POST /organisations/:org/feedback's body on both engines: declared in the OpenAPI document (one item, or
// {items: [1–500 items]}) and enforced by the route's validator with every field named the batch's way
// (items.3.rating.value), all or nothing, before the handler runs.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { type OrgFixture } from '../../../test/fixtures.ts';
import { adminApp } from '../../../test/auth-fixture.ts';

describeEngines('POST feedback body: OpenAPI schema and field-named refusals', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  let source: string;
  const post = (payload: unknown, headers = admin) =>
    app.inject({ method: 'POST', url: `/api/v1/organisations/${f.org.id}/feedback`, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
  const count = async () => Number((await ctx().db.selectFrom('feedback_items').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', f.org.id).executeTakeFirst())?.n ?? 0);
  const item = (i: number, over: Record<string, unknown> = {}) => ({ source, externalId: `t-${i}`, text: `Refund still missing (${i})`, ...over });

  beforeAll(async () => {
    ({ app, f, admin } = await adminApp(ctx()));
    source = (await app.inject({ method: 'POST', url: `/api/v1/organisations/${f.org.id}/feedback-sources`, headers: admin, payload: { name: 'Zendesk', channel: 'ticket' } })).json().id;
  });
  afterAll(() => app.close());

  it('is in the OpenAPI document: one item or a batch of at most 500', async () => {
    const doc = (await app.inject('/api/v1/openapi.json')).json();
    const body = doc.paths['/api/v1/organisations/{org}/feedback'].post.requestBody;
    expect(body.required).toBe(true);
    const [one, batch] = body.content['application/json'].schema.anyOf;
    expect(one).toMatchObject({ type: 'object', required: ['text'], additionalProperties: false });
    expect(Object.keys(one.properties).sort()).toEqual(['authorRef', 'channel', 'externalId', 'occurredAt', 'rating', 'segments', 'source', 'text', 'touchpoint']);
    expect(one.properties.rating).toMatchObject({ type: 'object', required: ['value', 'min', 'max'] });
    expect(batch).toMatchObject({ type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', minItems: 1, maxItems: 500 } } });
    expect(batch.properties.items.items.properties.text).toEqual(one.properties.text);
  });

  it('names each bad field of a batch, and writes none of it', async () => {
    const cases: [unknown, string[]][] = [
      [{ items: [item(0), item(1), item(2), item(3, { rating: { value: 9, min: 1, max: 5 } })] }, ['items.3.rating.value']],
      [{ items: [item(0, { text: '' }), item(1, { colour: 'red' }), item(2, { rating: { value: 3, min: 5, max: 1 } })] }, ['items.0.text', 'items.1.colour', 'items.2.rating.max']],
      [{ items: [item(0, { text: undefined })] }, ['items.0.text']],
      [{ items: [] }, ['items']],
      [{ items: Array.from({ length: 501 }, (_, i) => item(i)) }, ['items']],
      [item(0, { occurredAt: 'yesterday' }), ['occurredAt']],
      [{ items: [item(0)], extra: true }, ['extra']],
      ['just text', ['body']],
    ];
    for (const [payload, fields] of cases) {
      const r = await post(payload);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().fields.map((x: { field: string }) => x.field)).toEqual(fields);
      expect(r.json().message).toContain(`${fields[0]}:`);
    }
    expect(await count()).toBe(0);
  });

  it('still stores a valid item and a valid batch, and checks the organisation after the shape (422)', async () => {
    expect((await post(item(10))).statusCode).toBe(201);
    expect((await post({ items: [item(11), item(12)] })).json()).toMatchObject({ created: 2, duplicates: 0 });
    const r = await post({ items: [item(13), item(14, { touchpoint: 'nowhere' })] });
    expect([r.statusCode, r.json().fields.map((x: { field: string }) => x.field)]).toEqual([422, ['items.1.touchpoint']]);
    expect(await count()).toBe(3);
  });

  it('answers an unauthenticated request 401 before looking at its body', async () => {
    const r = await app.inject({ method: 'POST', url: `/api/v1/organisations/${f.org.id}/feedback`, headers: { 'content-type': 'application/json' }, payload: '{"items": []}' });
    expect(r.statusCode).toBe(401);
  });
});
