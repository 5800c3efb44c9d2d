// The headline on one 0–100% scale: leaders' and customers' excellence shares with their 95%
// Wilson intervals, and the published benchmark for the industry as hollow markers. Plain HTML
// positioned in percent, so it needs no measuring and no chart library.
import { pct, pctInterval } from '../../core/number-format.ts';
import type { Share } from '../lib/types.ts';

interface Props {
  leaders: Share | null;
  customers: Share | null;
  benchmark?: { leaders: number; customers: number; label: string };
}

function Row({ label, side, s, bench }: { label: string; side: 'leaders' | 'customers'; s: Share | null; bench?: number }) {
  return (
    <div className="scale-row">
      <div className={`scale-label ${side}`}>{label}</div>
      <div className="scale-track">
        {bench !== undefined && <span className={`scale-bench ${side}`} style={{ left: `${bench * 100}%` }} title={`Benchmark ${pct(bench)}`} />}
        {s && (
          <>
            <span className={`scale-ci ${side}`} style={{ left: `${s.ci95[0] * 100}%`, width: `${(s.ci95[1] - s.ci95[0]) * 100}%` }} />
            <span className={`scale-dot ${side}`} style={{ left: `${s.share * 100}%` }} />
          </>
        )}
      </div>
    </div>
  );
}

export function ShareScale({ leaders, customers, benchmark }: Props) {
  const parts = [
    leaders ? `Leaders ${pct(leaders.share)} (95% interval ${pctInterval(leaders.ci95)})` : 'Leaders hidden',
    customers ? `customers ${pct(customers.share)} (${pctInterval(customers.ci95)})` : 'customers hidden',
  ];
  if (benchmark) parts.push(`benchmark ${benchmark.label}: leaders ${pct(benchmark.leaders)}, customers ${pct(benchmark.customers)}`);
  return (
    <div className="share-scale" role="img" aria-label={`Share who call the experience excellent, on a scale of 0 to 100%: ${parts.join('; ')}.`}>
      <Row label="Leaders" side="leaders" s={leaders} bench={benchmark?.leaders} />
      <Row label="Customers" side="customers" s={customers} bench={benchmark?.customers} />
      <div className="scale-row axis" aria-hidden="true">
        <div className="scale-label" />
        <div className="scale-track bare">
          {[0, 0.25, 0.5, 0.75, 1].map((t) => (
            <span key={t} className="scale-tick" style={{ left: `${t * 100}%` }}>
              {pct(t)}
            </span>
          ))}
        </div>
      </div>
      <ul className="legend scale-legend" aria-hidden="true">
        <li>
          <span className="legend-dot" /> Share, with 95% interval
        </li>
        {benchmark && (
          <li>
            <span className="legend-bench" /> Published benchmark ({benchmark.label})
          </li>
        )}
      </ul>
    </div>
  );
}
