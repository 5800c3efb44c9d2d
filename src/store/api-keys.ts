// API keys for integrations, scoped to one organisation with a role. The secret (`px_…`) is shown
// once at creation; only its sha256 is stored, so it can be checked but never shown again.
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { decodeCursor, MAX_PAGE, pageOf } from './page-cursor.ts';
import type { Role } from '../core/access.ts';
import { sha256 } from './sessions.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const API_KEY_PREFIX = 'px_';
const TOUCH_EVERY_MS = 60 * 1000;

export interface ApiKey {
  id: string;
  orgId: string;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const toKey = (r: Database['api_keys']): ApiKey => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  role: r.role,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export async function createApiKey(db: Db, input: { orgId: string; name: string; role: Role }): Promise<{ key: ApiKey; secret: string }> {
  const secret = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = {
    org_id: input.orgId,
    id: `key_${randomBytes(8).toString('hex')}`,
    name: input.name,
    key_hash: sha256(secret),
    role: input.role,
    created_at: new Date().toISOString(),
    last_used_at: null,
    revoked_at: null,
  };
  await db.insertInto('api_keys').values(row).execute();
  return { key: toKey(row), secret };
}

const keysOf = (db: Db, orgId: string) => db.selectFrom('api_keys').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id');

export async function listApiKeys(db: Db, orgId: string): Promise<ApiKey[]> {
  return (await keysOf(db, orgId).execute()).map(toKey);
}

/** One page of the keys (revoked ones too), oldest first, after the cursor `after` (page-cursor.ts); throws BadCursor. */
export async function pageApiKeys(db: Db, orgId: string, opts: { limit: number; after?: string }): Promise<{ apiKeys: ApiKey[]; next: string | null }> {
  const limit = Math.max(1, Math.min(MAX_PAGE, opts.limit));
  let q = keysOf(db, orgId);
  if (opts.after) {
    const [at, id] = decodeCursor('api-keys', opts.after, 2) as [string, string];
    q = q.where((eb) => eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', id)])]));
  }
  const page = pageOf('api-keys', await q.limit(limit + 1).execute(), limit, (r) => [r.created_at, r.id]);
  return { apiKeys: page.rows.map(toKey), next: page.next };
}

/** Revokes a key (kept for the audit trail); false when the organisation has no such live key. */
export async function revokeApiKey(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date().toISOString() })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The live key a secret belongs to (recording its use), or undefined when unknown or revoked. */
export async function useApiKey(db: Db, secret: string, now = new Date()): Promise<ApiKey | undefined> {
  if (!secret.startsWith(API_KEY_PREFIX) || secret.length > 200) return undefined;
  const r = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', sha256(secret)).executeTakeFirst();
  if (!r || r.revoked_at) return undefined;
  if (!r.last_used_at || now.getTime() - Date.parse(r.last_used_at) >= TOUCH_EVERY_MS) {
    r.last_used_at = now.toISOString();
    await db.updateTable('api_keys').set({ last_used_at: r.last_used_at }).where('org_id', '=', r.org_id).where('id', '=', r.id).execute();
  }
  return toKey(r);
}
