// One row per group (a leadership group, a touchpoint, a benchmark source…) with dots and their 95%
// intervals on a shared horizontal scale, an optional quartile box (peers) and an optional reference
// line across all rows (e.g. leaders' belief). Leaders' marks are amber diamonds, customers' teal
// circles, so the two differ in shape as well as colour. Hand-drawn SVG at pixel width, like
// Dumbbell.tsx; the view puts the numbers in a table beside it (the text alternative).
import { RowChartSvg, ScaleGrid, useRowFrame } from './row-chart.tsx';
import { niceTicks } from '../lib/analyses.ts';

export type Side = 'leaders' | 'customers' | 'neutral';

export interface Mark {
  value: number;
  ci?: [number, number] | null;
  side: Side;
}

export interface DotRow {
  key: string;
  label: string;
  marks: Mark[];
  /** Peer quartiles, drawn as a box from q1 to q3 with the median. */
  box?: { q1: number; median: number; q3: number } | null;
  /** The figure(s) in words, at the right (wide) or beside the label (narrow). */
  valueText?: string;
  /** Why nothing is drawn, or a flag such as "above the rest". */
  note?: string;
  /** Emphasise the note (e.g. a significant difference). */
  flagged?: boolean;
}

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

const COLOUR: Record<Side, string> = { leaders: 'var(--leaders)', customers: 'var(--customers)', neutral: 'var(--ink)' };

function MarkShape({ x, y, side }: { x: number; y: number; side: Side }) {
  if (side === 'leaders')
    return <path d={`M${x},${y - 7}L${x + 7},${y}L${x},${y + 7}L${x - 7},${y}Z`} fill={COLOUR[side]} stroke="#fff" strokeWidth={1.5} />;
  return <circle cx={x} cy={y} r={6.5} fill={COLOUR[side]} stroke="#fff" strokeWidth={1.5} />;
}

export function DotRows({
  rows,
  domain,
  format,
  title,
  summary,
  reference,
  valueHeading,
}: {
  rows: DotRow[];
  domain: [number, number];
  format: (v: number) => string;
  title: string;
  summary: string;
  reference?: { value: number; ci?: [number, number] | null; side: Side; label: string } | null;
  valueHeading?: string;
}) {
  const f = useRowFrame(rows.length, { rowH: [40, 58], top: reference ? 44 : 28, labelMin: 140 });
  const { width, narrow, rowH, top, height, labelW } = f;
  const valueW = narrow ? 0 : 150;
  // About 7.5 px a character at 13 px semibold: longer labels are cut (the table has them whole).
  const maxChars = Math.max(8, Math.floor(labelW / 7.5));
  const x0 = labelW + 14;
  const x1 = Math.max(x0 + 60, width - valueW - 14);
  const [lo, hi] = domain;
  const clamp = (v: number) => Math.min(hi, Math.max(lo, v));
  const x = (v: number) => x0 + ((clamp(v) - lo) / (hi - lo || 1)) * (x1 - x0);
  const ticks = niceTicks(lo, hi, narrow ? 4 : 6);

  return (
    <RowChartSvg frame={f} title={title} desc={`${summary} The table below the chart lists every figure.`}>
      <g aria-hidden="true">
        <ScaleGrid ticks={ticks} x={x} top={top} height={height} format={format} />
        {!narrow && valueHeading && (
          <text x={width - 6} y={top - 12} textAnchor="end" fontSize={11} fill="var(--muted)" fontWeight={600}>
            {valueHeading}
          </text>
        )}
        {reference && (
          <g>
            {reference.ci && (
              <rect x={x(reference.ci[0])} width={Math.max(1, x(reference.ci[1]) - x(reference.ci[0]))} y={top - 6} height={height - top} fill={COLOUR[reference.side]} fillOpacity={0.1} />
            )}
            <line x1={x(reference.value)} x2={x(reference.value)} y1={top - 6} y2={height - 6} stroke={COLOUR[reference.side]} strokeWidth={2} strokeDasharray="5 3" />
            <text
              x={x(reference.value) > (x0 + x1) / 2 ? x(reference.value) - 4 : x(reference.value) + 4}
              y={top - 28}
              textAnchor={x(reference.value) > (x0 + x1) / 2 ? 'end' : 'start'}
              fontSize={11.5}
              fontWeight={600}
              fill="var(--ink)"
            >
              {reference.label}
            </text>
          </g>
        )}
        {rows.map((r, i) => {
          const yTop = top + i * rowH;
          const y = narrow ? yTop + 40 : yTop + rowH / 2;
          const drawn = r.marks.length > 0 || r.box;
          return (
            <g key={r.key}>
              {i > 0 && <line x1={0} x2={width} y1={yTop} y2={yTop} stroke="#f1f5f9" />}
              <text x={narrow ? 0 : labelW} y={narrow ? yTop + 17 : y + 4} textAnchor={narrow ? 'start' : 'end'} fontSize={13} fill="var(--ink)" fontWeight={550}>
                {cut(r.label, narrow ? Math.max(8, Math.floor((width - 12 - (r.valueText?.length ?? 0) * 7.2) / 7.5)) : maxChars)}
              </text>
              {r.box && (
                <g>
                  <rect x={x(r.box.q1)} width={Math.max(2, x(r.box.q3) - x(r.box.q1))} y={y - 8} height={16} fill="var(--line)" stroke="var(--muted)" strokeWidth={1} />
                  <line x1={x(r.box.median)} x2={x(r.box.median)} y1={y - 8} y2={y + 8} stroke="var(--ink)" strokeWidth={2} />
                </g>
              )}
              {r.marks.map((m, j) => {
                const dy = r.marks.length > 1 ? (j === 0 ? -5 : 5) : 0;
                return (
                  m.ci && (
                    <g key={`ci${j}`} stroke={COLOUR[m.side]} strokeWidth={1.6}>
                      <line x1={x(m.ci[0])} x2={x(m.ci[1])} y1={y + dy} y2={y + dy} />
                      <line x1={x(m.ci[0])} x2={x(m.ci[0])} y1={y + dy - 3} y2={y + dy + 3} />
                      <line x1={x(m.ci[1])} x2={x(m.ci[1])} y1={y + dy - 3} y2={y + dy + 3} />
                    </g>
                  )
                );
              })}
              {r.marks.map((m, j) => (
                <MarkShape key={`m${j}`} x={x(m.value)} y={y} side={m.side} />
              ))}
              {!narrow && r.valueText && (
                <text x={width - 6} y={y + 4 - (r.note && drawn ? 7 : 0)} textAnchor="end" fontSize={12.5} fontWeight={650} fill="var(--ink)">
                  {r.valueText}
                </text>
              )}
              {narrow && r.valueText && (
                <text x={width - 4} y={yTop + 17} textAnchor="end" fontSize={12} fontWeight={650} fill="var(--ink)">
                  {r.valueText}
                </text>
              )}
              {r.note && (
                <text
                  x={drawn ? width - 6 : narrow ? 0 : x0}
                  y={drawn ? (narrow ? yTop + 54 : y + 4 + (r.valueText ? 8 : 0)) : y + 4}
                  textAnchor={drawn ? 'end' : 'start'}
                  fontSize={11.5}
                  fill={r.flagged ? 'var(--gap)' : 'var(--muted)'}
                  fontWeight={r.flagged ? 650 : 400}
                  fontStyle={r.flagged ? 'normal' : 'italic'}
                >
                  {r.note}
                </text>
              )}
            </g>
          );
        })}
      </g>
    </RowChartSvg>
  );
}
