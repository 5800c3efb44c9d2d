// What the verbatims' full-text search (issue 14) needs besides the query itself (store/comments.ts):
// sealed page cursors and the matched ranges of a highlighted text.
//
// A cursor carries the last row's key — its response id among it, and a response id is a UUIDv7 whose first
// 48 bits are the submission time, which the verbatims never show. So the key travels encrypted and
// authenticated (AES-256-GCM) under a random secret of the organisation, stored (migration 0018) so that every
// server of a deployment and every restart reads the same one; a cursor of another organisation, another query
// or one altered by a byte fails to open. The secrets are never shown and are made on first use.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { MARK_END, MARK_START } from './engines/engine.ts';
import type { CommentKey, CommentSort } from './comments.ts';

/** A cursor that does not open: not one of ours, altered, of another query or organisation. */
export class CursorError extends Error {}

/** What a cursor holds: the key of the row a page starts after, and the query it belongs to. */
export interface CursorState {
  sort: CommentSort;
  key: CommentKey;
}

const secrets = new Map<string, Buffer>();
const MAX_CACHED = 256;

async function secretOf(db: Kysely<Database>, orgId: string): Promise<Buffer> {
  const hit = secrets.get(orgId);
  if (hit) return hit;
  // The table is not part of the typed schema: only this module reads it.
  const any = db as unknown as Kysely<{ comment_search_keys: { org_id: string; secret: string } }>;
  const read = () => any.selectFrom('comment_search_keys').select('secret').where('org_id', '=', orgId).executeTakeFirst();
  let row = await read();
  if (!row) {
    // Two servers may race to make it: the first insert wins and both read that one.
    await any.insertInto('comment_search_keys').values({ org_id: orgId, secret: randomBytes(32).toString('base64') }).onConflict((c) => c.column('org_id').doNothing()).execute();
    row = await read();
  }
  const key = Buffer.from(row!.secret, 'base64');
  if (secrets.size >= MAX_CACHED) secrets.delete(secrets.keys().next().value!);
  secrets.set(orgId, key);
  return key;
}

/** The query a cursor is bound to: any change of filters, search, sort or text shown starts over. */
export const queryFingerprint = (query: unknown): string => createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);

const IV = 12;
const TAG = 16;
const MAX_CURSOR_CHARS = 1000;

export async function sealCursor(db: Kysely<Database>, orgId: string, fingerprint: string, state: CursorState): Promise<string> {
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', await secretOf(db, orgId), iv);
  cipher.setAAD(Buffer.from(fingerprint));
  const body = Buffer.concat([cipher.update(JSON.stringify([state.sort, state.key.rank ?? null, state.key.month ?? null, state.key.id]), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

export async function openCursor(db: Kysely<Database>, orgId: string, fingerprint: string, cursor: string): Promise<CursorState> {
  const raw = cursor.length <= MAX_CURSOR_CHARS && /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url') : Buffer.alloc(0);
  if (raw.length < IV + TAG + 2) throw new CursorError('not a cursor of this list: start again without one');
  let text: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', await secretOf(db, orgId), raw.subarray(0, IV));
    decipher.setAAD(Buffer.from(fingerprint));
    decipher.setAuthTag(raw.subarray(raw.length - TAG));
    text = Buffer.concat([decipher.update(raw.subarray(IV, raw.length - TAG)), decipher.final()]).toString('utf8');
  } catch {
    throw new CursorError('this cursor belongs to another query (filters, search or sort changed) or was altered: start again without one');
  }
  const [sort, rank, month, id] = JSON.parse(text) as [CommentSort, number | null, string | null, string];
  return { sort, key: { id, ...(rank === null ? {} : { rank }), ...(month === null ? {} : { month }) } };
}

/**
 * The matched ranges of `shown` ([start, end) in UTF-16 units, what JavaScript strings index), read from
 * `marked`: the same text, or one folded character for character (PostgreSQL's accent folding), with
 * MARK_START/MARK_END around each match. Empty when the two do not line up (a text holding a marker itself).
 */
export function markedRanges(marked: string, shown: string): [number, number][] {
  if (shown.includes(MARK_START) || shown.includes(MARK_END)) return [];
  const chars = Array.from(shown);
  // UTF-16 offset of each code point (and of the end).
  const offsets: number[] = [0];
  for (const c of chars) offsets.push(offsets[offsets.length - 1]! + c.length);
  const ranges: [number, number][] = [];
  let at = 0; // code points of the unmarked text so far
  let open = -1;
  for (const c of marked) {
    if (c === MARK_START) open = at;
    else if (c === MARK_END) {
      if (open >= 0 && at > open) ranges.push([offsets[open]!, offsets[at]!]);
      open = -1;
    } else at++;
  }
  if (at !== chars.length) return [];
  // Words of one phrase are one range (as FTS5 marks them; PostgreSQL marks each word).
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const prev = merged[merged.length - 1];
    if (prev && /^\s*$/u.test(shown.slice(prev[1], r[0]))) prev[1] = r[1];
    else merged.push(r);
  }
  return merged;
}
