// Touchpoints ranked by gap: customers' excellence share per touchpoint (teal dot, 95% interval) against
// leaders' belief as one amber line across the rows. Drawn with the shared DotRows like the other row
// charts (it replaced an Observable Plot chart whose ARIA had to be stripped); the journey view's table
// beside it is the text alternative.
import { isSuppressed, type Share } from '../lib/types.ts';
import { pct } from '../../core/number-format.ts';
import type { TouchpointRow } from '../views/Journey.tsx';
import { DotRows, type DotRow } from './DotRows.tsx';

export function RankedTouchpoints({ rows, leaders }: { rows: TouchpointRow[]; leaders: Share | null }) {
  const dotRows: DotRow[] = rows.map((r) =>
    isSuppressed(r.customers)
      ? { key: r.key, label: r.label, marks: [], note: `hidden: ${r.customers.reason}` }
      : { key: r.key, label: r.label, marks: [{ value: r.customers.share, ci: r.customers.ci95, side: 'customers' }], valueText: pct(r.customers.share) },
  );
  const worst = rows.find((r) => !isSuppressed(r.customers)) as (TouchpointRow & { customers: Share }) | undefined;
  const summary = worst
    ? `Widest gap: ${worst.label}, where ${pct(worst.customers.share)} of customers say the experience is excellent${
        leaders ? `, against ${pct(leaders.share)} of leaders` : ''
      }.`
    : 'No touchpoint has enough responses to rank.';
  return (
    <div style={{ marginTop: 8 }}>
      <DotRows
        rows={dotRows}
        domain={[0, 1]}
        format={pct}
        title="Touchpoints ranked by gap"
        summary={summary}
        valueHeading="Customers"
        reference={leaders ? { value: leaders.share, ci: leaders.ci95, side: 'leaders', label: `Leaders believe ${pct(leaders.share)}` } : null}
      />
    </div>
  );
}
