// The form for a new initiative: title, owner (a member's e-mail; empty: you), what it moves (a customer
// dimension or the excellence share), where (touchpoints; none: all), when (start, optional end, window)
// and the goal. Errors come back from the API by field and are shown beside each field.
import { useState } from 'react';
import { fieldError, FormErrorBanner } from '../../components/FormError.tsx';
import { api } from '../../lib/api.ts';
import { orgPath, useOrg } from '../../lib/org.tsx';
import { clearApiCache } from '../../lib/use-api.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { Card } from '../../components/Card.tsx';
import type { InitiativeView } from './model.ts';

export function NewInitiative({ onCreated }: { onCreated: (i: InitiativeView) => void }) {
  const { orgId, journey, framework } = useOrg();
  const [title, setTitle] = useState('');
  const [owner, setOwner] = useState('');
  const [metric, setMetric] = useState('excellence');
  const [touchpoints, setTouchpoints] = useState<string[]>([]);
  const [start, setStart] = useState(new Date().toISOString().slice(0, 10));
  const [end, setEnd] = useState('');
  const [windowDays, setWindowDays] = useState('90');
  const [measure, setMeasure] = useState<'customers' | 'gap'>('customers');
  const [direction, setDirection] = useState<'increase' | 'decrease'>('increase');
  const [size, setSize] = useState('5');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const dims = (framework.data?.dimensions ?? []).filter((d) => d.customerItem !== null);
  const stages = journey.data?.stages ?? [];
  const fe = (name: string) => fieldError(error, name);
  const isShare = metric === 'excellence';

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = {
      title,
      ...(owner.trim() ? { owner: owner.trim() } : {}),
      metric: isShare ? 'excellence' : 'dimension',
      dimension: isShare ? null : metric.slice('dim:'.length),
      touchpoints,
      start,
      end: end || null,
      windowDays: Number(windowDays),
      goal: measure === 'gap' ? { measure, direction: 'narrow', size: Number(size) } : { measure, direction, size: Number(size) },
    };
    try {
      const r = await api<{ initiative: InitiativeView }>(orgPath(orgId, 'initiatives'), { method: 'POST', body });
      clearApiCache(orgPath(orgId, 'initiatives'));
      onCreated(r.initiative);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card id="ini-new" title="New initiative" className="span-12">
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <div className="btn-row" style={{ gap: 16, flexWrap: 'wrap', alignItems: 'flex-start' }}>
          <TextField label="Title" value={title} onChange={setTitle} error={fe('title')} />
          <TextField label="Owner's e-mail" value={owner} onChange={setOwner} error={fe('owner')} help="A member of the organisation; empty: you." inputMode="email" />
        </div>
        <SelectField
          label="What it should move"
          value={metric}
          onChange={setMetric}
          error={fe('dimension') ?? fe('metric')}
          options={[{ value: 'excellence', label: "Customers' excellence share" }, ...dims.map((d) => ({ value: `dim:${d.key}`, label: `${d.label} (customers' rating)` }))]}
        />
        <fieldset className="stack" style={{ border: '1px solid var(--line)', borderRadius: 8, padding: 12 }}>
          <legend>Where: the touchpoints it changes (none ticked: all of them, with nothing left to compare with)</legend>
          {stages.map((s) => (
            <div key={s.key} className="btn-row" style={{ flexWrap: 'wrap', gap: 12 }}>
              <span className="small" style={{ fontWeight: 650, minWidth: 90 }}>
                {s.label}
              </span>
              {s.touchpoints.map((t) => (
                <label key={t.key} className="check">
                  <input
                    type="checkbox"
                    checked={touchpoints.includes(t.key)}
                    onChange={(e) => setTouchpoints((cur) => (e.target.checked ? [...cur, t.key] : cur.filter((x) => x !== t.key)))}
                  />{' '}
                  {t.label}
                </label>
              ))}
            </div>
          ))}
          {(fe('touchpoints') || fe('comparison')) && <span className="error-text">{fe('touchpoints') ?? fe('comparison')}</span>}
        </fieldset>
        <div className="btn-row" style={{ gap: 16, flexWrap: 'wrap', alignItems: 'flex-start' }}>
          <TextField label="Start" type="date" value={start} onChange={setStart} error={fe('start')} />
          <TextField label="End (optional)" type="date" value={end} onChange={setEnd} error={fe('end')} />
          <TextField label="Window (days)" value={windowDays} onChange={setWindowDays} inputMode="numeric" error={fe('windowDays')} help="Compared before and after, in whole months." />
        </div>
        <div className="btn-row" style={{ gap: 16, flexWrap: 'wrap', alignItems: 'flex-start' }}>
          <SelectField
            label="Goal"
            value={measure === 'gap' ? 'gap' : direction}
            onChange={(v) => {
              if (v === 'gap') setMeasure('gap');
              else {
                setMeasure('customers');
                setDirection(v as 'increase' | 'decrease');
              }
            }}
            options={[
              { value: 'increase', label: "Raise customers' figure" },
              { value: 'decrease', label: "Lower customers' figure" },
              { value: 'gap', label: "Narrow the gap to leaders' belief" },
            ]}
          />
          <TextField label={isShare ? 'By (percentage points)' : 'By (rating points)'} value={size} onChange={setSize} inputMode="numeric" error={fe('goal')} />
        </div>
        <FormErrorBanner error={error} notDone="Not created" />
        <div className="btn-row">
          <button type="submit" className="btn primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create initiative'}
          </button>
        </div>
      </form>
    </Card>
  );
}
