// What the row charts (DotRows, Dumbbell, PerceptionDots) share: their frame — the measured width, the phone
// layout under 620 px, one row per item under a scale, the label column — the SVG named by its title and
// description, and the scale's grid lines with their values above them.
import { useId, type ReactNode, type RefObject } from 'react';
import { useWidth } from '../components/use-width.ts';

export interface RowFrame {
  ref: RefObject<HTMLDivElement | null>;
  width: number;
  id: string;
  narrow: boolean;
  rowH: number;
  top: number;
  height: number;
  labelW: number;
}

/** The layout of `count` rows: `rowH` is [wide, narrow] (a phone stacks label and marks), `top` leaves room for the scale. */
export function useRowFrame(count: number, { rowH, top, labelMin = 150 }: { rowH: [number, number]; top: number; labelMin?: number }): RowFrame {
  const [ref, width] = useWidth<HTMLDivElement>();
  const id = useId();
  const narrow = width > 0 && width < 620;
  const h = narrow ? rowH[1] : rowH[0];
  return {
    ref,
    width,
    id,
    narrow,
    rowH: h,
    top,
    height: top + count * h + 8,
    labelW: narrow ? 0 : Math.min(230, Math.max(labelMin, width * 0.24)),
  };
}

/** The chart's SVG, drawn once the width is known; screen readers get `title` and `desc` (the table has the figures). */
export function RowChartSvg({ frame, title, desc, children }: { frame: RowFrame; title: string; desc: string; children: ReactNode }) {
  const { ref, width, height, id } = frame;
  return (
    <div ref={ref} className="chart-wrap" style={{ minHeight: height }}>
      {width > 0 && (
        <svg width={width} height={height} role="img" aria-labelledby={`${id}-t ${id}-d`} style={{ width, height }}>
          <title id={`${id}-t`}>{title}</title>
          <desc id={`${id}-d`}>{desc}</desc>
          {children}
        </svg>
      )}
    </div>
  );
}

/** Vertical grid lines at `ticks`, each with its value above the first row. */
export function ScaleGrid({ ticks, x, top, height, format = String }: { ticks: number[]; x: (v: number) => number; top: number; height: number; format?: (v: number) => string }) {
  return (
    <>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={top - 6} y2={height - 6} stroke="var(--line)" />
          <text x={x(t)} y={top - 12} textAnchor="middle" fontSize={11} fill="var(--muted)">
            {format(t)}
          </text>
        </g>
      ))}
    </>
  );
}
