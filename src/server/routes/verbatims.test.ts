// The verbatims, filter-options and survey QR endpoints through the API on both engines.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders } from '../../../test/auth-fixture.ts';
import { storeResponses } from '../../store/responses.ts';

describeEngines('GET /api/v1/organisations/:org/verbatims, filter-options and survey QR', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let headers: Record<string, string>;
  const get = (url: string, h = headers) => app.inject({ method: 'GET', url, headers: h });
  const publicUrlBefore = process.env.PARALLAX_PUBLIC_URL;
  beforeAll(async () => {
    // The QR code encodes the configured public address (read when the app is built), never the Host header.
    process.env.PARALLAX_PUBLIC_URL = 'https://cx.example.com';
    app = await makeApp(ctx());
    f = await makeOrg(ctx());
    headers = await authHeaders(ctx(), f.org.id, 'viewer');
    // Stored directly: the public route no longer takes a back-dated `submittedAt` or undeclared segments.
    await storeResponses(
      ctx().db,
      Array.from({ length: 6 }, (_, i) => ({
        orgId: f.org.id,
        surveyId: f.customerSurvey,
        perspective: 'customer' as const,
        submission: {
          respondentId: `secret-respondent-${i}`,
          submittedAt: `2025-0${i < 3 ? 2 : 3}-11T09:15:00.000Z`,
          touchpoint: 'billing',
          segments: { region: 'EMEA' },
          answers: { excellent: 1 + (i % 5), 'dim:communication': 2 },
          comment: `Invoice was confusing #${i}`,
        },
      })),
    );
  });
  afterAll(async () => {
    await app.close();
    if (publicUrlBefore === undefined) delete process.env.PARALLAX_PUBLIC_URL;
    else process.env.PARALLAX_PUBLIC_URL = publicUrlBefore;
  });

  it('returns quotes with the month only, filtered like the reports', async () => {
    const r = await get(`/api/v1/organisations/${f.org.id}/verbatims?q=INVOICE&touchpoint=billing&where=segment:region=EMEA&limit=2`);
    expect(r.statusCode).toBe(200);
    const j = r.json();
    expect(j.total).toBe(6);
    expect(j.items).toHaveLength(2);
    // By month the cut holds groups of 3 (February, March): the quotes do not carry their month.
    expect(j.items[0]).toMatchObject({ perspective: 'customer', submittedAt: null, touchpoint: 'billing' });
    expect(r.body).not.toMatch(/secret-respondent|EMEA|T09:15/);
    const dim = (await get(`/api/v1/organisations/${f.org.id}/verbatims?dimension=communication&perspective=customer`)).json();
    expect(dim.items.every((v: { dimensionRating: number }) => v.dimensionRating === 2)).toBe(true);
    const small = (await get(`/api/v1/organisations/${f.org.id}/verbatims?from=2025-03`)).json();
    expect(small).toEqual({ total: 0, totalIsEstimate: false, totalIsApproximate: false, nextCursor: null, items: [], suppressed: { customer: 'fewer than 5 respondents', leader: 'fewer than 5 respondents' } });
  });

  it('refuses bad input with a 400 naming the field', async () => {
    for (const [q, field] of [
      ['perspective=boss', 'perspective'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['offset=-1', 'offset'],
      ['dimension=Not%20a%20key', 'dimension'],
      ['from=2025-13', 'from'],
      ['where=segment:region', 'where'],
      ['q=%22app%20crashed', 'q'],
      ['q=-refund', 'q'],
      ['q=bi*ll', 'q'],
      ['sort=best', 'sort'],
      ['sort=relevance', 'sort'],
      ['cursor=not-ours', 'cursor'],
      [`cursor=${'A'.repeat(1001)}`, 'cursor'],
    ] as const) {
      const r = await get(`/api/v1/organisations/${f.org.id}/verbatims?${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.json().fields.map((x: { field: string }) => x.field).join(','), q).toContain(field);
    }
    expect((await get(`/api/v1/organisations/${f.org.id}/verbatims?q=%22app`)).json().message).toMatch(/^q: a phrase is not closed/);
    // A cursor pages the same query on; with another query it is refused, never misread.
    const first = (await get(`/api/v1/organisations/${f.org.id}/verbatims?q=invoice&limit=4`)).json();
    expect(first.items[0].highlights).toEqual([[0, 7]]);
    const next = (await get(`/api/v1/organisations/${f.org.id}/verbatims?q=invoice&limit=4&cursor=${first.nextCursor}`)).json();
    expect([...first.items, ...next.items].map((v: { comment: string }) => v.comment).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `Invoice was confusing #${i}`));
    expect(next.nextCursor).toBeNull();
    expect((await get(`/api/v1/organisations/${f.org.id}/verbatims?q=confusing&cursor=${first.nextCursor}`)).statusCode).toBe(400);
    expect((await get('/api/v1/organisations/nobody/verbatims')).statusCode).toBe(404);
  });

  it('needs a member of the organisation, and shows an owner only their touchpoints', async () => {
    const url = `/api/v1/organisations/${f.org.id}/verbatims`;
    expect((await get(url, {})).statusCode).toBe(401);
    expect((await get(url, await authHeaders(ctx(), (await makeOrg(ctx())).org.id, 'admin'))).statusCode).toBe(404);
    // Finance owns billing (all six comments); Product owns the app (none).
    expect((await get(url, await authHeaders(ctx(), f.org.id, 'owner', { department: 'Finance' }))).json().total).toBe(6);
    const product = (await get(url, await authHeaders(ctx(), f.org.id, 'owner', { department: 'Product' }))).json();
    expect(product.items.filter((v: { perspective: string }) => v.perspective === 'customer')).toEqual([]);
    expect(product.suppressed.customer).toBe('fewer than 5 respondents');
    expect((await get(`/api/v1/organisations/${f.org.id}/filter-options`, {})).statusCode).toBe(401);
  });

  it('offers the months and segment values for the filters', async () => {
    const r = await get(`/api/v1/organisations/${f.org.id}/filter-options`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ months: ['2025-02', '2025-03'], segments: [{ name: 'region', values: ['EMEA'] }] });
  });

  it('draws the public link as an SVG QR code that encodes the configured absolute link, whatever the Host header says', async () => {
    const r = await app.inject({ method: 'GET', url: `/api/v1/surveys/${f.customerSurvey}/qr.svg`, headers: { ...headers, host: 'evil.example' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(r.body).toMatch(/^<svg /);
    expect(r.body).toContain(`aria-label="QR code for https://cx.example.com/s/${f.customerSurvey}"`);
    expect(r.body).not.toContain('evil.example');
    // The same modules as the qrcode package draws for that link.
    const expected = await QRCode.toString(`https://cx.example.com/s/${f.customerSurvey}`, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#111827', light: '#ffffff' } });
    expect(r.body.replace(/ role="img" aria-label="[^"]*"/, '')).toBe(expected);
    expect((await get('/api/v1/surveys/nope/qr.svg')).statusCode).toBe(404);
  });
});
