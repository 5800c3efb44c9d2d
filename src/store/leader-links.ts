// Leaders' personal, single-use survey links (issue 7, hole 5). The leader survey's own id is no longer
// enough to answer it: a leader answers through a link made for them (or while logged in), so nobody can
// submit as a guessed leader or replace another leader's answers. A link's token is shown once, at
// creation; only its sha256 is stored. Using a link is a conditional update inside the transaction that
// stores the response, so two concurrent submissions with one link store one response.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { decodeCursor, MAX_PAGE, pageOf } from './page-cursor.ts';
import { sha256 } from './sessions.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** How long a link stays usable unless told otherwise. */
export const LEADER_LINK_DAYS = 30;
/** Most links one request may create (a leadership team, not a mailing list). */
export const MAX_LINKS_PER_REQUEST = 200;
const TOKEN_PREFIX = 'pl_';
export const LEADER_TOKEN_PATTERN = /^pl_[A-Za-z0-9_-]{20,64}$/;

export interface LeaderLink {
  id: string;
  function: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  /** Whether a response was stored with it (not when, nor which: see the migration). */
  used: boolean;
}

export interface NewLeaderLink extends LeaderLink {
  /** The secret, shown once: goes into the link as `?t=`. */
  token: string;
}

const toLink = (r: Database['leader_links']): LeaderLink => ({
  id: r.id,
  function: r.leader_function,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  used: r.used_at !== null,
});

export async function createLeaderLinks(
  db: Db,
  input: { orgId: string; createdBy: string; function?: string | null; count: number; days?: number },
  now = new Date(),
): Promise<NewLeaderLink[]> {
  const expires = new Date(now.getTime() + (input.days ?? LEADER_LINK_DAYS) * 24 * 3600 * 1000).toISOString();
  const links = Array.from({ length: input.count }, () => {
    const token = `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
    return {
      row: {
        org_id: input.orgId,
        id: `ll_${randomBytes(8).toString('hex')}`,
        token_hash: sha256(token),
        leader_function: input.function ?? null,
        created_by: input.createdBy,
        created_at: now.toISOString(),
        expires_at: expires,
        used_at: null,
        response_id: null,
      },
      token,
    };
  });
  if (links.length) await db.insertInto('leader_links').values(links.map((l) => l.row)).execute();
  return links.map((l) => ({ ...toLink(l.row), token: l.token }));
}

const linksOf = (db: Db, orgId: string) => db.selectFrom('leader_links').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id');

export async function listLeaderLinks(db: Db, orgId: string): Promise<LeaderLink[]> {
  return (await linksOf(db, orgId).execute()).map(toLink);
}

/** How many links were made and how many used, over every page (the set-up page's summary line). */
export async function leaderLinkTotals(db: Db, orgId: string): Promise<{ made: number; used: number }> {
  const r = await db
    .selectFrom('leader_links')
    .select((eb) => [eb.fn.countAll<number>().as('made'), eb.fn.count<number>('used_at').as('used')])
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return { made: Number(r.made), used: Number(r.used) };
}

/** One page of the links, oldest first, after the cursor `after` (page-cursor.ts); throws BadCursor. */
export async function pageLeaderLinks(db: Db, orgId: string, opts: { limit: number; after?: string }): Promise<{ links: LeaderLink[]; next: string | null }> {
  const limit = Math.max(1, Math.min(MAX_PAGE, opts.limit));
  let q = linksOf(db, orgId);
  if (opts.after) {
    const [at, id] = decodeCursor('leader-links', opts.after, 2) as [string, string];
    q = q.where((eb) => eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', id)])]));
  }
  const page = pageOf('leader-links', await q.limit(limit + 1).execute(), limit, (r) => [r.created_at, r.id]);
  return { links: page.rows.map(toLink), next: page.next };
}

/** Revokes (deletes) a link; a response already stored with it stays. False when there is no such link. */
export async function revokeLeaderLink(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('leader_links').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export type LinkState =
  | { ok: true; link: LeaderLink }
  | { ok: false; reason: 'unknown' | 'expired' }
  // A used link is still named, so that a retry of the very request that used it (same Idempotency-Key)
  // can be answered with the stored response; anything else is refused when the claim fails.
  | { ok: false; reason: 'used'; link: LeaderLink };

/** The link a token opens for an organisation's leader survey, or why it cannot be used. */
export async function findLeaderLink(db: Db, orgId: string, token: string, now = new Date()): Promise<LinkState> {
  if (!LEADER_TOKEN_PATTERN.test(token)) return { ok: false, reason: 'unknown' };
  const row = await db.selectFrom('leader_links').selectAll().where('org_id', '=', orgId).where('token_hash', '=', sha256(token)).executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.used_at !== null) return { ok: false, reason: 'used', link: toLink(row) };
  if (row.expires_at <= now.toISOString()) return { ok: false, reason: 'expired' };
  return { ok: true, link: toLink(row) };
}

export class LeaderLinkUsed extends Error {
  constructor() {
    super('this link has already been used (or has expired or been revoked)');
  }
}

/**
 * Marks a link used by a response, in the caller's transaction: a conditional update, so of two
 * concurrent submissions with one link exactly one succeeds; the other throws LeaderLinkUsed and its
 * transaction (the response with it) rolls back.
 */
export async function claimLeaderLink(tx: Transaction<Database>, orgId: string, linkId: string, responseId: string, now = new Date()): Promise<void> {
  const r = await tx
    .updateTable('leader_links')
    .set({ used_at: now.toISOString(), response_id: responseId })
    .where('org_id', '=', orgId)
    .where('id', '=', linkId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new LeaderLinkUsed();
}

/**
 * The respondent id of a leader answering through a link: derived from the link (so a retry of the same
 * request is recognised as one), but not the link's id, which admins see in the list of links.
 * Respondent ids are never shown by the API.
 */
export const linkRespondentId = (orgId: string, linkId: string) =>
  `leader:${createHash('sha256').update(`leader-link-respondent:${orgId}:${linkId}`).digest('base64url').slice(0, 22)}`;

/**
 * The respondent id of a member answering the leader survey while logged in: derived from the user and
 * the organisation, so their later answers replace their own earlier ones (and only theirs), and the
 * calibration report can show them their own line.
 */
export const memberRespondentId = (orgId: string, userId: string) =>
  `member:${createHash('sha256').update(`leader-respondent:${orgId}:${userId}`).digest('base64url').slice(0, 22)}`;
