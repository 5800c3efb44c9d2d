// `parallax report --section journey-belief`: leaders' belief by touchpoint (issue 11) for the terminal —
// per touchpoint of the journey, the owning function's mean predicted excellence share beside customers'
// actual share there and the gap, each with its interval, or the reason a figure is withheld; the same
// report GET …/reports/journey-belief returns (reports/journey-belief.ts), so the same anonymity.
import type { JourneyBeliefReport } from '../core/analytics/journey-belief.ts';
import { describeFilters, type ReportFilters } from '../core/report-filters.ts';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pts = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}`;
const span = (c: readonly [number, number] | null, f: (x: number) => string) => (c ? `${f(c[0])} to ${f(c[1])}` : '—');

type Row = JourneyBeliefReport['touchpoints'][number];

/** Why a row's leader side shows no figure: withheld (with the report's reason) or never asked. */
function believedText(t: Row): string | null {
  if (t.believed === null) return `no ${t.department} leader predicted this touchpoint`;
  return 'suppressed' in t.believed ? `leaders withheld: ${t.believed.reason}` : null;
}

export function journeyBeliefTable(r: JourneyBeliefReport, filters: ReportFilters): string {
  const out = [
    `What leaders believe at each touchpoint — ${r.organisation.name}`,
    `Filters: ${describeFilters(filters)}.  Minimum group: ${r.minResponses}.`,
    '',
  ];
  if (r.hidden.customers) out.push(`Customers withheld: ${r.hidden.customers}`);
  if (r.hidden.leaders) out.push(`Leaders withheld: ${r.hidden.leaders}`);
  if (r.hidden.customers || r.hidden.leaders) out.push('');
  // Columns as wide as the journey's own labels (they are the organisation's words, of any length).
  const wl = Math.max(10, ...r.touchpoints.map((t) => t.label.length));
  const wd = Math.max(5, ...r.touchpoints.map((t) => t.department.length));
  out.push(`  ${pad('touchpoint', wl)} ${pad('owner', wd)} ${lpad('believed', 8)} ${pad('  95% CI', 17)} ${lpad('n', 3)} ${lpad('actual', 7)} ${pad('  95% CI', 17)} ${lpad('n', 5)} ${lpad('gap', 6)}  95% CI (MOVER)`);
  let stage = '';
  for (const t of r.touchpoints) {
    if (t.stageLabel !== stage) out.push(`  ${(stage = t.stageLabel).toUpperCase()}`);
    const b = t.believed && !('suppressed' in t.believed) ? t.believed : null;
    const a = 'suppressed' in t.actual ? null : t.actual;
    const left = b ? `${lpad(pct(b.mean), 8)} ${pad(`  ${span(b.ci95, pct)}`, 17)} ${lpad(String(b.n), 3)}` : `${lpad('—', 8)} ${pad('', 17)} ${lpad('', 3)}`;
    const right = a ? `${lpad(pct(a.share), 7)} ${pad(`  ${span(a.ci95, pct)}`, 17)} ${lpad(String(a.n), 5)}` : `${lpad('—', 7)} ${pad('', 17)} ${lpad('', 5)}`;
    const gap = t.gap === null ? `${lpad('—', 6)}` : `${lpad(pts(t.gap), 6)}  ${span(t.gapCi, pts)}`;
    out.push(`  ${pad(t.label, wl)} ${pad(t.department, wd)} ${left} ${right} ${gap}`.trimEnd());
    // The reasons under the row, so the columns stay aligned and nothing hidden goes unexplained.
    // A side hidden as a whole was said once above the table.
    const why = [r.hidden.leaders ? null : believedText(t), !r.hidden.customers && 'suppressed' in t.actual ? `customers withheld: ${t.actual.reason}` : null].filter((x): x is string => x !== null);
    if (why.length) out.push(`    ${why.join('; ')}`);
  }
  out.push('', `Believed: ${r.rules.believed}.`, `Actual: ${r.rules.actual}.`, `Gap: ${r.rules.gap}; points of share, above zero leaders expect more than customers say.`);
  return out.join('\n');
}
