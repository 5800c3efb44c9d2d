// Trends: leaders' belief and customers' answers by month or quarter (the overview's trend chart),
// for all customers or one segment value, with the slope of the gap and of the customers' share; then
// each dimension's gap (leaders' predicted minus customers' mean rating) over the same periods, with its
// slope and interval, and one dimension's periods drawn.
import { useId } from 'react';
import { useSearch } from 'wouter';
import { orgPath, useOrg } from '../lib/org.tsx';
import { useApi } from '../lib/use-api.ts';
import { parseFilters, reportQuery, useFilters, useQueryUpdate } from '../lib/filters.ts';
import { isSuppressed, type TrendReport } from '../lib/types.ts';
import { count, fixed, pct, pctInterval, pts, signed } from '../../core/number-format.ts';
import { periodLabel, perPeriodText } from '../lib/analyses.ts';
import { usePageTitle } from '../components/Shell.tsx';
import { EmptyState, SuppressedNote } from '../components/states.tsx';
import { PerspectiveLegend } from '../components/Legend.tsx';
import { TrendChart } from '../charts/TrendChart.tsx';
import { DotRows } from '../charts/DotRows.tsx';
import { toTrendPoints } from './Overview.tsx';
import { AnalysisHead, ReportFrame } from './analyses-parts.tsx';
import { Card } from '../components/Card.tsx';
import { NumbersTable } from '../components/DataTable.tsx';
import { SelectField } from '../components/Field.tsx';

type Period = 'month' | 'quarter';

function headlineText(t: TrendReport, period: Period): string {
  if (t.slope)
    return t.slope.direction === 'no evidence'
      ? `No clear change in the gap: ${perPeriodText(t.slope, period, 'share')}.`
      : `The gap is ${t.slope.direction}: ${perPeriodText(t.slope, period, 'share')}.`;
  if (t.customerTrend)
    return t.customerTrend.direction === 'no evidence'
      ? `No clear change in customers’ share: ${perPeriodText(t.customerTrend, period, 'share')}.`
      : `Customers’ share is ${t.customerTrend.direction}: ${perPeriodText(t.customerTrend, period, 'share')}.`;
  if (t.suppressed.customers) return `Customers are hidden in every ${period}: ${t.suppressed.customers}.`;
  return `Fewer than 3 ${period}s with figures, so no trend is estimated.`;
}

const side = (s: TrendReport['points'][number]['leaders']) => (isSuppressed(s) ? `hidden: ${s.reason}` : `${pct(s.share)} (${pctInterval(s.ci95)}) · n = ${count(s.n)}`);

function PeriodTable({ t }: { t: TrendReport }) {
  return (
    <NumbersTable
      caption={`Excellent share by ${t.period}: leaders and customers`}
      label="Excellent share by period"
      columns={[{ label: t.period === 'month' ? 'Month' : 'Quarter' }, { label: 'Leaders (95% CI) · n', numeric: true }, { label: 'Customers (95% CI) · n', numeric: true }, { label: 'Gap', numeric: true }]}
    >
      {t.points.map((p) => (
        <tr key={p.period}>
          <th scope="row">{periodLabel(p.period)}</th>
          <td className="num">{side(p.leaders)}</td>
          <td className="num">{side(p.customers)}</td>
          <td className="num">{p.gap === null ? (p.gapVsLeadersOverall === null ? '—' : `${pts(p.gapVsLeadersOverall)} vs all leaders`) : pts(p.gap)}</td>
        </tr>
      ))}
    </NumbersTable>
  );
}

function Dimensions({ t, dims, dim, setDim }: { t: TrendReport; dims: { key: string; label: string }[]; dim: string; setDim: (k: string) => void }) {
  const period = t.period;
  const chosen = dims.find((d) => d.key === dim) ?? dims[0];
  if (!chosen) return null;
  const values = t.points.map((p) => p.dimensions[chosen.key] ?? null);
  const shown = values.filter((v): v is number => v !== null);
  const slope = t.dimensionSlopes[chosen.key] ?? null;
  const lo = Math.min(0, ...shown);
  const hi = Math.max(1, ...shown);
  const widening = dims.filter((d) => t.dimensionSlopes[d.key]?.direction === 'widening');
  const narrowing = dims.filter((d) => t.dimensionSlopes[d.key]?.direction === 'narrowing');
  const summary = slope
    ? `${chosen.label}: ${slope.direction === 'no evidence' ? 'no clear change in the gap' : `the gap is ${slope.direction}`}, ${perPeriodText(slope, period, 'rating')}.`
    : `${chosen.label}: fewer than 3 ${period}s with both sides shown, so no trend.`;
  return (
    <Card id="trend-dims-title" title="Each dimension’s gap over time" hint={`leaders’ predicted minus customers’ mean rating (1–5), by ${period}`}>
      <p style={{ marginTop: 0 }}>
        {widening.length || narrowing.length ? (
          <>
            {widening.length ? <>Widening: <strong>{widening.map((d) => d.label).join(', ')}</strong>. </> : null}
            {narrowing.length ? <>Narrowing: <strong>{narrowing.map((d) => d.label).join(', ')}</strong>.</> : null}
          </>
        ) : (
          'No dimension’s gap is clearly widening or narrowing.'
        )}
      </p>
      <div className="toolbar">
        <SelectField label="Dimension" value={chosen.key} onChange={setDim} options={dims.map((d) => ({ value: d.key, label: d.label }))} />
      </div>
      <p className="small">
        <strong>{summary}</strong> A {period} shows a gap only when both leaders and customers are shown in it.
      </p>
      {shown.length ? (
        <DotRows
          rows={t.points.map((p, i) => ({
            key: p.period,
            label: periodLabel(p.period),
            marks: values[i] === null ? [] : [{ value: values[i]!, side: 'neutral' as const }],
            valueText: values[i] === null ? undefined : signed(values[i]!, 2),
            note: values[i] === null ? 'not shown: too few leaders or customers' : undefined,
          }))}
          domain={[Math.floor(lo * 2) / 2, Math.ceil(hi * 2) / 2]}
          format={(v) => fixed(v, 1)}
          title={`${chosen.label}: the gap between leaders’ predicted and customers’ rating, by ${period}`}
          summary={summary}
          valueHeading="Gap"
        />
      ) : (
        <EmptyState title={`No ${period} shows this gap`}>Leaders are too few in every {period} to show their side.</EmptyState>
      )}
      <NumbersTable
        caption="Trend of each dimension’s gap"
        columns={[{ label: 'Dimension' }, { label: `Change a ${period} (95% CI)`, numeric: true }, { label: `${period === 'month' ? 'Months' : 'Quarters'} in the fit`, numeric: true }, { label: 'Direction' }]}
      >
        {dims.map((d) => {
          const s = t.dimensionSlopes[d.key] ?? null;
          return (
            <tr key={d.key}>
              <th scope="row">{d.label}</th>
              <td className="num">{s ? `${signed(s.perPeriod, 2)} (${fixed(s.ci95[0], 2)} to ${fixed(s.ci95[1], 2)})` : '—'}</td>
              <td className="num">{s ? s.periods : '—'}</td>
              <td>{s ? s.direction : `fewer than 3 ${period}s`}</td>
            </tr>
          );
        })}
      </NumbersTable>
    </Card>
  );
}

export default function Trends() {
  usePageTitle('Trends');
  const { orgId, options, framework } = useOrg();
  const search = useSearch();
  const update = useQueryUpdate();
  const [filters, setFilters] = useFilters();
  const id = useId();
  const params = new URLSearchParams(search);
  const period: Period = params.get('period') === 'quarter' ? 'quarter' : 'month';
  const query = reportQuery(parseFilters(search));
  const res = useApi<TrendReport>(orgPath(orgId, `reports/trend${query}${query ? '&' : '?'}period=${period}`));
  const dims = (framework.data?.dimensions ?? []).filter((d) => d.customerItem !== null).map((d) => ({ key: d.key, label: d.label }));
  const segments = options.data?.segments ?? [];
  const segEntries = Object.entries(filters.segments);
  const segValue = segEntries.length === 1 ? `${segEntries[0]![0]}=${segEntries[0]![1]}` : '';
  return (
    <div className="page">
      <AnalysisHead title="Trends" loading={res.loading && !!res.data}>
        Is the gap closing? Leaders’ belief and customers’ answers over time, and each dimension’s gap.
      </AnalysisHead>
      <div className="toolbar">
        <div className="field">
          <span className="label" id={`${id}-p`}>
            By
          </span>
          <div className="segmented" role="group" aria-labelledby={`${id}-p`}>
            {(['month', 'quarter'] as const).map((p) => (
              <button key={p} type="button" aria-pressed={period === p} onClick={() => update({ period: p === 'month' ? undefined : p })}>
                {p === 'month' ? 'Month' : 'Quarter'}
              </button>
            ))}
          </div>
        </div>
        {segments.length > 0 && (
          <div className="field">
            <label htmlFor={`${id}-seg`}>Customers</label>
            <select
              id={`${id}-seg`}
              value={segEntries.length > 1 ? '__many' : segValue}
              onChange={(e) => {
                const v = e.target.value;
                if (v === '__many') return;
                const eq = v.indexOf('=');
                setFilters({ ...filters, segments: v ? { [v.slice(0, eq)]: v.slice(eq + 1) } : {} });
              }}
            >
              <option value="">All customers</option>
              {segEntries.length > 1 && <option value="__many">Several segments (set in the filters)</option>}
              {segments.map((s) =>
                s.values.map((v) => (
                  <option key={`${s.name}=${v}`} value={`${s.name}=${v}`}>
                    {s.name.replaceAll('_', ' ')}: {v}
                  </option>
                )),
              )}
            </select>
          </div>
        )}
      </div>
      <ReportFrame res={res} what="trend">
        {(t) => {
          const points = toTrendPoints(t);
          const overall = isSuppressed(t.leadersOverall) ? null : t.leadersOverall;
          return (
            <>
              <Card id="trend-headline-title" title="The gap over time" hint={`share who call the experience excellent, by ${period}`}>
                <PerspectiveLegend extra={[{ key: 'band', label: '95% interval' }]} />
                <p id="trends-summary" style={{ margin: '8px 0 0' }}>
                  <strong>{headlineText(t, period)}</strong>
                  {t.suppressed.leaders ? (
                    <span className="muted"> Leaders: {t.suppressed.leaders}.</span>
                  ) : overall && t.points.some((p) => isSuppressed(p.leaders)) ? (
                    <span className="muted">
                      {' '}
                      Where leaders are too few in a {period}, their line is their belief over the whole period ({pct(overall.share)}, n = {count(overall.n)}).
                    </span>
                  ) : null}
                </p>
                {t.suppressed.customers && <SuppressedNote reason={t.suppressed.customers} what="Customers" />}
                <div style={{ marginTop: 10 }}>
                  {points.length === 0 ? (
                    <EmptyState title={`No ${period}s to show`}>No responses fall in the chosen period.</EmptyState>
                  ) : (
                    <>
                      <TrendChart
                        points={points}
                        leadersOverall={overall ? { share: overall.share, ci95: overall.ci95 } : null}
                        label={`Share who call the experience excellent, by ${period}: leaders against customers`}
                      />
                      <PeriodTable t={t} />
                    </>
                  )}
                </div>
              </Card>
              {points.length > 0 && dims.length > 0 && <Dimensions t={t} dims={dims} dim={params.get('dim') ?? ''} setDim={(k) => update({ dim: k }, true)} />}
            </>
          );
        }}
      </ReportFrame>
    </div>
  );
}
