// The driver-perception section of the Drivers view (issue 11): do leaders know what drives customers?
// Leaders' believed share of 100 points against customers' actual drivers, per dimension, with intervals;
// the summary in words first, then the chart, the blind spots (where to act first), the leadership groups
// (pooled under the anonymity rule) and the numbers.
import { fixed } from '../../core/number-format.ts';
import { isSuppressed, type DriverPerceptionReport } from '../lib/types.ts';
import { useApi } from '../lib/use-api.ts';
import { orgPath } from '../lib/org.tsx';
import { SuppressedNote } from '../components/states.tsx';
import { Card } from '../components/Card.tsx';
import { PerceptionDots, PerceptionTable, perceptionRows } from '../charts/PerceptionDots.tsx';
import { ReportFrame } from './analyses-parts.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { Legend } from '../components/Legend.tsx';

type Corr = { estimate: number | null; ci95: [number, number] | null };
const corr = (c: Corr) => (c.estimate === null ? '—' : `${fixed(c.estimate, 2)}${c.ci95 ? ` (${fixed(c.ci95[0], 2)} to ${fixed(c.ci95[1], 2)})` : ''}`);

function PerceptionLegend({ r }: { r: DriverPerceptionReport }) {
  return (
    <Legend
      items={[
        { mark: 'leaders', label: `Leaders’ belief: mean share of 100 points${isSuppressed(r.leaders) ? '' : ` (n = ${r.leaders.answered})`}, 95% interval` },
        { mark: 'customers', label: `Customers’ drivers: relative weight as a share of 100${isSuppressed(r.customers) ? '' : ` (n = ${r.customers.completeCases})`}, 95% bootstrap interval` },
      ]}
    />
  );
}

function BlindSpots({ r }: { r: DriverPerceptionReport }) {
  return (
    <Card id="perception-blind-title" title="Blind spots: act here first" hint="important to customers, neglected by leaders, overrated">
      {r.blindSpots.length ? (
        <ol style={{ margin: 0, paddingLeft: '1.3em' }} className="stack">
          {r.blindSpots.map((b) => (
            <li key={b.key}>
              <strong>{b.label}.</strong> {b.sentence}
            </li>
          ))}
        </ol>
      ) : (
        <p style={{ margin: 0 }}>{isSuppressed(r.leaders) ? 'Blind spots need leaders’ beliefs, which are not shown here.' : 'No dimension meets every condition of a blind spot.'}</p>
      )}
      <p className="small muted" style={{ marginBottom: 0 }}>
        A blind spot has {r.rules.blindSpot}.
      </p>
    </Card>
  );
}

function Groups({ g }: { g: DriverPerceptionReport['groups'] }) {
  return (
    <Card id="perception-groups-title" title="By leadership group" hint="groups below the minimum are pooled">
      {isSuppressed(g) ? (
        <SuppressedNote reason={g.reason} what="Leadership groups" />
      ) : g.rows.length === 0 ? (
        <p style={{ margin: 0 }}>No leadership group is large enough to show.</p>
      ) : (
        <DataTable
          caption={`Leaders’ belief against customers’ drivers by ${g.groupBy}`}
          columns={[{ label: `Group (${g.groupBy})` }, { label: 'Leaders', numeric: true }, { label: 'Spearman ρ (95% CI)', numeric: true }, { label: 'Over-weights' }, { label: 'Under-weights' }]}
        >
          {g.rows.map((row) => (
            <tr key={row.group}>
              <th scope="row">
                {row.group}
                {row.pooled ? ' (pooled)' : ''}
              </th>
              <td className="num">{row.leaders}</td>
              <td className="num">{isSuppressed(row.rankCorrelation) ? '—' : corr(row.rankCorrelation.spearman)}</td>
              <td>{row.overWeighted.join('; ') || '—'}</td>
              <td>{row.underWeighted.join('; ') || '—'}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}

export function DriverPerception({ orgId, query, outcome }: { orgId: string; query: string; outcome: string }) {
  const res = useApi<DriverPerceptionReport>(orgPath(orgId, `reports/driver-perception${query}${query ? '&' : '?'}outcome=${outcome}`));
  return (
    <ReportFrame res={res} what="driver-perception report" height={360}>
      {(r) => {
        const rows = perceptionRows(r.dimensions);
        const rank = r.rankCorrelation;
        return (
          <>
            <Card id="perception-title" title="Do leaders know what drives customers?" hint="points of 100: how much each dimension matters">
              <div className="stack" style={{ gap: 8 }}>
                <p id="perception-summary" style={{ margin: 0 }}>
                  {r.summary}
                </p>
                {isSuppressed(r.customers) ? (
                  <SuppressedNote reason={r.customers.reason} what="Customers’ drivers" />
                ) : (
                  <>
                    <PerceptionLegend r={r} />
                    <PerceptionDots rows={rows} summary={r.summary} />
                    <p className="small muted num" style={{ margin: 0 }}>
                      {isSuppressed(rank)
                        ? `Rank correlation: ${rank.reason}.`
                        : `Agreement of the two orders over ${rank.dimensions} dimensions: Spearman ρ ${corr(rank.spearman)}, Kendall τ-b ${corr(rank.kendall)}.`}
                    </p>
                    <p className="small muted" style={{ margin: 0 }}>
                      Over- or under-weighted: {r.rules.difference}.
                    </p>
                    <PerceptionTable rows={rows} excluded={r.excluded} />
                  </>
                )}
              </div>
            </Card>
            {!isSuppressed(r.customers) && <BlindSpots r={r} />}
            {!isSuppressed(r.customers) && <Groups g={r.groups} />}
          </>
        );
      }}
    </ReportFrame>
  );
}
