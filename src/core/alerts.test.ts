// When each alert fires, against reference values computed independently with scipy 1.17 (one-liners
// beside each), and that noise, small cuts and the wrong direction do not fire.
import { describe, expect, it } from 'vitest';
import { binomialUpperTail, customerDropAlert, gapWidenedAlert, lastFullMonth, lastFullWeek, monthsBefore, negativeBurstAlert, slaBacklogAlert } from './alerts.ts';

describe('alerts', () => {
  it('knows the periods: last full month, the three before, last full ISO week', () => {
    expect(lastFullMonth(new Date('2026-03-01T00:00:00Z'))).toBe('2026-02');
    expect(lastFullMonth(new Date('2026-01-15T12:00:00Z'))).toBe('2025-12');
    expect(monthsBefore('2026-02', 3)).toEqual(['2025-11', '2025-12', '2026-01']);
    expect(lastFullWeek(new Date('2026-03-04T10:00:00Z'))).toEqual({ start: '2026-02-23', end: '2026-03-02' }); // a Wednesday
    expect(lastFullWeek(new Date('2026-03-02T00:00:00Z'))).toEqual({ start: '2026-02-23', end: '2026-03-02' }); // a Monday
  });

  it('tests a binomial upper tail exactly', () => {
    // scipy.stats.binomtest(9, 20, 0.15, alternative='greater').pvalue = 0.001328908384796977
    expect(binomialUpperTail(9, 20, 0.15)).toBeCloseTo(0.001328908384796977, 8); // jStat.ibeta agrees to ~2e-10
    // scipy.stats.binomtest(4, 20, 0.15, alternative='greater').pvalue = 0.3522748258432967
    expect(binomialUpperTail(4, 20, 0.15)).toBeCloseTo(0.3522748258432967, 8); // jStat.ibeta agrees to ~2e-10
  });

  it('fires on a negative burst, not on noise or a small week', () => {
    const a = negativeBurstAlert('billing', 'Billing', '2026-02-23', { negative: 9, total: 20 }, { negative: 30, total: 200 }, 5, 0.05);
    expect(a).toMatchObject({ kind: 'negative_burst', dedupeKey: 'negative_burst:billing:2026-02-23', data: { historicalShare: 0.15 } });
    expect(a!.data.pValue).toBeCloseTo(0.001328908384796977, 8); // jStat.ibeta agrees to ~2e-10
    expect(negativeBurstAlert('billing', 'Billing', 'w', { negative: 4, total: 20 }, { negative: 30, total: 200 }, 5, 0.05)).toBeNull(); // p = 0.35
    expect(negativeBurstAlert('billing', 'Billing', 'w', { negative: 4, total: 4 }, { negative: 30, total: 200 }, 5, 0.05)).toBeNull(); // under the minimum
    // A clean history: p0 = 0.5/41; scipy.stats.binom.sf(2, 10, 0.5/41) = 0.00020410718462373395 (P(X ≥ 3))
    const clean = negativeBurstAlert('shop', 'Shop', 'w', { negative: 3, total: 10 }, { negative: 0, total: 40 }, 5, 0.05);
    expect(clean!.data.pValue).toBeCloseTo(0.00020410718462373395, 8); // jStat.ibeta agrees to ~2e-10
  });

  it('fires when a customer figure drops significantly, one-sided, never on a rise or a small cut', () => {
    const before = { n: 120, mean: 3.8, sd: 0.8 };
    // scipy.stats.ttest_ind_from_stats(3.2, .9, 40, 3.8, .8, 120, equal_var=False, alternative='less').pvalue = 0.00019733721563641143
    const a = customerDropAlert('dim:billing', 'Billing', '2026-02', { n: 40, mean: 3.2, sd: 0.9 }, before, 5, 0.05);
    expect(a).toMatchObject({ dedupeKey: 'customer_drop:dim:billing:2026-02', data: { respondents: 40 } });
    expect(a!.data.pValue).toBeCloseTo(0.00019733721563641143, 6);
    // same, mean 3.7: p = 0.2670872995260288 — noise
    expect(customerDropAlert('dim:billing', 'Billing', '2026-02', { n: 40, mean: 3.7, sd: 0.9 }, before, 5, 0.05)).toBeNull();
    expect(customerDropAlert('dim:billing', 'Billing', '2026-02', { n: 40, mean: 4.4, sd: 0.9 }, before, 5, 0.05)).toBeNull(); // a rise
    expect(customerDropAlert('dim:billing', 'Billing', '2026-02', { n: 4, mean: 1, sd: 0.1 }, before, 5, 0.05)).toBeNull(); // 4 < minimum 5
  });

  it('fires on a widening gap slope and a breached backlog only', () => {
    expect(gapWidenedAlert({ periods: 6, perPeriod: 0.02, pValue: 0.01, direction: 'widening' }, '2026-02', 0.05)?.dedupeKey).toBe('gap_widened:headline:2026-02');
    expect(gapWidenedAlert({ periods: 6, perPeriod: 0.02, pValue: 0.2, direction: 'no evidence' }, '2026-02', 0.05)).toBeNull();
    expect(gapWidenedAlert({ periods: 6, perPeriod: -0.02, pValue: 0.01, direction: 'narrowing' }, '2026-02', 0.05)).toBeNull();
    expect(gapWidenedAlert(null, '2026-02', 0.05)).toBeNull();
    expect(slaBacklogAlert(9, 10, new Date('2026-03-04T10:00:00Z'))).toBeNull();
    expect(slaBacklogAlert(10, 10, new Date('2026-03-04T10:00:00Z'))?.dedupeKey).toBe('sla_backlog:cases:2026-03-04');
  });
});
