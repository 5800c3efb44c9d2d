// The journey view: stages left to right, each touchpoint with customers' excellence share (95%
// interval, n), the gap to leaders' belief and the owning department, and — where the owning function's
// leaders predicted it (issue 11, reports/journey-belief) — their belief about that touchpoint beside it. The three touchpoints with
// the widest gap stand out; a ranked chart (DotRows, like the other row charts) and a
// table follow.
import { useSearch } from 'wouter';
import { useOrg, orgPath } from '../lib/org.tsx';
import { useApi } from '../lib/use-api.ts';
import { parseFilters, reportQuery } from '../lib/filters.ts';
import { isSuppressed, type BreakdownReport, type Share } from '../lib/types.ts';
import { count, pct, pctInterval, pts, pValue } from '../../core/number-format.ts';
import { usePageTitle } from '../components/Shell.tsx';
import { EmptyState, ErrorState, Loading, SuppressedNote } from '../components/states.tsx';
import { PerspectiveLegend } from '../components/Legend.tsx';
import { RankedTouchpoints } from '../charts/RankedTouchpoints.tsx';
import { NumbersTable } from '../components/DataTable.tsx';
import type { JourneyBeliefReport } from '../../core/analytics/journey-belief.ts';

type Belief = JourneyBeliefReport['touchpoints'][number];

export interface TouchpointRow {
  key: string;
  label: string;
  stage: string;
  department: string;
  customers: Share | { suppressed: true; reason: string };
  gap: number | null;
  /** The gap's test, Holm-adjusted over every test in the breakdown. */
  pAdjusted: number | null;
}

function rowsOf(b: BreakdownReport): TouchpointRow[] {
  return b.rows.map((r) => ({
    key: r.value,
    label: r.label,
    stage: r.stage ?? '',
    department: r.department ?? '',
    customers: r.customers,
    gap: r.gap,
    pAdjusted: r.gapTest?.holm ?? null,
  }));
}

/** Leaders' belief about this touchpoint beside the customers' share; undefined while the report loads (or failed). */
const BELIEF_STYLE = { borderTop: '1px dashed var(--line)', paddingTop: 6, margin: 0 } as const;

function TouchpointBelief({ belief }: { belief: Belief | undefined }) {
  if (!belief) return null;
  const b = belief.believed;
  if (b === null) return <p className="tp-belief small muted" style={BELIEF_STYLE}>Leaders did not predict this touchpoint.</p>;
  if (isSuppressed(b)) return <p className="tp-belief small muted" style={BELIEF_STYLE}>Leaders’ belief hidden: {b.reason}.</p>;
  return (
    <div className="tp-belief small num" style={BELIEF_STYLE}>
      <div className="leaders">
        <span className="swatch leaders" aria-hidden="true" />
        Leaders believe <strong>{pct(b.mean)}</strong>
      </div>
      <div className="muted wrap-parts">
        {b.ci95 && <span>95% CI {pctInterval(b.ci95)}</span>} <span>n = {count(b.n)} leaders</span>
      </div>
      {belief.gap !== null && (
        // Parts small enough to wrap: two cards share a row on a 360 px phone.
        <div className="wrap-parts">
          <span>Belief − reality</span> <strong style={{ color: 'var(--gap)' }}>{pts(belief.gap)}</strong>{' '}
          {belief.gapCi && (
            <>
              <span className="muted">95% CI</span> <span className="muted">{pts(belief.gapCi[0])} to {pts(belief.gapCi[1])}</span>
            </>
          )}
        </div>
      )}
    </div>
  );
}

function TouchpointCard({ row, worst, belief }: { row: TouchpointRow; worst: number | null; belief: Belief | undefined }) {
  const c = row.customers;
  return (
    <li className={`tp-card${worst !== null ? ' worst' : ''}`}>
      <div className="tp-title">{row.label}</div>
      <div className="owner">Owner: {row.department}</div>
      {isSuppressed(c) ? (
        <p className="small muted" style={{ minHeight: 58 }}>
          Hidden: {c.reason}.
        </p>
      ) : (
        <>
          <div className="score">
            {pct(c.share)} <small>say excellent</small>
          </div>
          <div className="small muted num wrap-parts">
            <span>95% CI {pctInterval(c.ci95)}</span> <span>n = {count(c.n)}</span>
          </div>
        </>
      )}
      <TouchpointBelief belief={belief} />
      {row.gap !== null && (
        <>
          <div className="gap-meter" aria-hidden="true">
            <span style={{ width: `${Math.max(0, Math.min(1, row.gap)) * 100}%` }} />
          </div>
          <div className="small num wrap-parts">
            <span>
              Gap <strong style={{ color: 'var(--gap)' }}>{pts(row.gap)}</strong>
            </span>{' '}
            {pValue(row.pAdjusted) && <span className="muted">{pValue(row.pAdjusted)} (Holm)</span>}
          </div>
        </>
      )}
      {worst !== null && <span className="badge">{worst === 0 ? 'Widest gap' : `${worst + 1}${worst === 1 ? 'nd' : 'rd'} widest gap`}</span>}
    </li>
  );
}

/** The numbers table's belief cell: the leaders' mean prediction and n, or why there is none. */
function beliefCell(belief: Belief | undefined): string {
  if (!belief) return '—';
  const v = belief.believed;
  if (v === null) return 'not predicted';
  return isSuppressed(v) ? `hidden: ${v.reason}` : `${pct(v.mean)} (${count(v.n)})`;
}

export default function Journey() {
  usePageTitle('Journey');
  const { orgId, journey } = useOrg();
  const f = parseFilters(useSearch());
  const stages = journey.data?.stages;
  const query = reportQuery({ ...f, stage: undefined, touchpoint: undefined });
  const t = useApi<BreakdownReport>(orgPath(orgId, `reports/breakdown${query}${query ? '&' : '?'}by=touchpoint`));
  // Leaders' belief per touchpoint: a second, optional layer — the cards stand without it.
  const b = useApi<JourneyBeliefReport>(orgPath(orgId, `reports/journey-belief${query}`));
  const beliefOf = (key: string) => b.data?.touchpoints.find((x) => x.key === key);
  const allRows = t.data ? rowsOf(t.data) : undefined;
  const visible = (allRows ?? []).filter(
    (r) => (!f.stage || r.stage === f.stage) && (!f.touchpoint || r.key === f.touchpoint),
  );
  const ranked = visible.filter((r) => r.gap !== null).sort((a, b) => b.gap! - a.gap!);
  const worst = new Map(ranked.slice(0, Math.min(3, Math.max(0, ranked.length - 1))).map((r, i) => [r.key, i]));
  const leaders = t.data && !isSuppressed(t.data.leaders) ? t.data.leaders : null;
  // A stage shows when it has a touchpoint in the view (an owner sees only their department's).
  const shownStages = (stages ?? []).filter(
    (s) => (!f.stage || s.key === f.stage) && (!allRows || s.touchpoints.some((tp) => visible.some((r) => r.key === tp.key))),
  );
  const n = shownStages.reduce((a, s) => a + s.touchpoints.length, 0);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Journey</h1>
        <p>Customers’ excellence share at each touchpoint, and the gap to what leaders believe.</p>
        <span className="updating" aria-live="polite">
          {t.loading && t.data ? 'Updating…' : ''}
        </span>
      </div>
      {journey.error || (t.error && !t.data) ? (
        <div className="card">
          <ErrorState error={journey.error ?? t.error} onRetry={() => (journey.reload(), t.reload())} />
        </div>
      ) : !stages || !t.data ? (
        <Loading label="journey" height={420} />
      ) : t.data.suppressed ? (
        <div className="card">
          <SuppressedNote what="The journey breakdown" reason={t.data.suppressed} />
        </div>
      ) : n === 0 ? (
        <div className="card">
          {stages.some((s) => s.touchpoints.length) ? (
            <EmptyState title="No touchpoints in this view">None of the touchpoints you may see match these filters.</EmptyState>
          ) : (
            <EmptyState title="No touchpoints yet">Add stages and touchpoints in Set-up → Journey.</EmptyState>
          )}
        </div>
      ) : (
        <div className="stack" aria-busy={t.loading}>
          <section aria-labelledby="map-title">
            <h2 id="map-title" className="sr-only">
              Journey map
            </h2>
            <ol className="journey-map" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {shownStages.map((s, i) => (
                <li className="stage-col" key={s.key}>
                  <h3>
                    <span className="step" aria-hidden="true">
                      {(stages.indexOf(s) ?? i) + 1}
                    </span>
                    {s.label}
                  </h3>
                  <ul className="tps" style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 10 }}>
                    {s.touchpoints
                      .filter((tp) => !f.touchpoint || tp.key === f.touchpoint)
                      .map((tp) => {
                        const row = visible.find((r) => r.key === tp.key);
                        return row ? <TouchpointCard key={tp.key} row={row} worst={worst.get(tp.key) ?? null} belief={beliefOf(tp.key)} /> : null;
                      })}
                  </ul>
                </li>
              ))}
            </ol>
          </section>
          <section className="card" aria-labelledby="rank-title">
            <div className="card-head">
              <h2 id="rank-title">Touchpoints ranked by gap</h2>
              <span className="hint">customers’ excellence share with 95% interval; leaders’ belief as the line</span>
            </div>
            <PerspectiveLegend />
            <RankedTouchpoints rows={ranked.length ? ranked : visible} leaders={leaders} />
            <NumbersTable
              caption="Touchpoints ranked by gap"
              columns={[{ label: 'Touchpoint' }, { label: 'Stage' }, { label: 'Owner' }, { label: 'Customers (95% CI)', numeric: true }, { label: 'n', numeric: true }, { label: 'Gap', numeric: true }, { label: 'Gap test (Holm-adjusted)', numeric: true }, { label: 'Leaders’ belief here (n)', numeric: true }]}
            >
              {[...ranked, ...visible.filter((r) => r.gap === null)].map((r) => (
                <tr key={r.key}>
                  <th scope="row">{r.label}</th>
                  <td>{stages.find((s) => s.key === r.stage)?.label ?? r.stage}</td>
                  <td>{r.department}</td>
                  <td className="num">{isSuppressed(r.customers) ? `hidden: ${r.customers.reason}` : `${pct(r.customers.share)} (${pctInterval(r.customers.ci95)})`}</td>
                  <td className="num">{isSuppressed(r.customers) ? '—' : count(r.customers.n)}</td>
                  <td className="num">{r.gap === null ? '—' : pts(r.gap)}</td>
                  <td className="num">{pValue(r.pAdjusted) || '—'}</td>
                  <td className="num">{beliefCell(beliefOf(r.key))}</td>
                </tr>
              ))}
            </NumbersTable>
          </section>
        </div>
      )}
    </div>
  );
}
