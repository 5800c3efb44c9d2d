// `parallax report --section driver-perception`: the driver-perception gap as a terminal table — leaders'
// believed share of 100 against customers' actual share, the verdict, the rank correlation, blind spots
// and leadership groups; the same figures the API returns.
import type { DriverPerceptionReport } from '../core/analytics/driver-perception.ts';
import { describeFilters, type ReportFilters } from '../core/report-filters.ts';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const f1 = (x: number) => x.toFixed(1);
const ci = (c: readonly [number, number] | null) => (c ? `${f1(c[0])}–${f1(c[1])}` : '—');
const signed = (x: number | null, d = 1) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${x.toFixed(d)}`);

export function driverPerceptionTable(r: DriverPerceptionReport, filters: ReportFilters): string {
  const out = [`Driver-perception gap ("${r.outcome}") — ${r.organisation.name}`, `Filters: ${describeFilters(filters)}.  Minimum group: ${r.minResponses}.`, ''];
  out.push(r.summary, '');
  out.push(
    'suppressed' in r.customers
      ? `Customers suppressed: ${r.customers.reason}`
      : `Customers: R² = ${r.customers.rSquared.toFixed(3)} on ${r.customers.completeCases} complete cases; ${r.customers.draws} bootstrap draws.${r.customers.caution ? ` ${r.customers.caution}.` : ''}`,
  );
  out.push('suppressed' in r.leaders ? `Leaders suppressed: ${r.leaders.reason}` : `Leaders: ${r.leaders.answered} answered the importance question${r.leaders.rescaled ? ' (shares rescaled to the dimensions compared)' : ''}.`, '');
  out.push(`  ${pad('dimension', 32)} ${lpad('leaders', 7)} ${lpad('95% CI', 11)} ${lpad('n', 4)} ${lpad('customers', 9)} ${lpad('95% CI', 11)} ${lpad('diff', 6)} ${lpad('level gap', 9)}  verdict`);
  const rows = [...r.dimensions].sort((a, b) => (b.actual?.share ?? -1) - (a.actual?.share ?? -1));
  for (const d of rows) {
    const b = 'suppressed' in d.believed ? null : d.believed;
    out.push(
      `  ${pad(d.label, 32)} ${lpad(b ? f1(b.mean) : '—', 7)} ${lpad(b ? ci(b.ci95) : '', 11)} ${lpad(b ? String(b.n) : '', 4)} ${lpad(d.actual ? f1(d.actual.share) : '—', 9)} ${lpad(d.actual ? ci(d.actual.ci95) : '', 11)} ${lpad(signed(d.difference), 6)} ${lpad(signed(d.levelGap, 2), 9)}  ${d.verdict ?? ''}`,
    );
  }
  for (const e of r.excluded) out.push(`  ${pad(e.label, 32)} left out: ${e.reason}`);
  out.push('', `Shares are points of 100. Difference: ${r.rules.difference}.`);
  if ('suppressed' in r.rankCorrelation) out.push(`Rank correlation: ${r.rankCorrelation.reason}`);
  else {
    const { spearman: s, kendall: k } = r.rankCorrelation;
    const fmt = (x: { estimate: number | null; ci95: [number, number] | null }) => (x.estimate === null ? '—' : `${x.estimate.toFixed(2)} (95% CI ${x.ci95 ? `${x.ci95[0].toFixed(2)} to ${x.ci95[1].toFixed(2)}` : '—'})`);
    out.push(`Rank correlation over ${r.rankCorrelation.dimensions} dimensions: Spearman ρ ${fmt(s)}, Kendall τ-b ${fmt(k)}.`);
  }
  out.push('', `BLIND SPOTS (${r.rules.blindSpot})`);
  if (r.blindSpots.length === 0) out.push('  none');
  r.blindSpots.forEach((b, i) => out.push(`  ${i + 1}. ${b.sentence}`));
  out.push('', 'LEADERSHIP GROUPS');
  if ('suppressed' in r.groups) out.push(`  suppressed: ${r.groups.reason}`);
  else {
    out.push(`  by ${r.groups.groupBy}`);
    for (const g of r.groups.rows) {
      const rho = 'suppressed' in g.rankCorrelation || g.rankCorrelation.spearman.estimate === null ? '—' : g.rankCorrelation.spearman.estimate.toFixed(2);
      out.push(
        `  ${pad(`${g.group}${g.pooled ? ' (pooled)' : ''}`, 34)} ${lpad(String(g.leaders), 3)} leaders  ρ ${lpad(rho, 5)}  over: ${g.overWeighted.join(', ') || '—'}  under: ${g.underWeighted.join(', ') || '—'}`,
      );
    }
  }
  return out.join('\n');
}
