// The audit log: who viewed individual-level data (verbatims, calibration), exported, or changed
// set-up, members or API keys, and when — newest first, a page at a time. Admins only (the API refuses
// others, and this view says so instead of asking).
import { useState } from 'react';
import { useOrg, orgPath } from '../../lib/org.tsx';
import { useApi } from '../../lib/use-api.ts';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';
import { DataTable } from '../../components/DataTable.tsx';

interface Entry {
  id: string;
  at: string;
  actor: { kind: 'user' | 'api_key' | 'cli'; id: string | null; label: string };
  action: string;
  target: string;
  details: Record<string, unknown>;
  requestId: string | null;
}
interface Page {
  entries: Entry[];
  next: string | null;
}

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The details worth a glance: the filters of a view, or which fields a change touched. */
function summary(d: Record<string, unknown>): string {
  const parts: string[] = [];
  if (d.query && typeof d.query === 'object')
    parts.push(...Object.entries(d.query as Record<string, unknown>).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(', ') : String(v)}`));
  if (Array.isArray(d.fields) && d.fields.length) parts.push(`fields: ${d.fields.join(', ')}`);
  for (const k of ['role', 'department', 'active', 'name', 'email', 'via']) if (d[k] !== undefined) parts.push(`${k}: ${String(d[k])}`);
  return parts.join(' · ');
}

export default function AuditLog() {
  const { orgId, membership } = useOrg();
  // The cursors of the pages before this one, so "Newer" can go back.
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors[cursors.length - 1];
  const page = useApi<Page>(membership.canAdmin ? orgPath(orgId, `audit-log?limit=50${before ? `&before=${encodeURIComponent(before)}` : ''}`) : null);
  if (!membership.canAdmin)
    return (
      <EmptyState title="Audit log">Only admins can read the audit log of who viewed individual-level data and who changed the set-up.</EmptyState>
    );
  if (page.error && !page.data) return <ErrorState error={page.error} onRetry={page.reload} />;
  if (!page.data) return <Loading label="audit log" lines={6} height={320} />;
  const { entries, next } = page.data;
  return (
    <section className="stack" aria-labelledby="audit-title">
      <div>
        <h2 id="audit-title">Audit log</h2>
        <p className="muted small" style={{ marginTop: 4 }}>
          Who read verbatims or the calibration list, exported responses, or changed the set-up, members or API keys. It never holds
          passwords, keys or what respondents wrote.
        </p>
      </div>
      {entries.length === 0 ? (
        <EmptyState title="Nothing recorded yet">Views of individual-level data, exports and set-up changes will appear here.</EmptyState>
      ) : (
        <DataTable
          caption="Audit log, newest first"
          columns={[{ label: 'When' }, { label: 'Who' }, { label: 'Action' }, { label: 'Target' }, { label: 'Details' }]}
        >
          {entries.map((e) => (
            <tr key={e.id}>
              <td>
                <time dateTime={e.at}>{when(e.at)}</time>
              </td>
              <th scope="row">{e.actor.label}</th>
              <td>
                <code>{e.action}</code>
              </td>
              <td>{e.target || '—'}</td>
              <td className="small">{summary(e.details)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <div style={{ display: 'flex', gap: 8 }}>
        <button type="button" className="btn small" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </button>
        <button type="button" className="btn small" disabled={!next} onClick={() => next && setCursors((c) => [...c, next])}>
          Older
        </button>
      </div>
    </section>
  );
}
