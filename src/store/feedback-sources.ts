// An organisation's declared feedback sources (issue 9; table feedback_sources, migration 0027): a name, the
// channel its items come from, and the signing secret of its inbound webhook (POST /hooks/feedback/:id). The
// secret is shown once, when the source is created; it is kept as is because it is an HMAC key.
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { writeTransaction } from './write-transaction.ts';
import { newWebhookSecret } from '../core/webhooks/webhooks.ts';
import type { FeedbackChannel } from '../core/feedback.ts';
import { deleteFeedbackItems } from './feedback.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface FeedbackSource {
  id: string;
  name: string;
  channel: FeedbackChannel;
  createdAt: string;
}

/** At most this many sources per organisation (each is an inbound URL with its secret). */
export const MAX_FEEDBACK_SOURCES = 100;

export class TooManyFeedbackSources extends Error {}

const view = (r: { id: string; name: string; channel: string; created_at: string }): FeedbackSource => ({
  id: r.id,
  name: r.name,
  channel: r.channel as FeedbackChannel,
  createdAt: r.created_at,
});

export async function listFeedbackSources(db: Db, orgId: string): Promise<FeedbackSource[]> {
  const rows = await db.selectFrom('feedback_sources').select(['id', 'name', 'channel', 'created_at']).where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
  return rows.map(view);
}

/** Creates a source; the answer carries its signing secret, the only time it is shown. */
export async function createFeedbackSource(db: Kysely<Database>, orgId: string, name: string, channel: FeedbackChannel): Promise<FeedbackSource & { secret: string }> {
  // The id is the webhook's URL path: unguessable is not required (the signature is), but it names no one.
  const id = `fsrc_${randomBytes(9).toString('base64url')}`;
  const secret = newWebhookSecret();
  const createdAt = new Date().toISOString();
  await writeTransaction(db, async (tx) => {
    const n = await tx.selectFrom('feedback_sources').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', orgId).executeTakeFirst();
    if (Number(n?.n ?? 0) >= MAX_FEEDBACK_SOURCES) throw new TooManyFeedbackSources(`at most ${MAX_FEEDBACK_SOURCES} feedback sources per organisation`);
    await tx.insertInto('feedback_sources').values({ org_id: orgId, id, name, channel, secret, created_at: createdAt }).execute();
  });
  return { id, name, channel, createdAt, secret };
}

/** A source by its id alone (the inbound webhook's URL), with its organisation and secret. */
export async function feedbackSourceForHook(db: Db, id: string): Promise<{ orgId: string; id: string; channel: FeedbackChannel; secret: string } | undefined> {
  const r = await db.selectFrom('feedback_sources').select(['org_id', 'id', 'channel', 'secret']).where('id', '=', id).executeTakeFirst();
  return r && { orgId: r.org_id, id: r.id, channel: r.channel as FeedbackChannel, secret: r.secret };
}

/** Deletes a source and every item it brought (their analysis too); false when there was none. */
export async function deleteFeedbackSource(db: Kysely<Database>, orgId: string, id: string): Promise<boolean> {
  return writeTransaction(db, async (tx) => {
    const found = await tx.selectFrom('feedback_sources').select('id').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!found) return false;
    const ids = (await tx.selectFrom('feedback_items').select('id').where('org_id', '=', orgId).where('source_id', '=', id).execute()).map((r) => r.id);
    await deleteFeedbackItems(tx, orgId, ids);
    await tx.deleteFrom('feedback_receipts').where('org_id', '=', orgId).where('key', 'like', `hook:${id}:%`).execute();
    await tx.deleteFrom('feedback_sources').where('org_id', '=', orgId).where('id', '=', id).execute();
    return true;
  });
}
