// Through the API on both engines: the verbatims' sentiment, tags and redaction (original text for admins
// only, audited), their sentiment= and tag= filters, and GET /reports/themes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders } from '../../../test/auth-fixture.ts';
import { storeResponses } from '../../store/responses.ts';
import { writeTransaction } from '../../store/write-transaction.ts';
import { rebuildThemeCounts } from '../../store/theme-counts.ts';

const SECRET = 'My name is Sarah Jones and the bill was wrong, email sarah.jones@example.com';

describeEngines('verbatims with sentiment, tags and redaction; GET reports/themes', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let viewer: Record<string, string>;
  let admin: Record<string, string>;
  const get = (url: string, h: Record<string, string>) => app.inject({ method: 'GET', url: `/api/v1/organisations/${f.org.id}${url}`, headers: h });

  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx());
    viewer = await authHeaders(ctx(), f.org.id, 'viewer');
    admin = await authHeaders(ctx(), f.org.id, 'admin');
    await storeResponses(
      ctx().db,
      Array.from({ length: 6 }, (_, i) => ({
        orgId: f.org.id,
        surveyId: f.customerSurvey,
        perspective: 'customer' as const,
        submission: { respondentId: `p${i}`, submittedAt: '2025-02-11T09:15:00.000Z', touchpoint: 'billing', segments: {}, answers: { excellent: 2 }, comment: `${SECRET} #${i}` },
      })),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows every role but admins the redacted text, with sentiment and tags', async () => {
    const r = await get('/verbatims', viewer);
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toMatch(/Sarah|sarah\.jones|example\.com/);
    const j = r.json();
    expect(j.total).toBe(6);
    for (const v of j.items) {
      expect(v.comment).toMatch(/^My name is \[name\] and the bill was wrong, email \[email\] #\d$/);
      expect(v.sentiment.label).toBe('negative');
      expect(v.sentiment.score).toBeLessThan(0);
      expect(v.tags.touchpoints).toContain('billing');
    }
    // A search runs on what the reader sees: the redacted name is not found.
    expect((await get('/verbatims?q=sarah', viewer)).json().total).toBe(0);
    expect((await get('/verbatims?q=%5Bemail%5D', viewer)).json().total).toBe(6);
  });

  it('gives admins the original on request, and audits it', async () => {
    const denied = await get('/verbatims?original=true', viewer);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().fields[0].field).toBe('original');
    const r = await get('/verbatims?original=true&q=sarah', admin);
    expect(r.statusCode).toBe(200);
    expect(r.json().total).toBe(6);
    expect(r.json().items[0].comment).toContain('sarah.jones@example.com');
    // An admin who does not ask sees the redacted text too.
    expect((await get('/verbatims', admin)).body).not.toContain('sarah.jones@example.com');
    const audit = await ctx().db.selectFrom('audit_log').select(['action', 'details']).where('org_id', '=', f.org.id).where('action', '=', 'verbatims.view').execute();
    expect(audit.some((a) => JSON.parse(a.details).query?.original === 'true')).toBe(true);
  });

  it('filters by sentiment and tag, and refuses bad values naming the field', async () => {
    expect((await get('/verbatims?sentiment=negative', viewer)).json().total).toBe(6);
    expect((await get('/verbatims?sentiment=positive', viewer)).json().total).toBe(0);
    expect((await get('/verbatims?tag=billing', viewer)).json().total).toBe(6);
    expect((await get('/verbatims?tag=app', viewer)).json().total).toBe(0);
    for (const [q, field] of [['sentiment=angry', 'sentiment'], ['tag=Not%20a%20key', 'tag'], ['original=yes', 'original']] as const) {
      const r = await get(`/verbatims?${q}`, viewer);
      expect(r.statusCode, q).toBe(400);
      expect(r.json().fields.map((x: { field: string }) => x.field).join(','), q).toContain(field);
    }
  });

  it('GET reports/themes: per tag, redacted quotes, members only, bad input a 400', async () => {
    const r = await get('/reports/themes', viewer);
    expect(r.statusCode).toBe(200);
    const j = r.json();
    expect(j).toMatchObject({ perspective: 'customer', comments: 6, analysed: 6, lastMonth: '2025-02' });
    const billing = j.themes.find((t: { key: string }) => t.key === 'billing');
    expect(billing).toMatchObject({ kind: 'touchpoint', label: 'Billing', comments: 6, negative: { share: 1 } });
    expect(billing.quotes).toHaveLength(3);
    expect(r.body).not.toMatch(/Sarah|sarah\.jones/);
    expect(billing.emerging).toBeNull(); // one month: no history to test against
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths['/api/v1/organisations/{org}/reports/themes'].get.responses)).toContain('200');
    expect(doc.paths['/api/v1/organisations/{org}/verbatims'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['sentiment', 'tag', 'original']));
    expect((await get('/reports/themes', {})).statusCode).toBe(401);
    const bad = await get('/reports/themes?perspective=boss', viewer);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('perspective');
  });

  it('redacts a comment stored before its analysis (not yet backfilled) when it is shown', async () => {
    await writeTransaction(ctx().db, (tx) => tx.deleteFrom('comment_analysis').where('org_id', '=', f.org.id).execute());
    // The themes' counts as a database from before the readings has them (migration 0029 counts what is stored).
    await writeTransaction(ctx().db, (tx) => rebuildThemeCounts(tx, f.org.id));
    const r = await get('/verbatims', viewer);
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toMatch(/Sarah|sarah\.jones/);
    expect(r.json().items[0]).toMatchObject({ sentiment: { label: 'negative' }, tags: { touchpoints: expect.arrayContaining(['billing']) } });
    expect((await get('/reports/themes', viewer)).json()).toMatchObject({ comments: 6, analysed: 0, themes: [] });
    expect((await get('/verbatims?q=sarah', viewer)).json().total).toBe(0); // not analysed: not searched on its original words
    expect((await get('/verbatims?q=sarah&original=true', admin)).json().total).toBe(6);
  });
});
