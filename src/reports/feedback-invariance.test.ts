// Feedback items never change a survey figure (issue 9), on both engines: an organisation's gap, trend,
// drivers, breakdown and calibration reports — and every count of responses (filter options, the stored
// response count, the export) — are identical before and after 200 feedback items with ratings and texts in
// the same months, touchpoints and segments as its survey responses; and again after the aggregates are
// rebuilt from the raw rows (`parallax rebuild`). The same items do appear in the verbatims and the themes,
// and a channel's items below the minimum group show no text.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { adminApp, authHeaders } from '../../test/auth-fixture.ts';
import { fillPerception } from '../../test/driver-perception-fixture.ts';
import { storeResponses, countResponses } from '../store/responses.ts';
import { replaceSegmentDeclarations } from '../store/segments.ts';
import { exportResponses } from '../store/export.ts';
import { rebuildAggregates } from '../store/rebuild.ts';

describeEngines('feedback items leave every survey figure unchanged', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  const base = () => `/api/v1/organisations/${f.org.id}`;

  const REPORTS = [
    '/reports/gap',
    '/reports/gap?touchpoint=billing',
    '/reports/gap?where=segment:region=EMEA',
    '/reports/gap?from=2025-10&to=2025-10',
    '/reports/trend?period=month',
    '/reports/trend?period=quarter',
    '/reports/drivers',
    '/reports/drivers?outcome=nps',
    '/reports/breakdown?by=touchpoint&dimensions=true',
    '/reports/breakdown?by=segment:region',
    '/reports/calibration?group=function',
    '/filter-options',
  ];
  async function snapshot() {
    const out: Record<string, unknown> = {};
    for (const path of REPORTS) {
      const r = await app.inject({ method: 'GET', url: `${base()}${path}`, headers: admin });
      out[path] = [r.statusCode, r.json()];
    }
    out.count = await countResponses(ctx().db, f.org.id);
    const exported = [];
    for await (const row of exportResponses(ctx().db, f.org.id)) exported.push(row);
    out.export = exported;
    return out;
  }

  beforeAll(async () => {
    ({ app, f, admin } = await adminApp(ctx()));
    await replaceSegmentDeclarations(ctx().db, f.org.id, [
      { key: 'region', label: 'Region', public: false, kind: 'values', values: [{ value: 'EMEA', label: 'EMEA' }, { value: 'APAC', label: 'APAC' }] },
    ]);
    await fillPerception(ctx(), f, { customers: 80, leaders: { Operations: 6, Marketing: 6 }, seed: 7, month: '2025-10' });
    // Customers with touchpoints, segments, NPS and comments over two months.
    await storeResponses(
      ctx().db,
      Array.from({ length: 60 }, (_, i) => ({
        orgId: f.org.id,
        surveyId: f.customerSurvey,
        perspective: 'customer' as const,
        submission: {
          respondentId: `c-${i}`,
          submittedAt: `2025-${i % 2 ? '10' : '11'}-0${1 + (i % 9)}T10:00:00.000Z`,
          touchpoint: i % 3 ? 'billing' : 'checkout',
          segments: { region: i % 4 ? 'EMEA' : 'APAC' },
          answers: { excellent: 1 + (i % 5), nps: i % 11, 'dim:communication': 1 + ((i * 3) % 5), 'dim:reliability': 1 + ((i * 7) % 5) },
          comment: i % 2 ? `The app keeps crashing when I pay (${i})` : null,
        },
      })),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  it('gap, trend, drivers, breakdown, calibration and counts are identical before and after 200 items, and after a rebuild', async () => {
    const before = await snapshot();
    for (const path of REPORTS) expect((before[path] as [number, unknown])[0], path).toBe(200);
    expect(JSON.stringify(before['/reports/gap'])).toContain('"responses":{"customers":140,"leaders":12}');
    const sources: string[] = [];
    for (const [name, channel] of [['Reviews', 'review'], ['Help desk', 'ticket']] as const)
      sources.push((await app.inject({ method: 'POST', url: `${base()}/feedback-sources`, headers: admin, payload: { name, channel } })).json().id);
    for (let b = 0; b < 2; b++) {
      const items = Array.from({ length: 100 }, (_, j) => {
        const i = b * 100 + j;
        return {
          source: sources[i % 2],
          externalId: `x-${i}`,
          text: i % 3 ? `Billing was wrong again and support never answered (${i})` : `Great checkout, the staff were lovely (${i})`,
          rating: i % 4 ? { value: i % 10, min: 0, max: 10 } : { value: 1 + (i % 5), min: 1, max: 5 },
          touchpoint: i % 3 ? 'billing' : 'checkout',
          segments: { region: i % 4 ? 'EMEA' : 'APAC' },
          authorRef: `a-${i}`,
          occurredAt: `2025-${i % 2 ? '10' : '11'}-1${i % 9}T12:00:00Z`,
        };
      });
      const r = await app.inject({ method: 'POST', url: `${base()}/feedback`, headers: admin, payload: { items } });
      expect(r.statusCode).toBe(201);
      expect(r.json().created).toBe(100);
    }
    const after = await snapshot();
    expect(after).toEqual(before);
    await rebuildAggregates(ctx().db, f.org.id);
    expect(await snapshot()).toEqual(before);
  });

  it('lists the items in the verbatims and counts them in the themes', async () => {
    const v = (await app.inject({ method: 'GET', url: `${base()}/verbatims?limit=200`, headers: admin })).json();
    expect(v.total).toBe(230); // 30 survey comments + 200 items
    const byChannel = (await app.inject({ method: 'GET', url: `${base()}/verbatims?channel=ticket&limit=200`, headers: admin })).json();
    expect(byChannel.total).toBe(100);
    expect(byChannel.items.every((x: { channel: string; source: string }) => x.channel === 'ticket' && x.source === 'Help desk')).toBe(true);
    // Relevance across both kinds: merged by rank, paged with a cursor without repeats.
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: { comment: string }[]; nextCursor: string | null } = (
        await app.inject({ method: 'GET', url: `${base()}/verbatims?q=billing&limit=40${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: admin })
      ).json();
      for (const it of page.items) seen.add(it.comment);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.size).toBe(133); // the items whose text says "Billing" (i % 3 ≠ 0 of 200)
    const themes = (await app.inject({ method: 'GET', url: `${base()}/reports/themes`, headers: admin })).json();
    expect(themes.comments).toBe(230);
    const count = async (channel: string) => (await app.inject({ method: 'GET', url: `${base()}/reports/themes?channel=${channel}`, headers: admin })).json().comments;
    expect([await count('survey'), await count('ticket'), await count('review')]).toEqual([30, 100, 100]);
    expect((await app.inject({ method: 'GET', url: `${base()}/reports/themes?channel=fax`, headers: admin })).statusCode).toBe(400);
  });

  it('shows no text of a channel below the minimum group', async () => {
    const small = await makeOrg(ctx());
    const h = await authHeaders(ctx(), small.org.id, 'admin');
    const s = (await app.inject({ method: 'POST', url: `/api/v1/organisations/${small.org.id}/feedback-sources`, headers: h, payload: { name: 'Chat', channel: 'chat' } })).json();
    const items = Array.from({ length: 4 }, (_, i) => ({ source: s.id, text: `Secret complaint number ${i}`, occurredAt: '2025-10-01T10:00:00Z' }));
    expect((await app.inject({ method: 'POST', url: `/api/v1/organisations/${small.org.id}/feedback`, headers: h, payload: { items } })).statusCode).toBe(201);
    const r = await app.inject({ method: 'GET', url: `/api/v1/organisations/${small.org.id}/verbatims`, headers: h });
    expect(r.json()).toMatchObject({ total: 0, items: [], suppressed: { feedback: 'fewer than 5 authors of feedback items' } });
    expect(r.body).not.toContain('Secret complaint');
    const ratings = await app.inject({ method: 'GET', url: `/api/v1/organisations/${small.org.id}/feedback/ratings`, headers: h });
    expect(ratings.json()).toEqual({ channels: [], suppressed: 'fewer than 5 authors of feedback items' });
  });
});
