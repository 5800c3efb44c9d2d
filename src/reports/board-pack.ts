// The board pack's figures: the gap report, its trend by month, the key drivers and leaders' belief by
// touchpoint (issue 11), for one set of filters, each built by its own report (so under the same anonymity
// cuts as the API), plus a plain-language summary written from those figures only. The page and the PDF
// render this object.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { GapReport } from '../core/gap-report.ts';
import type { TrendReport } from '../core/analytics/trend.ts';
import type { DriversReport } from '../core/analytics/drivers.ts';
import type { JourneyBeliefReport } from '../core/analytics/journey-belief.ts';
import { gapReportFor } from './gap.ts';
import { trendFor } from './trend.ts';
import { driversFor } from './drivers.ts';
import { journeyBeliefFor } from './journey-belief.ts';

export interface BoardPack {
  gap: GapReport;
  trend: TrendReport;
  drivers: DriversReport;
  journeyBelief: JourneyBeliefReport;
  summary: string[];
}

export async function boardPackFor(db: Kysely<Database>, orgId: string, filters: ReportFilters): Promise<BoardPack | undefined> {
  const [gap, trend, drivers, journeyBelief] = await Promise.all([
    gapReportFor(db, orgId, filters),
    trendFor(db, orgId, filters, 'month'),
    driversFor(db, orgId, filters, 'excellent'),
    journeyBeliefFor(db, orgId, filters),
  ]);
  if (!gap || !trend || !drivers || !journeyBelief) return undefined;
  return { gap, trend, drivers, journeyBelief, summary: summarise(gap, trend, drivers, journeyBelief) };
}

const pct = (x: number) => `${Math.round(x * 100)} %`;
const int = (x: number) => `${Math.round(x) < 0 ? '−' : ''}${Math.abs(Math.round(x)).toLocaleString('en')}`; // a true minus sign, thousands separated
const pts = (x: number) => `${Math.round(Math.abs(x) * 100)} points`;
const hidden = (x: unknown): x is { suppressed: true; reason: string } => typeof x === 'object' && x !== null && (x as { suppressed?: unknown }).suppressed === true;

/**
 * Sentences a board member can read aloud, each stating a figure with its interval or saying why it is
 * not shown. Nothing here is a new statistic: every number is one the reports already carry, rounded.
 */
export function summarise(gap: GapReport, trend: TrendReport, drivers: DriversReport, journey?: JourneyBeliefReport): string[] {
  const out: string[] = [];
  const { leaders: L, customers: C } = gap.headline;
  if (!hidden(L) && !hidden(C)) {
    const [lo, hi] = C.ci95;
    const p = gap.headline.pValue;
    const significance = p === null ? '' : p < 0.05 ? ` (p ${p < 0.001 ? '< 0.001' : `= ${p.toFixed(3)}`})` : ', not statistically significant';
    out.push(
      `Leaders believe ${pct(L.share)} of customers call the experience excellent; ${pct(C.share)} do (95 % CI ${Math.round(lo * 100)}–${Math.round(hi * 100)} %, ${int(C.n)} customers). ` +
        `That is a gap of ${pts(gap.headline.gap ?? 0)}${significance}.`,
    );
  } else if (!hidden(C)) {
    out.push(`${pct(C.share)} of customers call the experience excellent (95 % CI ${Math.round(C.ci95[0] * 100)}–${Math.round(C.ci95[1] * 100)} %); leaders' view is hidden: ${hidden(L) ? L.reason : ''}.`);
  } else {
    out.push(`The customers' figures are hidden: ${C.reason}.`);
  }
  const bench = gap.headline.benchmarks[0];
  if (bench) out.push(`For comparison, ${bench.source} (${bench.year}) found a gap of ${pts(bench.gap)}: leaders ${pct(bench.leaders)}, customers ${pct(bench.customers)}.`);
  const widest = gap.dimensions.filter((d) => d.gap !== null).sort((a, b) => Math.abs(b.gap!) - Math.abs(a.gap!))[0];
  if (widest && widest.gap !== null) {
    const sig = widest.pValue !== null && widest.pValue < 0.05 ? '' : ' (not statistically significant)';
    out.push(`The widest gap is ${widest.label.toLowerCase()}: leaders rate it ${Math.abs(widest.gap).toFixed(1)} points ${widest.gap > 0 ? 'higher' : 'lower'} than customers on the 1–5 scale${sig}.`);
  }
  if (trend.slope) {
    const s = trend.slope;
    out.push(
      s.direction === 'no evidence'
        ? `Over ${s.periods} months with both sides shown, there is no evidence that the gap is changing.`
        : `Over ${s.periods} months with both sides shown, the gap is ${s.direction} by ${(Math.abs(s.perPeriod) * 100).toFixed(1)} points a month (95 % CI ${(s.ci95[0] * 100).toFixed(1)} to ${(s.ci95[1] * 100).toFixed(1)}).`,
    );
  }
  if (!hidden(gap.nps)) out.push(`NPS is ${int(gap.nps.score)} (95 % CI ${int(gap.nps.ci95[0])} to ${int(gap.nps.ci95[1])}, ${int(gap.nps.n)} customers).`);
  const far = journey?.touchpoints.filter((t) => t.gap !== null).sort((a, b) => Math.abs(b.gap!) - Math.abs(a.gap!))[0];
  if (far && far.gap !== null && far.believed && !hidden(far.believed) && !hidden(far.actual)) {
    const ci = far.gapCi ? ` (95 % CI ${Math.round(far.gapCi[0] * 100)} to ${Math.round(far.gapCi[1] * 100)})` : '';
    out.push(
      `Of the touchpoints leaders predicted, belief and reality are furthest apart at ${far.label}: ${far.department} leaders expect ${pct(far.believed.mean)} of its customers to call the experience excellent; ` +
        `${pct(far.actual.share)} do: ${pts(far.gap)} ${far.gap > 0 ? 'too optimistic' : 'too pessimistic'}${ci}.`,
    );
  }
  if (!hidden(gap.calibration)) out.push(`Leaders are ${gap.calibration.direction}: their predictions of the excellent share miss by ${gap.calibration.maeExcellenceShare.toFixed(0)} points on average.`);
  const top = drivers.dimensions.filter((d) => d.rank === 1)[0];
  if (top && top.rescaled !== null && !hidden(drivers.model)) out.push(`The strongest driver of customers calling the experience excellent is ${top.label.toLowerCase()} (${Math.round(top.rescaled)} % of the explained variance).`);
  return out;
}
