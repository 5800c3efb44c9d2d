// Touchpoints ranked by gap, drawn with Observable Plot (imported on first use, so only the journey
// view pays for it). Plot's own ARIA (aria-label on <g>, which axe flags) is removed: the figure
// is one image with a written summary, and the numbers are in the table beside it.
import { useEffect, useRef, useState } from 'react';
import { useWidth } from '../components/use-width.ts';
import { isSuppressed, type Share } from '../lib/types.ts';
import { pct } from '../../core/number-format.ts';
import type { TouchpointRow } from '../views/Journey.tsx';

// Plot takes colours as values, not CSS variables: the same colours as --leaders, --customers, --ink in styles.css.
const LEADERS = '#d97706';
const LEADERS_INK = '#92400e';
const CUSTOMERS = '#0d9488';
const INK = '#0f172a';
const INK2 = '#334155';

type PlotModule = typeof import('@observablehq/plot');
let plotModule: Promise<PlotModule> | null = null;
const loadPlot = () => (plotModule ??= import('@observablehq/plot'));

export function RankedTouchpoints({ rows, leaders }: { rows: TouchpointRow[]; leaders: Share | null }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const holder = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const narrow = width < 620;
  const rowH = 30;
  const height = 60 + rows.length * rowH;
  const shown = rows.filter((r) => !isSuppressed(r.customers)) as (TouchpointRow & { customers: Share })[];

  useEffect(() => {
    if (!width || !holder.current) return;
    let cancelled = false;
    loadPlot().then(
      (Plot) => {
        if (cancelled || !holder.current) return;
        const data = shown.map((r) => ({ label: r.label, share: r.customers.share, lo: r.customers.ci95[0], hi: r.customers.ci95[1] }));
        const chart = Plot.plot({
          width,
          height,
          marginLeft: narrow ? 150 : 180,
          marginRight: 16,
          marginTop: 28,
          style: { fontFamily: 'inherit', fontSize: '12px', color: INK, background: 'transparent' },
          x: { domain: [0, 1], tickFormat: (d: number) => `${Math.round(d * 100)}%`, label: null, grid: true, axis: 'top' },
          y: { domain: data.map((d) => d.label), label: null, tickSize: 0 },
          marks: [
            ...(leaders
              ? [
                  Plot.ruleX([leaders.share], { stroke: LEADERS, strokeWidth: 2, strokeDasharray: '5,3' }),
                  Plot.text([leaders.share], { x: (d: number) => d, frameAnchor: 'bottom', dy: 14, text: () => `Leaders ${pct(leaders.share)}`, fill: LEADERS_INK, textAnchor: 'end', dx: -4 }),
                ]
              : []),
            Plot.ruleY(data, { y: 'label', x1: 'lo', x2: 'hi', stroke: CUSTOMERS, strokeOpacity: 0.35, strokeWidth: 8, strokeLinecap: 'round' }),
            Plot.dot(data, { y: 'label', x: 'share', fill: CUSTOMERS, stroke: '#fff', r: 5.5 }),
            Plot.text(data, { y: 'label', x: 'hi', text: (d: { share: number }) => pct(d.share), dx: 8, textAnchor: 'start', fill: INK2 }),
          ],
        });
        // Plot labels its <g>s with aria-label; on a <g> without a role that is a prohibited attribute.
        chart.querySelectorAll('[aria-label],[aria-description]').forEach((el) => {
          el.removeAttribute('aria-label');
          el.removeAttribute('aria-description');
        });
        chart.setAttribute('aria-hidden', 'true');
        holder.current.replaceChildren(chart);
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [width, height, narrow, JSON.stringify(shown.map((r) => [r.key, r.customers.share])), leaders?.share]);

  const worst = shown[0];
  const label = worst
    ? `Touchpoints ranked by gap. Widest: ${worst.label}, where ${pct(worst.customers.share)} of customers say the experience is excellent${
        leaders ? `, against ${pct(leaders.share)} of leaders` : ''
      }. The table below lists every touchpoint.`
    : 'No touchpoint has enough responses to rank.';
  return (
    <div ref={ref} className="chart-wrap" style={{ minHeight: height, marginTop: 8 }} role="img" aria-label={label}>
      {failed ? <p className="muted small">The chart could not be drawn; the numbers are in the table below.</p> : <div ref={holder} />}
    </div>
  );
}
