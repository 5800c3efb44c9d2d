// The driver-perception route on both engines: the report through the API (checked by the zod serializer),
// bad parameters as 400 naming the field, leadership groups below the minimum never shown alone.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders } from '../../../test/auth-fixture.ts';
import { fillPerception, TRUE_TOP } from '../../../test/driver-perception-fixture.ts';

describeEngines('driver-perception route', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let viewer: Record<string, string>;
  const get = (query = '', headers = viewer) => app.inject({ url: `/api/v1/organisations/${f.org.id}/reports/driver-perception${query}`, headers });
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx());
    // Finance has 2 leaders and Legal 1: below the minimum of 5, so they may only appear pooled.
    await fillPerception(ctx(), f, { customers: 300, leaders: { Operations: 6, Marketing: 5, Finance: 2, Legal: 1 }, seed: 5 });
    viewer = await authHeaders(ctx(), f.org.id, 'viewer');
  });
  afterAll(() => app.close());

  it('returns the report: shares, verdicts, rank correlation, blind spots and a summary', async () => {
    const r = await get();
    expect(r.statusCode).toBe(200);
    const j = r.json();
    expect(j.outcome).toBe('excellent');
    expect(j.leaders.answered).toBe(14);
    expect(j.dimensions.find((d: { key: string }) => d.key === TRUE_TOP).verdict).toBe('under-weighted');
    expect(j.blindSpots.map((b: { key: string }) => b.key)).toContain(TRUE_TOP);
    expect(j.rankCorrelation.dimensions).toBe(9);
    expect(typeof j.summary).toBe('string');
    const nps = (await get('?outcome=nps')).json();
    expect(nps.outcome).toBe('nps');
  });

  it('never shows a leadership group below the minimum on its own', async () => {
    const j = (await get()).json();
    const groups: { group: string; leaders: number; pooled: boolean }[] = j.groups.rows;
    expect(groups.every((g) => g.leaders >= 5)).toBe(true);
    expect(groups.map((g) => g.group)).not.toContain('Finance');
    expect(groups.map((g) => g.group)).not.toContain('Legal');
    expect(groups.find((g) => g.group.includes('Finance'))!.pooled).toBe(true);
    expect(groups.reduce((s, g) => s + g.leaders, 0)).toBe(14);
    // With a period filter, each group must be safe in every month: Finance and Legal make it unsafe, so groups are withheld with the reason.
    const period = (await get('?from=2025-11&to=2025-11')).json();
    expect(period.groups.suppressed).toBe(true);
    expect(period.groups.reason).toMatch(/function/);
  });

  it('rejects bad parameters with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['?outcome=csat', 'outcome'],
      ['?group=Not-A-Segment', 'group'],
      ['?from=2025-13', 'from'],
      ['?where=region', 'where'],
    ];
    for (const [q, field] of cases) {
      const r = await get(q);
      expect(r.statusCode, q).toBe(400);
      expect(r.json().fields.map((x: { field: string }) => x.field), q).toContain(field);
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await app.inject('/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths)).toContain('/api/v1/organisations/{org}/reports/driver-perception');
  });

  it('answers 404 for an unknown organisation and 401 without a caller', async () => {
    expect((await app.inject({ url: '/api/v1/organisations/nope/reports/driver-perception', headers: viewer })).statusCode).toBe(404);
    expect((await app.inject({ url: `/api/v1/organisations/${f.org.id}/reports/driver-perception` })).statusCode).toBe(401);
  });
});
