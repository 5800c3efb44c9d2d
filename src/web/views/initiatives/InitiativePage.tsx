// One initiative: what it targets and aims for, then its measured effect (GET …/initiatives/:id/effect):
// the target, the comparison touchpoints and the leaders before and after with 95% intervals; the
// changes and the difference-in-differences; how the gap moved and who moved it; progress against the
// goal; and the report's own sentences, which keep association and effect apart. Each chart has the
// table of its figures below it (the text alternative).
import { useState } from 'react';
import { Link } from 'wouter';
import { api, describeFailure } from '../../lib/api.ts';
import { orgPath, useOrg } from '../../lib/org.tsx';
import { clearApiCache, useApi } from '../../lib/use-api.ts';
import { usePageTitle } from '../../components/Shell.tsx';
import { Card } from '../../components/Card.tsx';
import { SelectField } from '../../components/Field.tsx';
import { ErrorState, Loading, SuppressedNote } from '../../components/states.tsx';
import { DotRows, type DotRow, type Side } from '../../charts/DotRows.tsx';
import { fixed, pct, pts, pValue, signed } from '../../../core/number-format.ts';
import { goalText, STATUS_LABELS, targetText, type EffectReport, type InitiativeView } from './model.ts';
import { DataTable } from '../../components/DataTable.tsx';

type Fig = EffectReport['effect']['target']['before'];
type Diff = EffectReport['effect']['target']['change'];

const VERDICT: Record<EffectReport['effect']['goal']['verdict'], string> = {
  reached: 'Reached: even the low end of the interval meets the goal',
  moving: 'Moving the right way: the interval is clear of zero but does not yet reach the goal',
  unclear: 'Not clear yet: the interval includes no change',
  'wrong-way': 'Moving the wrong way: the whole interval is below zero',
  'not-measurable': 'Not measurable yet',
};

function Figures({ kind, rows, changes }: { kind: 'mean' | 'share'; rows: { key: string; label: string; side: Side; fig: Fig }[]; changes: boolean }) {
  // Changes are signed (with a true minus), shares in percent or percentage points.
  const fmt = (v: number, sign = false) => (kind === 'share' ? (sign ? pts(v, 1) : pct(v, 1)) : sign ? signed(v, 2) : fixed(v, 2));
  const shown = rows.filter((r) => r.fig.shown) as { key: string; label: string; side: Side; fig: Extract<Fig, { shown: true }> }[];
  const span = changes ? Math.max(0.1, ...shown.flatMap((r) => r.fig.ci95.map(Math.abs))) : 0;
  const domain: [number, number] = changes ? [-span, span] : kind === 'share' ? [0, 1] : [1, 5];
  const dotRows: DotRow[] = rows.map((r) =>
    r.fig.shown
      ? { key: r.key, label: r.label, marks: [{ value: r.fig.estimate, ci: r.fig.ci95, side: r.side }], valueText: fmt(r.fig.estimate, changes) }
      : { key: r.key, label: r.label, marks: [], note: 'too small to show' },
  );
  return (
    <>
      <DotRows
        rows={dotRows}
        domain={domain}
        format={(v) => fmt(v, changes)}
        title={changes ? 'Changes after the start, with 95% intervals' : 'Before and after the start, with 95% intervals'}
        summary={shown.map((r) => `${r.label}: ${fmt(r.fig.estimate, changes)}`).join('; ')}
        reference={changes ? { value: 0, side: 'neutral', label: 'no change' } : null}
      />
      <DataTable
        caption={changes ? 'Changes' : 'Figures before and after'}
        scroll={false}
        columns={[{ label: changes ? 'Change' : 'Group' }, { label: changes ? 'Estimate' : kind === 'share' ? 'Share' : 'Mean', numeric: true }, { label: '95% interval', numeric: true }, { label: changes ? 'p' : 'Answers', numeric: true }]}
      >
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            {r.fig.shown ? (
              <>
                <td className="num">{fmt(r.fig.estimate, changes)}</td>
                <td className="num">
                  {fmt(r.fig.ci95[0], changes)} to {fmt(r.fig.ci95[1], changes)}
                </td>
                <td className="num">{'n' in r.fig ? r.fig.n : pValue((r.fig as unknown as Extract<Diff, { shown: true }>).pValue)}</td>
              </>
            ) : (
              <td colSpan={3}>Hidden: {r.fig.reason}</td>
            )}
          </tr>
        ))}
      </DataTable>
    </>
  );
}

function StatusControl({ initiative, onChanged }: { initiative: InitiativeView; onChanged: () => void }) {
  const { orgId } = useOrg();
  const [error, setError] = useState<unknown>(null);
  return (
    <div>
      <SelectField
        label="Status"
        value={initiative.status}
        options={Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))}
        onChange={(status) => {
          setError(null);
          api(orgPath(orgId, `initiatives/${encodeURIComponent(initiative.id)}`), { method: 'PATCH', body: { status } }).then(() => {
            clearApiCache(orgPath(orgId, 'initiatives'));
            onChanged();
          }, setError);
        }}
      />
      {error !== null && <p className="banner error" role="alert">{describeFailure(error)}</p>}
    </div>
  );
}

export function InitiativePage({ id }: { id: string }) {
  const { orgId, membership, journey, framework } = useOrg();
  const base = orgPath(orgId, `initiatives/${encodeURIComponent(id)}`);
  const item = useApi<{ initiative: InitiativeView }>(base);
  const report = useApi<EffectReport>(`${base}/effect`);
  const i = item.data?.initiative;
  usePageTitle(i?.title ?? 'Initiative');
  if (item.error && !i) return <div className="page"><ErrorState error={item.error} onRetry={item.reload} title="This initiative could not be loaded" /></div>;
  if (!i) return <div className="page"><Loading label="initiative" height={240} /></div>;
  const e = report.data?.effect;
  const tpLabel = new Map((journey.data?.stages ?? []).flatMap((s) => s.touchpoints.map((t) => [t.key, t.label] as const)));
  const where = report.data?.target.where ?? '';
  return (
    <div className="page">
      <p className="small">
        <Link href="/">← All initiatives</Link>
      </p>
      <div className="page-head">
        <h1>{i.title}</h1>
        <p>
          {targetText(i, journey.data?.stages, framework.data?.dimensions)} · {goalText(i)} · owner {i.owner.name ?? i.owner.email ?? 'a former member'} · from {i.start}
          {i.end ? ` to ${i.end}` : ''} · {STATUS_LABELS[i.status]}
        </p>
      </div>
      <div className="grid">
        {membership.canSetup && (
          <Card id="ini-status" title="Status" className="span-4">
            <StatusControl initiative={i} onChanged={item.reload} />
          </Card>
        )}
        {report.error && !e ? (
          <Card id="ini-effect" title="Effect" className="span-12">
            <ErrorState error={report.error} onRetry={report.reload} title="The effect could not be measured" />
          </Card>
        ) : !e ? (
          <Card id="ini-effect" title="Effect" className="span-12">
            <Loading label="effect" height={200} />
          </Card>
        ) : (
          <>
            <Card id="ini-summary" title="What the data says" className={membership.canSetup ? 'span-8' : 'span-12'}>
              <p>
                <strong>Goal: {VERDICT[e.goal.verdict]}.</strong>
                {e.goal.achieved !== null && e.goal.ci95 && (
                  <>
                    {' '}
                    Achieved {e.kind === 'share' ? `${(e.goal.achieved * 100).toFixed(1)} points` : e.goal.achieved.toFixed(2)} of{' '}
                    {e.kind === 'share' ? `${(e.goal.size * 100).toFixed(1)} points` : e.goal.size} ({((e.goal.progress ?? 0) * 100).toFixed(0)}%), measured by the{' '}
                    {e.goal.basis === 'difference-in-differences' ? 'difference-in-differences' : e.goal.basis === 'gap-change' ? 'change of the gap' : 'before/after change'}.
                  </>
                )}
              </p>
              <ul>
                {e.summary.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            </Card>
            <Card
              id="ini-levels"
              title={`Before and after: ${report.data!.metric.label} ${where}`}
              hint={e.comparison.shown ? `Comparison: ${e.comparison.touchpoints.map((t) => tpLabel.get(t) ?? t).join(', ')}` : undefined}
              className="span-12"
            >
              <Figures
                kind={e.kind}
                changes={false}
                rows={[
                  { key: 'a0', label: 'Target, before', side: 'customers', fig: e.target.before },
                  { key: 'a1', label: 'Target, after', side: 'customers', fig: e.target.after },
                  ...(e.comparison.shown
                    ? [
                        { key: 'b0', label: 'Comparison, before', side: 'neutral' as Side, fig: e.comparison.before },
                        { key: 'b1', label: 'Comparison, after', side: 'neutral' as Side, fig: e.comparison.after },
                      ]
                    : []),
                  { key: 'l0', label: 'Leaders, before', side: 'leaders', fig: e.leaders.before },
                  { key: 'l1', label: 'Leaders, after', side: 'leaders', fig: e.leaders.after },
                ]}
              />
              {!e.comparison.shown && <SuppressedNote what="The comparison" reason={e.comparison.reason} />}
            </Card>
            <Card id="ini-did" title="Change, difference-in-differences and the gap" hint="(Ā₁−Ā₀)−(B̄₁−B̄₀); the gap is leaders − customers" className="span-12">
              <Figures
                kind={e.kind}
                changes
                rows={[
                  { key: 'ca', label: 'Target change', side: 'customers', fig: e.target.change as unknown as Fig },
                  ...(e.comparison.shown
                    ? [
                        { key: 'cb', label: 'Comparison change', side: 'neutral' as Side, fig: e.comparison.change as unknown as Fig },
                        { key: 'did', label: 'Difference-in-differences', side: 'customers' as Side, fig: e.comparison.did as unknown as Fig },
                      ]
                    : []),
                  { key: 'cl', label: "Leaders' change", side: 'leaders', fig: e.leaders.change as unknown as Fig },
                  { key: 'cg', label: 'Gap change', side: 'neutral', fig: e.gap.change as unknown as Fig },
                ]}
              />
            </Card>
          </>
        )}
      </div>
    </div>
  );
}
