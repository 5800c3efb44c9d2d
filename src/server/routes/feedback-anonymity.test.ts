// The anonymity rule over feedback items counts people, not items (issue 9), on both engines: in the verbatims
// (every channel and one), the themes of a channel and GET …/feedback/ratings. k = 5 (the default minimum).
// Six reviews by two authors in one cell are two people: withheld; six by six authors are shown; an author's
// items in several cells are one person however many cells they touch; an item without an author reference is
// an author of its own. Each case is a fresh organisation, so no other item is in its cells.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg } from '../../../test/fixtures.ts';
import { authHeaders } from '../../../test/auth-fixture.ts';

describeEngines('feedback anonymity counts distinct authors', (ctx) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await makeApp(ctx());
  });
  afterAll(() => app.close());

  /** A fresh organisation holding `authors.length` reviews, the i-th by authors[i] (undefined: no authorRef), in `months[i]`. */
  async function orgWith(authors: (string | undefined)[], months: string[] = authors.map(() => '2025-03')) {
    const f = await makeOrg(ctx());
    const admin = await authHeaders(ctx(), f.org.id, 'admin');
    const viewer = await authHeaders(ctx(), f.org.id, 'viewer');
    const base = `/api/v1/organisations/${f.org.id}`;
    const source = (await app.inject({ method: 'POST', url: `${base}/feedback-sources`, headers: admin, payload: { name: 'Trustpilot', channel: 'review' } })).json();
    const itemOf = (a: string | undefined, i: number) => ({
      source: source.id,
      text: `The invoice was confusing and the refund took weeks (${i})`,
      rating: { value: 2, min: 1, max: 5 },
      touchpoint: 'billing',
      ...(a === undefined ? {} : { authorRef: a }),
      occurredAt: `${months[i] ?? '2025-03'}-10T10:00:00Z`,
    });
    const items = authors.map(itemOf);
    const stored = await app.inject({ method: 'POST', url: `${base}/feedback`, headers: admin, payload: { items } });
    expect(stored.statusCode, stored.body).toBe(201);
    const get = async (path: string) => {
      const r = await app.inject({ url: `${base}${path}`, headers: viewer });
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    return {
      verbatims: (q = '') => get(`/verbatims?limit=50${q}`),
      themes: () => get('/reports/themes?channel=review'),
      ratings: () => get('/feedback/ratings'),
      add: async (author: string) => expect((await app.inject({ method: 'POST', url: `${base}/feedback`, headers: admin, payload: itemOf(author, 99) })).statusCode).toBe(201),
      erase: async (author: string) => expect((await app.inject({ method: 'DELETE', url: `${base}/respondents/${author}`, headers: admin })).statusCode).toBe(200),
    };
  }

  const WITHHELD = 'fewer than 5 authors of feedback items';

  it('withholds six items by two authors in one cell, everywhere they would show', async () => {
    const o = await orgWith(['a', 'a', 'a', 'b', 'b', 'b']);
    for (const q of ['', '&channel=review']) expect(await o.verbatims(q), q).toMatchObject({ total: 0, items: [], suppressed: { feedback: WITHHELD } });
    expect(await o.themes()).toMatchObject({ comments: 0, themes: [], suppressed: WITHHELD });
    expect(await o.ratings()).toEqual({ channels: [], suppressed: WITHHELD });
  });

  it('shows six items by six authors', async () => {
    const o = await orgWith(['a', 'b', 'c', 'd', 'e', 'f']);
    for (const q of ['', '&channel=review']) {
      const v = await o.verbatims(q);
      expect([v.total, v.items.length, v.suppressed.feedback], q).toEqual([6, 6, undefined]); // (no survey answers: those are suppressed)
    }
    const t = await o.themes();
    expect([t.comments, t.suppressed]).toEqual([6, undefined]);
    // Mean of six ratings of 2 on 1–5: (2 − 1) / (5 − 1) = 0.25.
    expect(await o.ratings()).toEqual({ channels: [{ channel: 'review', items: 6, rated: 6, meanRating: 0.25 }], suppressed: null });
  });

  it('counts an author once across cells: six items by two authors over three months are withheld', async () => {
    const o = await orgWith(['a', 'b', 'a', 'b', 'a', 'b'], ['2025-01', '2025-01', '2025-02', '2025-02', '2025-03', '2025-03']);
    expect(await o.verbatims()).toMatchObject({ total: 0, suppressed: { feedback: WITHHELD } });
    expect(await o.ratings()).toEqual({ channels: [], suppressed: WITHHELD });
  });

  it('counts each item without an author reference as one author', async () => {
    const anonymous = await orgWith([undefined, undefined, undefined, undefined, undefined]);
    expect((await anonymous.verbatims()).total).toBe(5);
    expect((await anonymous.ratings()).channels).toEqual([{ channel: 'review', items: 5, rated: 5, meanRating: 0.25 }]);
    // Three without a reference and three by one author: four people.
    const mixed = await orgWith([undefined, undefined, undefined, 'a', 'a', 'a']);
    expect(await mixed.verbatims()).toMatchObject({ total: 0, suppressed: { feedback: WITHHELD } });
  });

  it('counts again after every write and erasure (the kept cells follow the items)', async () => {
    const o = await orgWith(['a', 'b', 'c', 'd', 'd']);
    expect(await o.verbatims()).toMatchObject({ total: 0, suppressed: { feedback: WITHHELD } }); // four authors
    await o.add('e');
    expect((await o.verbatims()).total).toBe(6);
    expect((await o.ratings()).channels).toHaveLength(1);
    await o.erase('e');
    expect(await o.verbatims()).toMatchObject({ total: 0, suppressed: { feedback: WITHHELD } });
    expect((await o.ratings()).channels).toEqual([]);
  });
});
