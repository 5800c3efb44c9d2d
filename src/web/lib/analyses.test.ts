// The analyses views' helpers. Reference values: the t half-width from scipy
// (stats.t.ppf(0.975, 99) / sqrt(100) = 0.19842169515864175), the splits as plain means
// (numpy.mean([0.2, 0.1, 0.3]) = 0.2; numpy.mean([3.0, 2.5, 4.0]) = 3.1666…).
import { describe, expect, it } from 'vitest';
import { average, breakdownChoices, driverPoints, listInWords, niceTicks, parseAdjustment, parseBreakdownBy, periodLabel, perPeriodText, significant } from './analyses.ts';
import type { DriversReport } from './types.ts';

type Dim = DriversReport['dimensions'][number];
const dim = (key: string, weight: number | null, rank: number | null, mean: number | null, leaders: number | null): Dim => ({
  key,
  label: key.toUpperCase(),
  importance: weight,
  rescaled: weight === null ? null : (weight / 0.6) * 100,
  rank,
  performance: mean === null ? { suppressed: true, reason: 'fewer than 5 respondents' } : { n: 100, mean, sd: 1 },
  leaders: leaders === null ? { suppressed: true, reason: 'fewer than 5 respondents' } : { n: 40, mean: leaders, sd: 0.5 },
  gap: mean !== null && leaders !== null ? leaders - mean : null,
  quadrant: null,
  critical: false,
});

describe('driverPoints', () => {
  it('keeps dimensions with a weight and a shown rating, most important first, and splits at their means', () => {
    const { points, split } = driverPoints([dim('a', 0.2, 2, 3.0, 4.2), dim('b', 0.1, 3, 2.5, null), dim('c', 0.3, 1, 4.0, 4.5), dim('d', null, null, 3.5, 4), dim('e', 0.05, 4, null, 4)]);
    expect(points.map((p) => p.key)).toEqual(['c', 'a', 'b']);
    expect(split!.weight).toBeCloseTo(0.2, 12);
    expect(split!.performance).toBeCloseTo(3.1666666666666665, 12);
    expect(split!.importance).toBeCloseTo((0.2 / 0.6) * 100, 10);
    const a = points.find((p) => p.key === 'a')!;
    expect(a.performance.ci![0]).toBeCloseTo(3 - 0.19842169515864175, 6);
    expect(a.performance.ci![1]).toBeCloseTo(3 + 0.19842169515864175, 6);
    expect(points.find((p) => p.key === 'b')!.leaders).toEqual({ reason: 'fewer than 5 respondents' });
  });
  it('has no split without a model', () => {
    expect(driverPoints([dim('a', null, null, 3, 4)])).toEqual({ points: [], split: null });
  });
});

describe('significance after adjustment', () => {
  const t = { holm: 0.08, bh: 0.03 };
  it('uses the chosen adjustment, strictly below alpha', () => {
    expect(significant(t, 'holm')).toBe(false);
    expect(significant(t, 'bh')).toBe(true);
    expect(significant({ holm: 0.05, bh: 0.05 }, 'holm')).toBe(false);
    expect(significant(null, 'bh')).toBe(false);
  });
  it('reads the adjustment from the URL, Holm unless BH is asked for', () => {
    expect(parseAdjustment('bh')).toBe('bh');
    expect(parseAdjustment('holm')).toBe('holm');
    expect(parseAdjustment('bonferroni')).toBe('holm');
    expect(parseAdjustment(null)).toBe('holm');
  });
});

describe('breakdown choices', () => {
  const segs = [{ name: 'region' }, { name: 'plan' }];
  it('lists touchpoint, stage and each segment, and falls back to touchpoint', () => {
    expect(breakdownChoices(segs)).toEqual(['touchpoint', 'stage', 'segment:region', 'segment:plan']);
    expect(parseBreakdownBy('segment:plan', segs)).toBe('segment:plan');
    expect(parseBreakdownBy('segment:nope', segs)).toBe('touchpoint');
    expect(parseBreakdownBy(undefined, segs)).toBe('touchpoint');
  });
});

describe('words and numbers', () => {
  it('joins lists in English', () => {
    expect(listInWords([])).toBe('');
    expect(listInWords(['A'])).toBe('A');
    expect(listInWords(['A', 'B'])).toBe('A and B');
    expect(listInWords(['A', 'B', 'C'])).toBe('A, B and C');
  });
  it('averages, or null for nothing', () => {
    expect(average([1, 2, 6])).toBe(3);
    expect(average([])).toBeNull();
  });
  it('names periods', () => {
    expect(periodLabel('2025-03')).toBe('Mar 2025');
    expect(periodLabel('2025-Q2')).toBe('Q2 2025');
    expect(periodLabel('2025-13')).toBe('2025-13');
  });
  it('says a slope per period with its interval', () => {
    expect(perPeriodText({ perPeriod: -0.014285, ci95: [-0.0261, -0.00247] }, 'quarter', 'share')).toBe('−1.4 pts a quarter (95% CI −2.6 to −0.2 pts)');
    expect(perPeriodText({ perPeriod: 0.138, ci95: [0.018, 0.258] }, 'month', 'rating')).toBe('+0.14 a month (95% CI 0.02 to 0.26)');
  });
  it('makes round axis ticks', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-100, 100, 6)).toEqual([-100, -50, 0, 50, 100]);
    expect(niceTicks(0, 2, 4)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});
