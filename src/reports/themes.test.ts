// The themes report on both engines against hand-counted themes and scipy reference values: counts per tag,
// sentiment shares with Wilson intervals, the monthly trend, quotes, the emerging test, and the anonymity
// rule (a theme under k withheld, a refused cut suppressed).
import { beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { storeResponses, type NewResponse } from '../store/responses.ts';
import { emergingTest, themesReport } from './themes.ts';

// Sentences whose reading by the shipped model was checked with `parallax text score`: negative/billing,
// positive/billing, positive/app, positive/app+website (no dimension tags on any).
const ANGRY = (i: number) => `I was overcharged on my bill again, awful ${i}`;
const REFUND = (i: number) => `My refund was paid back, thank you, great ${i}`;
const APP = (i: number) => `Love the app, it works brilliantly ${i}`;
const WEB = (i: number) => `Love the app and the website ${i}`;

describeEngines('themes report', (ctx) => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await makeOrg(ctx()); // k = 5
    const rows: NewResponse[] = [];
    let i = 0;
    const add = (month: string, touchpoint: string, comment: string) =>
      rows.push({
        orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer',
        submission: { respondentId: `r${i++}`, submittedAt: `${month}-10T09:00:00.000Z`, touchpoint, segments: {}, answers: { excellent: 3 }, comment },
      });
    const times = (n: number, fn: () => void) => { for (let j = 0; j < n; j++) fn(); };
    // January and February: 10 app, 4 angry + 1 happy billing (15 a month). March: 3 app + 2 app & website,
    // 12 angry + 3 happy billing (20). Every month × touchpoint cell holds ≥ 5 respondents.
    for (const m of ['2025-01', '2025-02']) {
      times(10, () => add(m, 'app', APP(i)));
      times(4, () => add(m, 'billing', ANGRY(i)));
      add(m, 'billing', REFUND(i));
    }
    times(3, () => add('2025-03', 'app', APP(i)));
    times(2, () => add('2025-03', 'app', WEB(i)));
    times(12, () => add('2025-03', 'billing', ANGRY(i)));
    times(3, () => add('2025-03', 'billing', REFUND(i)));
    await storeResponses(ctx().db, rows);
  });

  it('counts, shares, trend, quotes and the emerging test per tag', async () => {
    const r = await themesReport(ctx().db, f.org.id, { filters: {} });
    expect(r).toMatchObject({ perspective: 'customer', comments: 50, analysed: 50, lastMonth: '2025-03', withheld: 1 }); // website: 2 < k
    expect(r.themes.map((t) => `${t.kind}:${t.key}:${t.comments}`)).toEqual(['touchpoint:app:25', 'touchpoint:billing:25']);
    const billing = r.themes.find((t) => t.key === 'billing')!;
    expect(billing.label).toBe('Billing');
    // Wilson 95 %: scipy.stats.binomtest(20, 25).proportion_ci(method='wilson') = (0.6086904963045967, 0.9113941531319742),
    // binomtest(5, 25) → (0.08860584686802575, 0.39130950369540335).
    expect(billing.negative.share).toBe(0.8);
    expect(billing.negative.interval[0]).toBeCloseTo(0.6086904963045967, 10);
    expect(billing.negative.interval[1]).toBeCloseTo(0.9113941531319742, 10);
    expect(billing.positive.share).toBe(0.2);
    expect(billing.positive.interval[0]).toBeCloseTo(0.08860584686802575, 10);
    expect(billing.positive.interval[1]).toBeCloseTo(0.39130950369540335, 10);
    expect(billing.neutral.share).toBe(0);
    expect(billing.trend).toEqual([
      { month: '2025-01', comments: 5, share: 5 / 15 },
      { month: '2025-02', comments: 5, share: 5 / 15 },
      { month: '2025-03', comments: 15, share: 15 / 20 },
    ]);
    // Quotes: of the most common sentiment (negative), redacted text as stored.
    expect(billing.quotes).toHaveLength(3);
    for (const q of billing.quotes) expect(q).toMatch(/^I was overcharged on my bill again, awful \d+$/);
    // Emerging: March 15/20 against 10/30 before. z = 2.8867513459481287 (z² = scipy.stats.chi2_contingency(
    // [[15,5],[10,20]], correction=False) statistic 8.3333), one-sided p = scipy.stats.norm.sf(z) = 0.001946208561389314;
    // Holm over the two tags tested (app: z = −2.8868, p = norm.sf(−2.8868) = 0.9980537914386107):
    // min(1, 2 × 0.0019462) = 0.003892417122778628.
    expect(billing.emerging!.z).toBeCloseTo(2.8867513459481287, 10);
    expect(billing.emerging!.pValue).toBeCloseTo(0.001946208561389314, 12);
    expect(billing.emerging!.pAdjusted).toBeCloseTo(0.003892417122778628, 12);
    expect(billing.emerging).toMatchObject({ month: '2025-03', share: 0.75, historyShare: 10 / 30, emerging: true });
    const app = r.themes.find((t) => t.key === 'app')!;
    expect(app.positive.share).toBe(1);
    expect(app.emerging!.pValue).toBeCloseTo(0.9980537914386107, 12);
    expect(app.emerging!.pAdjusted).toBeCloseTo(0.9980537914386107, 12);
    expect(app.emerging!.emerging).toBe(false);
    expect(app.trend!.map((p) => p.comments)).toEqual([10, 10, 5]);
  });

  it('applies the filters and the anonymity rule', async () => {
    const billingOnly = await themesReport(ctx().db, f.org.id, { filters: { touchpoints: ['billing'] } });
    expect(billingOnly.comments).toBe(25);
    expect(billingOnly.themes.map((t) => t.key)).toEqual(['billing']);
    // Every comment of the cut carries the tag: pooled share 1, no difference to test (z = 0, p = 1).
    expect(billingOnly.themes[0]!.emerging).toMatchObject({ z: 0, pValue: 1, emerging: false, share: 1, historyShare: 1 });
    const none = await themesReport(ctx().db, f.org.id, { filters: { from: '2025-04' } });
    expect(none).toMatchObject({ comments: 0, themes: [], suppressed: 'fewer than 5 respondents' });
  });
});

describeEngines('themes report without a month breakdown', (ctx) => {
  it('shows no trend, no last month and no emerging test when a month holds fewer than k', async () => {
    const f = await makeOrg(ctx()); // k = 5
    const rows: NewResponse[] = [6, 2].flatMap((n, m) =>
      Array.from({ length: n }, (_, i) => ({
        orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer' as const,
        submission: { respondentId: `m${m}-${i}`, submittedAt: `2025-0${m + 1}-10T09:00:00.000Z`, touchpoint: 'billing', segments: {}, answers: { excellent: 3 }, comment: ANGRY(m * 10 + i) },
      })),
    );
    await storeResponses(ctx().db, rows);
    const r = await themesReport(ctx().db, f.org.id, { filters: {} });
    expect(r.lastMonth).toBeNull();
    expect(r.themes.map((t) => [t.key, t.comments, t.trend, t.emerging])).toEqual([['billing', 8, null, null]]);
  });
});

it('the emerging test needs groups of at least k and an earlier month', () => {
  const t = { n: 12, bySentiment: { negative: 12, neutral: 0, positive: 0 }, byMonth: new Map([['2025-01', 4], ['2025-02', 8]]) };
  const totals = new Map([['2025-01', 20], ['2025-02', 20]]);
  expect(emergingTest(t, totals, '2025-02', 5)).not.toBeNull();
  expect(emergingTest(t, totals, '2025-02', 9)).toBeNull(); // 8 in the last month < k
  expect(emergingTest(t, new Map([['2025-02', 20]]), '2025-02', 5)).toBeNull(); // no history
});
