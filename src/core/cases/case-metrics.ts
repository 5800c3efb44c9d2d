// Case metrics (issue 13): how fast cases are first contacted and resolved (medians with distribution-free
// intervals), SLA compliance by department (Wilson intervals), and the NPS of customers whose case was
// resolved against those never reached — an association with its interval, never an effect: who gets
// resolved is not chosen at random (reachable, milder customers are easier to resolve). Pure.
import { Z95, npsCountsFromScores, npsDifferenceTest, npsFromCounts, wilsonInterval } from '../stats/index.ts';
import { slaState } from './workflow.ts';

/** log C(n, k), summed: exact enough for the binomial tail up to tens of thousands of cases. */
function binomialCdfHalf(k: number, n: number): number {
  // P(B ≤ k) for B ~ Binomial(n, 1/2), by summing pmf terms in log space.
  let logC = 0; // log C(n, 0)
  const logHalfN = n * Math.log(0.5);
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    sum += Math.exp(logC + logHalfN);
  }
  return Math.min(1, sum);
}

/**
 * The median and its distribution-free 95% interval [x(l), x(n−l+1)] (order statistics; l the largest with
 * P(B ≤ l−1) ≤ 0.025, B ~ Binomial(n, ½)) — the interval scipy.stats.quantile_test gives. Null interval
 * below n = 6, where no pair of order statistics reaches 95% coverage.
 */
export function medianWithInterval(values: readonly number[]): { n: number; median: number | null; ci95: [number, number] | null } {
  const n = values.length;
  if (n === 0) return { n, median: null, ci95: null };
  const s = [...values].sort((a, b) => a - b);
  const median = n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  let l = 0;
  while (binomialCdfHalf(l, n) <= 0.025) l++; // now P(B ≤ l−1) ≤ 0.025 < P(B ≤ l)
  if (l < 1) return { n, median, ci95: null };
  return { n, median, ci95: [s[l - 1]!, s[n - l]!] };
}

export interface CaseFacts {
  department: string | null;
  state: string;
  closeReason: string | null;
  nps: number | null;
  openedAt: string;
  dueAt: string;
  firstContactAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
}

const hours = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000;

export interface NpsGroup {
  n: number;
  nps: number | null;
  ci95: [number, number] | null;
}

/**
 * The metrics of a set of cases. `minGroup`: the organisation's smallest reported group — a group of
 * customers' NPS is shown only from that many (the reports' anonymity rule), and so is the comparison.
 */
export function caseMetrics(cases: readonly CaseFacts[], minGroup: number, now: Date) {
  const firstContact = medianWithInterval(cases.filter((c) => c.firstContactAt).map((c) => hours(c.openedAt, c.firstContactAt!)));
  const resolve = medianWithInterval(cases.filter((c) => c.state === 'resolved' && c.resolvedAt).map((c) => hours(c.openedAt, c.resolvedAt!)));
  const byDept = new Map<string, { met: number; breached: number; open: number; total: number }>();
  for (const c of cases) {
    const key = c.department ?? '';
    const d = byDept.get(key) ?? { met: 0, breached: 0, open: 0, total: 0 };
    const s = slaState(c, now);
    d.total++;
    if (s === 'met') d.met++;
    else if (s === 'breached') d.breached++;
    else d.open++;
    byDept.set(key, d);
  }
  const sla = [...byDept]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([department, d]) => {
      const decided = d.met + d.breached;
      return {
        department: department || null,
        cases: d.total,
        met: d.met,
        breached: d.breached,
        undecided: d.open,
        compliance: decided ? d.met / decided : null,
        ci95: decided ? wilsonInterval(d.met, decided) : null,
      };
    });
  const scores = (keep: (c: CaseFacts) => boolean) => cases.filter((c) => keep(c) && c.nps !== null).map((c) => c.nps!);
  const resolvedScores = scores((c) => c.state === 'resolved');
  const unreachedScores = scores((c) => c.state === 'closed' && c.closeReason === 'could_not_reach');
  const group = (s: number[]): NpsGroup => {
    if (s.length < minGroup || s.length === 0) return { n: s.length, nps: null, ci95: null };
    const r = npsFromCounts(npsCountsFromScores(s));
    return { n: s.length, nps: r.score, ci95: r.ci95 };
  };
  let difference: { diff: number; se: number; ci95: [number, number] } | null = null;
  if (resolvedScores.length >= Math.max(1, minGroup) && unreachedScores.length >= Math.max(1, minGroup)) {
    const t = npsDifferenceTest(npsCountsFromScores(resolvedScores), npsCountsFromScores(unreachedScores));
    difference = { diff: t.diff, se: t.se, ci95: [t.diff - Z95 * t.se, t.diff + Z95 * t.se] };
  }
  return {
    cases: cases.length,
    timeToFirstContactHours: firstContact,
    timeToResolveHours: resolve,
    slaByDepartment: sla,
    npsResolvedVsUnreached: {
      resolved: group(resolvedScores),
      neverReached: group(unreachedScores),
      difference,
      note: 'An association, not an effect: the NPS these customers gave in the answer that opened their case, resolved cases against cases closed as "could not reach". Who can be reached and resolved is not random.',
    },
  };
}
