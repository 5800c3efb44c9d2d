// The overview: the headline perception gap beside the industry's published benchmark, NPS, CSAT,
// CES and leaders' calibration with their margins, the dimension gaps (dumbbell), and the gap over
// time. Every figure carries its interval and n; hidden groups say why.
import type { ReactNode } from 'react';
import { Link, useSearch } from 'wouter';
import { useOrg, orgPath } from '../lib/org.tsx';
import { useApi } from '../lib/use-api.ts';
import { parseFilters, reportQuery } from '../lib/filters.ts';
import { isSuppressed, type BenchmarksReport, type GapReport, type Share, type TrendReport } from '../lib/types.ts';
import { count, fixed, INDUSTRY_LABELS, pct, pctInterval, pts, pValue } from '../../core/number-format.ts';
import { newcombeInterval } from '../../core/stats/display-intervals.ts';
import { usePageTitle } from '../components/Shell.tsx';
import { ErrorState, Loading, Skeleton, StaleFiguresBanner, SuppressedNote, EmptyState } from '../components/states.tsx';
import { Legend, PerspectiveLegend } from '../components/Legend.tsx';
import { ShareScale } from '../charts/ShareScale.tsx';
import { Card } from '../components/Card.tsx';
import { Dumbbell, DumbbellTable, dumbbellRows } from '../charts/Dumbbell.tsx';
import { TrendChart, TrendTable, type TrendPoint } from '../charts/TrendChart.tsx';

function BigFigure({ label, side, s }: { label: string; side: 'leaders' | 'customers'; s: Share | { suppressed: true; reason: string } }) {
  return (
    <div className={`big-figure ${side}`}>
      <div className="label">
        <span className={`swatch ${side}`} aria-hidden="true" />
        {label}
      </div>
      {isSuppressed(s) ? (
        <>
          <div className="value muted" aria-label="hidden">
            —
          </div>
          <div className="sub">{s.reason === NO_RESPONSES ? s.reason : `hidden: ${s.reason}`}</div>
        </>
      ) : (
        <>
          <div className={`value ${side}`}>{pct(s.share)}</div>
          <div className="sub">
            95% CI {pctInterval(s.ci95)} · n = {count(s.n)}
          </div>
        </>
      )}
    </div>
  );
}

function Headline({ r }: { r: GapReport }) {
  const h = r.headline;
  const bench = h.benchmarks[0];
  // The API's fields, never the display line split apart (a sample such as "2,000 consumers" holds a comma).
  const sample = bench?.industry ? bench.sample : null;
  const L = isSuppressed(h.leaders) ? null : h.leaders;
  const C = isSuppressed(h.customers) ? null : h.customers;
  const gapCi = L && C ? newcombeInterval(L.share, L.ci95, C.share, C.ci95) : null;
  return (
    <section className="card span-12" aria-labelledby="headline-title">
      <div className="headline">
        <div>
          <div className="eyebrow">The perception gap</div>
          <h2 id="headline-title" style={{ fontSize: '1.2rem', marginTop: 2 }}>
            Do customers agree the experience is excellent?
          </h2>
          <p className="headline-statement">“{h.statement}” — share who agree or strongly agree.</p>
          <div className="big-figures">
            <BigFigure label="Leaders believe" side="leaders" s={h.leaders} />
            <BigFigure label="Customers agree" side="customers" s={h.customers} />
            <div className="big-figure gap">
              <div className="label">Gap</div>
              <div className="value">{h.gap === null ? '—' : pts(h.gap).replace(' pts', '')}</div>
              <div className="sub">{gapCi ? `pts · 95% CI ${Math.round(gapCi[0] * 100)}–${Math.round(gapCi[1] * 100)} · ${pValue(h.pValue)}` : 'needs both sides shown'}</div>
            </div>
          </div>
          <ShareScale
            leaders={L}
            customers={C}
            benchmark={bench ? { leaders: bench.leaders, customers: bench.customers, label: `${bench.name} ${bench.year}` } : undefined}
          />
        </div>
        <aside className="benchmark" aria-labelledby="bench-title">
          <div className="eyebrow">Published benchmark</div>
          <h3 id="bench-title" style={{ marginTop: 2 }}>
            {sample ? sample.charAt(0).toUpperCase() + sample.slice(1) : 'Across industries'}
          </h3>
          {bench ? (
            <>
              <table className="bench-table">
                <caption className="sr-only">Your figures beside the published benchmark</caption>
                <thead>
                  <tr>
                    <td />
                    <th scope="col">{r.organisation.name}</th>
                    <th scope="col">Benchmark</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th scope="row">Leaders</th>
                    <td className="leaders">{L ? pct(L.share) : '—'}</td>
                    <td className="leaders">{pct(bench.leaders)}</td>
                  </tr>
                  <tr>
                    <th scope="row">Customers</th>
                    <td className="customers">{C ? pct(C.share) : '—'}</td>
                    <td className="customers">{pct(bench.customers)}</td>
                  </tr>
                  <tr>
                    <th scope="row">Gap</th>
                    <td>{h.gap === null ? '—' : pts(h.gap)}</td>
                    <td>{pts(bench.gap)}</td>
                  </tr>
                </tbody>
              </table>
              <p className="small muted">
                {bench.source} ({bench.year}).{' '}
                {h.gap !== null && (
                  <>
                    Your gap is{' '}
                    <strong style={{ color: 'var(--ink)' }}>
                      {Math.abs(h.gap - bench.gap) < 0.005 ? 'the same as' : `${Math.abs(Math.round((h.gap - bench.gap) * 100))} pts ${h.gap > bench.gap ? 'wider' : 'narrower'} than`}
                    </strong>{' '}
                    this benchmark.
                  </>
                )}
              </p>
              <Peers />
              <details>
                <summary>Other published studies ({h.benchmarks.length - 1})</summary>
                <ul className="bench-list">
                  {h.benchmarks.slice(1).map((b) => (
                    <li key={b.source + b.year}>
                      <span>
                        {b.name} ({b.year})
                      </span>
                      <span className="num">
                        <span className="leaders">{pct(b.leaders)}</span> vs <span className="customers">{pct(b.customers)}</span>
                      </span>
                    </li>
                  ))}
                </ul>
              </details>
            </>
          ) : (
            <p className="muted small">No published benchmark for this industry.</p>
          )}
        </aside>
      </div>
    </section>
  );
}

/** Other organisations of the same industry in this installation, anonymised (quartiles from 5 up). */
function Peers() {
  const { orgId, membership, org } = useOrg();
  // Owners see their touchpoints only; an organisation-wide comparison is not theirs to see.
  const b = useApi<BenchmarksReport>(membership.role === 'owner' ? null : orgPath(orgId, 'reports/benchmarks'));
  const g = b.data?.peers.gap;
  if (!g) return null;
  const industry = INDUSTRY_LABELS[org.data?.industry ?? ''] ?? 'this industry';
  return (
    <p className="small muted" style={{ marginBottom: 6 }}>
      {isSuppressed(g) ? (
        <>Comparison with other {industry.toLowerCase()} organisations on Parallax appears once {b.data!.peers.minOrganisations} of them take part.</>
      ) : (
        <>
          Other {industry.toLowerCase()} organisations on Parallax ({g.organisations}): median gap {pts(g.median)} (quartiles {pts(g.q1)} to {pts(g.q3)})
          {g.ownPercentile !== null ? `; yours is wider than ${Math.round(g.ownPercentile)}% of them` : ''}.
        </>
      )}
    </p>
  );
}

// core/gap-report.ts NO_RESPONSES, the reason of a side without any responses (a value import would bring zod
// into the overview's bundle).
const NO_RESPONSES = 'no responses yet';

/** A figure not shown: nothing to hide when there are no answers at all, else the anonymity note with its reason. */
function Hidden({ reason }: { reason: string }) {
  if (reason !== NO_RESPONSES) return <SuppressedNote reason={reason} />;
  return <p className="suppressed muted">Nothing to show: no answers have come in.</p>;
}

function Metric({ id, title, scale, children }: { id: string; title: string; scale: string; children: ReactNode }) {
  return (
    <section className="card span-3 metric" aria-labelledby={id}>
      <div className="title">
        <h2 id={id}>{title}</h2>
        <span className="eyebrow">{scale}</span>
      </div>
      {children}
    </section>
  );
}

function Metrics({ r }: { r: GapReport }) {
  const { nps, csat, ces, calibration: cal } = r;
  return (
    <>
      <Metric id="m-nps" title="NPS" scale="−100 to 100">
        {isSuppressed(nps) ? (
          <Hidden reason={nps.reason} />
        ) : (
          <>
            <div className="value">
              {nps.score > 0 ? '+' : nps.score < 0 ? '−' : ''}
              {Math.abs(nps.score).toFixed(0)}
              <small>± {nps.moe95.toFixed(1)}</small>
            </div>
            <div className="detail">
              95% CI {fixed(nps.ci95[0], 1)} to {fixed(nps.ci95[1], 1)} · n = {count(nps.n)}
            </div>
            <div className="split-bar" role="img" aria-label={`Promoters ${count(nps.promoters)}, passives ${count(nps.passives)}, detractors ${count(nps.detractors)}`}>
              <span style={{ width: `${(nps.promoters / nps.n) * 100}%`, background: 'var(--customers)' }} />
              <span style={{ width: `${(nps.passives / nps.n) * 100}%`, background: 'var(--line-strong)' }} />
              <span style={{ width: `${(nps.detractors / nps.n) * 100}%`, background: 'var(--gap)' }} />
            </div>
            <div className="detail">
              {pct(nps.promoters / nps.n)} promoters · {pct(nps.detractors / nps.n)} detractors
            </div>
            {nps.benchmark && (
              <div className="detail">
                Industry: {nps.benchmark.low === nps.benchmark.high ? nps.benchmark.low : `${nps.benchmark.low} to ${nps.benchmark.high}`} ({nps.benchmark.source.replace(' consumer ratings', '')},{' '}
                {nps.benchmark.year})
              </div>
            )}
          </>
        )}
      </Metric>
      <Metric id="m-csat" title="CSAT" scale="share 4–5 of 5">
        {isSuppressed(csat) ? (
          <Hidden reason={csat.reason} />
        ) : (
          <>
            <div className="value">{pct(csat.share)}</div>
            <div className="detail">
              95% CI {pctInterval(csat.ci95)} · n = {count(csat.n)}
            </div>
            <div className="split-bar" aria-hidden="true">
              <span style={{ width: `${csat.share * 100}%`, background: 'var(--customers)' }} />
            </div>
            <div className="detail">satisfied or very satisfied</div>
          </>
        )}
      </Metric>
      <Metric id="m-ces" title="Customer effort" scale="CES 1–7">
        {isSuppressed(ces) ? (
          <Hidden reason={ces.reason} />
        ) : (
          <>
            <div className="value">
              {ces.mean.toFixed(2)}
              <small>/ 7</small>
            </div>
            <div className="detail">
              {ces.ci95 ? `95% CI ${ces.ci95[0].toFixed(2)} to ${ces.ci95[1].toFixed(2)} · ` : ''}n = {count(ces.n)}
            </div>
            <div className="split-bar" aria-hidden="true">
              <span style={{ width: `${((ces.mean - 1) / 6) * 100}%`, background: 'var(--customers)' }} />
            </div>
            <div className="detail">“made it easy to handle my issue” (7 = strongly agree)</div>
          </>
        )}
      </Metric>
      <Metric id="m-cal" title="Calibration" scale="leaders’ forecast">
        {isSuppressed(cal) ? (
          <Hidden reason={cal.reason} />
        ) : (
          <>
            <div className="value" style={{ color: 'var(--gap)' }}>
              {pts(cal.meanPredictedShare - cal.actualShare).replace(' pts', '')}
              <small>pts</small>
            </div>
            <div className="detail">
              Leaders predicted <span className="leaders">{pct(cal.meanPredictedShare)}</span> of customers would say excellent;{' '}
              <span className="customers">{pct(cal.actualShare)}</span> did.
            </div>
            <div className="detail">
              {cal.direction === 'calibrated' ? 'Well calibrated' : cal.direction === 'over-confident' ? 'Over-confident' : 'Under-confident'} · mean error{' '}
              {cal.maeExcellenceShare.toFixed(1)} pts · Brier {cal.brier.toFixed(3)} · n = {count(cal.n)}
            </div>
          </>
        )}
      </Metric>
    </>
  );
}

/** Trend points for the chart: each side shown or hidden per month, customers' n as the month's responses. */
export function toTrendPoints(t: TrendReport): TrendPoint[] {
  return t.points.map((p) => {
    const customers = isSuppressed(p.customers) ? null : { share: p.customers.share, ci95: p.customers.ci95, n: p.customers.n };
    const leaders = isSuppressed(p.leaders) ? null : { share: p.leaders.share, ci95: p.leaders.ci95, n: p.leaders.n };
    return { period: p.period, leaders, customers, gap: p.gap ?? p.gapVsLeadersOverall, responses: customers?.n ?? null };
  });
}

function slopeText(t: TrendReport): string {
  const perMonth = (x: number) => `${Math.abs(x * 100).toFixed(1)} pts a month`;
  const ci = (c: [number, number]) => `95% CI ${pts(c[0], 1)} to ${pts(c[1], 1)}`;
  if (t.slope)
    return t.slope.direction === 'no evidence'
      ? `No clear change in the gap (${ci(t.slope.ci95)} a month)`
      : `The gap is ${t.slope.direction} by ${perMonth(t.slope.perPeriod)} (${ci(t.slope.ci95)})`;
  if (t.customerTrend)
    return t.customerTrend.direction === 'no evidence'
      ? `No clear change in customers’ share (${ci(t.customerTrend.ci95)} a month)`
      : `Customers’ share is ${t.customerTrend.direction} by ${perMonth(t.customerTrend.perPeriod)} (${ci(t.customerTrend.ci95)}), so against steady leaders the gap is ${
          t.customerTrend.direction === 'falling' ? 'widening' : 'narrowing'
        }`;
  // The API's reason: no responses, too few per month, a refused combination, or too few months.
  const why = t.noTrend?.reason ?? 'no trend to show';
  return `No trend: ${why}`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A side's count in the page head, or why it is not shown (its status code from the API). */
function sideCount(r: GapReport, side: 'customers' | 'leaders', filtered: boolean): string {
  const n = r.responses[side];
  if (n !== null) return `${count(n)} ${side}`;
  const st = r.status[side];
  if (st === 'no-responses') return filtered ? `no ${side} match these filters` : `no ${side} yet`;
  if (st === 'combination') return `${side} hidden for these filters`;
  return `fewer than ${r.minResponses} ${side}, too few to show`;
}

/** Issue 11: responses rule 1 leaves out of every report, said in words (a lone "region not given" answer). */
function WithheldNote({ r }: { r: GapReport }) {
  if (!r.withheld.reason) return null;
  return (
    <div className="banner info span-12" data-testid="withheld">
      {capitalise(r.withheld.reason)}.
    </div>
  );
}

function Trend({ query }: { query: string }) {
  const { orgId } = useOrg();
  const sep = query ? '&' : '?';
  const t = useApi<TrendReport>(orgPath(orgId, `reports/trend${query}${sep}period=month`));
  const points = t.data ? toTrendPoints(t.data) : [];
  const overall = t.data && !isSuppressed(t.data.leadersOverall) ? t.data.leadersOverall : null;
  const leadersHidden = t.data?.suppressed.leaders;
  return (
    <Card id="trend-title" title="The gap over time" hint="share who call the experience excellent, by month" className="span-12">
      <Legend
        items={[
          { mark: 'leaders', label: 'Leaders’ belief' },
          { mark: 'customers', label: 'Customers’ answers' },
          { mark: 'band', label: '95% interval' },
          // The shading between the two lines is the gap (issue 11: it was drawn but not in the legend).
          {
            label: (
              <>
                <span className="band-key" aria-hidden="true" style={{ background: 'var(--gap)', opacity: 0.2 }} />
                The gap between them
              </>
            ),
          },
        ]}
      />
      <p className="small" style={{ margin: '8px 0 0', minHeight: '1.5em' }}>
        {t.data && points.length > 0 ? <strong data-testid="trend-summary">{slopeText(t.data)}.</strong> : '\u00a0'}
        {t.data && leadersHidden && overall ? (
          <span className="muted">
            {' '}
            Leaders are too few per month to show monthly, so their line is their belief over the whole period ({pct(overall.share)}, n = {overall.n}).
          </span>
        ) : null}
      </p>
      <div style={{ marginTop: 10 }}>
        {t.error && !t.data ? (
          <div style={{ minHeight: 300 }}>
            <ErrorState error={t.error} onRetry={t.reload} title="The trend could not be loaded" />
          </div>
        ) : !t.data ? (
          <Loading label="trend" height={300} />
        ) : points.length === 0 ? (
          <div style={{ minHeight: 200 }}>
            <EmptyState title={t.data.noTrend?.code === 'no-responses' ? 'No responses yet' : 'No months to show'}>
              {capitalise(t.data.noTrend?.reason ?? 'no responses fall in the chosen period')}.
            </EmptyState>
          </div>
        ) : (
          <>
            <TrendChart
              points={points}
              leadersOverall={overall ? { share: overall.share, ci95: overall.ci95 } : null}
              label="Share who call the experience excellent, by month: leaders against customers"
            />
            <TrendTable points={points} />
          </>
        )}
      </div>
    </Card>
  );
}

function OverviewSkeleton() {
  return (
    <div className="grid" aria-hidden="true">
      <div className="card span-12" style={{ minHeight: 330 }}>
        <Skeleton height={22} width="40%" />
        <Skeleton height={80} style={{ marginTop: 20 }} />
        <Skeleton height={90} style={{ marginTop: 20 }} />
      </div>
      {[0, 1, 2, 3].map((i) => (
        <div key={i} className="card span-3 metric">
          <Skeleton height={20} width="50%" />
          <Skeleton height={40} width="60%" />
          <Skeleton height={60} />
        </div>
      ))}
      <div className="card span-12" style={{ minHeight: 440 }}>
        <Skeleton height={380} />
      </div>
    </div>
  );
}

/** Issue 13: the overview's tables as CSV / Excel and the board pack, with the filters on screen (plain links: the browser downloads them). */
function Downloads({ orgId, query }: { orgId: string; query: string }) {
  const withTable = (t: string) => `${query}${query ? '&' : '?'}table=${t}`;
  const item = (href: string, label: string) => (
    <li>
      <a href={href} download>
        {label}
      </a>
    </li>
  );
  return (
    <div style={{ display: 'flex', gap: 12, alignItems: 'baseline', marginLeft: 'auto' }}>
      <details className="download-menu">
        <summary>Download</summary>
        <ul style={{ listStyle: 'none', padding: 0, margin: '6px 0' }}>
          {item(orgPath(orgId, `reports/gap.csv${withTable('headline')}`), 'Headline (CSV)')}
          {item(orgPath(orgId, `reports/gap.csv${withTable('dimensions')}`), 'Dimensions (CSV)')}
          {item(orgPath(orgId, `reports/gap.csv${withTable('touchpoints')}`), 'Touchpoints (CSV)')}
          {item(orgPath(orgId, `reports/gap.xlsx${query}`), 'All tables (Excel)')}
        </ul>
      </details>
      <a href={orgPath(orgId, `board-pack.pdf${query}`)} download>
        Board pack (PDF)
      </a>
      <a href={orgPath(orgId, `board-pack${query}`)} target="_blank" rel="noopener">
        Print view
      </a>
    </div>
  );
}

export function Overview() {
  usePageTitle('Overview');
  const { orgId } = useOrg();
  const search = useSearch();
  const query = reportQuery(parseFilters(search));
  const rep = useApi<GapReport>(orgPath(orgId, `reports/gap${query}`));
  const r = rep.data;
  const rows = r ? dumbbellRows(r.dimensions) : [];
  const noData = !!r && r.status.customers === 'no-responses' && r.status.leaders === 'no-responses';
  return (
    <div className="page">
      <div className="page-head">
        <h1>Overview</h1>
        <p className="num">
          {r ? (
            <>
              <span className="customers">{sideCount(r, 'customers', !!query)}</span>
              {' · '}
              <span className="leaders">{sideCount(r, 'leaders', !!query)}</span>
              {' · '}minimum group {r.minResponses}
            </>
          ) : (
            '\u00a0'
          )}
        </p>
        <span className="updating" aria-live="polite">
          {rep.loading && r ? 'Updating…' : ''}
        </span>
        <Downloads orgId={orgId} query={query} />
      </div>
      {rep.error && !r ? (
        <div className="card">
          <ErrorState error={rep.error} onRetry={rep.reload} title="The report could not be loaded" />
        </div>
      ) : !r ? (
        <>
          <span className="sr-only" role="status">
            Loading the report…
          </span>
          <OverviewSkeleton />
        </>
      ) : (
        <div className="grid" aria-busy={rep.loading}>
          {rep.error ? <StaleFiguresBanner error={rep.error} /> : null}
          {noData && (
            <div className="banner info span-12">
              <strong>No responses yet{query ? ' for these filters' : ''}.</strong>{' '}
              {query ? (
                'Widen the filters to see figures.'
              ) : (
                <>
                  Share the customer survey and the leader mirror to start measuring the gap: <Link href="/setup/surveys">Set-up → Surveys</Link>.
                </>
              )}
            </div>
          )}
          <WithheldNote r={r} />
          <Headline r={r} />
          <Metrics r={r} />
          <Card
            id="dims-title"
            title="Where leaders and customers see it differently"
            hint="mean rating 1–5 per dimension, widest gap first"
            className="span-12"
          >
            <PerspectiveLegend extra={[{ key: 'line', label: '95% interval (whiskers)' }]} />
            <div style={{ marginTop: 10 }}>
              <Dumbbell rows={rows} />
              <DumbbellTable rows={rows} />
            </div>
          </Card>
          <Trend query={query} />
        </div>
      )}
    </div>
  );
}
