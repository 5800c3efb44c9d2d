// The campaigns view's form for a new campaign: name, who (customers or leaders), which of them (the
// organisation's declared segments, a touchpoint, a language, a leaders' function), the message (subject,
// body and sender, prefilled with the defaults the API would use: GET …/campaign-defaults), when (now or
// at a time) and reminders. Errors come back from the API by field and are shown beside each field.
import { useEffect, useId, useState } from 'react';
import { fieldError, FormErrorBanner } from '../../components/FormError.tsx';
import { api, ApiFailure, describeFailure } from '../../lib/api.ts';
import { orgPath, useOrg } from '../../lib/org.tsx';
import { useApi } from '../../lib/use-api.ts';
import type { SegmentDeclaration } from '../../../core/segments.ts';
import type { CampaignView } from '../../../server/routes/campaigns.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { Card } from '../../components/Card.tsx';

type Perspective = 'customer' | 'leader';
interface Message {
  subject: string;
  body: string;
  senderName: string;
}
type Defaults = Record<Perspective, Message>;

export function NewCampaign({ onCreated }: { onCreated: (c: CampaignView, invited: number) => void }) {
  const { orgId, journey } = useOrg();
  const defaults = useApi<Defaults>(orgPath(orgId, 'campaign-defaults'));
  const declared = useApi<{ segments: SegmentDeclaration[] }>(orgPath(orgId, 'segments'));
  const [name, setName] = useState('');
  const [perspective, setPerspective] = useState<Perspective>('customer');
  const [segments, setSegments] = useState<Record<string, string[]>>({});
  const [touchpoint, setTouchpoint] = useState('');
  const [language, setLanguage] = useState('');
  const [fn, setFn] = useState('');
  const [message, setMessage] = useState<Message | null>(null);
  const [edited, setEdited] = useState(false);
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [sendAt, setSendAt] = useState('');
  const [reminderDays, setReminderDays] = useState('3');
  const [maxReminders, setMaxReminders] = useState('0');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const whenName = useId();

  // The message starts as the perspective's default, and follows a change of perspective until edited.
  useEffect(() => {
    if (defaults.data && !edited) setMessage(defaults.data[perspective]);
  }, [defaults.data, perspective, edited]);

  const valueSegments = (declared.data?.segments ?? []).filter((d): d is Extract<SegmentDeclaration, { kind: 'values' }> => d.kind === 'values');
  const functionDecl = valueSegments.find((d) => d.key === 'function');
  const filterSegments = valueSegments.filter((d) => d.key !== 'function');
  const touchpoints = (journey.data?.stages ?? []).flatMap((s) => s.touchpoints.map((t) => ({ value: t.key, label: `${s.label}: ${t.label}` })));
  const setMsg = (k: keyof Message) => (v: string) => {
    setEdited(true);
    setMessage((m) => (m ? { ...m, [k]: v } : m));
  };
  const toggle = (key: string, value: string, on: boolean) =>
    setSegments((s) => {
      const values = new Set(s[key] ?? []);
      if (on) values.add(value);
      else values.delete(value);
      const out = { ...s, [key]: [...values] };
      if (!values.size) delete out[key];
      return out;
    });

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const filter: Record<string, unknown> = {};
      if (Object.keys(segments).length) filter.segments = segments;
      if (touchpoint) filter.touchpoint = touchpoint;
      if (language.trim()) filter.language = language.trim();
      if (perspective === 'leader' && fn) filter.function = fn;
      const maxR = Number(maxReminders);
      const body: Record<string, unknown> = { name, perspective, filter, maxReminders: Number.isInteger(maxR) ? maxR : maxReminders };
      if (maxR > 0) body.reminderDays = reminderDays.trim() === '' ? undefined : Number(reminderDays);
      if (message) Object.assign(body, message);
      if (when === 'later') {
        const at = new Date(sendAt);
        // An empty or unreadable time is sent as written, so the API names the field.
        body.sendAt = sendAt && !Number.isNaN(at.getTime()) ? at.toISOString() : sendAt;
      }
      const out = await api<{ campaign: CampaignView; invited: number }>(orgPath(orgId, 'campaigns'), { method: 'POST', body });
      onCreated(out.campaign, out.invited);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fe = (...f: string[]) => fieldError(error, ...f);
  // The filter as a whole (e.g. it picks too many contacts); its parts' errors show beside each part.
  const filterError = error instanceof ApiFailure ? error.fieldMessage('filter') : undefined;
  return (
    <Card id="cmp-new" title="New campaign" className="span-12">
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <TextField label="Campaign name" value={name} onChange={setName} error={fe('name')} help="For you: recipients do not see it." />
        <SelectField
          label="Send to"
          value={perspective}
          onChange={(v) => setPerspective(v as Perspective)}
          error={fe('perspective')}
          options={[
            { value: 'customer', label: 'Customers: the customer survey' },
            { value: 'leader', label: 'Leaders: the mirror survey, each through a personal link' },
          ]}
        />
        <fieldset className="stack" style={{ border: '1px solid var(--line)', borderRadius: 8, padding: 12 }} aria-describedby={filterError ? 'cmp-filter-e' : undefined}>
          <legend>Which contacts (all active ones unless narrowed)</legend>
          {filterSegments.map((d) => (
            <fieldset key={d.key} style={{ border: 0, padding: 0, margin: 0 }}>
              <legend className="small" style={{ fontWeight: 650 }}>
                {d.label}
              </legend>
              <div className="btn-row" style={{ flexWrap: 'wrap', gap: 12 }}>
                {d.values.map((v) => (
                  <label key={v.value} className="check">
                    <input type="checkbox" checked={segments[d.key]?.includes(v.value) ?? false} onChange={(e) => toggle(d.key, v.value, e.target.checked)} /> {v.label}
                  </label>
                ))}
              </div>
              {fe(`filter.segments.${d.key}`) && <span className="error-text">{fe(`filter.segments.${d.key}`)}</span>}
            </fieldset>
          ))}
          <SelectField label="Touchpoint" value={touchpoint} onChange={setTouchpoint} error={fe('filter.touchpoint')} options={[{ value: '', label: 'Any touchpoint' }, ...touchpoints]} />
          <TextField label="Language" value={language} onChange={setLanguage} error={fe('filter.language')} help="A language tag such as en or pt-BR; empty: any." />
          {perspective === 'leader' && functionDecl && (
            <SelectField
              label="Leaders' function"
              value={fn}
              onChange={setFn}
              error={fe('filter.function')}
              options={[{ value: '', label: 'Every function' }, ...functionDecl.values.map((v) => ({ value: v.value, label: v.label }))]}
            />
          )}
          {filterError && (
            <span className="error-text" id="cmp-filter-e">
              {filterError}
            </span>
          )}
        </fieldset>
        {message ? (
          <>
            <TextField label="Subject" value={message.subject} onChange={setMsg('subject')} error={fe('subject')} />
            <TextField
              label="Message"
              multiline
              value={message.body}
              onChange={setMsg('body')}
              error={fe('body')}
              help="{name} and {organisation} are filled in; the survey link, the first question's buttons and an unsubscribe link are added below it."
            />
            <TextField label="Sender name" value={message.senderName} onChange={setMsg('senderName')} error={fe('senderName')} />
          </>
        ) : defaults.error ? (
          <p className="banner error">The default message could not be loaded: {describeFailure(defaults.error)}</p>
        ) : (
          <p className="muted">Loading the default message…</p>
        )}
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 650 }}>When</legend>
          <div className="btn-row" style={{ gap: 16, flexWrap: 'wrap' }}>
            <label className="check">
              <input type="radio" name={whenName} checked={when === 'now'} onChange={() => setWhen('now')} /> Send now
            </label>
            <label className="check">
              <input type="radio" name={whenName} checked={when === 'later'} onChange={() => setWhen('later')} /> At a time
            </label>
          </div>
        </fieldset>
        {when === 'later' && <TextField label="Send at (your local time)" type="datetime-local" value={sendAt} onChange={setSendAt} error={fe('sendAt')} />}
        <div className="btn-row" style={{ gap: 16, flexWrap: 'wrap', alignItems: 'flex-start' }}>
          <TextField label="Reminders (at most, 0–5)" inputMode="numeric" value={maxReminders} onChange={setMaxReminders} error={fe('maxReminders')} />
          <TextField
            label="Remind after (days)"
            inputMode="numeric"
            value={reminderDays}
            onChange={setReminderDays}
            disabled={Number(maxReminders) === 0}
            error={fe('reminderDays')}
            help="Days after the last message, to those who have not answered."
          />
        </div>
        <FormErrorBanner error={error} notDone="Not sent" />
        <div className="btn-row">
          <button type="submit" className="btn primary" disabled={busy || !message}>
            {busy ? 'Creating…' : when === 'now' ? 'Create and send' : 'Create and schedule'}
          </button>
        </div>
      </form>
    </Card>
  );
}
