// Benchmarks: the organisation's own headline (leaders' belief, customers' answers, the gap) and NPS
// beside the published studies for its industry and, where at least five other organisations of the
// same industry on this installation contribute, the peers' quartiles with the organisation placed among
// them. Always the whole organisation over all time: the report takes no filters.
import { useSearch } from 'wouter';
import { orgPath, useOrg } from '../lib/org.tsx';
import { useApi } from '../lib/use-api.ts';
import { activeFilterCount, parseFilters } from '../lib/filters.ts';
import { isSuppressed, type BenchmarksReport } from '../lib/types.ts';
import { count, fixed, pct, pctInterval, pts } from '../../core/number-format.ts';
import { usePageTitle } from '../components/Shell.tsx';
import { SuppressedNote } from '../components/states.tsx';
import { PerspectiveLegend } from '../components/Legend.tsx';
import { DotRows, type DotRow } from '../charts/DotRows.tsx';
import { AnalysisHead, ReportFrame } from './analyses-parts.tsx';
import { Card } from '../components/Card.tsx';
import { NumbersTable } from '../components/DataTable.tsx';

type Peer = BenchmarksReport['peers']['excellentShare'];

const PEER_FIGURES = [
  { key: 'excellentShare', label: 'Customers calling the experience excellent', format: (v: number) => pct(v), domain: [0, 1] as [number, number] },
  { key: 'gap', label: 'Perception gap (leaders − customers)', format: (v: number) => pts(v), domain: [-0.2, 1] as [number, number] },
  { key: 'nps', label: 'Net Promoter Score', format: (v: number) => fixed(v, 0), domain: [-100, 100] as [number, number] },
] as const;

function PeerRow({ label, peer, format, domain }: { label: string; peer: Peer; format: (v: number) => string; domain: [number, number] }) {
  if (isSuppressed(peer)) return <SuppressedNote reason={peer.reason} what={label} />;
  const row: DotRow = {
    key: label,
    label: 'Your organisation among peers',
    marks: peer.own === null ? [] : [{ value: peer.own, side: 'customers' }],
    box: { q1: peer.q1, median: peer.median, q3: peer.q3 },
    valueText: peer.own === null ? undefined : format(peer.own),
    note: peer.own === null ? 'your figure is hidden' : undefined,
  };
  return (
    <div>
      <h3 style={{ fontSize: '1rem', margin: '12px 0 4px' }}>{label}</h3>
      <p className="small" style={{ margin: 0 }}>
        {peer.organisations} peers: middle half {format(peer.q1)} to {format(peer.q3)}, median {format(peer.median)}.
        {peer.own !== null && peer.ownPercentile !== null ? ` Yours, ${format(peer.own)}, is above ${fixed(peer.ownPercentile, 0)}% of them.` : ''}
      </p>
      <DotRows rows={[row]} domain={domain} format={format} title={`${label}: peers’ quartiles and your organisation`} summary={`Peers’ median ${format(peer.median)}.`} />
    </div>
  );
}

export default function Benchmarks() {
  usePageTitle('Benchmarks');
  const { orgId } = useOrg();
  const filtered = activeFilterCount(parseFilters(useSearch())) > 0;
  const res = useApi<BenchmarksReport>(orgPath(orgId, 'reports/benchmarks'));
  return (
    <div className="page">
      <AnalysisHead title="Benchmarks" loading={res.loading && !!res.data}>
        How the organisation compares with published studies of its industry and with peers on this installation.
      </AnalysisHead>
      <ReportFrame res={res} what="benchmarks">
        {(r) => {
          const L = isSuppressed(r.own.leaders) ? null : r.own.leaders;
          const C = isSuppressed(r.own.customers) ? null : r.own.customers;
          const first = r.published.gap[0];
          const rows: DotRow[] = [
            {
              key: '__own',
              label: `${r.organisation.name} (you)`,
              marks: [...(L ? [{ value: L.share, ci: L.ci95, side: 'leaders' as const }] : []), ...(C ? [{ value: C.share, ci: C.ci95, side: 'customers' as const }] : [])],
              valueText: r.own.gap === null ? undefined : `gap ${pts(r.own.gap)}`,
              note: !L || !C ? 'a side is hidden: too few respondents' : undefined,
            },
            ...r.published.gap.map((g, i) => ({
              key: `${i}`,
              label: `${g.source}, ${g.year}`,
              marks: [
                { value: g.leaders, side: 'leaders' as const },
                { value: g.customers, side: 'customers' as const },
              ],
              valueText: `gap ${pts(g.gap)}`,
            })),
          ];
          const summary =
            r.own.gap !== null && first
              ? `Your gap is ${pts(r.own.gap)} (leaders ${pct(L!.share)}, customers ${pct(C!.share)}); ${first.source} (${first.year}) found ${pts(first.gap)}.`
              : 'Your own gap is hidden: too few respondents on one side.';
          return (
            <>
              {filtered && (
                <p className="banner info small span-12" style={{ margin: 0 }}>
                  Benchmarks compare the whole organisation over all time, so the filters do not apply here.
                </p>
              )}
              <Card id="bench-summary-title" title={`${r.industry.label}: you against the published figures`}>
                <p id="benchmarks-summary" style={{ marginTop: 0 }}>
                  <strong>{summary}</strong>
                  {r.own.gap !== null && first
                    ? ` That is ${Math.abs(Math.round((r.own.gap - first.gap) * 100))} points ${r.own.gap > first.gap ? 'wider' : 'narrower'} than the study’s.`
                    : ''}
                </p>
                <PerspectiveLegend extra={[{ key: 'line', label: 'your 95% interval (whiskers); studies publish none' }]} />
                <div style={{ marginTop: 10 }}>
                  <DotRows
                    rows={rows}
                    domain={[0, 1]}
                    format={(v) => pct(v)}
                    title="Share calling the experience excellent: leaders and customers, yours against published studies"
                    summary={summary}
                    valueHeading="Gap"
                  />
                </div>
                <NumbersTable
                  caption="Your figures and the published studies"
                  columns={[{ label: 'Source' }, { label: 'Year' }, { label: 'Leaders', numeric: true }, { label: 'Customers', numeric: true }, { label: 'Gap', numeric: true }]}
                >
                  <tr>
                    <th scope="row">{r.organisation.name} (you)</th>
                    <td>all time</td>
                    <td className="num">{L ? `${pct(L.share)} (${pctInterval(L.ci95)}) · n = ${count(L.n)}` : 'hidden'}</td>
                    <td className="num">{C ? `${pct(C.share)} (${pctInterval(C.ci95)}) · n = ${count(C.n)}` : 'hidden'}</td>
                    <td className="num">{r.own.gap === null ? '—' : pts(r.own.gap)}</td>
                  </tr>
                  {r.published.gap.map((g, i) => (
                    <tr key={i}>
                      <th scope="row">{g.source}</th>
                      <td>{g.year}</td>
                      <td className="num">{pct(g.leaders)}</td>
                      <td className="num">{pct(g.customers)}</td>
                      <td className="num">{pts(g.gap)}</td>
                    </tr>
                  ))}
                </NumbersTable>
              </Card>
              <Card id="bench-nps-title" title="Net Promoter Score" hint="−100 to 100" className="span-6">
                {isSuppressed(r.own.nps) ? (
                  <SuppressedNote reason={r.own.nps.reason} what="Your NPS" />
                ) : (
                  <p style={{ margin: 0 }}>
                    Yours: <strong>{fixed(r.own.nps.score, 0)}</strong> (95% CI {fixed(r.own.nps.ci95[0], 1)} to {fixed(r.own.nps.ci95[1], 1)}, n = {count(r.own.nps.n)}).
                  </p>
                )}
                {r.published.nps ? (
                  <p className="small" style={{ marginBottom: 0 }}>
                    Industry: {r.published.nps.low === r.published.nps.high ? r.published.nps.low : `${r.published.nps.low} to ${r.published.nps.high}`} ({r.published.nps.source},{' '}
                    {r.published.nps.year}).
                  </p>
                ) : (
                  <p className="small muted">No published NPS for this industry.</p>
                )}
              </Card>
              <Card id="bench-peers-title" title="Peers on Parallax" hint={`other ${r.industry.label.toLowerCase()} organisations, never named`} className="span-6">
                <p className="small" style={{ marginTop: 0 }}>
                  A peer figure appears only when at least {r.peers.minOrganisations} other organisations of the industry contribute it, each above its own anonymity minimum.
                </p>
                {PEER_FIGURES.map((f) => (
                  <PeerRow key={f.key} label={f.label} peer={r.peers[f.key]} format={f.format} domain={f.domain} />
                ))}
              </Card>
            </>
          );
        }}
      </ReportFrame>
    </div>
  );
}
