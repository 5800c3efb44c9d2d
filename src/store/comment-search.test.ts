// Full-text search of the verbatims on both engines (migration 0018, store/comments.ts, reports/verbatims.ts):
// the language's semantics against each index (stemming, accents, phrases, prefixes, exclusion, OR), the
// index following live and bulk writes and erasure, the anonymity cuts still applied, highlights, and keyset
// pages that return every row exactly once behind cursors that do not open for another query.
import { it, expect, beforeAll } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { storeResponse, storeResponses, type NewResponse } from './responses.ts';
import { eraseResponses } from './erasure.ts';
import { engineOf } from './bulk.ts';
import { listVerbatims, VerbatimQueryError, type VerbatimQuery } from '../reports/verbatims.ts';
import { parseSearchQuery } from '../core/text/search-query.ts';
import { markedRanges } from './comment-search.ts';
import type { ValidSubmission } from '../core/survey.ts';

const sub = (over: Partial<ValidSubmission>): ValidSubmission => ({
  respondentId: null,
  submittedAt: '2025-03-10T12:34:56.000Z',
  touchpoint: 'app',
  segments: { region: 'EMEA' },
  answers: { excellent: 4 },
  comment: null,
  ...over,
});

const TEXTS = [
  'The billing was wrong',
  'I was billed twice this month',
  'Café was great',
  'cafe closed early',
  'App crashed on login',
  'the app never crashed but froze',
  'refund please, billing mess',
  'Email me at jo.bloggs@example.com about billing',
];

describeEngines('verbatims full-text search', (ctx) => {
  let f: OrgFixture;
  const page = ({ q, ...rest }: Partial<VerbatimQuery> & { q?: string } = {}) => {
    const parsed = q === undefined ? undefined : parseSearchQuery(q);
    if (parsed && !parsed.ok) throw new Error(parsed.message);
    return listVerbatims(ctx().db, f.org.id, 5, { filters: {}, limit: 50, perspective: 'customer', ...rest, search: parsed?.query });
  };
  const found = async (q: string, more: Partial<VerbatimQuery> = {}) => (await page({ q, ...more })).items.map((v) => v.comment).sort();

  beforeAll(async () => {
    f = await makeOrg(ctx());
    const customer = (comment: string | null, i: number, over: Partial<ValidSubmission> = {}): NewResponse => ({
      orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer',
      submission: sub({ respondentId: `c-${i}`, comment, submittedAt: `2025-0${3 + (i % 2)}-10T12:00:00.000Z`, ...over }),
    });
    // Bulk (the import path) and fillers: 30 commented customers, 10 per month × touchpoint cell at least.
    await storeResponses(ctx().db, [
      ...TEXTS.map((t, i) => customer(t, i)),
      ...Array.from({ length: 22 }, (_, i) => customer(`Great service overall number ${i}`, 100 + i)),
      // Two in LATAM: a region filter on them is a cut of 2, refused.
      ...[0, 1].map((i) => customer(`billing in latam ${i}`, 200 + i, { segments: { region: 'LATAM' } })),
    ]);
  });

  it('matches stems, accents and case, phrases, prefixes, exclusions and OR', async () => {
    const billing = ['Email me at [email] about billing', 'I was billed twice this month', 'The billing was wrong', 'billing in latam 0', 'billing in latam 1', 'refund please, billing mess'];
    expect(await found('billing')).toEqual(billing);
    expect(await found('BILLED')).toEqual(billing); // porter / english: both are "bill"
    expect(await found('bill*')).toEqual(billing);
    expect(await found('billing -refund -latam')).toEqual(['Email me at [email] about billing', 'I was billed twice this month', 'The billing was wrong']);
    expect(await found('café')).toEqual(['Café was great', 'cafe closed early']);
    expect(await found('CAFE')).toEqual(['Café was great', 'cafe closed early']);
    expect(await found('"app crashed"')).toEqual(['App crashed on login']);
    expect(await found('crashed OR froze')).toEqual(['App crashed on login', 'the app never crashed but froze']);
    expect(await found('app "never crashed" -froze')).toEqual([]);
  });

  it('searches the text the reader is shown: the redacted one, the original only when asked for', async () => {
    expect(await found('bloggs')).toEqual([]);
    expect(await found('bloggs', { original: true })).toEqual(['Email me at jo.bloggs@example.com about billing']);
    expect(await found('"jo bloggs" example*', { original: true })).toEqual(['Email me at jo.bloggs@example.com about billing']);
  });

  it('ranks by relevance, and highlights the matched words in the text shown', async () => {
    const r = await page({ q: 'billing' });
    const wrong = r.items.find((v) => v.comment === 'The billing was wrong')!;
    expect(wrong.highlights).toEqual([[4, 11]]);
    const cafe = (await page({ q: 'cafe' })).items.find((v) => v.comment === 'Café was great')!;
    expect(cafe.highlights).toEqual([[0, 4]]);
    const phrase = (await page({ q: '"app crashed"' })).items[0]!;
    expect(phrase.highlights).toEqual([[0, 11]]); // one range per phrase
    expect((await page()).items[0]!.highlights).toBeUndefined();
    // A marked text that does not line up with the shown one gives no ranges rather than wrong ones.
    expect(markedRanges('\u0002ab\u0003c', 'abcd')).toEqual([]);
    expect(markedRanges('x\u0002😀b\u0003', 'x😀b')).toEqual([[1, 4]]);
  });

  it('keeps the anonymity cuts: a refused filter finds nothing, whatever the search', async () => {
    const latam = await page({ q: 'billing', filters: { segments: { region: ['LATAM'] } } });
    expect(latam.items).toEqual([]);
    expect(latam.suppressed.customer).toBe('fewer than 5 respondents');
  });

  it('pages by cursor through every row exactly once, in both orders', async () => {
    for (const q of [undefined, 'great OR billing OR app']) {
      const all = await page({ q, limit: 200 });
      expect(all.nextCursor).toBeNull();
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < 20; n++) {
        const p = await page({ q, limit: 3, cursor });
        expect(p.total).toBe(all.total);
        seen.push(...p.items.map((v) => v.comment));
        if (!p.nextCursor) break;
        cursor = p.nextCursor;
      }
      expect(seen).toEqual(all.items.map((v) => v.comment));
      expect(new Set(seen).size).toBe(all.total);
    }
  });

  it('refuses a cursor of another query or an altered one, and relevance without a search', async () => {
    const first = await page({ q: 'billing', limit: 2 });
    const refused = async (q: Partial<VerbatimQuery> & { q?: string }) => {
      const e = await page(q).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(VerbatimQueryError);
      return (e as VerbatimQueryError).field;
    };
    expect(await refused({ q: 'cafe', cursor: first.nextCursor! })).toBe('cursor');
    expect(await refused({ q: 'billing', sort: 'newest', cursor: first.nextCursor! })).toBe('cursor');
    const c = first.nextCursor!;
    expect(await refused({ q: 'billing', cursor: c.slice(0, -2) + (c.endsWith('AA') ? 'AB' : 'AA') })).toBe('cursor');
    expect(await refused({ q: 'billing', cursor: 'not a cursor' })).toBe('cursor');
    expect(await refused({ sort: 'relevance' })).toBe('sort');
    expect(await refused({ q: 'billing', cursor: c, offset: 2 })).toBe('offset');
    // The cursor never shows the response id (whose first bits are its submission time).
    expect(Buffer.from(c, 'base64url').toString('latin1')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
  });

  it('follows live writes and erasure, and rebuilds', async () => {
    const one = await storeResponse(ctx().db, { orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer', submission: sub({ respondentId: 'late', comment: 'Zebra crossing was confusing' }) });
    expect(await found('zebra')).toEqual(['Zebra crossing was confusing']);
    expect(await found('zebra', { original: true })).toEqual(['Zebra crossing was confusing']);
    await engineOf(ctx().db).reindexTextSearch(ctx().db);
    expect(await found('zebra')).toEqual(['Zebra crossing was confusing']);
    expect(await eraseResponses(ctx().db, f.org.id, { responseIds: [one.id] })).toBe(1);
    expect(await found('zebra')).toEqual([]);
    expect(await found('zebra', { original: true })).toEqual([]);
    expect(await found('billing')).toHaveLength(6);
  });

  it('finds a ranked page behind many better-ranked matches the query may not list', async () => {
    // 300 leaders' short comments saying "invoice" three times rank above every customer's longer one saying it
    // once (on both engines' rankings): a customers' search reads past the first candidates to find its page
    // (rankedSurveyRows in store/comments.ts).
    const invoice = Array.from({ length: 5 }, (_, i) => `the invoice arrived late and the amount on it was not what we agreed, case ${i}`);
    await storeResponses(ctx().db, [
      ...Array.from({ length: 300 }, (_, i): NewResponse => ({
        orgId: f.org.id, surveyId: f.leaderSurvey, perspective: 'leader', submission: sub({ respondentId: `l-${i}`, comment: 'invoice, invoice, invoice' }),
      })),
      ...invoice.map((comment, i): NewResponse => ({
        orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer', submission: sub({ respondentId: `i-${i}`, comment }),
      })),
    ]);
    const all = await page({ q: 'invoice' });
    expect(all.items.map((v) => v.comment).sort()).toEqual(invoice);
    expect([all.total, all.totalIsEstimate, all.totalIsApproximate]).toEqual([5, false, false]);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 5; n++) {
      const p = await page({ q: 'invoice', limit: 2, cursor });
      seen.push(...p.items.map((v) => v.comment));
      if (!p.nextCursor) break;
      cursor = p.nextCursor;
    }
    expect(seen).toEqual(all.items.map((v) => v.comment));
    // Both perspectives: the leaders' best-ranked first.
    const both = await page({ q: 'invoice', perspective: undefined, limit: 3 });
    expect(both.items.map((v) => v.comment)).toEqual(Array(3).fill('invoice, invoice, invoice'));
  });

  it('counts a search exactly up to 1,000 matches and estimates past it, within its sampling error', async () => {
    // 2,400 customers write about a parcel, half of them in EMEA; 600 of them say it was lost.
    await storeResponses(ctx().db, Array.from({ length: 2400 }, (_, i): NewResponse => ({
      orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer',
      submission: sub({ respondentId: `p-${i}`, segments: { region: i % 2 ? 'EMEA' : 'NA' }, comment: i % 4 === 0 ? `my parcel was lost, order ${i}` : `the parcel came on time, order ${i}` }),
    })));
    const lost = await page({ q: 'parcel lost', limit: 5 });
    expect([lost.total, lost.totalIsEstimate, lost.totalIsApproximate]).toEqual([600, false, false]);
    for (const [filters, exact] of [[{}, 2400], [{ segments: { region: ['EMEA'] } }, 1200]] as [VerbatimQuery['filters'], number][]) {
      const p = await page({ q: 'parcel', limit: 5, filters });
      expect([p.totalIsEstimate, p.totalIsApproximate]).toEqual([true, true]);
      // About 2,000 of the matches sampled: the share's standard error is about 1.1 points, so 15% is over six of them.
      expect(Math.abs(p.total - exact)).toBeLessThanOrEqual(exact * 0.15);
      expect(p.total % 100).toBe(0); // two figures
      expect(p.items).toHaveLength(5);
    }
  });
});
