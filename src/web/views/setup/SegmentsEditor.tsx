// The declared segments editor: the respondent attributes reports can be filtered by (region, plan …),
// each with its label, its allowed values or a free-text length, and whether respondents (the open
// survey, invitation links) may set it. Saved as a whole (PUT …/segments). Responses may carry only
// declared segments; their labels are the dashboard's filter labels.
import { useCallback, useMemo } from 'react';
import { api } from '../../lib/api.ts';
import { useOrg, orgPath } from '../../lib/org.tsx';
import { useApi, clearApiCache } from '../../lib/use-api.ts';
import type { SegmentDeclaration } from '../../../core/segments.ts';
import { ErrorState, Loading } from '../../components/states.tsx';
import { listEdits, useEditor } from './editing.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { EditorForm, EditorItem, LabelAndKey, RemoveButton } from './EditorList.tsx';

/** One declaration as edited: allowed values as lines of text ("value" or "value | label"). */
interface Item {
  key: string;
  label: string;
  public: boolean;
  kind: 'values' | 'text';
  maxLength: string;
  valuesText: string;
  isNew?: boolean;
}
type Draft = { segments: Item[] };

const KINDS = [
  { value: 'values', label: 'A list of allowed values' },
  { value: 'text', label: 'Free text' },
];

const toItem = (d: SegmentDeclaration): Item => ({
  key: d.key,
  label: d.label,
  public: d.public,
  kind: d.kind,
  maxLength: d.kind === 'text' ? String(d.maxLength) : '40',
  valuesText: d.kind === 'values' ? d.values.map((v) => (v.label === v.value ? v.value : `${v.value} | ${v.label}`)).join('\n') : '',
});

const toDeclaration = (i: Item): SegmentDeclaration => {
  const common = { key: i.key, label: i.label, public: i.public };
  if (i.kind === 'text') return { ...common, kind: 'text', maxLength: Number(i.maxLength) };
  const values = i.valuesText
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const bar = line.indexOf('|');
      const value = (bar < 0 ? line : line.slice(0, bar)).trim();
      return { value, label: (bar < 0 ? '' : line.slice(bar + 1).trim()) || value };
    });
  return { ...common, kind: 'values', values };
};

export default function SegmentsEditor() {
  const { orgId, membership, options } = useOrg();
  const path = orgPath(orgId, 'segments');
  const declared = useApi<{ segments: SegmentDeclaration[] }>(path);
  const loaded = useMemo(() => (declared.data ? { segments: declared.data.segments.map(toItem) } : undefined), [declared.data]);
  const persist = useCallback(
    async (d: Draft) => {
      const saved = await api<{ segments: SegmentDeclaration[] }>(path, { method: 'PUT', body: { segments: d.segments.map(toDeclaration) } });
      clearApiCache(path);
      options.reload();
      return { segments: saved.segments.map(toItem) };
    },
    [path, options],
  );
  const ed = useEditor<Draft>(loaded, persist, path);
  const readOnly = !membership.canSetup;
  if (declared.error && !declared.data) return <ErrorState error={declared.error} onRetry={declared.reload} />;
  if (!ed.draft) return <Loading label="the segments" lines={6} height={360} />;
  const items = ed.draft.segments;
  const list = listEdits(items, (segments) => ed.setDraft({ segments }));
  const err = (i: number, f: string) => ed.fieldError(`segments.${i}.${f}`);
  // A problem with one allowed value is shown on the list as a whole.
  const valuesErr = (i: number) => {
    if (err(i, 'values')) return err(i, 'values');
    for (let j = 0; j < 100; j++) {
      const e = err(i, `values.${j}.value`) ?? err(i, `values.${j}.label`);
      if (e) return `line ${j + 1}: ${e}`;
    }
    return undefined;
  };

  return (
    <EditorForm
      id="sg"
      title="Segments"
      intro={
        <>
          The customer attributes reports can be filtered by. A response may carry only the segments declared here (at most 10). Mark a segment
          “respondents may set it” when survey links carry it (e.g. <code>?segment.region=EMEA</code>); the others only API keys and imports may set.
        </>
      }
      what="the segments"
      ed={ed}
      readOnly={readOnly}
      listField="segments"
      add={{
        label: '+ Add a segment',
        disabled: items.length >= 20,
        onAdd: () => list.add({ key: '', label: '', public: true, kind: 'values', maxLength: '40', valuesText: '', isNew: true }),
      }}
    >
      {items.length === 0 && <p className="muted">No segments are declared: responses carry none.</p>}
      <ol className="editor-list">
        {items.map((d, i) => (
          <EditorItem
            key={d.isNew ? `new-${i}` : d.key}
            title={d.label || 'New segment'}
            readOnly={readOnly}
            actions={<RemoveButton name={`Remove ${d.label || 'segment'}`} onClick={() => list.remove(i)} />}
          >
            <div className="row">
              <LabelAndKey
                item={d}
                error={(f) => err(i, f)}
                newHelp="Fixed once saved; used in links and CSV columns"
                fixedHelp="Fixed: responses are stored by key"
                onChange={(patch) => list.set(i, patch)}
              />
              <SelectField label="Values" value={d.kind} options={KINDS} onChange={(v) => list.set(i, { kind: v as Item['kind'] })} />
            </div>
            {d.kind === 'values' ? (
              <TextField
                label="Allowed values, one per line"
                multiline
                value={d.valuesText}
                error={valuesErr(i)}
                help="A value, or “value | label”. Values may not contain ; or =."
                onChange={(v) => list.set(i, { valuesText: v })}
              />
            ) : (
              <TextField
                label="Longest value (characters, at most 80)"
                type="number"
                inputMode="numeric"
                value={d.maxLength}
                error={err(i, 'maxLength')}
                onChange={(v) => list.set(i, { maxLength: v })}
              />
            )}
            <label className="check">
              <input type="checkbox" checked={d.public} onChange={(e) => list.set(i, { public: e.target.checked })} />
              Respondents may set it (survey and invitation links)
            </label>
          </EditorItem>
        ))}
      </ol>
    </EditorForm>
  );
}
