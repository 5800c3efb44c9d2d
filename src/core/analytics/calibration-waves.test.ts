// The wave decisions (secondary suppression, months inside quarters) and the written answer.
import { describe, it, expect } from 'vitest';
import { WITHHELD_WITH_OTHERS, fewerCustomers, fewerLeaders, learningSentence, waveDecisions, withholdWaves } from './calibration-waves.ts';

const k = 5;

describe('withholdWaves', () => {
  it('shows every wave of at least k leaders and k customers', () => {
    const d = withholdWaves([{ period: 'a', leaders: 5, customers: 9 }, { period: 'b', leaders: 7, customers: 5 }], k);
    expect([...d.values()]).toEqual([null, null]);
  });

  it('withholds further waves, smallest first, until the withheld leaders are none or at least k', () => {
    const d = withholdWaves(
      [{ period: 'a', leaders: 1, customers: 50 }, { period: 'b', leaders: 2, customers: 50 }, { period: 'c', leaders: 9, customers: 50 }, { period: 'd', leaders: 6, customers: 50 }, { period: 'e', leaders: 6, customers: 50 }],
      k,
    );
    // 3 withheld (a, b) → d (6, the earlier of the smallest) withheld too: 9 ≥ k.
    expect(Object.fromEntries(d)).toEqual({ a: fewerLeaders(k), b: fewerLeaders(k), c: null, d: WITHHELD_WITH_OTHERS, e: null });
  });

  it('counts the leaders of a wave withheld for its customers: ≥ k already, nothing more to withhold', () => {
    const d = withholdWaves([{ period: 'a', leaders: 6, customers: 4 }, { period: 'b', leaders: 6, customers: 40 }], k);
    expect(Object.fromEntries(d)).toEqual({ a: fewerCustomers(k), b: null });
  });
});

describe('waveDecisions by month', () => {
  it('keeps the withheld months of a shown quarter at none or ≥ k, and withholds the months of a withheld quarter', () => {
    const leaders = new Map([['2025-01', 6], ['2025-02', 2], ['2025-03', 6], ['2025-04', 3]]);
    const customers = new Map([['2025-01', 40], ['2025-02', 40], ['2025-03', 40], ['2025-04', 40], ['2025-05', 40]]);
    // Quarters: Q1 14 leaders, Q2 3 → Q2 withheld, 3 < k, so Q1 is withheld with it (the only other wave).
    expect(Object.fromEntries(waveDecisions('quarter', leaders, customers, k))).toEqual({ '2025-Q1': WITHHELD_WITH_OTHERS, '2025-Q2': fewerLeaders(k) });
    leaders.set('2025-05', 4); // Q2 now 7: both quarters shown
    expect(Object.fromEntries(waveDecisions('quarter', leaders, customers, k))).toEqual({ '2025-Q1': null, '2025-Q2': null });
    // Months: in Q1 February (2) is withheld, so January (the earlier of the two 6s) is withheld with it.
    expect(Object.fromEntries(waveDecisions('month', leaders, customers, k))).toEqual({
      '2025-01': WITHHELD_WITH_OTHERS,
      '2025-02': fewerLeaders(k),
      '2025-03': null,
      '2025-04': fewerLeaders(k),
      '2025-05': fewerLeaders(k),
    });
  });
});

describe('learningSentence', () => {
  const t = (perPeriod: number, ci95: [number, number], meanError: number, direction: 'shrinking' | 'growing' | 'no clear change') => ({ waves: 4, perPeriod, ci95, pValue: 0.01, meanError, direction });
  it('names over- or under-confidence and which way it moves, with the interval in the same terms', () => {
    expect(learningSentence(t(-2, [-3, -1], 10, 'shrinking'), 4, 'quarter')).toBe("Leaders' over-confidence is shrinking by about 2.0 points a quarter (95 % CI 1.0 to 3.0).");
    expect(learningSentence(t(2, [1, 3], 10, 'growing'), 4, 'quarter')).toBe("Leaders' over-confidence is growing by about 2.0 points a quarter (95 % CI 1.0 to 3.0).");
    expect(learningSentence(t(2, [1, 3], -10, 'shrinking'), 4, 'month')).toBe("Leaders' under-confidence is shrinking by about 2.0 points a month (95 % CI 1.0 to 3.0).");
    expect(learningSentence(t(-2, [-3, -1], -10, 'growing'), 4, 'quarter')).toBe("Leaders' under-confidence is growing by about 2.0 points a quarter (95 % CI 1.0 to 3.0).");
    expect(learningSentence(t(0.4, [-1.2, 2], 10, 'no clear change'), 4, 'quarter')).toBe("No clear change in leaders' error over 4 waves: 0.4 points a quarter (95 % CI −1.2 to 2.0).");
    expect(learningSentence(null, 2, 'quarter')).toBe('Too few waves to tell whether leadership is learning: 2 shown, at least 3 needed.');
  });
});
