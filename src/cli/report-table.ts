// The human-readable gap report for the terminal: the gap figures with the published benchmark beside them.
import type { GapReport } from '../core/gap-report.ts';
import { INDUSTRIES } from '../core/benchmarks.ts';
import { describeFilters, type ReportFilters } from '../core/report-filters.ts';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const ci = (c: [number, number] | null, f: (x: number) => string) => (c ? `[${f(c[0])}, ${f(c[1])}]` : '');
const p = (v: number | null) => (v === null ? '' : v < 0.001 ? 'p<0.001' : `p=${v.toFixed(3)}`);
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
// An empty side is not "suppressed": there is nothing to hide (issue 11).
const SUPP = (r: { suppressed: true; reason: string }) => (r.reason.startsWith('no responses') ? r.reason : `suppressed (${r.reason})`);
const sideCount = (n: number | null, status: GapReport['status']['customers'], filtered: boolean) =>
  n !== null ? String(n) : status === 'no-responses' ? (filtered ? 'none match the filters' : 'no responses yet') : status === 'combination' ? 'suppressed' : 'too few to show';

export function reportTable(r: GapReport, filters: ReportFilters): string {
  const out: string[] = [];
  const industry = INDUSTRIES[r.organisation.industry as keyof typeof INDUSTRIES] ?? r.organisation.industry;
  out.push(`Parallax gap report — ${r.organisation.name} (${industry})`);
  const filtered = Object.values(filters).some((v) => v !== undefined);
  out.push(
    `Filters: ${describeFilters(filters)}.  Responses: customers ${sideCount(r.responses.customers, r.status.customers, filtered)}, leaders ${sideCount(r.responses.leaders, r.status.leaders, filtered)}.  Minimum group: ${r.minResponses}.`,
  );
  if (r.withheld.reason) out.push(`Not shown: ${r.withheld.reason}.`);
  out.push('');
  out.push(`HEADLINE  "${r.headline.statement}"`);
  const side = (name: string, s: GapReport['headline']['leaders']) =>
    'suppressed' in s ? `  ${pad(name, 10)} ${SUPP(s)}` : `  ${pad(name, 10)} ${lpad(pct(s.share), 6)}  95% CI ${ci(s.ci95, pct)}  n=${s.n}`;
  out.push(side('Leaders', r.headline.leaders));
  out.push(side('Customers', r.headline.customers));
  if (r.headline.gap !== null) out.push(`  ${pad('Gap', 10)} ${lpad((100 * r.headline.gap).toFixed(1), 6)} points  (two-proportion z=${r.headline.z!.toFixed(2)}, ${p(r.headline.pValue)})`);
  out.push('  Published benchmarks:');
  for (const b of r.headline.benchmarks.slice(0, 3))
    out.push(`    ${pad(`${b.source} (${b.year})`, 72)} leaders ${pct(b.leaders)} · customers ${pct(b.customers)} · gap ${(100 * b.gap).toFixed(0)} pts`);
  out.push('');
  out.push('DIMENSIONS (1–5; leaders predict the customers\' rating)');
  out.push(`  ${pad('dimension', 32)} ${lpad('leaders', 14)} ${lpad('customers', 14)} ${lpad('gap', 6)}  ${pad('Welch t (df)', 16)} p        g`);
  for (const d of r.dimensions) {
    const m = (s: GapReport['dimensions'][number]['leaders'] | null) =>
      s === null ? '—' : 'suppressed' in s ? (s.reason.startsWith('no responses') ? 'no responses' : 'suppressed') : `${s.mean.toFixed(2)} (n=${s.n})`;
    out.push(
      `  ${pad(d.label, 32)} ${lpad(m(d.leaders), 14)} ${lpad(m(d.customers), 14)} ${lpad(d.gap === null ? '' : d.gap.toFixed(2), 6)}  ${pad(d.t === null ? '' : `${d.t.toFixed(2)} (${d.df!.toFixed(0)})`, 16)} ${pad(p(d.pValue), 8)} ${d.effectSize === null ? '' : d.effectSize.toFixed(2)}`,
    );
  }
  out.push('');
  if ('suppressed' in r.nps) out.push(`NPS       ${SUPP(r.nps)}`);
  else {
    const b = r.nps.benchmark;
    out.push(
      `NPS       ${r.nps.score.toFixed(1)} ± ${r.nps.moe95.toFixed(1)}  (n=${r.nps.n}; promoters ${r.nps.promoters}, detractors ${r.nps.detractors})${b ? `   industry benchmark ${b.low === b.high ? b.low : `${b.low} to ${b.high}`} (${b.source}, ${b.year})` : ''}`,
    );
  }
  out.push('suppressed' in r.csat ? `CSAT      ${SUPP(r.csat)}` : `CSAT      ${pct(r.csat.share)} satisfied (4–5)  95% CI ${ci(r.csat.ci95, pct)}  n=${r.csat.n}`);
  out.push('suppressed' in r.ces ? `CES       ${SUPP(r.ces)}` : `CES       ${r.ces.mean.toFixed(2)} of 7  95% CI ${ci(r.ces.ci95, (x) => x.toFixed(2))}  n=${r.ces.n}`);
  out.push(
    'suppressed' in r.calibration
      ? `CALIBRATION ${SUPP(r.calibration)}`
      : `CALIBRATION leaders predicted ${pct(r.calibration.meanPredictedShare)} of customers would call the experience excellent; actual ${pct(r.calibration.actualShare)}. Mean absolute error ${r.calibration.maeExcellenceShare.toFixed(1)} points (${r.calibration.direction}, n=${r.calibration.n}).`,
  );
  return out.join('\n');
}
