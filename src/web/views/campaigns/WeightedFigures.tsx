// The campaign page's "Weighted figures": the gap report's customer figures for this campaign's
// respondents, unweighted beside post-stratified to the invited contacts over one attribute the
// non-response check lists (GET …/reports/gap?weightBy=campaign:<id>&attribute=<attr>, built in
// src/reports/weighted-gap.ts): excellence share, dimension means and NPS with their intervals, the
// effective sample size and the weights per group, or the API's reason when it cannot weight.
import { useEffect, useRef, useState } from 'react';
import { orgPath, useOrg } from '../../lib/org.tsx';
import { useApi } from '../../lib/use-api.ts';
import { count, fixed, pct, pctInterval } from '../../../core/number-format.ts';
import { isSuppressed } from '../../lib/types.ts';
import type { WeightedGap } from '../../../reports/weighted-gap.ts';
import { SelectField } from '../../components/Field.tsx';
import { Card } from '../../components/Card.tsx';
import { ReportFrame } from '../analyses-parts.tsx';
import { DataTable, TableScroll } from '../../components/DataTable.tsx';

type Pair<U, W> = { unweighted: U | { suppressed: true; reason: string }; weighted: W | { suppressed: true; reason: string } };
type Fig = { n: number; effectiveN?: number };
/** One figure, its interval and its n (the weighted one's n is the effective sample size). */
type Cell = { value: string; interval: string; n: string } | { withheld: string };

const withheld = (x: { reason: string }): Cell => ({ withheld: x.reason });
const nOf = (f: Fig) => (f.effectiveN === undefined ? count(f.n) : fixed(f.effectiveN, 1));
const share = (f: { n: number; share: number; ci95: [number, number]; effectiveN?: number }): Cell => ({ value: pct(f.share, 1), interval: pctInterval(f.ci95), n: nOf(f) });
const mean = (f: { n: number; mean: number; ci95: [number, number] | null; effectiveN?: number }): Cell => ({
  value: fixed(f.mean, 2),
  interval: f.ci95 ? `${fixed(f.ci95[0], 2)}–${fixed(f.ci95[1], 2)}` : '—',
  n: nOf(f),
});
const nps = (f: { n: number; score: number; moe95: number; effectiveN?: number }): Cell => ({ value: fixed(f.score, 1), interval: `± ${fixed(f.moe95, 1)}`, n: nOf(f) });

function cells<U, W>(p: Pair<U, W>, u: (x: U) => Cell, w: (x: W) => Cell): [Cell, Cell] {
  return [isSuppressed(p.unweighted) ? withheld(p.unweighted) : u(p.unweighted as U), isSuppressed(p.weighted) ? withheld(p.weighted) : w(p.weighted as W)];
}

/** `said`: a reason the card already gives above the table, not repeated in every cell. */
function Tds({ c, said }: { c: Cell; said: string | undefined }) {
  if ('withheld' in c)
    return (
      <td colSpan={3} className="muted small">
        {c.withheld === said ? 'withheld' : `withheld: ${c.withheld}`}
      </td>
    );
  return (
    <>
      <td className="num">{c.value}</td>
      <td className="num">{c.interval}</td>
      <td className="num">{c.n}</td>
    </>
  );
}

function FiguresTable({ g, label }: { g: WeightedGap; label: string }) {
  const said = isSuppressed(g.weighting) ? g.weighting.reason : undefined;
  const rows: { name: string; c: [Cell, Cell] }[] = [
    { name: 'Excellent (agree or strongly agree)', c: cells(g.headline, share, share) },
    ...g.dimensions.map((d) => ({ name: d.label, c: cells(d, mean, mean) })),
    { name: 'NPS', c: cells(g.nps, nps, nps) },
  ];
  return (
    <TableScroll label="Customer figures, unweighted and weighted">
      <table className="data" id="weighted-figures">
        <caption className="sr-only">Customer figures unweighted and weighted by {label.toLowerCase()}</caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              Figure
            </th>
            <th scope="colgroup" colSpan={3}>
              Unweighted
            </th>
            <th scope="colgroup" colSpan={3}>
              Weighted
            </th>
          </tr>
          <tr>
            {['Value', '95% CI', 'n', 'Value', '95% CI', 'Effective n'].map((h, i) => (
              <th key={i} scope="col" className="num">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <th scope="row">{r.name}</th>
              <Tds c={r.c[0]} said={said} />
              <Tds c={r.c[1]} said={said} />
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function WeightedFigures({
  campaignId,
  attributes,
  labelOf,
  valueLabel,
  refreshes,
}: {
  campaignId: string;
  /** Counts the page's Refresh clicks: each one fetches the figures again. */
  refreshes: number;
  /** The attributes the non-response check lists. */
  attributes: string[];
  labelOf: (attribute: string) => string;
  valueLabel: (attribute: string, value: string) => string;
}) {
  const { orgId } = useOrg();
  const [picked, setPicked] = useState<string | null>(null);
  const attribute = picked !== null && attributes.includes(picked) ? picked : (attributes[0] ?? null);
  const res = useApi<{ weighted?: WeightedGap }>(
    attribute === null ? null : orgPath(orgId, `reports/gap?weightBy=${encodeURIComponent(`campaign:${campaignId}`)}&attribute=${encodeURIComponent(attribute)}`),
  );
  const seen = useRef(refreshes);
  useEffect(() => {
    if (seen.current === refreshes) return;
    seen.current = refreshes;
    res.reload();
  }, [refreshes, res.reload]);
  if (attribute === null) return null;
  const label = labelOf(attribute);
  const strataLabel = (values: string[]) => values.map((v) => v.split(' × ').map((x) => valueLabel(attribute, x)).join(' × ')).join(', ');
  return (
    <Card id="cmp-weighted" title="Weighted figures" hint="the respondents re-weighted to match those invited (post-stratification)">
      <div className="stack">
        <div style={{ maxWidth: 320 }}>
          <SelectField label="Weight by" value={attribute} options={attributes.map((a) => ({ value: a, label: labelOf(a) }))} onChange={setPicked} />
        </div>
        <ReportFrame res={res} what="weighted figures" height={200}>
          {(r) => {
            const g = r.weighted;
            if (!g) return <p>The server sent no weighted figures.</p>;
            const w = g.weighting;
            return (
              <div className="stack span-12" aria-live="polite">
                {isSuppressed(w) ? (
                  <p id="weighting-summary" className="banner info small" style={{ margin: 0 }}>
                    Cannot weight by {label.toLowerCase()}: {w.reason}.
                  </p>
                ) : (
                  <>
                    <p id="weighting-summary" style={{ margin: 0 }}>
                      Weighted by {label.toLowerCase()} to the {count(w.population)} delivered invitations: {count(w.respondents)} respondents count as{' '}
                      <strong>{fixed(w.effectiveSampleSize, 1)}</strong> (effective sample size; design effect {fixed(w.designEffect, 2)}).
                      {w.trimmed ? ' A weight above 5 was capped and the others rescaled.' : ''}
                      {w.unrepresented.length > 0 ? ` Nobody answered from ${w.unrepresented.map((u) => valueLabel(attribute, u.value)).join(', ')}: left out of the weighting.` : ''}
                    </p>
                    <DataTable
                      caption={`Weights by ${label.toLowerCase()}`}
                      columns={[{ label }, { label: 'Invited', numeric: true }, { label: 'Answered', numeric: true }, { label: 'Weight', numeric: true }]}
                    >
                      {w.strata.map((s) => (
                        <tr key={s.values.join('\u0000')}>
                          <th scope="row">{strataLabel(s.values)}</th>
                          <td className="num">{count(s.invited)}</td>
                          <td className="num">{count(s.respondents)}</td>
                          <td className="num">{fixed(s.weight, 2)}</td>
                        </tr>
                      ))}
                    </DataTable>
                  </>
                )}
                <FiguresTable g={g} label={label} />
                <p className="muted small" style={{ margin: 0 }}>
                  Only answers through this campaign’s invitations are weighted. Groups smaller than the organisation’s minimum are pooled; a figure is withheld when a group has too few
                  answers to it. Shares have Wilson intervals, means t intervals, NPS ±1.96 standard errors, all from the weighted design.
                </p>
              </div>
            );
          }}
        </ReportFrame>
      </div>
    </Card>
  );
}
