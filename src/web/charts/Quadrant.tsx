// The importance–performance quadrant of the drivers report: each dimension's importance (relative
// weight, % of R²) across, customers' mean rating (1–5, with its 95% interval) up, split where the
// report splits (the mean over the dimensions), quadrant names in the corners. Dots carry the
// dimension's importance rank as a number (the list under the chart names them), so labels never
// collide on a phone; critical dimensions get a ring and an exclamation mark, not only a colour.
// Leaders' predicted rating of the same dimension is an amber diamond above it, joined by a thin line.
// Hand-drawn SVG at pixel width, like Dumbbell.tsx.
import { useId } from 'react';
import { useWidth } from '../components/use-width.ts';
import type { DriverPoint } from '../lib/analyses.ts';
import { niceTicks } from '../lib/analyses.ts';

export function Quadrant({
  points,
  split,
  showLeaders,
  summary,
}: {
  points: DriverPoint[];
  split: { importance: number; performance: number };
  showLeaders: boolean;
  summary: string;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const id = useId();
  const narrow = width > 0 && width < 620;
  const height = narrow ? 320 : 400;
  const left = 44;
  const right = 14;
  const top = 22;
  const bottom = 44;
  const leaderMeans = showLeaders ? points.flatMap((p) => ('mean' in p.leaders ? [p.leaders.mean] : [])) : [];
  const ys = points.flatMap((p) => [p.performance.ci?.[0] ?? p.performance.mean, p.performance.ci?.[1] ?? p.performance.mean]).concat(leaderMeans, [split.performance]);
  const yLo = Math.max(1, Math.floor((Math.min(...ys) - 0.1) * 2) / 2);
  const yHi = Math.min(5, Math.ceil((Math.max(...ys) + 0.1) * 2) / 2);
  const xs = points.map((p) => p.importance).concat([split.importance]);
  const spread = Math.max(...xs) - Math.min(...xs);
  const xLo = Math.max(0, Math.min(...xs) - Math.max(1, spread * 0.15));
  const xHi = Math.max(...xs) + Math.max(1, spread * 0.15);
  const X = (v: number) => left + ((v - xLo) / (xHi - xLo)) * (width - left - right);
  const Y = (v: number) => top + (1 - (v - yLo) / (yHi - yLo)) * (height - top - bottom);
  const corner = { fontSize: 11, fill: 'var(--muted)', fontStyle: 'italic' as const };

  return (
    <div ref={ref} className="chart-wrap" style={{ minHeight: height }}>
      {width > 0 && (
        <svg width={width} height={height} role="img" aria-labelledby={`${id}-t ${id}-d`} style={{ width, height }}>
          <title id={`${id}-t`}>Importance against performance: each dimension’s importance for the outcome and customers’ rating of it</title>
          <desc id={`${id}-d`}>{summary} The table below the chart lists every dimension.</desc>
          <g aria-hidden="true">
            {niceTicks(yLo, yHi, 4).map((t) => (
              <g key={`y${t}`}>
                <line x1={left} x2={width - right} y1={Y(t)} y2={Y(t)} stroke="var(--line)" />
                <text x={left - 6} y={Y(t) + 4} textAnchor="end" fontSize={11} fill="var(--muted)">
                  {t.toFixed(1)}
                </text>
              </g>
            ))}
            {niceTicks(xLo, xHi, narrow ? 3 : 6).map((t) => (
              <text key={`x${t}`} x={X(t)} y={height - bottom + 16} textAnchor="middle" fontSize={11} fill="var(--muted)">
                {`${t}%`}
              </text>
            ))}
            <text x={(left + width - right) / 2} y={height - 8} textAnchor="middle" fontSize={11.5} fill="var(--ink)" fontWeight={600}>
              Importance (% of R²) →
            </text>
            <text transform={`translate(12 ${(top + height - bottom) / 2}) rotate(-90)`} textAnchor="middle" fontSize={11.5} fill="var(--ink)" fontWeight={600}>
              Rating 1–5 →
            </text>
            <line x1={X(split.importance)} x2={X(split.importance)} y1={top} y2={height - bottom} stroke="var(--ink)" strokeOpacity={0.45} strokeDasharray="4 3" />
            <line x1={left} x2={width - right} y1={Y(split.performance)} y2={Y(split.performance)} stroke="var(--ink)" strokeOpacity={0.45} strokeDasharray="4 3" />
            <text x={width - right - 2} y={top + 12} textAnchor="end" {...corner}>
              keep up the good work
            </text>
            <text x={width - right - 2} y={height - bottom - 6} textAnchor="end" {...corner} fill="var(--gap)" fontWeight={650}>
              concentrate here
            </text>
            <text x={left + 4} y={top + 12} {...corner}>
              possible overkill
            </text>
            <text x={left + 4} y={height - bottom - 6} {...corner}>
              low priority
            </text>
            {points.map((p) => {
              const cx = X(p.importance);
              const L = showLeaders && 'mean' in p.leaders ? p.leaders : null;
              return (
                <g key={p.key}>
                  {L && <line x1={cx} x2={cx} y1={Y(L.mean)} y2={Y(p.performance.mean)} stroke="var(--gap)" strokeOpacity={0.25} strokeWidth={3} />}
                  {p.performance.ci && (
                    <g stroke="var(--customers)" strokeWidth={1.5}>
                      <line x1={cx} x2={cx} y1={Y(p.performance.ci[0])} y2={Y(p.performance.ci[1])} />
                      <line x1={cx - 3} x2={cx + 3} y1={Y(p.performance.ci[0])} y2={Y(p.performance.ci[0])} />
                      <line x1={cx - 3} x2={cx + 3} y1={Y(p.performance.ci[1])} y2={Y(p.performance.ci[1])} />
                    </g>
                  )}
                  {L && <path d={`M${cx},${Y(L.mean) - 6}L${cx + 6},${Y(L.mean)}L${cx},${Y(L.mean) + 6}L${cx - 6},${Y(L.mean)}Z`} fill="var(--leaders)" stroke="#fff" strokeWidth={1.2} />}
                  {p.critical && <circle cx={cx} cy={Y(p.performance.mean)} r={13} fill="none" stroke="var(--gap)" strokeWidth={2} />}
                  <circle cx={cx} cy={Y(p.performance.mean)} r={9} fill="var(--customers)" stroke="#fff" strokeWidth={1.5} />
                  <text x={cx} y={Y(p.performance.mean) + 4} textAnchor="middle" fontSize={10.5} fontWeight={700} fill="#fff">
                    {p.rank}
                  </text>
                  {p.critical && (
                    <text x={cx + 15} y={Y(p.performance.mean) - 8} fontSize={12} fontWeight={800} fill="var(--gap)">
                      !
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
