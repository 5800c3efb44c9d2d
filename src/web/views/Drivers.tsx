// Drivers: which dimensions decide whether customers call the experience excellent (or recommend it),
// as Johnson's relative weights from the drivers report, set against how customers rate each one — the
// importance–performance quadrant — with leaders' belief beside it and the critical dimensions
// (important, weak, and overrated by leaders) said in words first. Touchpoints' share of the outcome's
// variance follows, then the driver-perception gap (DriverPerception.tsx): leaders' believed drivers
// against customers'. Every figure with its interval or n; the tables are the text alternative.
import { useId, useState } from 'react';
import { useSearch } from 'wouter';
import { orgPath, useOrg } from '../lib/org.tsx';
import { useApi } from '../lib/use-api.ts';
import { parseFilters, reportQuery, useQueryUpdate } from '../lib/filters.ts';
import { isSuppressed, type DriversReport } from '../lib/types.ts';
import { count, fixed, signed } from '../../core/number-format.ts';
import { driverPoints, listInWords, type DriverPoint } from '../lib/analyses.ts';
import { usePageTitle } from '../components/Shell.tsx';
import { SuppressedNote } from '../components/states.tsx';
import { Quadrant } from '../charts/Quadrant.tsx';
import { AnalysisHead, ReportFrame } from './analyses-parts.tsx';
import { Card } from '../components/Card.tsx';
import { DriverPerception } from './DriverPerception.tsx';
import { DataTable, NumbersTable } from '../components/DataTable.tsx';
import { Legend } from '../components/Legend.tsx';

const OUTCOMES = [
  { value: 'excellent', label: 'Excellent experience', words: 'whether customers call the experience excellent' },
  { value: 'nps', label: 'Likelihood to recommend', words: 'how likely customers are to recommend (0–10)' },
] as const;

const meanCi = (m: { mean: number; ci: [number, number] | null }) => `${fixed(m.mean, 2)}${m.ci ? ` (${fixed(m.ci[0], 2)}–${fixed(m.ci[1], 2)})` : ''}`;

function Summary({ r, points }: { r: DriversReport; points: DriverPoint[] }) {
  const model = r.model;
  if (isSuppressed(model)) return null;
  const top = points[0];
  const critical = points.filter((p) => p.critical);
  const concentrate = points.filter((p) => p.quadrant === 'concentrate here');
  const outcome = OUTCOMES.find((o) => o.value === r.outcome)!;
  // The report applies the gap criterion only when every dimension's gap is shown.
  const gapApplied = r.dimensions.length > 0 && r.dimensions.every((d) => d.gap !== null);
  return (
    <Card id="drivers-summary-title" title="What matters most">
      <div id="drivers-summary" className="stack" style={{ gap: 8 }}>
        {top && (
          <p style={{ margin: 0 }}>
            <strong>{top.label}</strong> matters most for {outcome.words}: {fixed(top.importance, 1)}% of what the dimensions explain.
          </p>
        )}
        {critical.length > 0 ? (
          <p style={{ margin: 0 }}>
            <strong>Act first on {listInWords(critical.map((p) => p.label))}</strong>: customers weight {critical.length > 1 ? 'them' : 'it'} above average, rate{' '}
            {critical.length > 1 ? 'them' : 'it'} below average
            {gapApplied ? `, and leaders overrate ${critical.length > 1 ? 'them' : 'it'} by at least the average gap` : ''}.
          </p>
        ) : concentrate.length > 0 ? (
          <p style={{ margin: 0 }}>
            <strong>Concentrate on {listInWords(concentrate.map((p) => p.label))}</strong>: important to customers and rated below average.
          </p>
        ) : (
          <p style={{ margin: 0 }}>No dimension is both above-average in importance and below-average in performance.</p>
        )}
        <p className="small muted num" style={{ margin: 0 }}>
          The dimensions together explain R² = {fixed(model.rSquared, 2)} of the outcome’s variance · n = {count(model.completeCases)} complete cases (customers who rated every
          dimension in the model and the outcome).
          {model.caution ? ` Caution: ${model.caution}.` : ''}
        </p>
        {r.leftOut.length > 0 && (
          <p id="drivers-left-out" className="small muted" style={{ margin: 0 }}>
            Left out of the model, too few customers rated {r.leftOut.length > 1 ? 'them' : 'it'}: {r.leftOut.map((l) => `${l.label} (${l.reason})`).join('; ')}.
          </p>
        )}
        <p className="small muted" style={{ margin: 0 }}>
          Critical means {r.criticalRule}.
        </p>
      </div>
    </Card>
  );
}

function DriversTable({ points, hidden }: { points: DriverPoint[]; hidden: DriversReport['dimensions'] }) {
  return (
    <NumbersTable
      caption="Each dimension’s importance, customers’ rating and leaders’ belief, most important first"
      columns={[{ label: '#', numeric: true }, { label: 'Dimension' }, { label: 'Importance (% of R²)', numeric: true }, { label: 'Customers’ rating (95% CI)', numeric: true }, { label: 'n', numeric: true }, { label: 'Leaders’ belief (95% CI)', numeric: true }, { label: 'n', numeric: true }, { label: 'Gap', numeric: true }, { label: 'Quadrant' }]}
    >
      {points.map((p) => (
        <tr key={p.key}>
          <td className="num">{p.rank}</td>
          <th scope="row">
            {p.label}
            {p.critical ? ' (critical)' : ''}
          </th>
          <td className="num">{fixed(p.importance, 1)}%</td>
          <td className="num">{meanCi(p.performance)}</td>
          <td className="num">{count(p.performance.n)}</td>
          <td className="num">{'mean' in p.leaders ? meanCi(p.leaders) : `hidden: ${p.leaders.reason}`}</td>
          <td className="num">{'mean' in p.leaders ? count(p.leaders.n) : '—'}</td>
          <td className="num">{p.gap === null ? '—' : signed(p.gap, 2)}</td>
          <td>{p.quadrant ?? '—'}</td>
        </tr>
      ))}
      {hidden.map((d) => (
        <tr key={d.key}>
          <td className="num">—</td>
          <th scope="row">{d.label}</th>
          <td className="num">—</td>
          <td className="num" colSpan={6}>
            {isSuppressed(d.performance) ? `hidden: ${d.performance.reason}` : 'not in the model'}
          </td>
        </tr>
      ))}
    </NumbersTable>
  );
}

function QuadrantLegend({ leaders }: { leaders: boolean }) {
  return (
    <Legend
      items={[
        { mark: 'customers', label: 'Customers’ rating (numbered by importance rank; whiskers: 95% interval)' },
        leaders && { mark: 'diamond', label: 'Leaders’ belief (diamond)' },
        { mark: 'ring', label: 'Ring and “!”: critical' },
        { mark: 'line', label: 'Dashed lines: average importance and rating' },
      ]}
    />
  );
}

function TouchpointsCard({ t }: { t: DriversReport['touchpoints'] }) {
  return (
    <Card id="drivers-tp-title" title="Which touchpoints move the outcome" hint="share of the outcome’s variance, by touchpoint">
      {isSuppressed(t) ? (
        <SuppressedNote reason={t.reason} what="Touchpoints" />
      ) : (
        <>
          <p className="small" style={{ marginTop: 0 }}>
            Touchpoints explain η² = {fixed(t.etaSquared, 3)} of the outcome’s variance. A touchpoint matters when it is busy and its customers’ outcome sits far from the
            average; the sign says whether it lifts (+) or drags (−) the outcome.
          </p>
          <DataTable
            caption="Touchpoints by their share of the outcome’s variance"
            columns={[{ label: 'Touchpoint' }, { label: 'Share of η²', numeric: true }, { label: 'Outcome vs average', numeric: true }, { label: 'n', numeric: true }]}
          >
            {[...t.rows]
              .sort((a, b) => b.importance - a.importance)
              .map((row) => (
                <tr key={row.key}>
                  <th scope="row">{row.label}</th>
                  <td className="num">{fixed(row.rescaled, 1)}%</td>
                  <td className="num">{signed(row.difference, 2)}</td>
                  <td className="num">{count(row.n)}</td>
                </tr>
              ))}
          </DataTable>
        </>
      )}
    </Card>
  );
}

/** The quadrant with its legend, key and table; leaders' belief can be hidden to spread customers' dots. */
function QuadrantCard({
  points,
  split,
  hidden,
  leaders,
  summary,
}: {
  points: DriverPoint[];
  split: { importance: number; performance: number };
  hidden: DriversReport['dimensions'];
  leaders: boolean;
  summary: string;
}) {
  const [on, setOn] = useState(true);
  return (
    <Card id="drivers-quadrant-title" title="Importance against performance" hint="importance across, customers’ rating 1–5 up">
      <div className="toolbar" style={{ marginBottom: 8, alignItems: 'center', justifyContent: 'space-between' }}>
        <QuadrantLegend leaders={leaders && on} />
        {leaders && (
          <button type="button" className="btn small" aria-pressed={on} onClick={() => setOn(!on)}>
            <span aria-hidden="true">{on ? '✓ ' : '○ '}</span>
            Show leaders’ belief
          </button>
        )}
      </div>
      <div style={{ marginTop: 10 }}>
        <Quadrant points={points} split={split} showLeaders={leaders && on} summary={summary} />
      </div>
      <ul
        className="small"
        aria-label="Dimensions by importance rank (the numbers on the dots)"
        style={{ listStyle: 'none', margin: '8px 0 0', padding: 0, display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(15rem, 1fr))', gap: '2px 16px' }}
      >
        {points.map((p) => (
          <li key={p.key}>
            {p.rank}. {p.label}
            {p.critical ? <strong> — critical</strong> : ''}
          </li>
        ))}
      </ul>
      <DriversTable points={points} hidden={hidden} />
    </Card>
  );
}

export default function Drivers() {
  usePageTitle('Drivers');
  const { orgId } = useOrg();
  const search = useSearch();
  const update = useQueryUpdate();
  const id = useId();
  const outcome = new URLSearchParams(search).get('outcome') === 'nps' ? 'nps' : 'excellent';
  const query = reportQuery(parseFilters(search));
  const res = useApi<DriversReport>(orgPath(orgId, `reports/drivers${query}${query ? '&' : '?'}outcome=${outcome}`));
  return (
    <div className="page">
      <AnalysisHead title="Drivers" loading={res.loading && !!res.data}>
        Which dimensions decide how customers judge the experience, and where that meets weak performance.
      </AnalysisHead>
      <div className="toolbar">
        <div className="field">
          <span className="label" id={`${id}-o`}>
            Outcome
          </span>
          <div className="segmented" role="group" aria-labelledby={`${id}-o`}>
            {OUTCOMES.map((o) => (
              <button key={o.value} type="button" aria-pressed={outcome === o.value} onClick={() => update({ outcome: o.value === 'excellent' ? undefined : o.value })}>
                {o.label}
              </button>
            ))}
          </div>
        </div>
      </div>
      <ReportFrame res={res} what="drivers report">
        {(r) => {
          const { points, split } = driverPoints(r.dimensions);
          const hidden = r.dimensions.filter((d) => !points.some((p) => p.key === d.key));
          const leaders = points.some((p) => 'mean' in p.leaders);
          const top = points[0];
          const summary = top
            ? `${top.label} is the most important dimension (${fixed(top.importance, 1)}% of R²). Critical: ${listInWords(points.filter((p) => p.critical).map((p) => p.label)) || 'none'}.`
            : 'No dimension has both an importance and a rating.';
          return (
            <>
              {isSuppressed(r.model) ? (
                <div className="card span-12">
                  <SuppressedNote reason={r.model.reason} what="The drivers model" />
                  <p className="small muted">The model uses {r.completeCaseRule}.</p>
                </div>
              ) : (
                <Summary r={r} points={points} />
              )}
              {split && points.length > 0 && (
                <QuadrantCard points={points} split={split} hidden={hidden} leaders={leaders} summary={summary} />
              )}
              <TouchpointsCard t={r.touchpoints} />
            </>
          );
        }}
      </ReportFrame>
      <div style={{ marginTop: 16 }}>
        <DriverPerception orgId={orgId} query={query} outcome={outcome} />
      </div>
    </div>
  );
}
