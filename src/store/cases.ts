// Follow-up cases (issue 13): the board's list (filters, keyset pages, counts), one case with its response
// under the anonymity rules and its history, and updates under optimistic concurrency — every update names
// the version it read, and a stale one changes nothing (CaseConflict carries the current case), so two
// people editing one case never lose an update. Cases are opened by the fold (case-opening.ts).
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { CasesTable } from './case-schema.ts';
import { writeTransaction } from './write-transaction.ts';
import { decodeCursor, MAX_PAGE, pageOf } from './page-cursor.ts';
import { readAnswers } from './answers.ts';
import { getMembership } from './memberships.ts';
import { newCaseEventId } from './case-opening.ts';
import { redact } from '../core/text/redact.ts';
import type { FieldError } from '../core/survey.ts';
import { canMove, isFinished, slaState, type CaseState, type CloseReason, type ContactAttempt, type SlaState } from '../core/cases/workflow.ts';

type Db = Kysely<Database> | Transaction<Database>;


export interface CaseSummary {
  id: string;
  state: CaseState;
  department: string | null;
  touchpoint: string | null;
  rule: { id: string; name: string };
  assignee: { id: string; name: string; email: string } | null;
  contactable: boolean;
  rootCause: string | null;
  closeReason: CloseReason | null;
  version: number;
  openedAt: string;
  dueAt: string;
  firstContactAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  updatedAt: string;
  sla: SlaState;
  ageHours: number;
  escalationStep: number;
}

/** Who is asking: everything (admins, analysts) or one department's cases (owners). */
export type CaseScope = { all: true } | { department: string | null };

export class CaseConflict extends Error {
  constructor(public readonly current: CaseSummary) {
    super(`the case changed since version you read: it is at version ${current.version}`);
  }
}
export class CaseInputError extends Error {
  constructor(public readonly fields: FieldError[]) {
    super(fields.map((f) => `${f.field}: ${f.message}`).join('; '));
  }
}

const norm = (d: string | null | undefined) => (d ?? '').trim().toLowerCase();

type CaseRow = CasesTable & { assignee_name: string | null; assignee_email: string | null };

function toSummary(r: CaseRow, now: Date): CaseSummary {
  const c = { openedAt: r.opened_at, dueAt: r.due_at, firstContactAt: r.first_contact_at, closedAt: r.closed_at, resolvedAt: r.resolved_at };
  const end = r.closed_at ?? r.resolved_at ?? now.toISOString();
  return {
    id: r.id,
    state: r.state as CaseState,
    department: r.department,
    touchpoint: r.touchpoint || null,
    rule: { id: r.rule_id, name: r.rule_name },
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '', email: r.assignee_email ?? '' } : null,
    contactable: Number(r.contactable) === 1,
    rootCause: r.root_cause,
    closeReason: r.close_reason as CloseReason | null,
    version: Number(r.version),
    openedAt: r.opened_at,
    dueAt: r.due_at,
    firstContactAt: r.first_contact_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    updatedAt: r.updated_at,
    sla: slaState(c, now),
    ageHours: Math.max(0, Math.round(((Date.parse(end) - Date.parse(r.opened_at)) / 3_600_000) * 10) / 10),
    escalationStep: Number(r.escalation_step),
  };
}

/** The SLA state in SQL, as slaState (core/cases/workflow.ts) computes it, for filters and counts. */
function slaSql(now: Date): RawBuilder<string> {
  const at = now.toISOString();
  return sql<string>`case
    when c.first_contact_at is not null then (case when c.first_contact_at <= c.due_at then 'met' else 'breached' end)
    when coalesce(c.closed_at, c.resolved_at) is not null then (case when coalesce(c.closed_at, c.resolved_at) <= c.due_at then 'met' else 'breached' end)
    when ${at} > c.due_at then 'breached'
    when ${at} >= c.at_risk_at then 'due_soon'
    else 'on_track' end`;
}

function baseQuery(db: Db, orgId: string, scope: CaseScope) {
  let q = db
    .selectFrom('cases as c')
    .leftJoin('users as u', 'u.id', 'c.assignee_id')
    .selectAll('c')
    .select(['u.name as assignee_name', 'u.email as assignee_email'])
    .where('c.org_id', '=', orgId);
  // Departments are typed by hand in the journey editor: compared as ownedTouchpoints compares them.
  if (!('all' in scope)) q = scope.department && norm(scope.department) ? q.where(sql`lower(trim(c.department))`, '=', norm(scope.department)) : q.where(sql`1`, '=', 0);
  return q;
}

export interface CaseFilters {
  department?: string;
  state?: CaseState;
  sla?: SlaState;
  /** A user id, or 'none' for unassigned cases. */
  assignee?: string;
  limit: number;
  after?: string;
}

/** One page of the board (newest first), with the counts by state and SLA state of the filtered cases. */
export async function listCases(db: Kysely<Database>, orgId: string, scope: CaseScope, f: CaseFilters, now = new Date()) {
  const sla = slaSql(now);
  const filtered = (withStateAndSla: boolean) => {
    let q = baseQuery(db, orgId, scope);
    if (f.department !== undefined) q = q.where(sql`lower(trim(c.department))`, '=', norm(f.department));
    if (f.assignee === 'none') q = q.where('c.assignee_id', 'is', null);
    else if (f.assignee !== undefined) q = q.where('c.assignee_id', '=', f.assignee);
    if (withStateAndSla && f.state) q = q.where('c.state', '=', f.state);
    if (withStateAndSla && f.sla) q = q.where(sla, '=', f.sla);
    return q;
  };
  let q = filtered(true);
  if (f.after) {
    const [at, id] = decodeCursor('cases', f.after, 2);
    q = q.where((eb) => eb.or([eb('c.opened_at', '<', at!), eb.and([eb('c.opened_at', '=', at!), eb('c.id', '<', id!)])]));
  }
  const limit = Math.max(1, Math.min(MAX_PAGE, f.limit));
  const rows = await q.orderBy('c.opened_at', 'desc').orderBy('c.id', 'desc').limit(limit + 1).execute();
  const { rows: page, next } = pageOf('cases', rows as CaseRow[], limit, (r) => [r.opened_at, r.id]);
  // The counts ignore the state and SLA filters, so the board's tabs show what each would hold.
  const counted = await filtered(false)
    .clearSelect()
    .select(['c.state as state', sla.as('sla'), (eb) => eb.fn.countAll().as('n')])
    // By position: PostgreSQL would take the SLA expression's two bound copies for different expressions.
    .groupBy([sql`1`, sql`2`])
    .execute();
  const byState: Record<string, number> = Object.create(null);
  const bySla: Record<string, number> = Object.create(null);
  let total = 0;
  for (const r of counted as { state: string; sla: string; n: unknown }[]) {
    const n = Number(r.n);
    byState[r.state] = (byState[r.state] ?? 0) + n;
    bySla[r.sla] = (bySla[r.sla] ?? 0) + n;
    total += n;
  }
  return {
    items: page.map((r) => toSummary(r, now)),
    next,
    counts: { total, byState: { ...byState }, bySla: { ...bySla } },
  };
}

export async function getCaseSummary(db: Db, orgId: string, scope: CaseScope, id: string, now = new Date()): Promise<CaseSummary | undefined> {
  const r = await baseQuery(db, orgId, scope).where('c.id', '=', id).executeTakeFirst();
  return r && toSummary(r as CaseRow, now);
}

export interface CaseEvent {
  at: string;
  actor: string;
  kind: string;
  details: Record<string, unknown>;
}

/**
 * One case with its history and its response under the anonymity rules: the answers and touchpoint;
 * the comment redacted unless `original` (admins); the contact only when the respondent consented;
 * never the respondent id, segments or submission time, so nobody sees who gave an answer without consent.
 */
export async function getCaseDetail(db: Kysely<Database>, orgId: string, scope: CaseScope, id: string, opts: { original: boolean }, now = new Date()) {
  const summary = await getCaseSummary(db, orgId, scope, id, now);
  if (!summary) return undefined;
  const row = (await db.selectFrom('cases').select('response_id').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirstOrThrow()).response_id;
  const resp = await db
    .selectFrom('responses as r')
    .leftJoin('comment_analysis as ca', (j) => j.onRef('ca.org_id', '=', 'r.org_id').onRef('ca.response_id', '=', 'r.id'))
    .select(['r.comment', 'ca.redacted', 'ca.sentiment'])
    .where('r.org_id', '=', orgId)
    .where('r.id', '=', row)
    .executeTakeFirst();
  const answers = resp ? ((await readAnswers(db, orgId, [row])).get(row) ?? {}) : {};
  const comment = !resp?.comment ? null : opts.original ? resp.comment : (resp.redacted ?? redact(resp.comment).text);
  const contact = summary.contactable
    ? await db.selectFrom('case_contacts').select(['email', 'name']).where('org_id', '=', orgId).where('response_id', '=', row).executeTakeFirst()
    : undefined;
  const events = await db.selectFrom('case_events').selectAll().where('org_id', '=', orgId).where('case_id', '=', id).orderBy('at').orderBy('id').execute();
  return {
    ...summary,
    response: resp ? { answers: { ...answers }, comment, sentiment: resp.sentiment ?? null } : null,
    contact: contact ? { email: contact.email, name: contact.name } : null,
    history: events.map<CaseEvent>((e) => ({ at: e.at, actor: e.actor_label, kind: e.kind, details: JSON.parse(e.details) as Record<string, unknown> })),
  };
}

export interface CaseUpdate {
  version: number;
  state?: CaseState;
  closeReason?: CloseReason;
  assigneeId?: string | null;
  rootCause?: string | null;
  note?: string;
  contact?: ContactAttempt;
}

export interface CaseActor {
  userId: string | null;
  label: string;
}

/**
 * Applies an update to a case read at `u.version`, with its history, in one transaction. A stale version
 * throws CaseConflict (nothing written); bad input throws CaseInputError naming the field. `rootCauses`:
 * the framework's dimension keys.
 */
export async function updateCase(db: Kysely<Database>, orgId: string, scope: CaseScope, id: string, u: CaseUpdate, actor: CaseActor, rootCauses: readonly string[], now = new Date()): Promise<CaseSummary | undefined> {
  return writeTransaction(db, async (tx) => {
    const cur = await getCaseSummary(tx, orgId, scope, id, now);
    if (!cur) return undefined;
    if (cur.version !== u.version) throw new CaseConflict(cur);
    const errors: FieldError[] = [];
    const at = now.toISOString();
    const set: Partial<CasesTable> = {};
    const events: { kind: string; details: Record<string, unknown> }[] = [];
    if (u.state !== undefined && u.state !== cur.state) {
      if (!canMove(cur.state, u.state)) errors.push({ field: 'state', message: `a case cannot go from ${cur.state} to ${u.state}` });
      else if (u.state === 'contacted' && !cur.contactable) errors.push({ field: 'state', message: 'the respondent did not agree to be contacted: this case is about the answer only' });
      else {
        set.state = u.state;
        if (u.state === 'closed') {
          if (!u.closeReason) errors.push({ field: 'closeReason', message: 'say why the case is closed' });
          set.close_reason = u.closeReason ?? null;
          set.closed_at = at;
        } else if (u.state === 'resolved') set.resolved_at = at;
        else if (isFinished(cur.state)) Object.assign(set, { closed_at: null, resolved_at: null, close_reason: null }); // reopened
        if (u.state === 'contacted' && !cur.firstContactAt) set.first_contact_at = at;
        events.push({ kind: 'state', details: { from: cur.state, to: u.state, ...(u.closeReason ? { reason: u.closeReason } : {}) } });
      }
    }
    if (u.closeReason !== undefined && u.state !== 'closed') errors.push({ field: 'closeReason', message: 'only with state "closed"' });
    if (u.assigneeId !== undefined && u.assigneeId !== (cur.assignee?.id ?? null)) {
      if (u.assigneeId !== null) {
        const m = await getMembership(tx, orgId, u.assigneeId);
        if (!m || m.role === 'viewer') errors.push({ field: 'assigneeId', message: 'must be a member of the organisation who may work cases (not a viewer)' });
        else if (m.role === 'owner' && norm(m.department) !== norm(cur.department)) errors.push({ field: 'assigneeId', message: `an owner may only be given cases of their own department (${m.department ?? 'none'})` });
      }
      set.assignee_id = u.assigneeId;
      events.push({ kind: 'assigned', details: { from: cur.assignee?.id ?? null, to: u.assigneeId } });
    }
    if (u.rootCause !== undefined && u.rootCause !== cur.rootCause) {
      if (u.rootCause !== null && !rootCauses.includes(u.rootCause)) errors.push({ field: 'rootCause', message: `"${u.rootCause}" is not a dimension of the framework` });
      set.root_cause = u.rootCause;
      events.push({ kind: 'root_cause', details: { from: cur.rootCause, to: u.rootCause } });
    }
    if (u.contact) {
      if (!cur.contactable) errors.push({ field: 'contact', message: 'the respondent did not agree to be contacted: this case is about the answer only' });
      else {
        if (u.contact.reached && !cur.firstContactAt && !set.first_contact_at) set.first_contact_at = at;
        events.push({ kind: 'contact', details: { channel: u.contact.channel, reached: u.contact.reached, ...(u.contact.note ? { note: u.contact.note } : {}) } });
      }
    }
    if (u.note) events.push({ kind: 'note', details: { text: u.note } });
    if (errors.length) throw new CaseInputError(errors);
    if (events.length === 0) return cur; // nothing changed: no new version
    // The version guard again in the write: a concurrent update that committed after our read (PostgreSQL,
    // read committed) makes this match nothing, and the caller gets the conflict, not a lost update.
    const r = await tx
      .updateTable('cases')
      .set({ ...set, version: cur.version + 1, updated_at: at })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('version', '=', cur.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new CaseConflict((await getCaseSummary(tx, orgId, scope, id, now))!);
    await tx
      .insertInto('case_events')
      .values(events.map((e) => ({ org_id: orgId, id: newCaseEventId(), case_id: id, at, actor_id: actor.userId, actor_label: actor.label, kind: e.kind, details: JSON.stringify(e.details) })))
      .execute();
    return (await getCaseSummary(tx, orgId, scope, id, now))!;
  });
}

/** The facts the case metrics need, of every case in scope opened in [from, to) (core/cases/case-metrics.ts). */
export async function caseFacts(db: Kysely<Database>, orgId: string, scope: CaseScope, range: { from?: string; to?: string } = {}) {
  let q = baseQuery(db, orgId, scope);
  if (range.from) q = q.where('c.opened_at', '>=', range.from);
  if (range.to) q = q.where('c.opened_at', '<', range.to);
  const rows = (await q.execute()) as CaseRow[];
  return rows.map((r) => ({
    department: r.department,
    state: r.state,
    closeReason: r.close_reason,
    nps: r.nps === null ? null : Number(r.nps),
    openedAt: r.opened_at,
    dueAt: r.due_at,
    firstContactAt: r.first_contact_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
  }));
}
