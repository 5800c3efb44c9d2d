// "Your weekly digest" on the Alerts & webhooks tab: the logged-in member's own on/off switch (every role;
// GET/PUT …/digest) and, for admins, when the organisation's digests go out (weekday and hour, UTC;
// PUT …/digest-schedule). The digest's mail carries a one-click opt-out that sets the same switch.
import { useEffect, useState, type FormEvent } from 'react';
import { api, describeFailure } from '../../lib/api.ts';
import { useOrg, orgPath } from '../../lib/org.tsx';
import { useApi } from '../../lib/use-api.ts';
import { ErrorState, Loading } from '../../components/states.tsx';
import { SelectField } from '../../components/Field.tsx';
import { fieldError, FormErrorBanner } from '../../components/FormError.tsx';
import { useSubmit } from '../../lib/use-submit.ts';

interface Schedule {
  weekday: number;
  hour: number;
}
interface DigestSetting {
  digest: 'weekly' | 'off';
  schedule: Schedule;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

function ScheduleForm({ loaded, onSaved }: { loaded: Schedule; onSaved: (s: Schedule) => void }) {
  const { orgId } = useOrg();
  const [draft, setDraft] = useState(loaded);
  const { busy, failure, run } = useSubmit();
  const [saved, setSaved] = useState(false);
  useEffect(() => setDraft(loaded), [loaded]);
  const dirty = draft.weekday !== loaded.weekday || draft.hour !== loaded.hour;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(async () => {
      onSaved(await api<Schedule>(orgPath(orgId, 'digest-schedule'), { method: 'PUT', body: draft }));
      setSaved(true);
    });
    if (!ok) setSaved(false);
  };
  return (
    <form className="stack" onSubmit={submit} aria-labelledby="digest-schedule-title" noValidate>
      <h3 id="digest-schedule-title" style={{ margin: 0 }}>
        When digests go out
      </h3>
      <p className="muted small" style={{ margin: 0 }}>
        For every member of the organisation who has the digest on. Times are UTC.
      </p>
      <FormErrorBanner error={failure} notDone="Not saved" />
      <div className="btn-row" style={{ alignItems: 'flex-end', flexWrap: 'wrap' }}>
        <SelectField
          label="Weekday"
          value={String(draft.weekday)}
          error={fieldError(failure, 'weekday')}
          options={WEEKDAYS.map((d, i) => ({ value: String(i), label: d }))}
          onChange={(v) => {
            setDraft({ ...draft, weekday: Number(v) });
            setSaved(false);
          }}
        />
        <SelectField
          label="Hour (UTC)"
          value={String(draft.hour)}
          error={fieldError(failure, 'hour')}
          options={Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: hh(h) }))}
          onChange={(v) => {
            setDraft({ ...draft, hour: Number(v) });
            setSaved(false);
          }}
        />
        <button type="submit" className="btn" disabled={!dirty || busy}>
          {busy ? 'Saving…' : 'Save schedule'}
        </button>
        <span role="status" aria-live="polite" className="small" style={{ color: 'var(--good)', fontWeight: 600 }}>
          {saved && !dirty ? 'Saved.' : ''}
        </span>
      </div>
    </form>
  );
}

export function DigestSettings() {
  const { orgId, membership } = useOrg();
  const res = useApi<DigestSetting>(orgPath(orgId, 'digest'));
  const [setting, setSetting] = useState<DigestSetting | undefined>(undefined);
  const { busy, failure, run } = useSubmit();
  useEffect(() => setSetting(res.data), [res.data]);
  const toggle = async (on: boolean) => {
    if (!setting) return;
    const before = setting;
    setSetting({ ...setting, digest: on ? 'weekly' : 'off' }); // the switch moves at once; back if refused
    const ok = await run(async () => {
      setSetting(await api<DigestSetting>(orgPath(orgId, 'digest'), { method: 'PUT', body: { digest: on ? 'weekly' : 'off' } }));
    });
    if (!ok) setSetting(before);
  };
  const body = () => {
    if (res.error && !setting) return <ErrorState error={res.error} onRetry={res.reload} />;
    if (!setting) return <Loading label="your digest setting" height={80} />;
    const on = setting.digest === 'weekly';
    const when = `${WEEKDAYS[setting.schedule.weekday]} at ${hh(setting.schedule.hour)} UTC`;
    return (
      <>
        <label className="switch">
          <input type="checkbox" role="switch" checked={on} disabled={busy} onChange={(e) => void toggle(e.target.checked)} />
          E-mail me the weekly digest
        </label>
        <p className="small" role="status" aria-live="polite" style={{ margin: 0 }}>
          {on ? `On: it comes every ${when}.` : 'Off: you get no digest from this organisation.'}
        </p>
        {failure ? (
          <p className="banner error" role="alert">
            Not changed: {describeFailure(failure)}
          </p>
        ) : null}
        {membership.canAdmin && <ScheduleForm loaded={setting.schedule} onSaved={(schedule) => setSetting({ ...setting, schedule })} />}
      </>
    );
  };
  return (
    <section className="stack" aria-labelledby="digest-title">
      <div>
        <h2 id="digest-title">Your weekly digest</h2>
        <p className="muted small" style={{ marginTop: 4 }}>
          A weekly e-mail with what your role sees: the headline gap and its trend, calibration and initiatives for admins and analysts; your
          touchpoints and cases for department owners. This setting is yours alone; each message also has a one-click link to turn it off.
        </p>
      </div>
      <div className="card stack" style={{ margin: 0 }}>
        {body()}
      </div>
    </section>
  );
}
