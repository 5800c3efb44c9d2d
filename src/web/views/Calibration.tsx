// Calibration — "who knows our customers best": each leadership group's error in predicting what
// customers say (mean absolute error of the dimension ratings, 1–5 points, and of the share calling the
// experience excellent, in points), ordered best first, against the whole team; the spread of
// individual leaders only as quartiles and bands (never a row per leader); pooled and hidden groups said
// so. Only the period filter applies: leaders predict what all customers say.
import { useSearch } from 'wouter';
import { orgPath, useOrg } from '../lib/org.tsx';
import { useApi } from '../lib/use-api.ts';
import { parseFilters } from '../lib/filters.ts';
import { isSuppressed, type CalibrationReport } from '../lib/types.ts';
import { count, fixed, pct, signed } from '../../core/number-format.ts';
import { usePageTitle } from '../components/Shell.tsx';
import { SuppressedNote } from '../components/states.tsx';
import { DotRows } from '../charts/DotRows.tsx';
import { AnalysisHead, IgnoredFilters, ReportFrame } from './analyses-parts.tsx';
import { Card } from '../components/Card.tsx';
import { DataTable, NumbersTable } from '../components/DataTable.tsx';
import { Legend } from '../components/Legend.tsx';
import { CalibrationLearning } from './CalibrationLearning.tsx';

type Errors = Omit<Extract<CalibrationReport['team'], { leaders: number }>, 'leaders'>;
type Group = Extract<CalibrationReport['groups'], unknown[]>[number];

const direction = (d: Errors['direction']) => (d === null ? '—' : d === 'calibrated' ? 'calibrated' : d);
const maeText = (e: Errors) => (e.dimensionsMae === null ? '—' : `${fixed(e.dimensionsMae, 2)}`);
const shareErr = (e: Errors) => (e.excellenceMae === null ? '—' : `${fixed(e.excellenceMae, 0)} pts`);

function GroupTable({ groups, team }: { groups: Group[]; team: CalibrationReport['team'] }) {
  const row = (label: string, e: Errors, n: number, rank: string, key: string) => (
    <tr key={key}>
      <td className="num">{rank}</td>
      <th scope="row">{label}</th>
      <td className="num">{count(n)}</td>
      <td className="num">{maeText(e)}</td>
      <td className="num">{e.dimensionsSignedError === null ? '—' : signed(e.dimensionsSignedError, 2)}</td>
      <td className="num">{shareErr(e)}</td>
      <td className="num">{e.excellenceSignedError === null ? '—' : `${signed(e.excellenceSignedError, 0)} pts`}</td>
      <td className="num">{e.brier === null ? '—' : e.brier.toFixed(3)}</td>
      <td>{direction(e.direction)}</td>
    </tr>
  );
  return (
    <NumbersTable
      caption="Prediction error per leadership group, best first, and the whole team"
      columns={[{ label: 'Rank', numeric: true }, { label: 'Group' }, { label: 'Leaders (n)', numeric: true }, { label: 'Dimension error (mean |pred − actual|, 1–5)', numeric: true }, { label: 'Signed', numeric: true }, { label: 'Excellent-share error', numeric: true }, { label: 'Signed', numeric: true }, { label: 'Brier', numeric: true }, { label: 'Direction' }]}
    >
      {groups.map((g) => row(g.pooled ? `${g.group} (pooled)` : g.group, g, g.leaders, String(g.rank), g.group))}
      {!isSuppressed(team) && row('Whole leadership team', team, team.leaders, '—', '__team')}
    </NumbersTable>
  );
}

export default function Calibration() {
  usePageTitle('Calibration');
  const { orgId } = useOrg();
  const f = parseFilters(useSearch());
  const q = new URLSearchParams();
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  q.set('group', 'function');
  const res = useApi<CalibrationReport>(orgPath(orgId, `reports/calibration?${q}`));
  const ignored = [f.stage && 'stage', f.touchpoint && 'touchpoint', Object.keys(f.segments).length && 'segment'].filter((x): x is string => typeof x === 'string');
  return (
    <div className="page">
      <AnalysisHead title="Calibration" loading={res.loading && !!res.data}>
        Who knows our customers best: how far each leadership group’s predictions are from what customers actually say.
      </AnalysisHead>
      <ReportFrame res={res} what="calibration report">
        {(r) => {
          const groups = isSuppressed(r.groups) ? [] : [...r.groups].sort((a, b) => a.rank - b.rank);
          const withMae = groups.filter((g) => g.dimensionsMae !== null);
          const best = withMae[0];
          const worst = withMae.length > 1 ? withMae[withMae.length - 1] : undefined;
          const team = isSuppressed(r.team) ? null : r.team;
          const actual = isSuppressed(r.actual) ? null : r.actual;
          const pooled = groups.filter((g) => g.pooled);
          const max = Math.max(1, ...withMae.map((g) => g.dimensionsMae!), team?.dimensionsMae ?? 0);
          const summary = best
            ? `${best.group} predict customers best: off by ${fixed(best.dimensionsMae!, 2)} rating points on average (n = ${best.leaders} leaders).${
                worst ? ` ${worst.group} are furthest off, by ${fixed(worst.dimensionsMae!, 2)} (n = ${worst.leaders}).` : ''
              }`
            : 'No group has enough leaders to show.';
          return (
            <>
              <IgnoredFilters names={ignored} />
              <Card id="cal-summary-title" title="In short">
                <div id="calibration-summary" className="stack" style={{ gap: 8 }}>
                  {isSuppressed(r.groups) ? <SuppressedNote reason={r.groups.reason} what="Leadership groups" /> : <p style={{ margin: 0 }}>{summary}</p>}
                  {team && (
                    <p style={{ margin: 0 }}>
                      The leadership team as a whole is <strong>{direction(team.direction)}</strong>
                      {actual?.excellentShare != null && team.excellenceSignedError !== null ? (
                        <>
                          : leaders expect <span className="leaders">{pct(actual.excellentShare + team.excellenceSignedError / 100)}</span> of customers to call the experience
                          excellent on average; <span className="customers">{pct(actual.excellentShare)}</span> do
                        </>
                      ) : null}{' '}
                      (n = {count(team.leaders)} leaders; dimension error {maeText(team)} points).
                    </p>
                  )}
                  {isSuppressed(r.team) && <SuppressedNote reason={r.team.reason} what="The team’s figures" />}
                  {pooled.length > 0 && (
                    <p className="small muted" style={{ margin: 0 }}>
                      {pooled.map((g) => g.group).join('; ')}: groups below the minimum of {r.minResponses} leaders are pooled, so no one can be singled out.
                    </p>
                  )}
                  <p className="small muted" style={{ margin: 0 }}>
                    Errors average every prediction of a group’s leaders against all customers of the period. The report gives no interval for them: with groups of a few leaders, read
                    differences of a tenth or two as noise.
                  </p>
                </div>
              </Card>
              {groups.length > 0 && (
                <Card id="cal-groups-title" title="Who knows our customers best" hint="mean error of the dimension predictions, 1–5 points; smaller is better">
                  <Legend
                    items={[
                      { mark: 'diamond', label: 'A leadership group’s error (n = its leaders)' },
                      team?.dimensionsMae != null && { mark: 'line', label: 'Dashed: the whole team' },
                    ]}
                  />
                  <div style={{ marginTop: 10 }}>
                    <DotRows
                      rows={groups.map((g) => ({
                        key: g.group,
                        label: `${g.rank}. ${g.group}`,
                        marks: g.dimensionsMae === null ? [] : [{ value: g.dimensionsMae, side: 'leaders' as const }],
                        valueText: `${maeText(g)} · n = ${g.leaders}`,
                        note: g.pooled ? 'pooled groups' : g.dimensionsMae === null ? 'no dimension predictions' : undefined,
                      }))}
                      domain={[0, Math.ceil(max * 2) / 2]}
                      format={(v) => v.toFixed(1)}
                      title="Leadership groups by their mean error in predicting customers’ ratings, best first"
                      summary={summary}
                      reference={team?.dimensionsMae != null ? { value: team.dimensionsMae, side: 'neutral', label: `Team ${fixed(team.dimensionsMae, 2)}` } : null}
                      valueHeading="Error · leaders"
                    />
                  </div>
                  <GroupTable groups={groups} team={r.team} />
                </Card>
              )}
              <CalibrationLearning orgId={orgId} from={f.from} to={f.to} />
              <Card id="cal-spread-title" title="How spread out leaders are" hint="individual leaders, never one by one">
                {isSuppressed(r.leaders) ? (
                  <SuppressedNote reason={r.leaders.reason} what="The spread" />
                ) : (
                  <>
                    <p className="small" style={{ marginTop: 0 }}>
                      {count(r.leaders.identified)} identified leaders.{' '}
                      {r.leaders.quartiles.dimensionsMae &&
                        `Half are off by ${fixed(r.leaders.quartiles.dimensionsMae.q1, 1)} to ${fixed(r.leaders.quartiles.dimensionsMae.q3, 1)} rating points (median ${fixed(
                          r.leaders.quartiles.dimensionsMae.median,
                          1,
                        )}). `}
                      {r.leaders.quartiles.excellenceMae &&
                        `On the excellent share, half are off by ${r.leaders.quartiles.excellenceMae.q1} to ${r.leaders.quartiles.excellenceMae.q3} points (median ${r.leaders.quartiles.excellenceMae.median}).`}
                    </p>
                    <DataTable
                      caption="Leaders per band of dimension error"
                      columns={[{ label: 'Dimension error' }, { label: 'Leaders', numeric: true }]}
                    >
                      {r.leaders.bands.map((b) => (
                        <tr key={b.band}>
                          <th scope="row">{b.band}</th>
                          <td className="num">{count(b.leaders)}</td>
                        </tr>
                      ))}
                    </DataTable>
                  </>
                )}
                {r.you && (
                  <p className="banner info small" style={{ marginTop: 12, marginBottom: 0 }}>
                    Your own answers: dimension error {maeText(r.you)}, excellent-share error {shareErr(r.you)}
                    {r.you.band ? `, in the band ${r.you.band}` : ''}. Only you see this line.
                  </p>
                )}
              </Card>
            </>
          );
        }}
      </ReportFrame>
    </div>
  );
}
