import { describe, it, expect } from 'vitest';
import { trendReport, periodIndex, shareVariance } from './trend.ts';
import { DEFAULT_FRAMEWORK } from '../framework.ts';
import type { SideAggregate } from '../gap-report.ts';

/** x of n answered 5 ("excellent"), the rest 2. */
const side = (x: number, n: number): SideAggregate => ({ respondents: n, items: { excellent: { 5: x, 2: n - x } } });
const ORG = { id: 'o', name: 'O', industry: 'other', minResponses: 5 };

// Six months with a hole at 2025-04, so x = 0, 1, 2, 4, 5, 6; leaders answer 6 of 6 in 2025-05 (variance fix).
const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-05', '2025-06', '2025-07'];
const L: [number, number][] = [[9, 10], [7, 8], [8, 10], [6, 6], [9, 11], [10, 12]];
const C: [number, number][] = [[30, 100], [28, 110], [25, 105], [20, 98], [22, 120], [15, 101]];

const input = (over: Partial<Parameters<typeof trendReport>[0]> = {}) => ({
  organisation: ORG,
  framework: DEFAULT_FRAMEWORK,
  filters: {},
  period: 'month' as const,
  points: MONTHS.map((m, i) => ({ period: m, index: periodIndex(m), customers: side(...C[i]!), leaders: side(...L[i]!) })),
  hidden: { customers: null, leaders: null, leadersOverall: null },
  leadersOverall: side(49, 57),
  ...over,
});

describe('trendReport', () => {
  // References (numpy 2.4 / scipy 1.17.1), x = [0,1,2,4,5,6]:
  //   var(x, n) = p(1-p)/n with p = x/n, or (x+.5)/(n+1) when x is 0 or n
  //   gap = xL/nL - xC/nC; w = 1/(var_L + var_C); X = [x, 1]; cov = inv(X.T W X); b = cov X.T W y
  //   se = sqrt(cov[0,0]); ci = b ± norm.ppf(.975)·se; p = 2·norm.sf(|b/se|)
  it('fits the gap slope by WLS with weights 1/Var(gap)', () => {
    const r = trendReport(input());
    expect(r.points.map((p) => p.gap)).toEqual([0.6000000000000001, 0.6204545454545455, 0.5619047619047619, 0.7959183673469388, 0.6348484848484849, 0.6848184818481848].map((g) => expect.closeTo(g, 12)));
    expect(r.points[3]!.gapVariance).toBeCloseTo(0.012711894420408727, 14);
    expect(r.slope!.perPeriod).toBeCloseTo(0.018332075223352076, 12);
    expect(r.slope!.ci95[0]).toBeCloseTo(-0.02366505517006417, 12);
    expect(r.slope!.ci95[1]).toBeCloseTo(0.06032920561676832, 12);
    expect(r.slope!.pValue).toBeCloseTo(0.392252503770231, 10);
    expect(r.slope!.direction).toBe('no evidence');
    expect(r.slope!.periods).toBe(6);
  });

  it("fits the customers' share alone: falling", () => {
    const r = trendReport(input());
    expect(r.customerTrend!.perPeriod).toBeCloseTo(-0.022341586013814994, 12);
    expect(r.customerTrend!.ci95[0]).toBeCloseTo(-0.037097008077313726, 12);
    expect(r.customerTrend!.ci95[1]).toBeCloseTo(-0.00758616395031626, 12);
    expect(r.customerTrend!.pValue).toBeCloseTo(0.003001006633811677, 10);
    expect(r.customerTrend!.direction).toBe('falling');
  });

  it('with the leaders hidden per period: no gap slope, the customer trend and the gap against pooled leaders remain', () => {
    const r = trendReport(input({ hidden: { customers: null, leaders: 'too thin', leadersOverall: null } }));
    expect(r.slope).toBeNull();
    expect(r.points[0]!.leaders).toEqual({ suppressed: true, reason: 'too thin' });
    expect(r.customerTrend!.direction).toBe('falling');
    expect(r.points[0]!.gapVsLeadersOverall).toBeCloseTo(49 / 57 - 0.3, 12);
  });

  it('suppresses small periods and needs three periods for a slope', () => {
    const r = trendReport(input({ points: [{ period: '2025-01', index: periodIndex('2025-01'), customers: side(1, 4), leaders: side(5, 5) }, { period: '2025-02', index: periodIndex('2025-02'), customers: side(10, 20), leaders: side(5, 6) }] }));
    expect(r.points[0]!.customers).toEqual({ suppressed: true, reason: 'fewer than 5 respondents' });
    expect(r.slope).toBeNull();
    expect(r.customerTrend).toBeNull();
  });

  it('indexes months and quarters on the calendar', () => {
    expect(periodIndex('2025-01') - periodIndex('2024-12')).toBe(1);
    expect(periodIndex('2025-Q1') - periodIndex('2024-Q4')).toBe(1);
    expect(shareVariance(6, 6)).toBeCloseTo(((6.5 / 7) * (0.5 / 7)) / 6, 15);
  });
});
