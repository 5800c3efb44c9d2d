// The gap over time: leaders' and customers' excellence shares by month with their 95% intervals
// as bands, the gap between them shaded, and the customer responses per month as small bars.
// Hand-drawn SVG at pixel width (see Dumbbell.tsx for why).
import { useId } from 'react';
import { useWidth } from '../components/use-width.ts';
import { count, monthLabel, pct, pctInterval, pts } from '../../core/number-format.ts';
import { NumbersTable } from '../components/DataTable.tsx';

export interface TrendPoint {
  period: string;
  leaders: { share: number; ci95: [number, number] | null; n: number | null } | null;
  customers: { share: number; ci95: [number, number] | null; n: number | null } | null;
  gap: number | null;
  /** Responses in the period, when known (null: hidden or unknown). */
  responses: number | null;
}

export function TrendChart({
  points,
  label,
  leadersOverall,
}: {
  points: TrendPoint[];
  label: string;
  /** Leaders' share over the whole range, drawn across when their months are hidden. */
  leadersOverall?: { share: number; ci95: [number, number] } | null;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const id = useId();
  const narrow = width > 0 && width < 620;
  const plotH = narrow ? 170 : 210;
  const barsH = 46;
  const hasBars = points.some((p) => p.responses !== null);
  const left = 40;
  const right = 8;
  const top = 10;
  const axisH = 22;
  const height = top + plotH + axisH + (hasBars ? barsH + 26 : 0);
  const n = points.length;
  const step = n > 0 ? (width - left - right) / n : 0;
  const cx = (i: number) => left + step * (i + 0.5);
  const y = (v: number) => top + (1 - v) * plotH;
  const maxResp = Math.max(1, ...points.map((p) => p.responses ?? 0));
  const labelEvery = Math.max(1, Math.ceil((narrow ? 42 : 56) / Math.max(step, 1)));

  const path = (get: (p: TrendPoint) => number | null) => {
    let d = '';
    let pen = false;
    points.forEach((p, i) => {
      const v = get(p);
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${cx(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    return d;
  };
  /** A closed band between two series over runs where both exist. */
  const band = (lo: (p: TrendPoint) => number | null, hi: (p: TrendPoint) => number | null) => {
    const runs: number[][] = [];
    let cur: number[] = [];
    points.forEach((p, i) => {
      if (lo(p) !== null && hi(p) !== null) cur.push(i);
      else if (cur.length) (runs.push(cur), (cur = []));
    });
    if (cur.length) runs.push(cur);
    return runs
      .map((run) => {
        if (run.length === 1) {
          const i = run[0]!;
          const w = Math.min(step * 0.3, 8);
          return `M${cx(i) - w},${y(hi(points[i]!)!)}H${cx(i) + w}V${y(lo(points[i]!)!)}H${cx(i) - w}Z`;
        }
        const upper = run.map((i) => `${cx(i).toFixed(1)},${y(hi(points[i]!)!).toFixed(1)}`);
        const lower = [...run].reverse().map((i) => `${cx(i).toFixed(1)},${y(lo(points[i]!)!).toFixed(1)}`);
        return `M${upper.join('L')}L${lower.join('L')}Z`;
      })
      .join('');
  };

  const L = (p: TrendPoint) => p.leaders?.share ?? null;
  const showOverall = !!leadersOverall && points.every((p) => !p.leaders);
  const Lgap = (p: TrendPoint) => p.leaders?.share ?? (showOverall ? leadersOverall!.share : null);
  const C = (p: TrendPoint) => p.customers?.share ?? null;
  const first = points.find((p) => p.customers);
  const last = [...points].reverse().find((p) => p.customers);
  const summary =
    (first && last
      ? `Customers’ excellence share went from ${pct(first.customers!.share)} in ${monthLabel(first.period)} to ${pct(last.customers!.share)} in ${monthLabel(last.period)}.`
      : 'No month has enough customer responses to show.') +
    (showOverall ? ` Leaders, over the whole period: ${pct(leadersOverall!.share)}.` : '');

  return (
    <div ref={ref} className="chart-wrap" style={{ minHeight: height }}>
      {width > 0 && n > 0 && (
        <svg width={width} height={height} role="img" aria-labelledby={`${id}-t ${id}-d`} style={{ width, height }}>
          <title id={`${id}-t`}>{label}</title>
          <desc id={`${id}-d`}>{summary} The table below the chart lists every month.</desc>
          <g aria-hidden="true">
            {[0, 0.25, 0.5, 0.75, 1].map((t) => (
              <g key={t}>
                <line x1={left} x2={width - right} y1={y(t)} y2={y(t)} stroke={t === 0 ? 'var(--line-strong)' : 'var(--line)'} />
                <text x={left - 6} y={y(t) + 4} textAnchor="end" fontSize={11} fill="var(--muted)">
                  {pct(t)}
                </text>
              </g>
            ))}
            <path d={band(C, Lgap)} fill="var(--gap)" fillOpacity={0.07} />
            {showOverall && (
              <g>
                <rect
                  x={left}
                  width={width - left - right}
                  y={y(leadersOverall!.ci95[1])}
                  height={Math.max(1, y(leadersOverall!.ci95[0]) - y(leadersOverall!.ci95[1]))}
                  fill="var(--leaders)"
                  fillOpacity={0.14}
                />
                <line x1={left} x2={width - right} y1={y(leadersOverall!.share)} y2={y(leadersOverall!.share)} stroke="var(--leaders)" strokeWidth={2.2} strokeDasharray="6 4" />
                <text x={width - right - 4} y={y(leadersOverall!.share) + 16} textAnchor="end" fontSize={11.5} fontWeight={600} fill="var(--leaders-ink)">
                  Leaders, whole period: {pct(leadersOverall!.share)}
                </text>
              </g>
            )}
            <path d={band((p) => p.leaders?.ci95?.[0] ?? null, (p) => p.leaders?.ci95?.[1] ?? null)} fill="var(--leaders)" fillOpacity={0.18} />
            <path d={band((p) => p.customers?.ci95?.[0] ?? null, (p) => p.customers?.ci95?.[1] ?? null)} fill="var(--customers)" fillOpacity={0.2} />
            <path d={path(L)} fill="none" stroke="var(--leaders)" strokeWidth={2.2} strokeLinejoin="round" />
            <path d={path(C)} fill="none" stroke="var(--customers)" strokeWidth={2.2} strokeLinejoin="round" />
            {points.map((p, i) => (
              <g key={p.period}>
                {p.leaders && <circle cx={cx(i)} cy={y(p.leaders.share)} r={3} fill="var(--leaders)" />}
                {p.customers && <circle cx={cx(i)} cy={y(p.customers.share)} r={3} fill="var(--customers)" />}
                {i % labelEvery === 0 && (
                  <text x={cx(i)} y={top + plotH + 16} textAnchor="middle" fontSize={11} fill="var(--muted)">
                    {monthLabel(p.period, true)}
                  </text>
                )}
              </g>
            ))}
            {hasBars && (
              <g transform={`translate(0, ${top + plotH + axisH + 22})`}>
                <text x={left} y={-4} fontSize={11} fill="var(--muted)">
                  Customer responses per month (max {count(maxResp)})
                </text>
                {points.map((p, i) =>
                  p.responses !== null ? (
                    <rect
                      key={p.period}
                      x={cx(i) - Math.min(step * 0.35, 14)}
                      width={Math.min(step * 0.7, 28)}
                      y={barsH - (p.responses / maxResp) * (barsH - 4)}
                      height={(p.responses / maxResp) * (barsH - 4)}
                      fill="var(--customers)"
                      fillOpacity={0.35}
                      rx={2}
                    />
                  ) : null,
                )}
              </g>
            )}
          </g>
        </svg>
      )}
    </div>
  );
}

const share = (s: TrendPoint['leaders']) => (s ? `${pct(s.share)}${s.ci95 ? ` (${pctInterval(s.ci95)})` : ''}${s.n !== null ? `, n = ${count(s.n)}` : ''}` : 'hidden');

export function TrendTable({ points }: { points: TrendPoint[] }) {
  return (
    <NumbersTable
      caption="Excellence share by month"
      columns={[{ label: 'Month' }, { label: 'Leaders (95% CI)', numeric: true }, { label: 'Customers (95% CI)', numeric: true }, { label: 'Gap', numeric: true }, { label: 'Responses', numeric: true }]}
    >
      {points.map((p) => (
        <tr key={p.period}>
          <th scope="row">{monthLabel(p.period)}</th>
          <td className="num">{share(p.leaders)}</td>
          <td className="num">{share(p.customers)}</td>
          <td className="num">{p.gap === null ? '—' : pts(p.gap)}</td>
          <td className="num">{p.responses === null ? '—' : count(p.responses)}</td>
        </tr>
      ))}
    </NumbersTable>
  );
}
