// The audit log's queries: append an entry, and read an organisation's entries newest first with a
// keyset cursor (at, id; store/page-cursor.ts), so a page costs the same however deep the log is and inserts between
// reads neither repeat nor skip entries.
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { BadCursor, decodeCursor, pageOf } from './page-cursor.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type ActorKind = 'user' | 'api_key' | 'cli';

export interface AuditEntry {
  id: string;
  at: string;
  actor: { kind: ActorKind; id: string | null; label: string };
  action: string;
  target: string;
  details: Record<string, unknown>;
  requestId: string | null;
}

export interface NewAuditEntry {
  orgId: string;
  actor: { kind: ActorKind; id: string | null; label: string };
  action: string;
  target?: string;
  /** Plain JSON; the caller keeps secrets and respondents' text out. */
  details?: Record<string, unknown>;
  requestId?: string | null;
  at?: Date;
}

export const MAX_AUDIT_PAGE = 200;

export async function recordAudit(db: Db, e: NewAuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      org_id: e.orgId,
      id: `aud_${randomBytes(8).toString('hex')}`,
      at: (e.at ?? new Date()).toISOString(),
      actor_kind: e.actor.kind,
      actor_id: e.actor.id,
      actor_label: e.actor.label.slice(0, 200),
      action: e.action.slice(0, 120),
      target: (e.target ?? '').slice(0, 300),
      details: JSON.stringify(e.details ?? {}),
      request_id: e.requestId ?? null,
    })
    .execute();
}

const LIST = 'audit';

/** The (at, id) the next page starts below; BadCursor for a cursor of another list or a forged one. */
function parseCursor(c: string): { at: string; id: string } {
  const [at, id] = decodeCursor(LIST, c, 2) as [string, string];
  if (!/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(at) || !/^aud_[0-9a-f]{16}$/.test(id)) throw new BadCursor('is not a cursor from this log');
  return { at, id };
}

/** One page of an organisation's log, newest first; `next` continues below its last entry. */
export async function listAudit(
  db: Db,
  orgId: string,
  opts: { limit: number; before?: string; action?: string },
): Promise<{ entries: AuditEntry[]; next: string | null }> {
  const limit = Math.max(1, Math.min(MAX_AUDIT_PAGE, opts.limit));
  let q = db.selectFrom('audit_log').selectAll().where('org_id', '=', orgId);
  if (opts.before) {
    const c = parseCursor(opts.before);
    q = q.where((eb) => eb.or([eb('at', '<', c.at), eb.and([eb('at', '=', c.at), eb('id', '<', c.id)])]));
  }
  if (opts.action) q = q.where('action', '=', opts.action);
  const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const { rows: page, next } = pageOf(LIST, rows, limit, (r) => [r.at, r.id]);
  return {
    entries: page.map((r) => ({
      id: r.id,
      at: r.at,
      actor: { kind: r.actor_kind, id: r.actor_id, label: r.actor_label },
      action: r.action,
      target: r.target,
      details: JSON.parse(r.details) as Record<string, unknown>,
      requestId: r.request_id,
    })),
    next,
  };
}

/** The operator at the command line, as the audit log names them. */
export function cliActor(): { kind: 'cli'; id: null; label: string } {
  let who = 'operator';
  try {
    who = userInfo().username || who;
  } catch {
    /* no user entry (some containers) */
  }
  return { kind: 'cli', id: null, label: `${who} (command line)` };
}
