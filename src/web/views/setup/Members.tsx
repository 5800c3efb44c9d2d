// Users and roles of the organisation, pending invitations, and its API keys. Admins only (the API
// refuses others). People join by invitation: the admin passes on the link (shown once, right after it
// is made, like a new API key's secret) and the person sets their own password or accepts with theirs.
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiFailure, describeFailure } from '../../lib/api.ts';
import { useOrg, orgPath } from '../../lib/org.tsx';
import { useSession } from '../../lib/session.tsx';
import { useApi, type Resource } from '../../lib/use-api.ts';
import { ROLE_LABELS } from '../../../core/number-format.ts';
import type { Role } from '../../lib/types.ts';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { useSubmit } from '../../lib/use-submit.ts';
import { SecretOnce } from '../../components/SecretOnce.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ColumnHeads, TableScroll } from '../../components/DataTable.tsx';
import { useWidth } from '../../components/use-width.ts';
import { besideField } from './field-words.ts';

interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  department: string | null;
}
interface PendingInvitation {
  id: string;
  email: string;
  role: Role;
  department: string | null;
  expiresAt: string;
}
interface ApiKey {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const ROLE_OPTIONS = (['admin', 'analyst', 'owner', 'viewer'] as const).map((r) => ({ value: r, label: ROLE_LABELS[r]! }));
const ROLE_HELP: Record<Role, string> = {
  admin: 'everything, including users and API keys',
  analyst: 'reads every report and changes the set-up',
  owner: 'sees the gap for the touchpoints their department owns',
  viewer: 'reads every report',
};

/**
 * A keyset-paged list (the API's `next` cursor, src/store/page-cursor.ts): the first page as `res` loaded
 * it, then every page "Show more" fetched after it. Starts again from the first page when that reloads.
 */
function usePages<K extends string, T>(res: Resource<Record<K, T[]> & { next: string | null }>, path: string | null, key: K) {
  const [more, setMore] = useState<{ rows: T[]; next: string | null } | null>(null);
  const { busy, failure, run } = useSubmit();
  useEffect(() => setMore(null), [res.data]);
  const next = more ? more.next : (res.data?.next ?? null);
  const showMore = async () => {
    if (!next || !path) return;
    await run(async () => {
      const page = await api<Record<K, T[]> & { next: string | null }>(`${path}?after=${encodeURIComponent(next)}`);
      setMore({ rows: [...(more?.rows ?? []), ...page[key]], next: page.next });
    });
  };
  return { rows: [...(res.data?.[key] ?? []), ...(more?.rows ?? [])], next, busy, failure, showMore };
}

/** The button under a paged list that reads its next page; nothing on the last page. */
function ShowMore({ pages, what }: { pages: ReturnType<typeof usePages<string, unknown>>; what: string }) {
  if (!pages.next) return null;
  return (
    <>
      <FailureBanner failure={pages.failure} />
      <button type="button" className="btn small" style={{ marginTop: 8 }} disabled={pages.busy} onClick={() => void pages.showMore()}>
        Show more<span className="sr-only"> {what}</span>
      </button>
    </>
  );
}

/** A failed action's message, above the list it was about. */
function FailureBanner({ failure }: { failure: unknown }) {
  return failure ? (
    <p className="banner error" role="alert">
      {describeFailure(failure)}
    </p>
  ) : null;
}

/**
 * A listed resource as a table (one row a record, the last column its actions), or the state it is in:
 * failed to load, loading, or (with `empty`) nothing to list.
 */
function RecordsTable({
  res,
  what,
  count,
  empty,
  loading: [lines, height],
  columns,
  children,
}: {
  res: Resource<unknown>;
  what: string;
  count: number;
  empty?: string;
  loading: [lines: number, height: number];
  columns: string[];
  children: ReactNode;
}) {
  if (res.error && !res.data) return <ErrorState error={res.error} onRetry={res.reload} />;
  if (!res.data) return <Loading label={what} lines={lines} height={height} />;
  if (empty && count === 0) return <p className="muted small">{empty}</p>;
  return (
    <HintedScroll label={`${what.charAt(0).toUpperCase()}${what.slice(1)}`}>
      <table className="data">
        <caption className="sr-only">{what.charAt(0).toUpperCase() + what.slice(1)}</caption>
        <thead>
          <ColumnHeads columns={[...columns.map((label) => ({ label })), { label: <span className="sr-only">Actions</span> }]} />
        </thead>
        <tbody>{children}</tbody>
      </table>
    </HintedScroll>
  );
}

/**
 * The shared focusable, named scroll region, with a visible hint above it while the table is wider than
 * the screen (on a phone the actions column is otherwise off to the right with no sign that it is there).
 */
function HintedScroll({ label, children }: { label: string; children: ReactNode }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const inner = useRef<HTMLDivElement>(null);
  const [wider, setWider] = useState(false);
  useLayoutEffect(() => {
    const table = inner.current?.querySelector('table');
    setWider(!!table && width > 0 && table.scrollWidth > width + 1);
  }, [width, children]);
  return (
    <div ref={ref}>
      {wider && (
        <p className="small muted scroll-hint" style={{ margin: '0 0 4px', textAlign: 'right' }}>
          Swipe or scroll sideways for more columns <span aria-hidden="true">→</span>
        </p>
      )}
      <div ref={inner}>
        <TableScroll label={label}>{children}</TableScroll>
      </div>
    </div>
  );
}

function MemberRow({ m, me, onChanged }: { m: Member; me: boolean; onChanged: () => void }) {
  const { orgId, journey } = useOrg();
  const [role, setRole] = useState<Role>(m.role);
  const [department, setDepartment] = useState(m.department ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const departments = [...new Set((journey.data?.stages ?? []).flatMap((s) => s.touchpoints.map((t) => t.department)))].sort();
  const dirty = role !== m.role || (role === 'owner' && department !== (m.department ?? ''));
  const call = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      onChanged();
    } catch (e) {
      setError(e instanceof ApiFailure && e.fields[0] ? besideField(e.fields[0].field, e.fields[0].message)! : describeFailure(e));
    } finally {
      setBusy(false);
    }
  };
  const path = orgPath(orgId, `members/${encodeURIComponent(m.userId)}`);
  return (
    <tr>
      <th scope="row">
        {m.name}
        {me && <span className="badge neutral" style={{ marginLeft: 6 }}>you</span>}
        <div className="small muted" style={{ fontWeight: 400 }}>
          {m.email}
        </div>
        {error && (
          <div className="error-text small" role="alert" style={{ color: 'var(--danger)', fontWeight: 550 }}>
            {error}
          </div>
        )}
      </th>
      <td>
        <label className="sr-only" htmlFor={`role-${m.userId}`}>
          Role of {m.name}
        </label>
        <select id={`role-${m.userId}`} value={role} onChange={(e) => setRole(e.target.value as Role)} disabled={busy}>
          {ROLE_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </td>
      <td>
        {role === 'owner' ? (
          <>
            <label className="sr-only" htmlFor={`dept-${m.userId}`}>
              Department of {m.name}
            </label>
            <input id={`dept-${m.userId}`} type="text" list="departments" value={department} onChange={(e) => setDepartment(e.target.value)} disabled={busy} />
            <datalist id="departments">
              {departments.map((d) => (
                <option key={d} value={d} />
              ))}
            </datalist>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        <div className="btn-row">
          <button
            type="button"
            className="btn small"
            disabled={!dirty || busy}
            onClick={() => void call(() => api(path, { method: 'PATCH', body: { role, department: role === 'owner' ? department.trim() || null : null } }))}
          >
            Save<span className="sr-only"> role of {m.name}</span>
          </button>
          <ConfirmButton question={`Remove ${m.name} (${m.email}) from this organisation?`} disabled={busy} onConfirm={() => void call(() => api(path, { method: 'DELETE' }))}>
            Remove<span className="sr-only"> {m.name}</span>
          </ConfirmButton>
        </div>
      </td>
    </tr>
  );
}

function InviteMember({ onInvited }: { onInvited: (email: string, link: string) => void }) {
  const { orgId } = useOrg();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [department, setDepartment] = useState('');
  const { busy, failure, run } = useSubmit();
  const fieldError = (f: string) => (failure instanceof ApiFailure ? failure.fieldMessage(f) : undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const r = await api<{ invitation: PendingInvitation; acceptUrl: string }>(orgPath(orgId, 'members'), {
        method: 'POST',
        body: { email, role, department: role === 'owner' ? department.trim() || null : undefined },
      });
      setEmail('');
      setDepartment('');
      // A relative link (no PARALLAX_PUBLIC_URL) is made whole with this dashboard's own address.
      onInvited(r.invitation.email, new URL(r.acceptUrl, window.location.origin).href);
    });
  };
  const general = failure && !(failure instanceof ApiFailure && failure.fields.length) ? describeFailure(failure) : null;
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="invite-member" noValidate>
      <h3 id="invite-member">Invite a person</h3>
      {general && (
        <p className="banner error" role="alert">
          {general}
        </p>
      )}
      <div className="grid" style={{ gap: 10 }}>
        <div className="span-4">
          <TextField label="E-mail" type="email" autoComplete="off" value={email} onChange={setEmail} error={fieldError('email')} />
        </div>
        <div className="span-4">
          <SelectField label="Role" value={role} options={ROLE_OPTIONS} onChange={(v) => setRole(v as Role)} error={fieldError('role')} />
        </div>
        {role === 'owner' && (
          <div className="span-4">
            <TextField label="Department they own" value={department} onChange={setDepartment} error={fieldError('department')} />
          </div>
        )}
      </div>
      <p className="small muted">
        {ROLE_LABELS[role]}: {ROLE_HELP[role]}. You get a link, valid for 7 days and usable once, to pass on to them: they choose their own password, or
        accept with the account they already have.
      </p>
      <div>
        <button type="submit" className="btn primary" disabled={busy || !email.trim()}>
          {busy ? 'Inviting…' : 'Invite'}
        </button>
      </div>
    </form>
  );
}

function PendingInvitations({ res }: { res: Resource<{ invitations: PendingInvitation[]; next: string | null }> }) {
  const { orgId } = useOrg();
  const pages = usePages(res, orgPath(orgId, 'invitations'), 'invitations');
  const [failure, setFailure] = useState<unknown>(null);
  const revoke = async (i: PendingInvitation) => {
    setFailure(null);
    try {
      await api(orgPath(orgId, `invitations/${encodeURIComponent(i.id)}`), { method: 'DELETE' });
    } catch (err) {
      setFailure(err);
    }
    res.reload();
  };
  const list = pages.rows;
  return (
    <section className="card" aria-labelledby="invitations-title">
      <h3 id="invitations-title" style={{ marginBottom: 8 }}>
        Pending invitations
      </h3>
      <FailureBanner failure={failure} />
      <RecordsTable res={res} what="invitations" count={list.length} empty="No invitations waiting." loading={[2, 60]} columns={['E-mail', 'Role', 'Expires']}>
        {list.map((i) => (
          <tr key={i.id}>
            <th scope="row">{i.email}</th>
            <td>
              {ROLE_LABELS[i.role]}
              {i.department ? ` of ${i.department}` : ''}
            </td>
            <td>{i.expiresAt.slice(0, 10)}</td>
            <td>
              <ConfirmButton question={`Withdraw the invitation of ${i.email}? Its link stops working.`} onConfirm={() => void revoke(i)}>
                Withdraw<span className="sr-only"> the invitation of {i.email}</span>
              </ConfirmButton>
            </td>
          </tr>
        ))}
      </RecordsTable>
      <ShowMore pages={pages} what="invitations" />
    </section>
  );
}

function ApiKeys() {
  const { orgId } = useOrg();
  const res = useApi<{ apiKeys: ApiKey[]; next: string | null }>(orgPath(orgId, 'api-keys'));
  const pages = usePages(res, orgPath(orgId, 'api-keys'), 'apiKeys');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [secret, setSecret] = useState<string | null>(null);
  const { busy, failure, setFailure, run } = useSubmit();
  const create = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const r = await api<{ secret: string }>(orgPath(orgId, 'api-keys'), { method: 'POST', body: { name, role } });
      setSecret(r.secret);
      setName('');
      res.reload();
    });
  };
  const revoke = async (k: ApiKey) => {
    try {
      await api(orgPath(orgId, `api-keys/${encodeURIComponent(k.id)}`), { method: 'DELETE' });
      res.reload();
    } catch (err) {
      setFailure(err);
    }
  };
  const live = pages.rows.filter((k) => !k.revokedAt);
  return (
    <section className="stack" aria-labelledby="keys-title">
      <div>
        <h2 id="keys-title">API keys</h2>
        <p className="muted small" style={{ marginTop: 4 }}>
          For integrations: send a key as <code>Authorization: Bearer …</code>. Keys are stored hashed and shown once.
        </p>
      </div>
      {secret && (
        <SecretOnce value={secret} onDone={() => setSecret(null)}>
          <strong>New API key.</strong> It is shown only now — copy it somewhere safe.
        </SecretOnce>
      )}
      <FailureBanner failure={failure} />
      <div className="card">
        <RecordsTable res={res} what="API keys" count={live.length} empty="No API keys yet." loading={[3, 90]} columns={['Name', 'Role', 'Created', 'Last used']}>
          {live.map((k) => (
            <tr key={k.id}>
              <th scope="row">{k.name}</th>
              <td>{ROLE_LABELS[k.role]}</td>
              <td>{k.createdAt.slice(0, 10)}</td>
              <td>{k.lastUsedAt ? k.lastUsedAt.slice(0, 10) : 'never'}</td>
              <td>
                <ConfirmButton question={`Revoke the API key “${k.name}”? Integrations using it stop working.`} onConfirm={() => void revoke(k)}>
                  Revoke<span className="sr-only"> {k.name}</span>
                </ConfirmButton>
              </td>
            </tr>
          ))}
        </RecordsTable>
        <ShowMore pages={pages} what="API keys" />
        <form className="btn-row" style={{ marginTop: 12, alignItems: 'flex-end' }} onSubmit={create} noValidate>
          <TextField label="Key name" value={name} onChange={setName} error={failure instanceof ApiFailure ? failure.fieldMessage('name') : undefined} />
          <SelectField
            label="Role"
            value={role}
            options={ROLE_OPTIONS.filter((o) => o.value !== 'owner')}
            onChange={(v) => setRole(v as Role)}
          />
          <button type="submit" className="btn" disabled={busy || !name.trim()}>
            Create key
          </button>
        </form>
      </div>
    </section>
  );
}

export default function Members() {
  const { orgId, membership } = useOrg();
  const { session, refresh } = useSession();
  const res = useApi<{ members: Member[]; next: string | null }>(membership.canAdmin ? orgPath(orgId, 'members') : null);
  const members = usePages(res, membership.canAdmin ? orgPath(orgId, 'members') : null, 'members');
  const invitations = useApi<{ invitations: PendingInvitation[]; next: string | null }>(membership.canAdmin ? orgPath(orgId, 'invitations') : null);
  const [invited, setInvited] = useState<{ email: string; link: string } | null>(null);
  if (!membership.canAdmin)
    return (
      <div className="stack">
        <h2>Users &amp; roles</h2>
        <EmptyState title="Admins only">Only an admin of this organisation can see and change who has access.</EmptyState>
      </div>
    );
  const changed = () => {
    res.reload();
    void refresh(); // my own role may have changed
  };
  return (
    <div className="stack">
      <div>
        <h2>Users &amp; roles</h2>
        <p className="muted small" style={{ marginTop: 4 }}>
          Admins manage everything; analysts change the set-up; department owners see their touchpoints; viewers read.
        </p>
      </div>
      {invited && (
        <SecretOnce value={invited.link} onDone={() => setInvited(null)}>
          <strong>Invitation link for {invited.email}. Send it to them.</strong> It is shown only now — copy it somewhere safe.
        </SecretOnce>
      )}
      <section className="card" aria-labelledby="members-title">
        <h3 id="members-title" style={{ marginBottom: 8 }}>
          Members
        </h3>
        <RecordsTable res={res} what="members" count={members.rows.length} loading={[4, 160]} columns={['Person', 'Role', 'Department']}>
          {members.rows.map((m) => (
            <MemberRow key={`${m.userId}:${m.role}:${m.department}`} m={m} me={m.userId === session?.user.id} onChanged={changed} />
          ))}
        </RecordsTable>
        <ShowMore pages={members} what="members" />
      </section>
      <PendingInvitations res={invitations} />
      <InviteMember
        onInvited={(email, link) => {
          setInvited({ email, link });
          invitations.reload();
        }}
      />
      <ApiKeys />
    </div>
  );
}
