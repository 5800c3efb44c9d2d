// Login sessions. The browser holds a random token; the database holds only its sha256 (the
// session id), so a copy of the database cannot be replayed as a cookie. Expiry slides: each use
// pushes it SESSION_DAYS ahead (written at most once a minute per session).
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const SESSION_DAYS = 14;
const SESSION_MS = SESSION_DAYS * 24 * 3600 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

export interface Session {
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const toSession = (r: Database['sessions']): Session => ({
  id: r.id,
  userId: r.user_id,
  csrfToken: r.csrf_token,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastSeenAt: r.last_seen_at,
});

/** Starts a session; `token` goes into the cookie and is not stored. */
export async function createSession(db: Db, userId: string, now = new Date()): Promise<{ token: string; session: Session }> {
  const token = randomBytes(32).toString('base64url');
  const row = {
    id: sha256(token),
    user_id: userId,
    csrf_token: randomBytes(32).toString('base64url'),
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + SESSION_MS).toISOString(),
    last_seen_at: now.toISOString(),
  };
  await db.insertInto('sessions').values(row).execute();
  return { token, session: toSession(row) };
}

/**
 * The live session for a cookie token, its expiry slid forward; undefined when unknown or expired
 * (an expired one is deleted). `touched` says whether the expiry moved, so the cookie can follow.
 */
export async function useSession(db: Db, token: string, now = new Date()): Promise<{ session: Session; touched: boolean } | undefined> {
  if (!token || token.length > 200) return undefined;
  const id = sha256(token);
  const r = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  if (r.expires_at <= now.toISOString()) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return undefined;
  }
  const session = toSession(r);
  if (now.getTime() - Date.parse(r.last_seen_at) < TOUCH_EVERY_MS) return { session, touched: false };
  session.lastSeenAt = now.toISOString();
  session.expiresAt = new Date(now.getTime() + SESSION_MS).toISOString();
  await db.updateTable('sessions').set({ last_seen_at: session.lastSeenAt, expires_at: session.expiresAt }).where('id', '=', id).execute();
  return { session, touched: true };
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every session of a user except `keep` (after a password change). */
export async function deleteOtherSessions(db: Db, userId: string, keep: string | null): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) q = q.where('id', '<>', keep);
  await q.execute();
}

/** Housekeeping: drops expired sessions. */
export async function deleteExpiredSessions(db: Db, now = new Date()): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).execute();
}
