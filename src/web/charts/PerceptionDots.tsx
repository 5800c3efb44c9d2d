// The driver-perception gap as paired dots: per dimension, leaders' believed share of 100 points (amber)
// and customers' actual share (teal, relative weight), each with its 95% interval, on one 0–max scale,
// most important to customers first; the verdict (over-/under-weighted) beside each row.
// Hand-drawn SVG at the container's width, as the other charts: on a phone the label goes above the dots.
import type { DriverPerceptionReport } from '../lib/types.ts';
import { fixed, signed } from '../../core/number-format.ts';
import { RowChartSvg, ScaleGrid, useRowFrame } from './row-chart.tsx';
import { NumbersTable } from '../components/DataTable.tsx';

type Dim = DriverPerceptionReport['dimensions'][number];
type Believed = { n: number; mean: number; ci95: [number, number] | null };

export const believedOf = (d: Dim): Believed | null => ('mean' in d.believed ? d.believed : null);

/** Rows in reading order: customers' share, largest first; rows without it last. */
export const perceptionRows = (dims: Dim[]) => [...dims].sort((a, b) => (b.actual?.share ?? -1) - (a.actual?.share ?? -1));

const VERDICT_TEXT: Record<string, string> = { 'over-weighted': 'over-weighted', 'under-weighted': 'under-weighted', 'in line': 'in line' };

export function PerceptionDots({ rows, summary }: { rows: Dim[]; summary: string }) {
  // On a phone each row is three lines: the label, the verdict under it, then the dots across the full width.
  const f = useRowFrame(rows.length, { rowH: [40, 74], top: 28 });
  const { width, narrow, rowH, top, height, labelW } = f;
  const verdictW = narrow ? 0 : 128;
  const ends = rows.flatMap((r) => [r.actual?.ci95[1] ?? 0, believedOf(r)?.ci95?.[1] ?? believedOf(r)?.mean ?? 0]);
  // The scale ends at the next 10 above every interval (shares of 100), at least 20.
  const max = Math.min(100, Math.max(20, Math.ceil(Math.max(...ends, 0) / 10) * 10));
  const x0 = labelW + 12;
  const x1 = Math.max(x0 + 50, width - verdictW - 14);
  const x = (v: number) => x0 + (Math.max(0, Math.min(max, v)) / max) * (x1 - x0);
  const ticks = Array.from({ length: max / 10 + 1 }, (_, i) => i * 10).filter((t) => !narrow || t % 20 === 0 || t === max);

  return (
    <RowChartSvg frame={f} title="Importance of each dimension: leaders’ belief against customers’ actual drivers, in points of 100" desc={`${summary} The table below the chart lists every dimension.`}>
      <g aria-hidden="true">
        <ScaleGrid ticks={ticks} x={x} top={top} height={height} />
        {rows.map((r, i) => {
          const yTop = top + i * rowH;
          const y = narrow ? yTop + 56 : yTop + rowH / 2;
          const L = believedOf(r);
          const C = r.actual;
          const bars = [
            L && L.ci95 && { lo: L.ci95[0], hi: L.ci95[1], colour: 'var(--leaders)', dy: -5 },
            C && { lo: C.ci95[0], hi: C.ci95[1], colour: 'var(--customers)', dy: 5 },
          ];
          return (
            <g key={r.key}>
              {i > 0 && <line x1={0} x2={width} y1={yTop} y2={yTop} stroke="#f1f5f9" />}
              <text x={narrow ? 0 : labelW} y={narrow ? yTop + 17 : y + 4} textAnchor={narrow ? 'start' : 'end'} fontSize={13} fill="var(--ink)" fontWeight={550}>
                {r.label}
              </text>
              {L && C && <line x1={x(L.mean)} x2={x(C.share)} y1={y} y2={y} stroke="var(--gap)" strokeOpacity={0.22} strokeWidth={7} strokeLinecap="round" />}
              {bars.map(
                (b) =>
                  b && (
                    <g key={b.colour} stroke={b.colour} strokeWidth={1.6}>
                      <line x1={x(b.lo)} x2={x(b.hi)} y1={y + b.dy} y2={y + b.dy} />
                      <line x1={x(b.lo)} x2={x(b.lo)} y1={y + b.dy - 3} y2={y + b.dy + 3} />
                      <line x1={x(b.hi)} x2={x(b.hi)} y1={y + b.dy - 3} y2={y + b.dy + 3} />
                    </g>
                  ),
              )}
              {L && <circle cx={x(L.mean)} cy={y} r={6.5} fill="var(--leaders)" stroke="#fff" strokeWidth={1.5} />}
              {C && <circle cx={x(C.share)} cy={y} r={6.5} fill="var(--customers)" stroke="#fff" strokeWidth={1.5} />}
              <text
                x={narrow ? 0 : width - 6}
                y={narrow ? yTop + 34 : y + 4}
                textAnchor={narrow ? 'start' : 'end'}
                fontSize={12}
                fontWeight={r.verdict && r.verdict !== 'in line' ? 700 : 400}
                fill={r.verdict && r.verdict !== 'in line' ? 'var(--gap)' : 'var(--muted)'}
              >
                {r.verdict ? `${VERDICT_TEXT[r.verdict]}${r.difference !== null ? ` ${signed(r.difference, 0)}` : ''}` : L ? '' : 'leaders hidden'}
              </text>
            </g>
          );
        })}
      </g>
    </RowChartSvg>
  );
}

// "to", not a dash: a dash between two negative numbers reads as a minus.
const ci = (c: [number, number] | null | undefined) => (c ? ` (${fixed(c[0], 1)} to ${fixed(c[1], 1)})` : '');

/** The text alternative: every dimension's figures. */
export function PerceptionTable({ rows, excluded }: { rows: Dim[]; excluded: DriverPerceptionReport['excluded'] }) {
  return (
    <NumbersTable
      caption="Believed and actual importance per dimension, in points of 100, most important to customers first"
      label="Believed and actual importance per dimension"
      columns={[{ label: 'Dimension' }, { label: 'Leaders’ belief (95% CI)', numeric: true }, { label: 'n', numeric: true }, { label: 'Customers’ drivers (95% CI)', numeric: true }, { label: 'Difference (95% CI)', numeric: true }, { label: 'Rating gap', numeric: true }, { label: 'Verdict' }]}
    >
      {rows.map((r) => {
        const L = believedOf(r);
        return (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td className="num">{L ? `${fixed(L.mean, 1)}${ci(L.ci95)}` : `hidden: ${'reason' in r.believed ? r.believed.reason : ''}`}</td>
            <td className="num">{L ? L.n : '—'}</td>
            <td className="num">{r.actual ? `${fixed(r.actual.share, 1)}${ci(r.actual.ci95)}` : '—'}</td>
            <td className="num">{r.difference === null ? '—' : `${signed(r.difference, 1)}${ci(r.differenceCi)}`}</td>
            <td className="num">{r.levelGap === null ? '—' : signed(r.levelGap, 2)}</td>
            <td>{r.verdict ?? '—'}</td>
          </tr>
        );
      })}
      {excluded.map((e) => (
        <tr key={e.key}>
          <th scope="row">{e.label}</th>
          <td colSpan={6}>left out: {e.reason}</td>
        </tr>
      ))}
    </NumbersTable>
  );
}
