// Case metrics against independently computed reference values (numpy 2.4 / scipy 1.17.1; the one-liners
// are next to each value).
import { describe, it, expect } from 'vitest';
import { caseMetrics, medianWithInterval, type CaseFacts } from './case-metrics.ts';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();

function facts(over: Partial<CaseFacts>): CaseFacts {
  return { department: 'Finance', state: 'open', closeReason: null, nps: null, openedAt: at(0), dueAt: at(48), firstContactAt: null, resolvedAt: null, closedAt: null, ...over };
}

describe('medianWithInterval', () => {
  it('gives the order-statistic interval scipy.stats.quantile_test gives', () => {
    // x=[5,1,9,3,14,2,7,30,4,11,6,8.5]; np.median(x) → 6.5;
    // stats.quantile_test(x, q=6.5, p=0.5).confidence_interval(0.95) → (3.0, 11.0)
    expect(medianWithInterval([5, 1, 9, 3, 14, 2, 7, 30, 4, 11, 6, 8.5])).toEqual({ n: 12, median: 6.5, ci95: [3, 11] });
    // stats.quantile_test([1..6], q=3.5).confidence_interval(0.95) → (1.0, 6.0)
    expect(medianWithInterval([6, 5, 4, 3, 2, 1])).toEqual({ n: 6, median: 3.5, ci95: [1, 6] });
    // stats.quantile_test([1..5], q=3).confidence_interval(0.95) → (nan, nan): too few for 95%
    expect(medianWithInterval([1, 2, 3, 4, 5])).toEqual({ n: 5, median: 3, ci95: null });
    expect(medianWithInterval([])).toEqual({ n: 0, median: null, ci95: null });
  });
});

describe('caseMetrics', () => {
  const resolved = [9, 10, 7, 8, 3, 9, 10, 6, 9, 8, 10, 2];
  const unreached = [0, 3, 6, 9, 5, 7, 2, 10, 4];
  const cases: CaseFacts[] = [
    ...resolved.map((nps, i) => facts({ nps, state: 'resolved', firstContactAt: at(i + 1), resolvedAt: at(10 * (i + 1)) })),
    ...unreached.map((nps, i) => facts({ nps, department: 'Support', state: 'closed', closeReason: 'could_not_reach', closedAt: at(60 + i) })),
    facts({ department: null, nps: 1 }), // open, within its SLA at `now`
  ];
  const now = new Date(at(30));

  it('compares the NPS of resolved and never-reached customers as a difference with its interval', () => {
    const m = caseMetrics(cases, 5, now).npsResolvedVsUnreached;
    // a=np.array(resolved); 100*((a>=9).mean()-(a<=6).mean()) → 25.0
    expect(m.resolved.n).toBe(12);
    expect(m.resolved.nps).toBeCloseTo(25.0, 10);
    // b=np.array(unreached); 100*((b>=9).mean()-(b<=6).mean()) → -44.44444444444444
    expect(m.neverReached.nps).toBeCloseTo(-44.44444444444444, 10);
    // diff = 25 − (−44.44) → 69.44444444444444; se = 100*sqrt(va/na + vb/nb), v = p+d−(p−d)² → 36.62092638993536
    // ci = diff ∓ stats.norm.ppf(.975)*se → (−2.3312523603212867, 141.22014124921017)
    expect(m.difference!.diff).toBeCloseTo(69.44444444444444, 9);
    expect(m.difference!.se).toBeCloseTo(36.62092638993536, 9);
    expect(m.difference!.ci95[0]).toBeCloseTo(-2.3312523603212867, 8);
    expect(m.difference!.ci95[1]).toBeCloseTo(141.22014124921017, 8);
    expect(m.note).toContain('association, not an effect');
  });

  it('withholds a group smaller than the minimum, and the comparison with it', () => {
    const m = caseMetrics(cases, 10, now).npsResolvedVsUnreached;
    expect(m.resolved.nps).not.toBeNull();
    expect(m.neverReached).toEqual({ n: 9, nps: null, ci95: null });
    expect(m.difference).toBeNull();
  });

  it('measures time to first contact and to resolution, and SLA compliance by department', () => {
    const m = caseMetrics(cases, 5, now);
    // first contacts at 1..12 h: np.median(np.arange(1,13)) → 6.5; quantile_test → (3.0, 10.0)
    expect(m.timeToFirstContactHours).toEqual({ n: 12, median: 6.5, ci95: [3, 10] });
    // resolutions at 10..120 h: median 65; interval (30, 100)
    expect(m.timeToResolveHours).toEqual({ n: 12, median: 65, ci95: [30, 100] });
    const byDept = Object.fromEntries(m.slaByDepartment.map((d) => [d.department ?? '(none)', d]));
    // Finance: all 12 contacted within 48 h; Support: closed at 60–68 h uncontacted → breached; none: open, undecided
    expect(byDept.Finance).toMatchObject({ met: 12, breached: 0, compliance: 1 });
    expect(byDept.Support).toMatchObject({ met: 0, breached: 9, compliance: 0 });
    expect(byDept['(none)']).toMatchObject({ met: 0, breached: 0, undecided: 1, compliance: null, ci95: null });
    // stats.binomtest(12, 12).proportion_ci(method='wilson') → (0.7575059933447592, 1.0)
    expect(byDept.Finance!.ci95![0]).toBeCloseTo(0.7575059933447592, 9);
  });
});
