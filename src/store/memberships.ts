// Memberships: a user's role in an organisation (one user may belong to several, e.g. a CX
// consultancy serving clients). Every organisation keeps at least one admin.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { writeTransaction } from './write-transaction.ts';
import type { Role } from '../core/access.ts';
import { normaliseEmail, ownedTouchpoints } from '../core/access.ts';
import { decodeCursor, MAX_PAGE, pageOf } from './page-cursor.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface Membership {
  orgId: string;
  userId: string;
  role: Role;
  department: string | null;
  createdAt: string;
}

export interface Member extends Membership {
  email: string;
  name: string;
}

export interface UserOrganisation {
  id: string;
  name: string;
  industry: string;
  minResponses: number;
  createdAt: string;
  role: Role;
  department: string | null;
}

export class LastAdmin extends Error {
  constructor(orgId: string) {
    super(`organisation "${orgId}" must keep at least one admin`);
  }
}

export async function addMembership(db: Db, m: { orgId: string; userId: string; role: Role; department?: string | null }): Promise<Membership> {
  const row = {
    org_id: m.orgId,
    user_id: m.userId,
    role: m.role,
    department: m.role === 'owner' ? (m.department ?? null) : null,
    created_at: new Date().toISOString(),
  };
  await db.insertInto('memberships').values(row).execute();
  return { orgId: row.org_id, userId: row.user_id, role: row.role, department: row.department, createdAt: row.created_at };
}

export async function getMembership(db: Db, orgId: string, userId: string): Promise<Membership | undefined> {
  const r = await db.selectFrom('memberships').selectAll().where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst();
  return r && { orgId: r.org_id, userId: r.user_id, role: r.role, department: r.department, createdAt: r.created_at };
}

/** An organisation's members with their e-mail and name, by e-mail (unique: one account per e-mail). */
const membersOf = (db: Db, orgId: string) =>
  db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.org_id', 'm.user_id', 'm.role', 'm.department', 'm.created_at', 'u.email', 'u.name'])
    .where('m.org_id', '=', orgId)
    .orderBy('u.email');

type MemberRow = { org_id: string; user_id: string; role: Role; department: string | null; created_at: string; email: string; name: string };
const toMember = (r: MemberRow): Member => ({ orgId: r.org_id, userId: r.user_id, role: r.role, department: r.department, createdAt: r.created_at, email: r.email, name: r.name });

/** Every member (the command line and the checks that need them all); the API pages them (pageMembers). */
export async function listMembers(db: Db, orgId: string): Promise<Member[]> {
  return (await membersOf(db, orgId).execute()).map(toMember);
}

/** One page of members by e-mail, after the cursor `after` (page-cursor.ts); throws BadCursor. */
export async function pageMembers(db: Db, orgId: string, opts: { limit: number; after?: string }): Promise<{ members: Member[]; next: string | null }> {
  const limit = Math.max(1, Math.min(MAX_PAGE, opts.limit));
  let q = membersOf(db, orgId);
  if (opts.after) q = q.where('u.email', '>', decodeCursor('members', opts.after, 1)[0]!);
  const page = pageOf('members', await q.limit(limit + 1).execute(), limit, (r) => [r.email]);
  return { members: page.rows.map(toMember), next: page.next };
}

/** One member with their e-mail and name, if `userId` is one. */
export async function getMember(db: Db, orgId: string, userId: string): Promise<Member | undefined> {
  const r = await membersOf(db, orgId).where('m.user_id', '=', userId).executeTakeFirst();
  return r && toMember(r);
}

/** The member of an organisation with this e-mail, if any (never looks outside the organisation). */
export async function memberByEmail(db: Db, orgId: string, email: string): Promise<Membership | undefined> {
  const r = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.org_id', 'm.user_id', 'm.role', 'm.department', 'm.created_at'])
    .where('m.org_id', '=', orgId)
    .where('u.email', '=', normaliseEmail(email))
    .executeTakeFirst();
  return r && { orgId: r.org_id, userId: r.user_id, role: r.role, department: r.department, createdAt: r.created_at };
}

/** The organisations a user belongs to, with their role in each. */
export async function organisationsOf(db: Db, userId: string): Promise<UserOrganisation[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['o.id', 'o.name', 'o.industry', 'o.min_responses', 'o.created_at', 'm.role', 'm.department'])
    .where('m.user_id', '=', userId)
    .orderBy('o.name')
    .orderBy('o.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    industry: r.industry,
    minResponses: r.min_responses,
    createdAt: r.created_at,
    role: r.role,
    department: r.department,
  }));
}

/** The touchpoint keys of an organisation whose owning department is `department`. */
export async function touchpointsOfDepartment(db: Db, orgId: string, department: string | null): Promise<string[]> {
  const tps = await db.selectFrom('touchpoints').select(['key', 'department']).where('org_id', '=', orgId).orderBy('position').execute();
  return ownedTouchpoints(tps, department);
}

/**
 * Serialises membership changes of one organisation: a no-op update takes the organisation row's
 * lock on PostgreSQL (and the write lock on SQLite), so two admins demoting each other at once
 * cannot both see "another admin remains".
 */
async function lockOrganisation(tx: Transaction<Database>, orgId: string) {
  await tx.updateTable('organisations').set((eb) => ({ name: eb.ref('name') })).where('id', '=', orgId).execute();
}

async function otherAdmins(tx: Transaction<Database>, orgId: string, userId: string): Promise<number> {
  const r = await tx
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .where('role', '=', 'admin')
    .where('user_id', '<>', userId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Changes a member's role/department; undefined when not a member. Throws LastAdmin. */
export async function updateMembership(
  db: Kysely<Database>,
  orgId: string,
  userId: string,
  patch: { role?: Role; department?: string | null },
): Promise<Membership | undefined> {
  return writeTransaction(db, async (tx) => {
    await lockOrganisation(tx, orgId);
    const cur = await getMembership(tx, orgId, userId);
    if (!cur) return undefined;
    const role = patch.role ?? cur.role;
    if (cur.role === 'admin' && role !== 'admin' && (await otherAdmins(tx, orgId, userId)) === 0) throw new LastAdmin(orgId);
    const department = role === 'owner' ? (patch.department !== undefined ? patch.department : cur.department) : null;
    await tx.updateTable('memberships').set({ role, department }).where('org_id', '=', orgId).where('user_id', '=', userId).execute();
    return { ...cur, role, department };
  });
}

/** Removes a member; false when not a member. Throws LastAdmin. */
export async function removeMembership(db: Kysely<Database>, orgId: string, userId: string): Promise<boolean> {
  return writeTransaction(db, async (tx) => {
    await lockOrganisation(tx, orgId);
    const cur = await getMembership(tx, orgId, userId);
    if (!cur) return false;
    if (cur.role === 'admin' && (await otherAdmins(tx, orgId, userId)) === 0) throw new LastAdmin(orgId);
    await tx.deleteFrom('memberships').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
    // A CX lead who leaves stops being one: were they added back later, nobody would have chosen them again.
    await tx.updateTable('organisations').set({ cx_lead_user_id: null }).where('id', '=', orgId).where('cx_lead_user_id', '=', userId).execute();
    return true;
  });
}
