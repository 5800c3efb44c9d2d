// Invitations: the only way a person joins an organisation through the API. An admin invites an
// e-mail with a role; the person opens the link and either sets their own password (no account yet)
// or accepts while logged in as the account they have. Nobody else sets their password, and the
// invitation itself says nothing about whether the account exists. The link's token is single-use
// and expires; only its sha256 is kept, so a copy of the database yields no usable link.
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { decodeCursor, MAX_PAGE, pageOf } from './page-cursor.ts';
import type { Role } from '../core/access.ts';
import { normaliseEmail } from '../core/access.ts';
import { sha256 } from './sessions.ts';
import { writeTransaction } from './write-transaction.ts';
import { createUser, findUserByEmail } from './users.ts';
import { addMembership, getMembership } from './memberships.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const INVITATION_DAYS = 7;
const DAY_MS = 24 * 3600 * 1000;
/** The token's alphabet (base64url), so a path parameter can be checked before any lookup. */
export const INVITATION_TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

export interface Invitation {
  id: string;
  orgId: string;
  email: string;
  role: Role;
  department: string | null;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

/** Why a link cannot be used (any more). */
export type InvitationState = 'open' | 'expired' | 'revoked' | 'accepted';

const toInvitation = (r: Database['invitations']): Invitation => ({
  id: r.id,
  orgId: r.org_id,
  email: r.email,
  role: r.role,
  department: r.department,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  acceptedAt: r.accepted_at,
  revokedAt: r.revoked_at,
});

export function stateOf(inv: Pick<Invitation, 'acceptedAt' | 'revokedAt' | 'expiresAt'>, now = new Date()): InvitationState {
  if (inv.acceptedAt) return 'accepted';
  if (inv.revokedAt) return 'revoked';
  return inv.expiresAt <= now.toISOString() ? 'expired' : 'open';
}

/** Two admins invited the same e-mail at the same moment; the unique index let only one through. */
export class InvitationConflict extends Error {}

/**
 * Invites `email` into an organisation, revoking any earlier open invitation of that e-mail there, and
 * returns the token for the link (shown once; not stored).
 */
export async function createInvitation(
  db: Kysely<Database>,
  input: { orgId: string; email: string; role: Role; department?: string | null; createdBy: string | null; days?: number },
  now = new Date(),
): Promise<{ invitation: Invitation; token: string }> {
  const token = randomBytes(32).toString('base64url');
  const row: Database['invitations'] = {
    org_id: input.orgId,
    id: `inv_${randomBytes(8).toString('hex')}`,
    email: normaliseEmail(input.email),
    role: input.role,
    department: input.role === 'owner' ? (input.department ?? null) : null,
    token_hash: sha256(token),
    created_by: input.createdBy,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + (input.days ?? INVITATION_DAYS) * DAY_MS).toISOString(),
    accepted_at: null,
    revoked_at: null,
  };
  try {
    await writeTransaction(db, async (tx) => {
      await openFor(tx, row.org_id, row.email).set({ revoked_at: row.created_at }).execute();
      await tx.insertInto('invitations').values(row).execute();
    });
  } catch (e) {
    // Lost a race with another invitation of the same e-mail: the partial unique index decided.
    const open = await db
      .selectFrom('invitations')
      .select('id')
      .where('org_id', '=', row.org_id)
      .where('email', '=', row.email)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
      .catch(() => undefined);
    if (open) throw new InvitationConflict(`${row.email} was invited by someone else just now`);
    throw e;
  }
  return { invitation: toInvitation(row), token };
}

const openFor = (db: Db, orgId: string, email: string) =>
  db.updateTable('invitations').where('org_id', '=', orgId).where('email', '=', email).where('accepted_at', 'is', null).where('revoked_at', 'is', null);

/** The organisation's invitations still waiting to be accepted (not expired), newest first. */
export async function listPendingInvitations(db: Db, orgId: string, now = new Date()): Promise<Invitation[]> {
  return (await pendingOf(db, orgId, now).execute()).map(toInvitation);
}

const pendingOf = (db: Db, orgId: string, now: Date) =>
  db
    .selectFrom('invitations')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .orderBy('created_at', 'desc')
    .orderBy('id');

/** One page of the pending invitations, newest first, after the cursor `after` (page-cursor.ts); throws BadCursor. */
export async function pagePendingInvitations(
  db: Db,
  orgId: string,
  opts: { limit: number; after?: string },
  now = new Date(),
): Promise<{ invitations: Invitation[]; next: string | null }> {
  const limit = Math.max(1, Math.min(MAX_PAGE, opts.limit));
  let q = pendingOf(db, orgId, now);
  if (opts.after) {
    const [at, id] = decodeCursor('invitations', opts.after, 2) as [string, string];
    q = q.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '>', id)])]));
  }
  const page = pageOf('invitations', await q.limit(limit + 1).execute(), limit, (r) => [r.created_at, r.id]);
  return { invitations: page.rows.map(toInvitation), next: page.next };
}

/** Withdraws an invitation not yet accepted; false when the organisation has no such one. */
export async function revokeInvitation(db: Db, orgId: string, id: string, now = new Date()): Promise<boolean> {
  const r = await db
    .updateTable('invitations')
    .set({ revoked_at: now.toISOString() })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The invitation a link's token belongs to, with its organisation's name; undefined when unknown. */
export async function findInvitation(db: Db, token: string): Promise<{ invitation: Invitation; orgName: string } | undefined> {
  if (!INVITATION_TOKEN.test(token)) return undefined;
  const r = await db
    .selectFrom('invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.org_id')
    .selectAll('i')
    .select('o.name as org_name')
    .where('i.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!r) return undefined;
  const { org_name, ...row } = r;
  return { invitation: toInvitation(row), orgName: org_name };
}

/** Whether an account with the invited e-mail exists: told only to whoever holds the link. */
export async function accountExists(db: Db, email: string): Promise<boolean> {
  return (await findUserByEmail(db, email)) !== undefined;
}

export type AcceptOutcome =
  | { ok: true; invitation: Invitation; userId: string; created: boolean }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'accepted' }
  /** The e-mail has an account: only that account, logged in, may accept. */
  | { ok: false; reason: 'log-in'; email: string; wrongAccount: boolean }
  /** No account yet, and no password was given to create one. */
  | { ok: false; reason: 'password-needed' }
  | { ok: false; reason: 'member-already'; orgId: string }
  /** Another request created the account a moment ago (e.g. accepting another organisation's link). */
  | { ok: false; reason: 'account-just-created'; email: string };

class Refused extends Error {
  constructor(public readonly outcome: AcceptOutcome) {
    super('refused');
  }
}

/**
 * Accepts an invitation, all or nothing: marks it accepted with a conditional update (so of two
 * concurrent uses of one token exactly one wins), creates the account when the e-mail has none and
 * `newAccount` gives its password hash, and adds the membership. An existing account joins only when
 * `callerUserId` is that account.
 */
export async function acceptInvitation(
  db: Kysely<Database>,
  token: string,
  who: { callerUserId: string | null; newAccount?: { name?: string; passwordHash: string } },
  now = new Date(),
): Promise<AcceptOutcome> {
  const found = await findInvitation(db, token);
  if (!found) return { ok: false, reason: 'unknown' };
  const inv = found.invitation;
  const at = now.toISOString();
  let creating = false;
  try {
    return await writeTransaction(db, async (tx) => {
      // First statement: on PostgreSQL it locks the row, so a concurrent accept waits here and then
      // finds it accepted; on SQLite the write lock taken by BEGIN IMMEDIATE serialises them.
      const claimed = await tx
        .updateTable('invitations')
        .set({ accepted_at: at })
        .where('org_id', '=', inv.orgId)
        .where('id', '=', inv.id)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) {
        const cur = await tx.selectFrom('invitations').selectAll().where('org_id', '=', inv.orgId).where('id', '=', inv.id).executeTakeFirstOrThrow();
        const state = stateOf(toInvitation(cur), now);
        throw new Refused({ ok: false, reason: state === 'open' ? 'accepted' : state });
      }
      const existing = await findUserByEmail(tx, inv.email);
      let userId: string;
      if (existing) {
        if (who.callerUserId !== existing.id) throw new Refused({ ok: false, reason: 'log-in', email: inv.email, wrongAccount: who.callerUserId !== null });
        userId = existing.id;
      } else {
        if (!who.newAccount) throw new Refused({ ok: false, reason: 'password-needed' });
        creating = true;
        userId = (await createUser(tx, { email: inv.email, name: who.newAccount.name, passwordHash: who.newAccount.passwordHash })).id;
      }
      if (await getMembership(tx, inv.orgId, userId)) throw new Refused({ ok: false, reason: 'member-already', orgId: inv.orgId });
      await addMembership(tx, { orgId: inv.orgId, userId, role: inv.role, department: inv.department });
      return { ok: true as const, invitation: { ...inv, acceptedAt: at }, userId, created: !existing };
    });
  } catch (e) {
    if (e instanceof Refused) return e.outcome;
    // The users.email unique index refused a second account made in the same instant (PostgreSQL
    // aborts the transaction on it, so this is only known once it has rolled back).
    if (!creating || !(await findUserByEmail(db, inv.email).catch(() => undefined))) throw e;
    return { ok: false, reason: 'account-just-created', email: inv.email };
  }
}
