// The dimension gaps as a dumbbell chart: per dimension, leaders' predicted mean (amber) and
// customers' mean (teal) on the 1–5 scale, each with its 95% t-interval (the API's, clipped to the scale),
// widest gap first.
// Hand-drawn SVG at the container's pixel width: light, legible on a phone, and its accessible name
// and data table are ours (no library ARIA to fight).
import type { GapReport } from '../lib/types.ts';
import { isSuppressed } from '../lib/types.ts';
import { differenceInterval } from '../../core/stats/display-intervals.ts';
import { fixed, pValue, signed } from '../../core/number-format.ts';
import { RowChartSvg, ScaleGrid, useRowFrame } from './row-chart.tsx';
import { NumbersTable } from '../components/DataTable.tsx';

type Row = GapReport['dimensions'][number];
type MeanStat = { n: number; mean: number; sd: number };

export interface DumbbellRow {
  key: string;
  label: string;
  leaders: (MeanStat & { ci: [number, number] | null }) | { reason: string };
  customers: (MeanStat & { ci: [number, number] | null }) | { reason: string } | null;
  gap: number | null;
  gapCi: [number, number] | null;
  pValue: number | null;
}

const side = (m: Row['leaders'] | Row['customers']) =>
  m === null ? null : isSuppressed(m) ? { reason: m.reason } : { ...m, ci: m.ci95 };

/** Rows in reading order: widest gap first, then rows with a hidden side, then leader-only rows. */
export function dumbbellRows(dims: Row[]): DumbbellRow[] {
  const rows = dims.map<DumbbellRow>((d) => ({
    key: d.key,
    label: d.label,
    leaders: side(d.leaders)!,
    customers: side(d.customers),
    gap: d.gap,
    gapCi: d.gap === null ? null : differenceInterval(d.gap, d.t, d.df),
    pValue: d.pValue,
  }));
  const rank = (r: DumbbellRow) => (r.gap !== null ? 0 : r.customers === null ? 2 : 1);
  return rows.sort((a, b) => rank(a) - rank(b) || (b.gap ?? 0) - (a.gap ?? 0));
}

const isStat = (x: DumbbellRow['leaders'] | null): x is MeanStat & { ci: [number, number] | null } => !!x && 'mean' in x;

export function Dumbbell({ rows }: { rows: DumbbellRow[] }) {
  const f = useRowFrame(rows.length, { rowH: [38, 54], top: 28 });
  const { width, narrow, rowH, top, height, labelW } = f;
  const gapW = narrow ? 0 : 96;
  const x0 = labelW + 12;
  const x1 = Math.max(x0 + 50, width - gapW - 12);
  const x = (v: number) => x0 + ((v - 1) / 4) * (x1 - x0);

  const widest = rows.find((r) => r.gap !== null);
  const summary = widest
    ? `Widest gap: ${widest.label}. Leaders predict ${fixed((widest.leaders as MeanStat).mean)}, customers rate ${fixed(
        (widest.customers as MeanStat).mean,
      )} on a 1 to 5 scale, a gap of ${fixed(widest.gap!)}.`
    : 'No dimension has both sides shown.';

  return (
    <RowChartSvg frame={f} title="Dimension gaps: leaders’ predicted rating against customers’ rating, widest gap first" desc={`${summary} The table below the chart lists every dimension.`}>
      <g aria-hidden="true">
        <ScaleGrid ticks={[1, 2, 3, 4, 5]} x={x} top={top} height={height} />
        {!narrow && (
          <text x={width - 6} y={top - 12} textAnchor="end" fontSize={11} fill="var(--muted)" fontWeight={600}>
            Gap (95% CI)
          </text>
        )}
        {rows.map((r, i) => {
          const yTop = top + i * rowH;
          const y = narrow ? yTop + 36 : yTop + rowH / 2;
          const L = isStat(r.leaders) ? r.leaders : null;
          const C = isStat(r.customers) ? r.customers : null;
          const hidden = !isStat(r.leaders) ? r.leaders.reason : r.customers && !isStat(r.customers) ? r.customers.reason : null;
          return (
            <g key={r.key}>
              {i > 0 && <line x1={0} x2={width} y1={yTop} y2={yTop} stroke="#f1f5f9" />}
              <text
                x={narrow ? 0 : labelW}
                y={narrow ? yTop + 17 : y + 4}
                textAnchor={narrow ? 'start' : 'end'}
                fontSize={13}
                fill="var(--ink)"
                fontWeight={550}
              >
                {r.label}
              </text>
              {L && C && <line x1={x(L.mean)} x2={x(C.mean)} y1={y} y2={y} stroke="var(--gap)" strokeOpacity={0.22} strokeWidth={7} strokeLinecap="round" />}
              {[L && { s: L, colour: 'var(--leaders)', dy: -5 }, C && { s: C, colour: 'var(--customers)', dy: 5 }].map(
                (d) =>
                  d &&
                  d.s.ci && (
                    <g key={d.colour} stroke={d.colour} strokeWidth={1.6}>
                      <line x1={x(Math.max(1, d.s.ci[0]))} x2={x(Math.min(5, d.s.ci[1]))} y1={y + d.dy} y2={y + d.dy} />
                      <line x1={x(Math.max(1, d.s.ci[0]))} x2={x(Math.max(1, d.s.ci[0]))} y1={y + d.dy - 3} y2={y + d.dy + 3} />
                      <line x1={x(Math.min(5, d.s.ci[1]))} x2={x(Math.min(5, d.s.ci[1]))} y1={y + d.dy - 3} y2={y + d.dy + 3} />
                    </g>
                  ),
              )}
              {L && <circle cx={x(L.mean)} cy={y} r={6.5} fill="var(--leaders)" stroke="#fff" strokeWidth={1.5} />}
              {C && <circle cx={x(C.mean)} cy={y} r={6.5} fill="var(--customers)" stroke="#fff" strokeWidth={1.5} />}
              {r.gap !== null ? (
                <text x={width - 6} y={narrow ? yTop + 17 : y + 4} textAnchor="end" fontSize={13} fontWeight={700} fill="var(--gap)">
                  {signed(r.gap)}
                  {r.gapCi && (
                    <tspan fontWeight={400} fill="var(--muted)" fontSize={11.5}>
                      {' '}
                      ({fixed(r.gapCi[0])}–{fixed(r.gapCi[1])})
                    </tspan>
                  )}
                </text>
              ) : (
                <text
                  x={narrow ? width - 6 : C || !L ? width - 6 : x(Math.min(5, L.ci?.[1] ?? L.mean)) + 10}
                  // On a phone the marks fill the row: the note goes on the label's line, where the gap would be.
                  y={narrow ? yTop + 17 : y + 4}
                  textAnchor={narrow || C || !L ? 'end' : 'start'}
                  fontSize={11.5}
                  fill="var(--muted)"
                  fontStyle="italic"
                >
                  {hidden ? `hidden: ${hidden}` : 'leaders only'}
                </text>
              )}
            </g>
          );
        })}
      </g>
    </RowChartSvg>
  );
}

const cell = (s: DumbbellRow['leaders'] | null) =>
  s === null ? '—' : isStat(s) ? `${fixed(s.mean, 2)}${s.ci ? ` (${fixed(s.ci[0], 2)}–${fixed(s.ci[1], 2)})` : ''}` : `hidden: ${s.reason}`;

export function DumbbellTable({ rows }: { rows: DumbbellRow[] }) {
  return (
    <NumbersTable
      caption="Dimension gaps, widest first"
      columns={[{ label: 'Dimension' }, { label: 'Leaders’ prediction (95% CI)', numeric: true }, { label: 'n', numeric: true }, { label: 'Customers’ rating (95% CI)', numeric: true }, { label: 'n', numeric: true }, { label: 'Gap (95% CI)', numeric: true }, { label: 'Welch test', numeric: true }]}
    >
      {rows.map((r) => (
        <tr key={r.key}>
          <th scope="row">{r.label}</th>
          <td className="num">{cell(r.leaders)}</td>
          <td className="num">{isStat(r.leaders) ? r.leaders.n : '—'}</td>
          <td className="num">{r.customers === null ? 'not asked' : cell(r.customers)}</td>
          <td className="num">{isStat(r.customers) ? r.customers.n : '—'}</td>
          <td className="num">
            {r.gap === null ? '—' : `${signed(r.gap, 2)}${r.gapCi ? ` (${fixed(r.gapCi[0], 2)}–${fixed(r.gapCi[1], 2)})` : ''}`}
          </td>
          <td className="num">{pValue(r.pValue) || '—'}</td>
        </tr>
      ))}
    </NumbersTable>
  );
}
