// Filters for every analytics view: period, journey stage, touchpoint and segment values. They live
// in the URL (see lib/filters.ts); each change is a new history entry, so Back undoes it.
import { useId, useState } from 'react';
import { activeFilterCount, type Filters } from '../lib/filters.ts';
import { monthLabel } from '../../core/number-format.ts';
import { orgPath, touchpointIndex, useOrg } from '../lib/org.tsx';
import { useApi } from '../lib/use-api.ts';
import type { SegmentDeclaration } from '../../core/segments.ts';

const titleCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replaceAll('_', ' ');

/** Labels from the declared segments (set-up → Segments); a name or value without one shows as itself. */
function segmentLabels(declared: SegmentDeclaration[] | undefined) {
  const byKey = new Map((declared ?? []).map((d) => [d.key, d]));
  return {
    name: (name: string) => byKey.get(name)?.label ?? titleCase(name),
    value: (name: string, value: string) => {
      const d = byKey.get(name);
      return (d?.kind === 'values' ? d.values.find((v) => v.value === value)?.label : undefined) ?? value;
    },
  };
}

export function FilterBar({ filters, onChange }: { filters: Filters; onChange: (f: Filters) => void }) {
  const { journey, options, membership, orgId } = useOrg();
  const declared = useApi<{ segments: SegmentDeclaration[] }>(orgPath(orgId, 'segments'));
  const labels = segmentLabels(declared.data?.segments);
  const [open, setOpen] = useState(false);
  const id = useId();
  const stages = journey.data?.stages ?? [];
  const months = options.data?.months ?? [];
  const segments = options.data?.segments ?? [];
  const tpIndex = touchpointIndex(stages);
  const ownDept = membership.role === 'owner' ? (membership.department ?? '').trim().toLowerCase() : null;
  const visibleTp = (dept: string) => ownDept === null || dept.trim().toLowerCase() === ownDept;
  const n = activeFilterCount(filters);
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });

  const chips: { label: string; clear: () => void }[] = [];
  if (filters.from || filters.to)
    chips.push({
      label: `${filters.from ? monthLabel(filters.from) : 'Start'} – ${filters.to ? monthLabel(filters.to) : 'now'}`,
      clear: () => set({ from: undefined, to: undefined }),
    });
  if (filters.stage) chips.push({ label: `Stage: ${stages.find((s) => s.key === filters.stage)?.label ?? filters.stage}`, clear: () => set({ stage: undefined }) });
  if (filters.touchpoint)
    chips.push({ label: `Touchpoint: ${tpIndex.get(filters.touchpoint)?.label ?? filters.touchpoint}`, clear: () => set({ touchpoint: undefined }) });
  for (const [k, v] of Object.entries(filters.segments))
    chips.push({
      label: `${labels.name(k)}: ${labels.value(k, v)}`,
      clear: () => {
        const s = { ...filters.segments };
        delete s[k];
        set({ segments: s });
      },
    });

  return (
    <div className="filter-bar" role="search" aria-label="Report filters">
      <div className="filter-bar-inner">
        <button type="button" className="btn small filter-toggle" aria-expanded={open} aria-controls={`${id}-fields`} onClick={() => setOpen(!open)}>
          Filters{n > 0 ? ` · ${n}` : ''} <span aria-hidden="true">{open ? '▴' : '▾'}</span>
        </button>
        <div id={`${id}-fields`} className={`filter-fields${open ? ' open' : ''}`}>
          <div className="field">
            <label htmlFor={`${id}-from`}>From</label>
            <select id={`${id}-from`} value={filters.from ?? ''} onChange={(e) => set({ from: e.target.value || undefined })}>
              <option value="">First month</option>
              {months.map((m) => (
                <option key={m} value={m} disabled={!!filters.to && m > filters.to}>
                  {monthLabel(m)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>To</label>
            <select id={`${id}-to`} value={filters.to ?? ''} onChange={(e) => set({ to: e.target.value || undefined })}>
              <option value="">Latest month</option>
              {months.map((m) => (
                <option key={m} value={m} disabled={!!filters.from && m < filters.from}>
                  {monthLabel(m)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-stage`}>Journey stage</label>
            <select
              id={`${id}-stage`}
              value={filters.stage ?? ''}
              onChange={(e) => {
                const stage = e.target.value || undefined;
                // A touchpoint outside the new stage would select nobody: drop it.
                const keep = filters.touchpoint && (!stage || tpIndex.get(filters.touchpoint)?.stage === stage);
                set({ stage, touchpoint: keep ? filters.touchpoint : undefined });
              }}
            >
              <option value="">All stages</option>
              {stages.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-tp`}>Touchpoint</label>
            <select id={`${id}-tp`} value={filters.touchpoint ?? ''} onChange={(e) => set({ touchpoint: e.target.value || undefined })}>
              <option value="">{ownDept !== null ? 'All of mine' : 'All touchpoints'}</option>
              {stages
                .filter((s) => !filters.stage || s.key === filters.stage)
                .map((s) => {
                  const tps = s.touchpoints.filter((t) => visibleTp(t.department));
                  return tps.length ? (
                    <optgroup key={s.key} label={s.label}>
                      {tps.map((t) => (
                        <option key={t.key} value={t.key}>
                          {t.label}
                        </option>
                      ))}
                    </optgroup>
                  ) : null;
                })}
            </select>
          </div>
          {segments.map((seg) => (
            <div className="field" key={seg.name}>
              <label htmlFor={`${id}-seg-${seg.name}`}>{labels.name(seg.name)}</label>
              <select
                id={`${id}-seg-${seg.name}`}
                value={filters.segments[seg.name] ?? ''}
                onChange={(e) => {
                  const s = { ...filters.segments };
                  if (e.target.value) s[seg.name] = e.target.value;
                  else delete s[seg.name];
                  set({ segments: s });
                }}
              >
                <option value="">All</option>
                {seg.values.map((v) => (
                  <option key={v} value={v}>
                    {labels.value(seg.name, v)}
                  </option>
                ))}
              </select>
            </div>
          ))}
          {n > 0 && (
            <div className="field">
              <button type="button" className="btn ghost small" onClick={() => onChange({ segments: {} })}>
                Clear all
              </button>
            </div>
          )}
        </div>
        <div className="filter-summary" aria-live="polite">
          {chips.length === 0 ? (
            <span>
              Showing all responses
              {ownDept !== null ? ` for the touchpoints ${membership.department} owns` : ''}.
            </span>
          ) : (
            <>
              <span>Showing</span>
              {chips.map((c) => (
                <span className="chip" key={c.label}>
                  {c.label}
                  <button type="button" className="chip-x" onClick={c.clear} aria-label={`Remove filter ${c.label}`}>
                    ×
                  </button>
                </span>
              ))}
            </>
          )}
        </div>
      </div>
    </div>
  );
}
