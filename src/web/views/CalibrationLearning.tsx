// The Calibration view's "Is leadership learning?" card: each leader wave's headline error against the
// customers of the same quarter (or month), its trend and the API's sentence (reports/calibration-trend).
import { useId, useState } from 'react';
import { orgPath } from '../lib/org.tsx';
import { useApi } from '../lib/use-api.ts';
import type { CalibrationWavesReport } from '../../core/analytics/calibration-waves.ts';
import { pValue } from '../../core/number-format.ts';
import { Card } from '../components/Card.tsx';
import { Legend } from '../components/Legend.tsx';
import { SuppressedNote } from '../components/states.tsx';
import { LearningChart, LearningTable } from '../charts/LearningChart.tsx';

export function CalibrationLearning({ orgId, from, to }: { orgId: string; from?: string; to?: string }) {
  const id = useId();
  const [by, setBy] = useState<'quarter' | 'month'>('quarter');
  const q = new URLSearchParams({ by });
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  const res = useApi<CalibrationWavesReport>(orgPath(orgId, `reports/calibration-trend?${q}`));
  const r = res.data;
  const hidden = r && (r.suppressed.leaders ?? r.suppressed.customers);
  return (
    <Card id="cal-learning-title" title="Is leadership learning?" hint="each leader wave against the customers of the same period">
      <div className="field" style={{ marginBottom: 10 }}>
        <span className="label" id={`${id}-by`}>
          Waves by
        </span>
        <div className="segmented" role="group" aria-labelledby={`${id}-by`}>
          {(['quarter', 'month'] as const).map((p) => (
            <button key={p} type="button" aria-pressed={by === p} onClick={() => setBy(p)}>
              {p === 'month' ? 'Month' : 'Quarter'}
            </button>
          ))}
        </div>
      </div>
      {res.error && !r ? (
        <p className="small">The waves could not be loaded.</p>
      ) : !r ? (
        <p className="small muted">Loading the waves…</p>
      ) : (
        <div className="stack" style={{ gap: 8 }}>
          <p id="calibration-learning-sentence" style={{ margin: 0 }}>
            <strong>{r.sentence}</strong>
          </p>
          {hidden && <SuppressedNote reason={hidden} what={`Waves by ${r.by}`} />}
          <Legend
            items={[
              { mark: 'leaders', label: 'Leaders’ error: mean predicted minus actual share calling the experience excellent, points (line: 95% interval)' },
              r.trend && { mark: 'leaders-line', label: 'Dashed: the trend (weighted least squares)' },
            ]}
          />
          <LearningChart report={r} label={`Leaders’ error in predicting the excellent share, per ${r.by}`} />
          <LearningTable report={r} />
          <p className="small muted" style={{ margin: 0 }}>
            Above zero leaders expect more customers to call the experience excellent than do. Each interval combines the leaders’ mean prediction’s t interval with the
            customers’ share’s Wilson interval (MOVER); the trend weights each wave by its precision
            {r.trend ? ` (${pValue(r.trend.pValue)}, ${r.trend.waves} waves)` : ''}. A wave with fewer than {r.minResponses}{' '}
            leaders or customers is withheld, with as many others as it takes that no small group can be worked out.
          </p>
        </div>
      )}
    </Card>
  );
}
