// The board pack's two charts as static SVG strings (no React on the server, no script in the page):
// the dimension dumbbell (leaders' and customers' means with 95% intervals) and the gap over time.
// Each is an image with a title and a description stating its figures; the page prints the same
// figures as a table beside it, which is the accessible form of the data.
import { html, type SafeHtml } from './html.ts';

const LEADERS = '#b45309'; // amber, as on the dashboard
const CUSTOMERS = '#0f766e'; // teal
const INK = '#334155';

export interface DumbbellSvgRow {
  label: string;
  leaders: { mean: number; ci: [number, number] | null } | null;
  customers: { mean: number; ci: [number, number] | null } | null;
}

const f1 = (x: number) => x.toFixed(1);

/** The axis a dumbbell is drawn on: its ends, tick values, how a value reads, and the chart's title. */
export interface DumbbellScale {
  min: number;
  max: number;
  ticks: number[];
  format: (v: number) => string;
  title: string;
}
const RATING: DumbbellScale = {
  min: 1,
  max: 5,
  ticks: [1, 2, 3, 4, 5],
  format: f1,
  title: 'Mean rating per dimension, leaders (amber) against customers (teal), with 95% intervals',
};

/** Means on the 1–5 scale (or another scale), one row per dimension, in the order given. */
export function dumbbellSvg(id: string, rows: DumbbellSvgRow[], scale: DumbbellScale = RATING): SafeHtml {
  const W = 640;
  const left = 190;
  const right = 620;
  const rowH = 30;
  const top = 26;
  const H = top + rows.length * rowH + 10;
  // Intervals are drawn within the axis: a bound past its end would be cut off by the frame.
  const x = (v: number) => left + ((Math.min(scale.max, Math.max(scale.min, v)) - scale.min) / (scale.max - scale.min)) * (right - left);
  const desc = rows
    .map((r) => `${r.label}: leaders ${r.leaders ? scale.format(r.leaders.mean) : 'hidden'}, customers ${r.customers ? scale.format(r.customers.mean) : 'hidden'}`)
    .join('; ');
  const ticks = scale.ticks.map(
    (v) => html`<line x1="${x(v)}" x2="${x(v)}" y1="${top - 6}" y2="${H - 6}" stroke="#e2e8f0"/><text x="${x(v)}" y="${top - 10}" text-anchor="middle" font-size="11" fill="${INK}">${scale === RATING ? v : scale.format(v)}</text>`,
  );
  const marks = rows.map((r, i) => {
    const y = top + i * rowH + rowH / 2;
    const dot = (m: DumbbellSvgRow['leaders'], colour: string, dy: number) =>
      m === null
        ? ''
        : html`${m.ci ? html`<line x1="${x(m.ci[0])}" x2="${x(m.ci[1])}" y1="${y + dy}" y2="${y + dy}" stroke="${colour}" stroke-width="1.5"/>` : ''}<circle cx="${x(m.mean)}" cy="${y + dy}" r="5" fill="${colour}"/>`;
    return html`<text x="${left - 10}" y="${y + 4}" text-anchor="end" font-size="12" fill="${INK}">${r.label}</text>${
      r.leaders && r.customers ? html`<line x1="${x(r.leaders.mean)}" x2="${x(r.customers.mean)}" y1="${y}" y2="${y}" stroke="#94a3b8" stroke-width="3"/>` : ''
    }${dot(r.leaders, LEADERS, -3)}${dot(r.customers, CUSTOMERS, 3)}`;
  });
  return html`<svg role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${W} ${H}" width="100%" xmlns="http://www.w3.org/2000/svg"><title id="${id}-t">${scale.title}</title><desc id="${id}-d">${desc}</desc>${ticks}${marks}</svg>`;
}

export interface TrendSvgPoint {
  period: string;
  customers: number | null;
  leaders: number | null;
}

/** The excellent share per period: customers as a line, leaders as dots where their side is shown. */
export function trendSvg(id: string, points: TrendSvgPoint[], slopeText: string): SafeHtml {
  const W = 640;
  const H = 240;
  const left = 44;
  const right = 620;
  const top = 14;
  const bottom = 206;
  const x = (i: number) => (points.length <= 1 ? (left + right) / 2 : left + (i / (points.length - 1)) * (right - left));
  const y = (v: number) => bottom - v * (bottom - top);
  const grid = [0, 0.25, 0.5, 0.75, 1].map(
    (v) => html`<line x1="${left}" x2="${right}" y1="${y(v)}" y2="${y(v)}" stroke="#e2e8f0"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11" fill="${INK}">${Math.round(v * 100)}%</text>`,
  );
  const shown = points.map((p, i) => ({ ...p, i })).filter((p) => p.customers !== null);
  const path = shown.map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p.i).toFixed(1)},${y(p.customers!).toFixed(1)}`).join(' ');
  const leaders = points.map((p, i) => (p.leaders === null ? '' : html`<circle cx="${x(i)}" cy="${y(p.leaders)}" r="4" fill="${LEADERS}"/>`));
  const step = Math.max(1, Math.ceil(points.length / 8));
  const labels = points.map((p, i) => (i % step === 0 ? html`<text x="${x(i)}" y="${bottom + 18}" text-anchor="middle" font-size="11" fill="${INK}">${p.period}</text>` : ''));
  const desc = points.map((p) => `${p.period}: customers ${p.customers === null ? 'hidden' : `${Math.round(p.customers * 100)}%`}, leaders ${p.leaders === null ? 'hidden' : `${Math.round(p.leaders * 100)}%`}`).join('; ');
  return html`<svg role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${W} ${H}" width="100%" xmlns="http://www.w3.org/2000/svg"><title id="${id}-t">Excellent share per period, customers (teal line) and leaders (amber dots). ${slopeText}</title><desc id="${id}-d">${desc}</desc>${grid}${path ? html`<path d="${path}" fill="none" stroke="${CUSTOMERS}" stroke-width="2"/>` : ''}${leaders}${labels}</svg>`;
}
