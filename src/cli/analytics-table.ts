// The analytics reports for the terminal (`parallax report --section trend|drivers|calibration|breakdown|
// benchmarks`): the same figures the API returns, as readable tables.
import type { TrendReport } from '../core/analytics/trend.ts';
import type { DriversReport } from '../core/analytics/drivers.ts';
import type { CalibrationReport } from '../core/analytics/calibration.ts';
import type { BreakdownReport } from '../core/analytics/breakdown.ts';
import type { BenchmarksReport } from '../core/analytics/benchmarks.ts';
import { describeFilters, type ReportFilters } from '../core/report-filters.ts';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pts = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;
const num = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '—' : x.toFixed(d));
const p = (v: number | null | undefined) => (v === null || v === undefined ? '' : v < 0.001 ? '<0.001' : v.toFixed(3));
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
type Maybe<T> = T | { suppressed: true; reason: string };
const shown = <T extends object>(x: Maybe<T>): x is T => !('suppressed' in x);
const share = (s: Maybe<{ n: number; share: number }>) => (shown(s) ? `${pct(s.share)} (n=${s.n})` : 'suppressed');

function header(title: string, r: { organisation: { name: string }; minResponses: number }, filters: ReportFilters): string[] {
  return [`${title} — ${r.organisation.name}`, `Filters: ${describeFilters(filters)}.  Minimum group: ${r.minResponses}.`, ''];
}

export function trendTable(r: TrendReport, filters: ReportFilters): string {
  const out = header(`Gap trend by ${r.period}`, r, filters);
  if (r.suppressed.customers) out.push(`Customers suppressed: ${r.suppressed.customers}`);
  if (r.suppressed.leaders) out.push(`Leaders per ${r.period} suppressed: ${r.suppressed.leaders}`);
  out.push(`Leaders overall: ${share(r.leadersOverall)}`, '');
  out.push(`  ${pad('period', 9)} ${lpad('leaders', 16)} ${lpad('customers', 16)} ${lpad('gap', 7)} ${lpad('vs leaders overall', 19)}`);
  for (const pt of r.points) {
    out.push(
      `  ${pad(pt.period, 9)} ${lpad(share(pt.leaders), 16)} ${lpad(share(pt.customers), 16)} ${lpad(pt.gap === null ? '—' : pts(pt.gap), 7)} ${lpad(pt.gapVsLeadersOverall === null ? '—' : pts(pt.gapVsLeadersOverall), 19)}`,
    );
  }
  out.push('');
  const s = r.slope;
  out.push(
    s
      ? `Gap slope: ${pts(s.perPeriod)} points per ${r.period}, 95% CI [${pts(s.ci95[0])}, ${pts(s.ci95[1])}], p=${p(s.pValue)} → ${s.direction} (${s.periods} periods, WLS)`
      : "Gap slope: not enough periods with both sides shown (leaders per period are usually too few); see the customers' trend.",
  );
  const c = r.customerTrend;
  out.push(
    c
      ? `Customers' share: ${pts(c.perPeriod)} points per ${r.period}, 95% CI [${pts(c.ci95[0])}, ${pts(c.ci95[1])}], p=${p(c.pValue)} → ${c.direction}` +
          (c.direction === 'falling' ? ' (the gap widens if leaders\' belief holds steady)' : c.direction === 'rising' ? ' (the gap narrows if leaders\' belief holds steady)' : '')
      : "Customers' share: fewer than 3 periods shown.",
  );
  return out.join('\n');
}

export function driversTable(r: DriversReport, filters: ReportFilters): string {
  const out = header(`Key drivers of "${r.outcome}"`, r, filters);
  out.push(shown(r.model) ? `Johnson's relative weights: R² = ${r.model.rSquared.toFixed(3)} on ${r.model.completeCases} complete cases.${r.model.caution ? ` ${r.model.caution}.` : ''}` : `Model suppressed: ${r.model.reason}`);
  out.push(`Complete case: ${r.completeCaseRule}.`);
  for (const l of r.leftOut) out.push(`Left out: ${l.label}: ${l.reason}.`);
  out.push('');
  out.push(`  ${lpad('#', 2)} ${pad('dimension', 32)} ${lpad('weight', 7)} ${lpad('% R²', 6)} ${lpad('customers', 9)} ${lpad('leaders', 8)} ${lpad('gap', 6)}  quadrant`);
  const rows = [...r.dimensions].sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99));
  for (const d of rows) {
    out.push(
      `  ${lpad(d.rank === null ? '' : String(d.rank), 2)} ${pad(d.label, 32)} ${lpad(num(d.importance, 3), 7)} ${lpad(num(d.rescaled, 1), 6)} ${lpad(shown(d.performance) ? num(d.performance.mean) : '—', 9)} ${lpad(shown(d.leaders) ? num(d.leaders.mean) : '—', 8)} ${lpad(num(d.gap), 6)}  ${d.quadrant ?? ''}${d.critical ? '  ◆ CRITICAL MOMENT' : ''}`,
    );
  }
  out.push(`Critical moment: ${r.criticalRule}.`, '');
  if (shown(r.touchpoints)) {
    out.push(`TOUCHPOINTS (η² = ${r.touchpoints.etaSquared.toFixed(3)}: ${r.touchpoints.method})`);
    for (const t of r.touchpoints.rows) {
      out.push(`  ${pad(t.label, 28)} n=${lpad(String(t.n), 5)}  mean ${num(t.meanOutcome)} (${t.difference >= 0 ? '+' : ''}${num(t.difference)})  importance ${num(t.importance, 4)} (${num(t.rescaled, 1)}%)`);
    }
  } else out.push(`TOUCHPOINTS suppressed: ${r.touchpoints.reason}`);
  return out.join('\n');
}

export function calibrationTable(r: CalibrationReport, filters: ReportFilters): string {
  const out = header('Leader calibration', r, filters);
  if (!shown(r.actual)) return [...out, `Customers suppressed: ${r.actual.reason}`].join('\n');
  out.push(`Customers: ${r.actual.excellentShare === null ? '—' : pct(r.actual.excellentShare)} call the experience excellent.`, '');
  const row = (name: string, e: { leaders?: number; dimensionsMae: number | null; dimensionsDirection: string | null; excellenceMae: number | null; excellenceSignedError: number | null; brier: number | null; direction: string | null }) =>
    `  ${pad(name, 34)} ${lpad(e.leaders === undefined ? '' : String(e.leaders), 3)} ${lpad(num(e.dimensionsMae), 8)} ${pad(e.dimensionsDirection ?? '', 16)} ${lpad(num(e.excellenceMae, 1), 7)} ${lpad(num(e.excellenceSignedError, 1), 7)} ${lpad(num(e.brier, 3), 6)}  ${e.direction ?? ''}`;
  out.push(`  ${pad('', 34)} ${lpad('n', 3)} ${lpad('dim MAE', 8)} ${pad('dimensions', 16)} ${lpad('exc MAE', 7)} ${lpad('signed', 7)} ${lpad('Brier', 6)}  headline`);
  out.push(shown(r.team) ? row('Leadership team', r.team) : `  Leadership team: suppressed (${r.team.reason})`);
  out.push('', `WHO KNOWS OUR CUSTOMERS BEST — by ${r.groupBy}`);
  if (shown(r.groups)) for (const g of r.groups) out.push(row(`${g.rank}. ${g.group}${g.pooled ? ' (pooled)' : ''}`, g));
  else out.push(`  suppressed: ${r.groups.reason}`);
  out.push('', 'INDIVIDUAL LEADERS (the spread only: no row per leader)');
  if (shown(r.leaders)) {
    const quart = (q: { q1: number; median: number; q3: number } | null, d: number) => (q ? `${num(q.q1, d)} / ${num(q.median, d)} / ${num(q.q3, d)}` : '—');
    out.push(`  ${r.leaders.identified} identified leaders. Quartiles of dim MAE ${quart(r.leaders.quartiles.dimensionsMae, 1)}, of exc MAE ${quart(r.leaders.quartiles.excellenceMae, 0)}`);
    for (const b of r.leaders.bands) out.push(`  dim MAE ${pad(b.band, 44)} ${lpad(String(b.leaders), 4)} leaders`);
  } else out.push(`  suppressed: ${r.leaders.reason}`);
  return out.join('\n');
}

export function breakdownTable(r: BreakdownReport, filters: ReportFilters): string {
  const out = header(`Gap by ${r.by}`, r, filters);
  if (r.suppressed) return [...out, `Suppressed: ${r.suppressed}`].join('\n');
  out.push(`Leaders: ${share(r.leaders)}.  p-values adjusted over ${r.tests} tests (Holm; Benjamini–Hochberg).`, '');
  out.push(`  ${pad('value', 28)} ${lpad('customers', 18)} ${lpad('gap', 7)} ${lpad('Holm p', 8)} ${lpad('vs rest', 8)} ${lpad('Holm p', 8)} ${lpad('BH p', 8)}  owner`);
  for (const row of r.rows) {
    out.push(
      `  ${pad(row.label, 28)} ${lpad(share(row.customers), 18)} ${lpad(row.gap === null ? '—' : pts(row.gap), 7)} ${lpad(p(row.gapTest?.holm), 8)} ${lpad(row.vsRest ? pts(row.vsRest.diff) : '—', 8)} ${lpad(p(row.vsRest?.holm), 8)} ${lpad(p(row.vsRest?.bh), 8)}  ${row.department ?? ''}`,
    );
  }
  return out.join('\n');
}

export function benchmarksTable(r: BenchmarksReport): string {
  const out = [`Benchmarks — ${r.organisation.name} (${r.industry.label})`, ''];
  out.push(`Own: leaders ${share(r.own.leaders)}, customers ${share(r.own.customers)}, gap ${r.own.gap === null ? '—' : `${pts(r.own.gap)} points`}, NPS ${shown(r.own.nps) ? `${r.own.nps.score.toFixed(1)} (n=${r.own.nps.n})` : 'suppressed'}`);
  out.push('', 'PUBLISHED');
  for (const b of r.published.gap) out.push(`  ${pad(`${b.source} (${b.year})`, 72)} leaders ${pct(b.leaders)} · customers ${pct(b.customers)} · gap ${(100 * b.gap).toFixed(0)} pts`);
  if (r.published.nps) out.push(`  NPS ${r.published.nps.low === r.published.nps.high ? r.published.nps.low : `${r.published.nps.low} to ${r.published.nps.high}`} (${r.published.nps.source}, ${r.published.nps.year})`);
  out.push('', `PEERS in this installation (other organisations of the industry; at least ${r.peers.minOrganisations})`);
  const q = (name: string, f: BenchmarksReport['peers']['gap'], fmt: (x: number) => string) =>
    shown(f)
      ? `  ${pad(name, 16)} Q1 ${fmt(f.q1)} · median ${fmt(f.median)} · Q3 ${fmt(f.q3)}   own ${f.own === null ? '—' : fmt(f.own)} (above ${f.ownPercentile === null ? '—' : `${f.ownPercentile.toFixed(0)}%`} of peers)`
      : `  ${pad(name, 16)} ${f.reason}`;
  out.push(q('Customers excellent', r.peers.excellentShare, pct), q('NPS', r.peers.nps, (x) => x.toFixed(1)), q('Gap', r.peers.gap, pts));
  return out.join('\n');
}
