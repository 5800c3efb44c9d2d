// "Is leadership learning?": each leader wave's headline error (predicted − actual excellence share,
// points) as an amber dot with its 95% interval, the zero line (a calibrated team), and the weighted
// trend line across the waves. Withheld waves keep their place on the axis, with no mark. Hand-drawn SVG
// at pixel width, as TrendChart; the table under it is the text alternative.
import { useId } from 'react';
import { useWidth } from '../components/use-width.ts';
import { NumbersTable } from '../components/DataTable.tsx';
import { count, fixed, interval, monthLabel, signed } from '../../core/number-format.ts';
import type { CalibrationWavesReport } from '../../core/analytics/calibration-waves.ts';

type Wave = CalibrationWavesReport['waves'][number];
/** Consecutive periods differ by 1, as the report's x (core/analytics/trend.ts periodIndex; not imported: it would bring zod into the bundle). */
const periodIndex = (p: string) => (p[5] === 'Q' ? Number(p.slice(0, 4)) * 4 + Number(p.slice(6)) - 1 : Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7)) - 1);
type Shown = Exclude<Wave, { suppressed: true }>;
const headlineOf = (w: Wave) => ('suppressed' in w || 'suppressed' in w.headline ? null : w.headline);
export const periodLabel = (p: string, short = false) => (p.includes('Q') ? (short ? p.slice(2) : p.replace('-', ' ')) : monthLabel(p, short));

export function LearningChart({ report, label }: { report: CalibrationWavesReport; label: string }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const id = useId();
  const narrow = width > 0 && width < 620;
  const plotH = narrow ? 170 : 210;
  const [left, right, top, axisH] = [44, 10, 10, 24];
  const height = top + plotH + axisH;
  const waves = report.waves;
  const n = waves.length;
  // Waves sit on a time axis (months or quarters apart as they ran), so the straight trend line is the fit.
  const xs = waves.map((w) => periodIndex(w.period));
  const [x0, span] = [xs[0] ?? 0, Math.max(1, (xs[n - 1] ?? 0) - (xs[0] ?? 0))];
  const pad = 22;
  const cx = (i: number) => (n === 1 ? (left + width - right) / 2 : left + pad + ((xs[i]! - x0) / span) * Math.max(0, width - left - right - 2 * pad));
  const step = n > 1 ? Math.min(...xs.slice(1).map((_, i) => cx(i + 1) - cx(i))) : width;
  const values = waves.flatMap((w) => {
    const h = headlineOf(w);
    return h ? [h.ci95[0], h.ci95[1]] : [];
  });
  // The domain always holds 0 (calibrated), rounded out to 10 points.
  const lo = Math.floor(Math.min(0, ...values) / 10) * 10;
  const hi = Math.ceil(Math.max(0, ...values, 10) / 10) * 10;
  const y = (v: number) => top + ((hi - v) / (hi - lo)) * plotH;
  const ticks = Array.from({ length: Math.floor((hi - lo) / 10) + 1 }, (_, i) => lo + i * 10).filter((t, i, all) => all.length <= 7 || i % 2 === 0 || t === 0);
  const labelEvery = Math.max(1, Math.ceil((narrow ? 44 : 60) / Math.max(step, 1)));
  // The trend line over the shown waves: intercept through the weighted means (WLS passes through them).
  const t = report.trend;
  const pts = waves.map((w, i) => ({ i, h: headlineOf(w), x: periodIndex(w.period) })).filter((p) => p.h !== null);
  let line: { x1: number; y1: number; x2: number; y2: number } | null = null;
  if (t && pts.length >= 2) {
    const wsum = pts.reduce((s, p) => s + 1 / p.h!.variance, 0);
    const xBar = pts.reduce((s, p) => s + p.x / p.h!.variance, 0) / wsum;
    const at = (x: number) => t.meanError + t.perPeriod * (x - xBar);
    const [a, b] = [pts[0]!, pts[pts.length - 1]!];
    line = { x1: cx(a.i), y1: y(at(a.x)), x2: cx(b.i), y2: y(at(b.x)) };
  }
  return (
    <div ref={ref} className="chart-wrap" style={{ minHeight: height }}>
      {width > 0 && n > 0 && (
        <svg width={width} height={height} role="img" aria-labelledby={`${id}-t ${id}-d`} style={{ width, height }}>
          <title id={`${id}-t`}>{label}</title>
          <desc id={`${id}-d`}>{report.sentence} The table below the chart lists every wave.</desc>
          <g aria-hidden="true">
            {ticks.map((v) => (
              <g key={v}>
                <line x1={left} x2={width - right} y1={y(v)} y2={y(v)} stroke={v === 0 ? 'var(--line-strong)' : 'var(--line)'} strokeWidth={v === 0 ? 1.5 : 1} />
                <text x={left - 6} y={y(v) + 4} textAnchor="end" fontSize={11} fill="var(--muted)">
                  {signed(v, 0)}
                </text>
              </g>
            ))}
            <text x={width - right - 2} y={y(0) - 5} textAnchor="end" fontSize={11} fill="var(--muted)">
              calibrated
            </text>
            {line && <line {...line} stroke="var(--leaders-ink)" strokeWidth={2} strokeDasharray="6 4" />}
            {waves.map((w, i) => {
              const h = headlineOf(w);
              return (
                <g key={w.period}>
                  {h && (
                    <>
                      <line x1={cx(i)} x2={cx(i)} y1={y(h.ci95[0])} y2={y(h.ci95[1])} stroke="var(--leaders)" strokeWidth={2} />
                      <circle cx={cx(i)} cy={y(h.signedError)} r={4.5} fill="var(--leaders)" />
                    </>
                  )}
                  {i % labelEvery === 0 && (
                    <text x={cx(i)} y={top + plotH + 16} textAnchor="middle" fontSize={11} fill="var(--muted)">
                      {periodLabel(w.period, true)}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
        </svg>
      )}
    </div>
  );
}

export function LearningTable({ report }: { report: CalibrationWavesReport }) {
  const row = (w: Shown) => {
    const h = headlineOf(w);
    return (
      <tr key={w.period}>
        <th scope="row">{periodLabel(w.period)}</th>
        <td className="num">{count(w.leaders)}</td>
        <td className="num">{count(w.customers)}</td>
        <td className="num">{h ? `${fixed(h.predicted.mean, 1)}%` : '—'}</td>
        <td className="num">{h ? `${fixed(h.actual.share, 1)}%` : '—'}</td>
        <td className="num">{h ? `${signed(h.signedError, 1)} (${interval(h.ci95)})` : 'suppressed' in w.headline ? w.headline.reason : '—'}</td>
        <td className="num">{h ? fixed(h.mae, 1) : '—'}</td>
        <td className="num">{w.dimensionsMae === null ? '—' : fixed(w.dimensionsMae, 2)}</td>
      </tr>
    );
  };
  return (
    <NumbersTable
      caption={`Leaders' error per ${report.by}, against the customers of the same ${report.by}`}
      columns={[
        { label: report.by === 'quarter' ? 'Quarter' : 'Month' },
        { label: 'Leaders (n)', numeric: true },
        { label: 'Customers (n)', numeric: true },
        { label: 'Predicted excellent', numeric: true },
        { label: 'Actual', numeric: true },
        { label: 'Error, pts (95% CI)', numeric: true },
        { label: 'Mean |error| per leader, pts', numeric: true },
        { label: 'Dimension error (1–5)', numeric: true },
      ]}
    >
      {report.waves.map((w) =>
        'suppressed' in w ? (
          <tr key={w.period}>
            <th scope="row">{periodLabel(w.period)}</th>
            <td colSpan={7}>withheld: {w.reason}</td>
          </tr>
        ) : (
          row(w)
        ),
      )}
    </NumbersTable>
  );
}
