// The gap report from histograms: figures checked against values computed independently with
// numpy 2.4 / scipy 1.17.1 (/tmp script reproduced inline) (script in the comments), and suppression of small groups.
import { describe, it, expect } from 'vitest';
import { gapReport, type Histogram, type SideAggregate } from './gap-report.ts';
import { DEFAULT_FRAMEWORK } from './framework.ts';

const hist = (values: number[]): Histogram => values.reduce<Histogram>((h, v) => ((h[v] = (h[v] ?? 0) + 1), h), {});
const rep = (v: number, n: number) => Array<number>(n).fill(v);

// Reference data set (also in test/report-api.test.ts through the API):
const L_EXC = [...rep(5, 6), ...rep(4, 2), ...rep(3, 2)];
const C_EXC = [...rep(5, 3), ...rep(4, 5), ...rep(3, 12), ...rep(2, 10), ...rep(1, 5)];
const L_REL = [5, 4, 4, 5, 4, 3, 4, 5, 4, 4];
const C_REL = [3, 2, 4, 3, 3, 2, 1, 3, 4, 5, 2, 3, 3, 2, 3, 4, 3, 2, 2, 3];
const NPS = [...rep(10, 9), ...rep(9, 3), ...rep(8, 6), ...rep(7, 4), ...rep(6, 5), ...rep(5, 3), ...rep(3, 3), ...rep(0, 2)];
const CSAT = [...rep(5, 8), ...rep(4, 10), ...rep(3, 9), ...rep(2, 5), ...rep(1, 3)];
const CES = [7, 6, 6, 5, 5, 5, 4, 4, 4, 4, 3, 3, 2, 1, 5, 6, 7, 5, 4, 3];
const PRED = [70, 80, 60, 75, 90, 65, 70, 85, 50, 60];

const side = (respondents: number, items: Record<string, number[]>): SideAggregate => ({
  respondents,
  items: Object.fromEntries(Object.entries(items).map(([k, v]) => [k, hist(v)])),
});

const input = (minResponses = 5) => ({
  organisation: { id: 'o', name: 'Acme', industry: 'digital_entertainment_streaming', minResponses },
  framework: DEFAULT_FRAMEWORK,
  filters: {},
  leaders: side(10, { excellent: L_EXC, 'dim:reliability': L_REL, 'predict:excellent_share': PRED }),
  customers: side(35, { excellent: C_EXC, 'dim:reliability': C_REL, nps: NPS, csat: CSAT, ces: CES }),
});

describe('gapReport', () => {
  const r = gapReport(input());

  it('computes the headline shares with Wilson intervals and the pooled two-proportion test', () => {
    // python: wilson(8,10) with z=1.959964 -> (0.4901624691221323, 0.9433178490622331)
    expect(r.headline.leaders).toMatchObject({ n: 10, share: 0.8 });
    const l = r.headline.leaders as { ci95: [number, number] };
    expect(l.ci95[0]).toBeCloseTo(0.4901624691221323, 6);
    expect(l.ci95[1]).toBeCloseTo(0.9433178490622331, 6);
    // wilson(8,35) -> (0.12065879772769536, 0.3901731702973419)
    const c = r.headline.customers as { share: number; ci95: [number, number] };
    expect(c.share).toBeCloseTo(8 / 35, 12);
    expect(c.ci95[0]).toBeCloseTo(0.12065879772769536, 6);
    expect(c.ci95[1]).toBeCloseTo(0.3901731702973419, 6);
    // pooled z = (p1-p2)/sqrt(p(1-p)(1/n1+1/n2)) = 3.3292257121385647; p = 2*norm.sf(z) = 0.000870877964035887
    expect(r.headline.gap).toBeCloseTo(0.8 - 8 / 35, 12);
    expect(r.headline.z).toBeCloseTo(3.3292257121385647, 6);
    expect(r.headline.pValue).toBeCloseTo(0.000870877964035887, 8);
  });

  it("compares leaders' predicted dimension ratings with customers' by Welch's t-test", () => {
    // scipy.stats.ttest_ind(L_REL, C_REL, equal_var=False) -> t=4.670395960215456, p=8.641186903346636e-05, df=25.146847885430564
    const d = r.dimensions.find((x) => x.key === 'reliability')!;
    expect(d.leaders).toMatchObject({ n: 10, mean: 4.2 });
    expect((d.leaders as { sd: number }).sd).toBeCloseTo(0.6324555320336759, 10);
    expect((d.customers as { sd: number }).sd).toBeCloseTo(0.9333020044867296, 10);
    expect(d.gap).toBeCloseTo(1.35, 10);
    expect(d.t).toBeCloseTo(4.670395960215456, 8);
    expect(d.df).toBeCloseTo(25.146847885430564, 8);
    expect(d.pValue).toBeCloseTo(8.641186903346636e-5, 9);
  });

  it('reports NPS with the promoter/detractor variance margin, CSAT top-2-box and CES t interval', () => {
    // numpy: coded +1/0/-1, score = 100*(P-D) = -2.857142857142858, moe = 1.96*100*sqrt((P+D-(P-D)^2)/n) = 27.983995425957314
    expect(r.nps).toMatchObject({ n: 35, promoters: 12, detractors: 13 });
    expect((r.nps as { score: number }).score).toBeCloseTo(-2.857142857142858, 10);
    expect((r.nps as { moe95: number }).moe95).toBeCloseTo(27.983995425957314, 8);
    // wilson(18,35) -> (0.3556880448212799, 0.6700576410721392)
    expect(r.csat).toMatchObject({ n: 35 });
    expect((r.csat as { ci95: number[] }).ci95[0]).toBeCloseTo(0.3556880448212799, 6);
    // mean ± t.ppf(.975,19)*sd/sqrt(20) -> 4.45, [3.714300908811043, 5.185699091188957]
    expect((r.ces as { mean: number }).mean).toBeCloseTo(4.45, 12);
    expect((r.ces as { ci95: number[] }).ci95[0]).toBeCloseTo(3.714300908811043, 6);
    expect((r.ces as { ci95: number[] }).ci95[1]).toBeCloseTo(5.185699091188957, 6);
  });

  it("measures leaders' calibration as the mean absolute error of their predicted excellence share", () => {
    // numpy: actual = 100*8/35 = 22.857142857142858; mean(|PRED - actual|) = 47.642857142857146
    expect(r.calibration).toMatchObject({ n: 10, direction: 'over-confident' });
    expect((r.calibration as { maeExcellenceShare: number }).maeExcellenceShare).toBeCloseTo(47.642857142857146, 9);
  });

  it('shows the published benchmark for the industry first', () => {
    expect(r.headline.benchmarks[0]).toMatchObject({ leaders: 0.95, customers: 0.28 });
  });

  it('suppresses every figure of a group smaller than the minimum', () => {
    const small = gapReport(input(11)); // 10 leaders < 11
    expect(small.headline.leaders).toEqual({ suppressed: true, reason: 'fewer than 11 respondents' });
    expect(small.headline.gap).toBeNull();
    expect(small.headline.pValue).toBeNull();
    expect(small.responses.leaders).toBeNull();
    expect(small.calibration).toHaveProperty('suppressed', true);
    const d = small.dimensions.find((x) => x.key === 'reliability')!;
    expect(d.leaders).toHaveProperty('suppressed', true);
    expect(d.t).toBeNull();
    expect(JSON.stringify(small.headline.leaders)).not.toMatch(/share|"n"/);
    // Customers (35) are still shown.
    expect(small.headline.customers).toMatchObject({ n: 35 });
    // A dimension with only 20 customer answers is hidden when the minimum is 21.
    const r21 = gapReport(input(21));
    expect(r21.dimensions.find((x) => x.key === 'reliability')!.customers).toHaveProperty('suppressed', true);
  });

  it('leaves leader-only dimensions without a customer side', () => {
    const ai = r.dimensions.find((x) => x.key === 'ai_readiness')!;
    expect(ai.customers).toBeNull();
    expect(ai.gap).toBeNull();
  });
});
