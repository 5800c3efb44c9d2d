// Hole 3: verbatims bypassed the anonymity rule. The route checked only the size of the cut, so a filter
// OR-ing a large region with a rare one (`where=segment:region=EMEA&where=segment:region=Antarctica`)
// returned the rare respondents' comments and ratings, and the verbatim ids were stable across queries,
// so one respondent's region, plan, touchpoint, month, excellence and ratings were rebuilt from
// successive queries. Replayed through the real server (listen + fetch): the rare region is withheld
// exactly as the gap report withholds it (or the filter refused when it cannot be), the ids change on
// every request, and a quote carries its month and touchpoint only when the cut allows them.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../engines.ts';
import { makeOrg, type OrgFixture } from '../fixtures.ts';
import { authHeaders } from '../auth-fixture.ts';
import { listen } from './public-server.ts';
import { storeResponses, type NewResponse } from '../../src/store/responses.ts';
import { getFramework } from '../../src/store/organisations.ts';
import type { Store } from '../../src/store/db.ts';

interface Quote {
  id: string;
  comment: string;
  submittedAt: string | null;
  touchpoint: string | null;
  excellent: number | null;
  dimensionRating?: number;
}
interface Page {
  total: number;
  items: Quote[];
  suppressed: { customer?: string; leader?: string };
}

/**
 * Customers with a comment each: `regions` maps a region to its count; months, touchpoints and plans
 * cycle at different rates (cell sizes checked with collections.Counter over the same formulas).
 */
async function seed(store: Store, f: OrgFixture, regions: Record<string, number>, dim: string) {
  const rows: NewResponse[] = [];
  let i = 0;
  for (const [region, n] of Object.entries(regions)) {
    for (let j = 0; j < n; j++, i++) {
      rows.push({
        orgId: f.org.id,
        surveyId: f.customerSurvey,
        perspective: 'customer',
        submission: {
          respondentId: `cust-${i}`,
          submittedAt: `2025-${String((i % 12) + 1).padStart(2, '0')}-0${(i % 9) + 1}T10:00:00.000Z`,
          touchpoint: Math.floor(i / 5) % 2 ? 'app' : 'billing',
          segments: { region, plan: Math.floor(i / 7) % 3 ? 'basic' : 'premium' },
          answers: { excellent: 1 + (i % 5), [`dim:${dim}`]: 1 + ((i * 7) % 5) },
          comment: `${region} customer ${i} says hello`,
        },
      });
    }
  }
  await storeResponses(store.db, rows);
}

describeEngines('attack: verbatims differencing (rare region OR-ed in, stable ids)', (ctx) => {
  let app: FastifyInstance;
  let base: string;
  let withheld: OrgFixture; // Antarctica: 2 of 202, within the 5% that rule 1 may withhold
  let blocked: OrgFixture; // Antarctica: 3 of 33, too many to withhold: region cannot be used
  let dim: string;
  let viewerW: Record<string, string>;
  let viewerB: Record<string, string>;

  const get = async (f: OrgFixture, h: Record<string, string>, query: string): Promise<Page> => {
    const res = await fetch(`${base}/api/v1/organisations/${f.org.id}/verbatims?${query}`, { headers: h });
    expect(res.status, query).toBe(200);
    return (await res.json()) as Page;
  };
  const all = async (f: OrgFixture, h: Record<string, string>, query: string) => {
    const out: Quote[] = [];
    for (let offset = 0; ; offset += 200) {
      const p = await get(f, h, `${query}&limit=200&offset=${offset}`);
      out.push(...p.items);
      if (p.items.length < 200) return { ...p, items: out };
    }
  };

  beforeAll(async () => {
    withheld = await makeOrg(ctx());
    blocked = await makeOrg(ctx());
    dim = (await getFramework(ctx().db, withheld.org.id)).find((d) => d.customerItem !== null)!.key;
    await seed(ctx(), withheld, { EMEA: 100, APAC: 100, Antarctica: 2 }, dim);
    await seed(ctx(), blocked, { EMEA: 30, Antarctica: 3 }, dim);
    viewerW = await authHeaders(ctx(), withheld.org.id, 'viewer');
    viewerB = await authHeaders(ctx(), blocked.org.id, 'viewer');
    ({ app, base } = await listen(ctx(), { rateLimits: {} })); // the default limits
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the original OR filter returns no rare respondent: withheld exactly as in the gap report', async () => {
    const attack = await all(withheld, viewerW, 'where=segment:region=EMEA&where=segment:region=Antarctica&perspective=customer');
    expect(attack.items.some((q) => q.comment.startsWith('Antarctica'))).toBe(false);
    const emea = await get(withheld, viewerW, 'where=segment:region=EMEA&perspective=customer&limit=1');
    expect(attack.total).toBe(emea.total); // the difference of the two totals is 0, not 2
    expect(attack.total).toBe(100);
    // Not even unfiltered, nor by searching their words: a withheld respondent is in no answer.
    expect((await get(withheld, viewerW, 'q=Antarctica')).total).toBe(0);
    expect((await get(withheld, viewerW, 'where=segment:region=Antarctica')).items).toEqual([]);
    // The gap report applies the same rule to the same filter.
    const gap = await (await fetch(`${base}/api/v1/organisations/${withheld.org.id}/reports/gap?where=segment:region=EMEA&where=segment:region=Antarctica`, { headers: viewerW })).json();
    expect(gap.responses.customers).toBe(attack.total);
  });

  it('when the rare value cannot be withheld, the filter is refused as the gap report refuses it', async () => {
    const attack = await get(blocked, viewerB, 'where=segment:region=EMEA&where=segment:region=Antarctica');
    expect(attack.items).toEqual([]);
    expect(attack.suppressed.customer).toMatch(/segment:region/);
    const gap = await (await fetch(`${base}/api/v1/organisations/${blocked.org.id}/reports/gap?where=segment:region=EMEA&where=segment:region=Antarctica`, { headers: viewerB })).json();
    expect(gap.headline.customers.suppressed).toBe(true);
    // Unfiltered the quotes are listed, but carry no month or touchpoint that a small cell would give away.
    const plain = await all(blocked, viewerB, 'perspective=customer');
    expect(plain.total).toBe(33);
    for (const q of plain.items) expect(q.submittedAt).toBeNull(); // 33 over 12 months: cells under 5
  });

  it('ids change on every request, so successive queries cannot be joined on them', async () => {
    const a = await all(withheld, viewerW, 'perspective=customer');
    const b = await all(withheld, viewerW, 'perspective=customer');
    const ids = new Set(a.items.map((q) => q.id));
    expect(ids.size).toBe(a.items.length);
    expect(b.items.filter((q) => ids.has(q.id))).toEqual([]);
    // The old rebuild: one id looked up in the region, plan and dimension answers finds nothing.
    const target = a.items[0]!.id;
    for (const q of ['where=segment:region=EMEA', 'where=segment:plan=premium', `dimension=${dim}`, 'touchpoint=app', 'from=2025-03&to=2025-03']) {
      expect((await all(withheld, viewerW, `${q}&perspective=customer`)).items.some((x) => x.id === target), q).toBe(false);
    }
  });

  it('a quote shows only what its cut allows: month only when the month table is safe, never the day', async () => {
    // 202 customers (200 reportable) over 12 months × 2 touchpoints: every touchpoint × month cell holds ≥ 6.
    const p = await get(withheld, viewerW, 'perspective=customer&limit=50');
    for (const q of p.items) {
      expect(q.submittedAt).toMatch(/^\d{4}-\d{2}$/);
      expect(['app', 'billing']).toContain(q.touchpoint);
    }
    // Filtered by region and plan, the region × plan × month cells fall under 5 (smallest 2): months are
    // dropped, while region × plan × touchpoint (smallest 16) lets the touchpoint show.
    const narrow = await get(withheld, viewerW, 'where=segment:region=EMEA&where=segment:plan=premium&perspective=customer&limit=50');
    expect(narrow.items.length).toBeGreaterThan(0);
    for (const q of narrow.items) expect(q).toMatchObject({ submittedAt: null, touchpoint: expect.stringMatching(/^(app|billing)$/) });
    const body = JSON.stringify(p);
    expect(body).not.toMatch(/cust-\d|T10:00|premium|basic/);
  });
});
