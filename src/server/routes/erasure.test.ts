// DELETE a respondent or a response through the API, on both engines: admins only (analysts 403,
// another organisation's admin 404), 404 when nothing matches, audited, and the reports change with it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { adminApp, authHeaders } from '../../../test/auth-fixture.ts';
import { storeResponses, type NewResponse } from '../../store/responses.ts';

describeEngines('erasure API', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  const customer = (i: number, respondentId: string | null): NewResponse => ({
    orgId: f.org.id,
    surveyId: f.customerSurvey,
    perspective: 'customer',
    submission: { respondentId, submittedAt: '2025-02-10T10:00:00.000Z', touchpoint: 'app', segments: {}, answers: { excellent: 1 + (i % 5) }, comment: `comment ${i}` },
  });
  const count = async () => Number((await ctx().db.selectFrom('responses').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', f.org.id).executeTakeFirst())!.n);
  const report = async () => (await app.inject({ url: `/api/v1/organisations/${f.org.id}/reports/gap`, headers: admin })).json();
  const del = (path: string, headers: Record<string, string>) => app.inject({ method: 'DELETE', url: `/api/v1/organisations/${f.org.id}/${path}`, headers });

  beforeAll(async () => {
    ({ app, f, admin } = await adminApp(ctx()));
    // 12 customers: 3 from one respondent, 9 anonymous.
    await storeResponses(ctx().db, Array.from({ length: 12 }, (_, i) => customer(i, i < 3 ? 'person-1' : null)));
  });
  afterAll(() => app.close());

  it('refuses analysts (403) and admins of another organisation (404), erasing nothing', async () => {
    const analyst = await authHeaders(ctx(), f.org.id, 'analyst');
    expect((await del('respondents/person-1', analyst)).statusCode).toBe(403);
    const stranger = await makeOrg(ctx());
    const otherAdmin = await authHeaders(ctx(), stranger.org.id, 'admin');
    expect((await del('respondents/person-1', otherAdmin)).statusCode).toBe(404);
    const key = await authHeaders(ctx(), f.org.id, 'analyst', { via: 'apiKey' });
    expect((await del('respondents/person-1', key)).statusCode).toBe(403);
    expect(await count()).toBe(12);
  });

  it('answers 404 when no response matches', async () => {
    const r = await del('respondents/nobody', admin);
    expect(r.statusCode).toBe(404);
    expect(r.json().message).toMatch(/respondent/);
    expect((await del('responses/00000000-0000-7000-8000-000000000000', admin)).statusCode).toBe(404);
    expect(await count()).toBe(12);
  });

  it('erases a respondent for an admin, audited, and the report counts them no more', async () => {
    expect((await report()).responses.customers).toBe(12);
    const r = await del('respondents/person-1', admin);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ erased: 3, responses: 3, feedbackItems: 0 });
    expect(await count()).toBe(9);
    const after = await report();
    expect(after.responses.customers).toBe(9);
    expect(after.headline.customers.n).toBe(9);
    // Again: nothing left to erase.
    expect((await del('respondents/person-1', admin)).statusCode).toBe(404);
    const audit = (await app.inject({ url: `/api/v1/organisations/${f.org.id}/audit-log?action=respondents.delete`, headers: admin })).json();
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0].target).toBe('/respondents/person-1');
  });

  it('erases one response by id', async () => {
    const { id } = (await ctx().db.selectFrom('responses').select('id').where('org_id', '=', f.org.id).orderBy('id').executeTakeFirst())!;
    const r = await del(`responses/${id}`, admin);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ erased: 1, responses: 1, feedbackItems: 0 });
    expect((await report()).responses.customers).toBe(8);
    const audit = (await app.inject({ url: `/api/v1/organisations/${f.org.id}/audit-log?action=responses.delete`, headers: admin })).json();
    expect(audit.entries.map((e: { target: string }) => e.target)).toEqual([`/responses/${id}`]);
  });
});
