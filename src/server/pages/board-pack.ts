// The board pack as one printable HTML document (A4, a page per section): the summary, the headline
// gap with its interval and the published benchmark, the dimension gaps, leaders' belief by touchpoint,
// the gap over time, NPS / CSAT / CES and calibration, and the key drivers. No script and no outside resource: the same string is served
// as the page and printed to PDF by board-pack-pdf.ts.
import type { BoardPack } from '../../reports/board-pack.ts';
import { html, type SafeHtml } from './html.ts';
import { dumbbellSvg, trendSvg, type DumbbellScale, type DumbbellSvgRow } from './board-pack-charts.ts';
// The dashboard's number formats and interval helpers are plain functions (no React, no DOM); the pack
// uses them so its figures read exactly as the dashboard's do.
import { count, fixed, pct, pctInterval, pts, pValue, signed } from '../../core/number-format.ts';
import { differenceInterval, meanInterval, newcombeInterval } from '../../core/stats/display-intervals.ts';

type Hidden = { suppressed: true; reason: string };
const hidden = (x: unknown): x is Hidden => typeof x === 'object' && x !== null && (x as Hidden).suppressed === true;
const ptsInterval = ([lo, hi]: [number, number]) => `${signed(lo * 100, 0)} to ${signed(hi * 100, 0)} pts`;

const STYLE = `
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #0f172a; margin: 0 auto; max-width: 190mm; padding: 12px; }
h1 { font-size: 20pt; margin: 0 0 4px; }
h2 { font-size: 14pt; margin: 0 0 8px; border-bottom: 2px solid #e2e8f0; padding-bottom: 4px; }
.meta { color: #475569; margin: 0 0 14px; }
section { margin: 0 0 22px; break-inside: avoid-page; }
section + section { break-before: page; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #e2e8f0; vertical-align: top; }
td.n, th.n { text-align: right; }
td.n:last-child { white-space: nowrap; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
.leaders { color: #92400e; } .customers { color: #115e59; }
.big { font-size: 26pt; font-weight: 700; }
.figures { display: flex; gap: 28px; flex-wrap: wrap; }
.note { color: #475569; font-size: 10pt; }
@media print { body { padding: 0; } a { color: inherit; text-decoration: none; } }
`;

const shareText = (s: { share: number; ci95: [number, number]; n: number } | Hidden) =>
  hidden(s) ? `hidden: ${s.reason}` : `${pct(s.share)} (95% CI ${pctInterval(s.ci95)}, n = ${count(s.n)})`;

function filterText(filters: Record<string, unknown>): string {
  const parts = Object.entries(filters)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' && v !== null ? Object.entries(v).map(([a, b]) => `${a}=${String(b)}`).join(', ') : String(v)}`);
  return parts.length ? parts.join(' · ') : 'all responses';
}

function headlineSection(p: BoardPack): SafeHtml {
  const h = p.gap.headline;
  const gapCi = !hidden(h.leaders) && !hidden(h.customers) ? newcombeInterval(h.leaders.share, h.leaders.ci95, h.customers.share, h.customers.ci95) : null;
  return html`<section aria-labelledby="s-headline"><h2 id="s-headline">The perception gap</h2>
<p>${h.statement}</p>
<div class="figures">
<div><div class="leaders">Leaders believe</div><div class="big leaders">${hidden(h.leaders) ? '—' : pct(h.leaders.share)}</div><div class="note">${shareText(h.leaders)}</div></div>
<div><div class="customers">Customers say</div><div class="big customers">${hidden(h.customers) ? '—' : pct(h.customers.share)}</div><div class="note">${shareText(h.customers)}</div></div>
<div><div>Gap</div><div class="big">${h.gap === null ? '—' : pts(h.gap)}</div><div class="note">${gapCi ? `95% CI ${ptsInterval(gapCi)} · ${pValue(h.pValue)}` : 'a side is hidden'}</div></div>
</div>
<table><caption>Published benchmark</caption><thead><tr><th scope="col">Source</th><th scope="col" class="n">Leaders</th><th scope="col" class="n">Customers</th><th scope="col" class="n">Gap</th></tr></thead><tbody>
${h.benchmarks.length ? h.benchmarks.map((b) => html`<tr><th scope="row">${b.source} (${b.year})</th><td class="n">${pct(b.leaders)}</td><td class="n">${pct(b.customers)}</td><td class="n">${pts(b.gap)}</td></tr>`) : html`<tr><td colspan="4">No published figure for this industry.</td></tr>`}
</tbody></table></section>`;
}

function dimensionSection(p: BoardPack): SafeHtml {
  const rows = p.gap.dimensions
    .map((d) => {
      const L = hidden(d.leaders) ? null : d.leaders;
      const C = d.customers === null || hidden(d.customers) ? null : d.customers;
      return { d, L, C, gapCi: d.gap === null ? null : differenceInterval(d.gap, d.t, d.df) };
    })
    .sort((a, b) => (b.d.gap === null ? -1 : 0) - (a.d.gap === null ? -1 : 0) || (b.d.gap ?? 0) - (a.d.gap ?? 0));
  const chart: DumbbellSvgRow[] = rows.map((r) => ({
    label: r.d.label,
    leaders: r.L ? { mean: r.L.mean, ci: meanInterval(r.L) } : null,
    customers: r.C ? { mean: r.C.mean, ci: meanInterval(r.C) } : null,
  }));
  const mean = (m: { n: number; mean: number; sd: number } | null, s: unknown) => {
    if (m === null) return s === null ? 'not asked' : `hidden: ${(s as Hidden).reason}`;
    const ci = meanInterval(m);
    return `${fixed(m.mean, 2)}${ci ? ` (${fixed(ci[0], 2)}–${fixed(ci[1], 2)})` : ''}, n = ${count(m.n)}`;
  };
  return html`<section aria-labelledby="s-dims"><h2 id="s-dims">Where leaders and customers see it differently</h2>
<p class="note">Mean rating 1–5 per dimension with 95% intervals, widest gap first.</p>
${dumbbellSvg('dims-chart', chart)}
<table><caption>Dimension gaps</caption><thead><tr><th scope="col">Dimension</th><th scope="col" class="n">Leaders (95% CI)</th><th scope="col" class="n">Customers (95% CI)</th><th scope="col" class="n">Gap (95% CI)</th><th scope="col" class="n">p</th></tr></thead><tbody>
${rows.map(
  (r) =>
    html`<tr><th scope="row">${r.d.label}</th><td class="n">${mean(r.L, r.d.leaders)}</td><td class="n">${mean(r.C, r.d.customers)}</td><td class="n">${r.d.gap === null ? '—' : `${signed(r.d.gap, 2)}${r.gapCi ? ` (${fixed(r.gapCi[0], 2)} to ${fixed(r.gapCi[1], 2)})` : ''}`}</td><td class="n">${r.d.gap === null ? '—' : pValue(r.d.pValue)}</td></tr>`,
)}
</tbody></table></section>`;
}

/** The 0–100 % axis for the touchpoint chart: leaders' predicted share against customers' actual share. */
const SHARE_SCALE: DumbbellScale = {
  min: 0,
  max: 1,
  ticks: [0, 0.25, 0.5, 0.75, 1],
  format: (v) => pct(v),
  title: 'Share of customers calling the experience excellent at each touchpoint: what its leaders believe (amber) against what customers say (teal), with 95% intervals',
};

function touchpointSection(p: BoardPack): SafeHtml {
  const j = p.journeyBelief;
  type Row = (typeof j.touchpoints)[number];
  // A cell's figure over its interval and n (so narrow columns do not break inside an interval); a cell
  // without a figure says why: withheld by the anonymity rule (its reason), or never predicted.
  const cell = (figure: string, ...detail: string[]) => html`${figure}${detail.map((d) => html`<br><span class="note">${d}</span>`)}`;
  const believed = (t: Row) =>
    t.believed === null
      ? `not predicted: no ${t.department} leader answered for it`
      : hidden(t.believed)
        ? `hidden: ${t.believed.reason}`
        : cell(pct(t.believed.mean), ...(t.believed.ci95 ? [`95% CI ${pctInterval(t.believed.ci95)}`] : []), `n = ${count(t.believed.n)}`);
  const actual = (t: Row) => (hidden(t.actual) ? `hidden: ${t.actual.reason}` : cell(pct(t.actual.share), `95% CI ${pctInterval(t.actual.ci95)}`, `n = ${count(t.actual.n)}`));
  const gap = (t: Row) =>
    t.gap === null ? (t.believed === null ? '— (not predicted)' : '— (a side is hidden)') : t.gapCi ? cell(pts(t.gap), `95% CI ${ptsInterval(t.gapCi)}`) : pts(t.gap);
  const chart: DumbbellSvgRow[] = j.touchpoints.map((t) => ({
    label: t.label,
    leaders: t.believed && !hidden(t.believed) ? { mean: t.believed.mean, ci: t.believed.ci95 } : null,
    customers: hidden(t.actual) ? null : { mean: t.actual.share, ci: t.actual.ci95 },
  }));
  const predicted = j.touchpoints.filter((t) => t.believed !== null).length;
  return html`<section aria-labelledby="s-touchpoints"><h2 id="s-touchpoints">What leaders believe at each touchpoint</h2>
<p class="note">Leaders of the function that owns a touchpoint predict the share of its customers who call the experience excellent; beside it, the share who do, and the gap (believed − actual, MOVER 95% interval). Groups under ${j.minResponses} are hidden.</p>
${j.hidden.leaders ? html`<p>Leaders' side hidden: ${j.hidden.leaders}.</p>` : predicted === 0 ? html`<p>No leader predicted a touchpoint${j.touchpoints.length ? '' : ' (no touchpoint in these filters)'}: the mirror survey asks the leaders of each touchpoint's owning function.</p>` : ''}
${j.hidden.customers ? html`<p>Customers' side hidden: ${j.hidden.customers}.</p>` : ''}
${dumbbellSvg('touchpoints-chart', chart, SHARE_SCALE)}
<table><caption>Belief and reality per touchpoint</caption><thead><tr><th scope="col">Touchpoint (owner)</th><th scope="col" class="n">Leaders believe</th><th scope="col" class="n">Customers say</th><th scope="col" class="n">Gap</th></tr></thead><tbody>
${j.touchpoints.map((t) => html`<tr><th scope="row">${t.label} <span class="note">(${t.stageLabel}; ${t.department})</span></th><td class="n">${believed(t)}</td><td class="n">${actual(t)}</td><td class="n">${gap(t)}</td></tr>`)}
</tbody></table></section>`;
}

function trendSection(p: BoardPack): SafeHtml {
  const t = p.trend;
  const s = t.slope;
  const slopeText = s
    ? `Gap slope ${signed(s.perPeriod * 100, 1)} pts per ${t.period} (95% CI ${signed(s.ci95[0] * 100, 1)} to ${signed(s.ci95[1] * 100, 1)}, ${pValue(s.pValue)}; ${s.direction}) over ${s.periods} periods with both sides shown.`
    : 'Too few periods with both sides shown to fit a slope of the gap.';
  const c = t.customerTrend;
  const customerText = c ? `Customers' excellent share: ${signed(c.perPeriod * 100, 1)} pts per ${t.period} (95% CI ${signed(c.ci95[0] * 100, 1)} to ${signed(c.ci95[1] * 100, 1)}; ${c.direction}).` : '';
  const points = t.points.map((x) => ({ period: x.period, customers: hidden(x.customers) ? null : x.customers.share, leaders: hidden(x.leaders) ? null : x.leaders.share }));
  return html`<section aria-labelledby="s-trend"><h2 id="s-trend">The gap over time</h2>
${t.suppressed.customers ? html`<p>Customers hidden: ${t.suppressed.customers}</p>` : ''}
${trendSvg('trend-chart', points, slopeText)}
<p>${slopeText} ${customerText}</p>
<table><caption>Excellent share per ${t.period}</caption><thead><tr><th scope="col">Period</th><th scope="col" class="n">Leaders</th><th scope="col" class="n">Customers</th><th scope="col" class="n">Gap</th></tr></thead><tbody>
${t.points.map((x) => html`<tr><th scope="row">${x.period}</th><td class="n">${shareText(x.leaders)}</td><td class="n">${shareText(x.customers)}</td><td class="n">${x.gap === null ? '—' : pts(x.gap)}</td></tr>`)}
</tbody></table></section>`;
}

function metricsSection(p: BoardPack): SafeHtml {
  const g = p.gap;
  const nps = hidden(g.nps)
    ? `hidden: ${g.nps.reason}`
    : `${fixed(g.nps.score, 0)} (95% CI ${fixed(g.nps.ci95[0], 0)} to ${fixed(g.nps.ci95[1], 0)}, n = ${count(g.nps.n)}; promoters ${pct(g.nps.promoters / g.nps.n)}, detractors ${pct(g.nps.detractors / g.nps.n)})${
        g.nps.benchmark ? `; published range ${g.nps.benchmark.low} to ${g.nps.benchmark.high} (${g.nps.benchmark.source}, ${g.nps.benchmark.year})` : ''
      }`;
  const ces = hidden(g.ces) ? `hidden: ${g.ces.reason}` : `${fixed(g.ces.mean, 2)}${g.ces.ci95 ? ` (95% CI ${fixed(g.ces.ci95[0], 2)}–${fixed(g.ces.ci95[1], 2)})` : ''}, n = ${count(g.ces.n)}`;
  const cal = hidden(g.calibration)
    ? `hidden: ${g.calibration.reason}`
    : `${g.calibration.direction}: leaders predicted ${pct(g.calibration.meanPredictedShare)} of customers would call it excellent, ${pct(g.calibration.actualShare)} did; mean absolute error ${fixed(g.calibration.maeExcellenceShare, 1)} pts, Brier ${fixed(g.calibration.brier, 3)} (n = ${count(g.calibration.n)} leaders)`;
  return html`<section aria-labelledby="s-metrics"><h2 id="s-metrics">Loyalty, satisfaction, effort and calibration</h2>
<table><thead><tr><th scope="col">Measure</th><th scope="col">Figure</th></tr></thead><tbody>
<tr><th scope="row">Net Promoter Score</th><td>${nps}</td></tr>
<tr><th scope="row">Satisfaction (CSAT, top two boxes)</th><td>${shareText(g.csat)}</td></tr>
<tr><th scope="row">Customer effort (CES, mean)</th><td>${ces}</td></tr>
<tr><th scope="row">Leaders' calibration</th><td>${cal}</td></tr>
</tbody></table></section>`;
}

function driversSection(p: BoardPack): SafeHtml {
  const d = p.drivers;
  if (hidden(d.model)) return html`<section aria-labelledby="s-drivers"><h2 id="s-drivers">What drives an excellent experience</h2><p>Not available: ${d.model.reason}</p></section>`;
  const ranked = d.dimensions.filter((x) => x.rank !== null).sort((a, b) => a.rank! - b.rank!);
  return html`<section aria-labelledby="s-drivers"><h2 id="s-drivers">What drives an excellent experience</h2>
<p class="note">Johnson's relative weights of the customer dimensions (R² = ${fixed(d.model.rSquared, 2)}, ${count(d.model.completeCases)} complete answers).${d.model.caution ? ` ${d.model.caution}` : ''}</p>
<table><thead><tr><th scope="col">Rank</th><th scope="col">Dimension</th><th scope="col" class="n">Share of R²</th><th scope="col" class="n">Customers' mean</th><th scope="col">Quadrant</th></tr></thead><tbody>
${ranked.map((x) => html`<tr><td>${x.rank}</td><th scope="row">${x.label}${x.critical ? ' (critical)' : ''}</th><td class="n">${x.rescaled === null ? '—' : `${fixed(x.rescaled, 0)}%`}</td><td class="n">${hidden(x.performance) ? `hidden: ${x.performance.reason}` : fixed(x.performance.mean, 2)}</td><td>${x.quadrant ?? '—'}</td></tr>`)}
</tbody></table></section>`;
}

/** The whole document. `generatedAt` is passed in so a test (or a re-print) can fix the date line. */
export function boardPackHtml(p: BoardPack, generatedAt: Date): string {
  const g = p.gap;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Board pack: ${g.organisation.name}</title><style>${STYLE}</style></head>
<body><main>
<header><h1>Board pack: ${g.organisation.name}</h1>
<p class="meta">${filterText(g.filters)} · ${g.responses.customers === null ? 'too few customers to show' : `${count(g.responses.customers)} customers`} · ${g.responses.leaders === null ? 'too few leaders to show' : `${count(g.responses.leaders)} leaders`} · groups under ${g.minResponses} are hidden · generated ${generatedAt.toISOString().slice(0, 10)}</p>
<section aria-labelledby="s-summary"><h2 id="s-summary">Summary</h2>${p.summary.map((s) => html`<p>${s}</p>`)}</section></header>
${headlineSection(p)}
${dimensionSection(p)}
${touchpointSection(p)}
${trendSection(p)}
${metricsSection(p)}
${driversSection(p)}
</main></body></html>`.value;
}
