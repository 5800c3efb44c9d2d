// Initiatives (migration 0020): the stored rows and their CRUD, per organisation. Validation of the
// fields is core/initiative.ts's; this module only keeps them, with the owner resolved to a user.
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { InitiativeGoal, InitiativeMetric, InitiativeStatus } from '../core/initiative.ts';
import { writeTransaction } from './write-transaction.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Row type of `initiatives` (listed in schema.ts's Database). */
export interface InitiativesTable {
  org_id: string;
  id: string;
  title: string;
  description: string | null;
  owner_user_id: string;
  metric: string;
  dimension: string | null;
  /** JSON array of touchpoint keys. */
  touchpoints: string;
  /** JSON array, or null for every other touchpoint. */
  comparison: string | null;
  start_date: string;
  end_date: string | null;
  window_days: number;
  /** JSON: InitiativeGoal. */
  goal: string;
  status: string;
  created_at: string;
  updated_at: string;
}

/** How many initiatives one organisation may hold: a bounded list and a bounded answer. */
export const MAX_INITIATIVES = 500;

export interface Initiative {
  id: string;
  title: string;
  description: string | null;
  owner: { userId: string; email: string | null; name: string | null };
  metric: InitiativeMetric;
  dimension: string | null;
  touchpoints: string[];
  comparison: string[] | null;
  start: string;
  end: string | null;
  windowDays: number;
  goal: InitiativeGoal;
  status: InitiativeStatus;
  createdAt: string;
  updatedAt: string;
}

/** The stored fields (the owner as a user id). */
export type InitiativeRecord = Omit<Initiative, 'id' | 'owner' | 'createdAt' | 'updatedAt'> & { ownerUserId: string };

export class TooManyInitiatives extends Error {}

const columns = (r: InitiativeRecord) => ({
  title: r.title,
  description: r.description,
  owner_user_id: r.ownerUserId,
  metric: r.metric,
  dimension: r.dimension,
  touchpoints: JSON.stringify(r.touchpoints),
  comparison: r.comparison === null ? null : JSON.stringify(r.comparison),
  start_date: r.start,
  end_date: r.end,
  window_days: r.windowDays,
  goal: JSON.stringify(r.goal),
  status: r.status,
});

type Row = InitiativesTable & { email: string | null; name: string | null };
const fromRow = (r: Row): Initiative => ({
  id: r.id,
  title: r.title,
  description: r.description,
  owner: { userId: r.owner_user_id, email: r.email, name: r.name },
  metric: r.metric as InitiativeMetric,
  dimension: r.dimension,
  touchpoints: JSON.parse(r.touchpoints),
  comparison: r.comparison === null ? null : JSON.parse(r.comparison),
  start: r.start_date,
  end: r.end_date,
  windowDays: Number(r.window_days),
  goal: JSON.parse(r.goal),
  status: r.status as InitiativeStatus,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The stored fields of an initiative, for a merge before an update. */
export const recordOf = (i: Initiative): InitiativeRecord => ({
  title: i.title,
  description: i.description,
  ownerUserId: i.owner.userId,
  metric: i.metric,
  dimension: i.dimension,
  touchpoints: i.touchpoints,
  comparison: i.comparison,
  start: i.start,
  end: i.end,
  windowDays: i.windowDays,
  goal: i.goal,
  status: i.status,
});

function selectInitiatives(db: Db, orgId: string) {
  // The owner's name and e-mail while they are a member; an owner who left keeps the id only.
  return db
    .selectFrom('initiatives as i')
    .leftJoin('memberships as m', (j) => j.onRef('m.org_id', '=', 'i.org_id').onRef('m.user_id', '=', 'i.owner_user_id'))
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .selectAll('i')
    .select(['u.email', 'u.name'])
    .where('i.org_id', '=', orgId);
}

export async function createInitiative(db: Kysely<Database>, orgId: string, r: InitiativeRecord, at = new Date()): Promise<Initiative> {
  const id = randomBytes(6).toString('base64url');
  const now = at.toISOString();
  await writeTransaction(db, async (tx) => {
    const { n } = await tx.selectFrom('initiatives').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
    if (Number(n) >= MAX_INITIATIVES) throw new TooManyInitiatives(`at most ${MAX_INITIATIVES} initiatives per organisation: delete an old one first`);
    await tx.insertInto('initiatives').values({ org_id: orgId, id, ...columns(r), created_at: now, updated_at: now }).execute();
  });
  return (await getInitiative(db, orgId, id))!;
}

export async function getInitiative(db: Db, orgId: string, id: string): Promise<Initiative | undefined> {
  const r = await selectInitiatives(db, orgId).where('i.id', '=', id).executeTakeFirst();
  return r && fromRow(r as Row);
}

/** Newest start first. */
export async function listInitiatives(db: Db, orgId: string): Promise<Initiative[]> {
  const rows = await selectInitiatives(db, orgId).orderBy('i.start_date', 'desc').orderBy('i.id').limit(MAX_INITIATIVES).execute();
  return rows.map((r) => fromRow(r as Row));
}

/**
 * Replaces an initiative's fields with `merge(current)`, in one transaction so that two edits cannot
 * interleave their read and write. `merge` may throw (validation): nothing is written then. It must do
 * no I/O of its own: on SQLite the transaction holds the one connection.
 */
export async function updateInitiative(
  db: Kysely<Database>,
  orgId: string,
  id: string,
  merge: (current: Initiative) => InitiativeRecord,
  at = new Date(),
): Promise<Initiative | undefined> {
  const found = await writeTransaction(db, async (tx) => {
    const current = await getInitiative(tx, orgId, id);
    if (!current) return false;
    const next = merge(current);
    await tx.updateTable('initiatives').set({ ...columns(next), updated_at: at.toISOString() }).where('org_id', '=', orgId).where('id', '=', id).execute();
    return true;
  });
  return found ? getInitiative(db, orgId, id) : undefined;
}

export async function deleteInitiative(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('initiatives').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
