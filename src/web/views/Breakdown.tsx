// Breakdown: the headline (customers' share calling the experience excellent) and each dimension per
// touchpoint, journey stage or declared segment value, against leaders' belief, with the groups that
// differ from the rest flagged only when the difference survives the multiple-comparison adjustment the
// API reports (Holm or Benjamini–Hochberg over every test in the response; the reader picks which).
// Groups below the anonymity minimum are listed with the reason they are hidden.
import { useId } from 'react';
import { useSearch } from 'wouter';
import { orgPath, useOrg } from '../lib/org.tsx';
import { useApi } from '../lib/use-api.ts';
import { parseFilters, reportQuery, useQueryUpdate } from '../lib/filters.ts';
import { isSuppressed, type BreakdownReport } from '../lib/types.ts';
import { count, fixed, pct, pctInterval, pts, pValue } from '../../core/number-format.ts';
import { meanInterval } from '../../core/stats/display-intervals.ts';
import { ADJUSTMENT_LABELS, breakdownChoices, listInWords, parseAdjustment, parseBreakdownBy, significant, type Adjustment } from '../lib/analyses.ts';
import type { SegmentDeclaration } from '../../core/segments.ts';
import { usePageTitle } from '../components/Shell.tsx';
import { SuppressedNote } from '../components/states.tsx';
import { DotRows } from '../charts/DotRows.tsx';
import { AnalysisHead, ReportFrame } from './analyses-parts.tsx';
import { Card } from '../components/Card.tsx';
import { DataTable, NumbersTable } from '../components/DataTable.tsx';
import { Legend } from '../components/Legend.tsx';

type Row = BreakdownReport['rows'][number];

const titleCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replaceAll('_', ' ');

/** "above the rest" / "below the rest" when the adjusted test says so, else null. */
function flag(r: Row, method: Adjustment): string | null {
  if (!significant(r.vsRest, method)) return null;
  return r.vsRest!.diff > 0 ? '▲ above the rest' : '▼ below the rest';
}

function HeadlineTable({ rows, method, byLabel }: { rows: Row[]; method: Adjustment; byLabel: string }) {
  const adj = (t: Row['vsRest']) => (t ? (method === 'holm' ? t.holm : t.bh) : null);
  return (
    <NumbersTable
      caption={`Customers’ excellent share per ${byLabel.toLowerCase()}, the gap to leaders, and the difference from the rest`}
      label="Excellent share per group"
      columns={[{ label: byLabel }, { label: 'Customers excellent (95% CI)', numeric: true }, { label: 'n', numeric: true }, { label: 'Gap to leaders', numeric: true }, { label: 'vs the rest', numeric: true }, { label: 'p (raw)', numeric: true }, { label: `p (${method === 'holm' ? 'Holm' : 'BH'})`, numeric: true }, { label: 'Differs?' }]}
    >
      {rows.map((r) => (
        <tr key={r.value}>
          <th scope="row">
            {r.label}
            {r.stageLabel ? <span className="muted"> · {r.stageLabel}</span> : null}
          </th>
          {isSuppressed(r.customers) ? (
            <td colSpan={7}>hidden: {r.customers.reason}</td>
          ) : (
            <>
              <td className="num">
                {pct(r.customers.share)} ({pctInterval(r.customers.ci95)})
              </td>
              <td className="num">{count(r.customers.n)}</td>
              <td className="num">{r.gap === null ? '—' : pts(r.gap)}</td>
              <td className="num">{r.vsRest ? pts(r.vsRest.diff) : '—'}</td>
              <td className="num">{r.vsRest ? pValue(r.vsRest.pValue) : '—'}</td>
              <td className="num">{r.vsRest ? pValue(adj(r.vsRest)) : '—'}</td>
              <td>{flag(r, method) ?? 'no'}</td>
            </>
          )}
        </tr>
      ))}
    </NumbersTable>
  );
}

function DimensionsTable({ rows, dims, method, byLabel }: { rows: Row[]; dims: { key: string; label: string }[]; method: Adjustment; byLabel: string }) {
  return (
    <DataTable
      caption={`Customers’ mean rating (1–5) of each dimension per ${byLabel.toLowerCase()}, with 95% intervals and n`}
      label="Dimension ratings per group"
      columns={[{ label: byLabel }, ...dims.map((d) => ({ label: d.label, numeric: true }))]}
    >
      {rows.map((r) => (
        <tr key={r.value}>
          <th scope="row">{r.label}</th>
          {dims.map((d) => {
            const cell = r.dimensions?.[d.key];
            if (!cell) return <td key={d.key}>—</td>;
            if (isSuppressed(cell.customers))
              return (
                <td key={d.key} className="num muted">
                  hidden
                </td>
              );
            const ci = meanInterval(cell.customers);
            const sig = significant(cell.test, method);
            return (
              <td key={d.key} className="num">
                {fixed(cell.customers.mean, 2)}
                {sig ? ' †' : ''}
                <br />
                <small className="muted">
                  {ci ? `${fixed(ci[0], 2)}–${fixed(ci[1], 2)}` : ''} · n = {count(cell.customers.n)}
                </small>
              </td>
            );
          })}
        </tr>
      ))}
    </DataTable>
  );
}

export default function Breakdown() {
  usePageTitle('Breakdown');
  const { orgId, options, framework } = useOrg();
  const search = useSearch();
  const update = useQueryUpdate();
  const id = useId();
  const params = new URLSearchParams(search);
  const segments = options.data?.segments ?? [];
  const declared = useApi<{ segments: SegmentDeclaration[] }>(orgPath(orgId, 'segments'));
  const segLabel = (name: string) => declared.data?.segments.find((s) => s.key === name)?.label ?? titleCase(name);
  const choiceLabel = (c: string) => (c === 'touchpoint' ? 'Touchpoint' : c === 'stage' ? 'Journey stage' : segLabel(c.slice('segment:'.length)));
  // Until the options load, keep what the URL asks for rather than flashing back to touchpoints.
  const by = options.data ? parseBreakdownBy(params.get('by'), segments) : (params.get('by') ?? 'touchpoint');
  const method = parseAdjustment(params.get('adjust'));
  const query = reportQuery(parseFilters(search));
  const res = useApi<BreakdownReport>(orgPath(orgId, `reports/breakdown${query}${query ? '&' : '?'}by=${encodeURIComponent(by)}&dimensions=true`));
  const dims = (framework.data?.dimensions ?? []).filter((d) => d.customerItem !== null).map((d) => ({ key: d.key, label: d.label }));
  const byLabel = choiceLabel(by);
  return (
    <div className="page">
      <AnalysisHead title="Breakdown" loading={res.loading && !!res.data}>
        The gap per touchpoint, journey stage or segment, with differences flagged only when they survive the adjustment for many tests.
      </AnalysisHead>
      <div className="toolbar">
        <div className="field">
          <label htmlFor={`${id}-by`}>Break down by</label>
          <select id={`${id}-by`} value={by} onChange={(e) => update({ by: e.target.value === 'touchpoint' ? undefined : e.target.value })}>
            {breakdownChoices(segments).map((c) => (
              <option key={c} value={c}>
                {choiceLabel(c)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <span className="label" id={`${id}-adj`}>
            Adjust p-values by
          </span>
          <div className="segmented" role="group" aria-labelledby={`${id}-adj`}>
            {(['holm', 'bh'] as const).map((m) => (
              <button key={m} type="button" aria-pressed={method === m} onClick={() => update({ adjust: m === 'holm' ? undefined : m })}>
                {m === 'holm' ? 'Holm' : 'Benjamini–Hochberg'}
              </button>
            ))}
          </div>
        </div>
      </div>
      <ReportFrame res={res} what="breakdown">
        {(r) => {
          if (r.suppressed)
            return (
              <div className="card span-12">
                <SuppressedNote reason={r.suppressed} what="The breakdown" />
              </div>
            );
          const shown = r.rows.filter((x) => !isSuppressed(x.customers));
          const hidden = r.rows.filter((x) => isSuppressed(x.customers));
          const above = shown.filter((x) => flag(x, method)?.startsWith('▲'));
          const below = shown.filter((x) => flag(x, method)?.startsWith('▼'));
          const leaders = isSuppressed(r.leaders) ? null : r.leaders;
          const lowest = [...shown].sort((a, b) => (a.customers as { share: number }).share - (b.customers as { share: number }).share)[0];
          const summary =
            `${above.length + below.length} of ${shown.length} groups differ from the rest after the ${ADJUSTMENT_LABELS[method]} adjustment over ${r.tests} tests.` +
            (above.length ? ` Higher: ${listInWords(above.map((x) => x.label))}.` : '') +
            (below.length ? ` Lower: ${listInWords(below.map((x) => x.label))}.` : '');
          return (
            <>
              <Card id="bd-summary-title" title="In short">
                <div id="breakdown-summary" className="stack" style={{ gap: 8 }}>
                  <p style={{ margin: 0 }}>
                    <strong>{summary}</strong>
                  </p>
                  {lowest && !isSuppressed(lowest.customers) && (
                    <p style={{ margin: 0 }}>
                      Lowest: <strong>{lowest.label}</strong>, where <span className="customers">{pct(lowest.customers.share)}</span> of customers call the experience excellent
                      (95% CI {pctInterval(lowest.customers.ci95)}, n = {count(lowest.customers.n)})
                      {leaders ? (
                        <>
                          {' '}
                          against <span className="leaders">{pct(leaders.share)}</span> of leaders (n = {count(leaders.n)})
                        </>
                      ) : null}
                      .
                    </p>
                  )}
                  {hidden.length > 0 && (
                    <p className="small" style={{ margin: 0 }}>
                      Withheld: {listInWords(hidden.map((x) => x.label))} — {(hidden[0]!.customers as { reason: string }).reason} (the minimum is {r.minResponses}), so no one can be
                      singled out. They are left out of the tests.
                    </p>
                  )}
                  <p className="small muted" style={{ margin: 0 }}>
                    Each group is compared with all other customers in the cut (two-proportion z-test). With {r.tests} tests in one breakdown a few would look significant by chance,
                    so a difference is flagged only when its {method === 'holm' ? 'Holm-adjusted p-value (family-wise error)' : 'Benjamini–Hochberg-adjusted p-value (false discovery rate)'} is
                    below 0.05.
                  </p>
                  {leaders === null && isSuppressed(r.leaders) && <SuppressedNote reason={r.leaders.reason} what="Leaders’ belief" />}
                </div>
              </Card>
              <Card id="bd-headline-title" title={`Excellent experience by ${byLabel.toLowerCase()}`} hint="customers’ share calling it excellent, 95% interval">
                <Legend
                  items={[
                    { mark: 'customers', label: 'Customers’ answers' },
                    !!leaders && { mark: 'leaders-line', label: 'Dashed: leaders’ belief (all leaders)' },
                    { label: '▲▼ differs from the rest after adjustment' },
                  ]}
                />
                <div style={{ marginTop: 10 }}>
                  <DotRows
                    rows={r.rows.map((x) => ({
                      key: x.value,
                      label: x.label,
                      marks: isSuppressed(x.customers) ? [] : [{ value: x.customers.share, ci: x.customers.ci95, side: 'customers' as const }],
                      valueText: isSuppressed(x.customers) ? undefined : `${pct(x.customers.share)} · n = ${count(x.customers.n)}`,
                      note: isSuppressed(x.customers) ? `hidden: ${x.customers.reason}` : (flag(x, method) ?? undefined),
                      flagged: !!flag(x, method),
                    }))}
                    domain={[0, 1]}
                    format={(v) => pct(v)}
                    title={`Customers’ share calling the experience excellent by ${byLabel.toLowerCase()}`}
                    summary={summary}
                    reference={leaders ? { value: leaders.share, ci: leaders.ci95, side: 'leaders', label: `Leaders ${pct(leaders.share)}` } : null}
                    valueHeading="Excellent · n"
                  />
                </div>
                <HeadlineTable rows={r.rows} method={method} byLabel={byLabel} />
              </Card>
              {dims.length > 0 && r.rows.some((x) => x.dimensions) && (
                <Card id="bd-dims-title" title={`Dimensions by ${byLabel.toLowerCase()}`} hint="customers’ mean rating 1–5, 95% interval, n">
                  <p className="small" style={{ marginTop: 0 }}>
                    † the leaders’ predicted rating differs from this group’s (Welch test, {method === 'holm' ? 'Holm' : 'Benjamini–Hochberg'}-adjusted p &lt; 0.05).
                  </p>
                  <DimensionsTable rows={r.rows} dims={dims} method={method} byLabel={byLabel} />
                </Card>
              )}
            </>
          );
        }}
      </ReportFrame>
    </div>
  );
}
