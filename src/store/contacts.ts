// Contacts as stored (migration 0013; shaping and checks in core/contacts.ts): upserted by e-mail per
// organisation, in one transaction per upload so a failed upload writes nothing. A re-upload updates the
// values it carries (segments merged by name; an empty cell leaves the stored value), never the status: an
// unsubscribed or bounced contact stays so for ever.
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { ContactContext, ContactKind, ContactRecord, ContactStatus } from '../core/contacts.ts';
import { getSegmentDeclarations } from './segments.ts';
import { writeTransaction } from './write-transaction.ts';
import { decodeCursor, MAX_PAGE, pageOf } from './page-cursor.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface Contact extends Omit<ContactRecord, 'kind'> {
  kind: ContactKind;
  id: string;
  status: ContactStatus;
  statusAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const toContact = (r: Database['contacts']): Contact => ({
  id: r.id,
  email: r.email,
  name: r.name,
  language: r.language,
  kind: r.kind,
  function: r.leader_function,
  touchpoint: r.touchpoint,
  segments: Object.assign(Object.create(null), JSON.parse(r.segments) as Record<string, string>),
  status: r.status,
  statusAt: r.status_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** What an organisation's contacts are checked against (core/contacts.ts). */
export async function contactContext(db: Db, orgId: string): Promise<ContactContext> {
  const tps = await db.selectFrom('touchpoints').select('key').where('org_id', '=', orgId).execute();
  return { segments: await getSegmentDeclarations(db, orgId), touchpoints: tps.map((t) => t.key) };
}

export interface UpsertOutcome {
  created: number;
  updated: number;
  /** Of those updated, how many stay unsubscribed or bounced (a re-upload does not revive them). */
  keptInactive: number;
}

const CHUNK = 400;

/** Adds new contacts and updates known ones (by e-mail); with dryRun, counts what it would do and writes nothing. */
export async function upsertContacts(db: Kysely<Database>, orgId: string, records: readonly ContactRecord[], opts: { dryRun?: boolean; now?: Date } = {}): Promise<UpsertOutcome> {
  const now = (opts.now ?? new Date()).toISOString();
  const work = async (tx: Db): Promise<UpsertOutcome> => {
    const out: UpsertOutcome = { created: 0, updated: 0, keptInactive: 0 };
    for (let i = 0; i < records.length; i += CHUNK) {
      const chunk = records.slice(i, i + CHUNK);
      const existing = await tx.selectFrom('contacts').selectAll().where('org_id', '=', orgId).where('email', 'in', chunk.map((c) => c.email)).execute();
      const byEmail = new Map(existing.map((e) => [e.email, e]));
      const fresh = chunk.filter((c) => !byEmail.has(c.email));
      out.created += fresh.length;
      if (!opts.dryRun && fresh.length)
        await tx
          .insertInto('contacts')
          .values(
            fresh.map((c) => ({
              org_id: orgId,
              id: `ct_${randomBytes(9).toString('base64url')}`,
              email: c.email,
              name: c.name,
              language: c.language,
              kind: c.kind ?? 'customer',
              leader_function: c.function,
              segments: JSON.stringify(c.segments),
              touchpoint: c.touchpoint,
              status: 'active' as const,
              status_at: null,
              created_at: now,
              updated_at: now,
            })),
          )
          .execute();
      for (const c of chunk) {
        const e = byEmail.get(c.email);
        if (!e) continue;
        out.updated++;
        if (e.status !== 'active') out.keptInactive++;
        if (!opts.dryRun)
          await tx
            .updateTable('contacts')
            .set({
              name: c.name ?? e.name,
              language: c.language ?? e.language,
              kind: c.kind ?? e.kind,
              leader_function: c.function ?? e.leader_function,
              segments: JSON.stringify({ ...(JSON.parse(e.segments) as Record<string, string>), ...c.segments }),
              touchpoint: c.touchpoint ?? e.touchpoint,
              updated_at: now,
            })
            .where('org_id', '=', orgId)
            .where('id', '=', e.id)
            .execute();
      }
    }
    return out;
  };
  return opts.dryRun ? work(db) : writeTransaction(db, work);
}

/**
 * One page of an organisation's contacts by e-mail (unique in the organisation), after the cursor `after`
 * (page-cursor.ts; throws BadCursor), with how many match the filters in all.
 */
export async function listContacts(
  db: Db,
  orgId: string,
  opts: { kind?: ContactKind; status?: ContactStatus; limit?: number; after?: string } = {},
): Promise<{ contacts: Contact[]; total: number; next: string | null }> {
  const limit = Math.max(1, Math.min(MAX_PAGE, opts.limit ?? 100));
  const after = opts.after === undefined ? undefined : decodeCursor('contacts', opts.after, 1)[0]!;
  let q = db.selectFrom('contacts').where('org_id', '=', orgId);
  if (opts.kind) q = q.where('kind', '=', opts.kind);
  if (opts.status) q = q.where('status', '=', opts.status);
  const total = Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  if (after !== undefined) q = q.where('email', '>', after);
  const rows = await q
    .selectAll()
    .orderBy('email')
    .limit(limit + 1)
    .execute();
  const page = pageOf('contacts', rows, limit, (r) => [r.email]);
  return { contacts: page.rows.map(toContact), total, next: page.next };
}

export async function getContact(db: Db, orgId: string, id: string): Promise<Contact | undefined> {
  const r = await db.selectFrom('contacts').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return r && toContact(r);
}

/**
 * Marks a contact unsubscribed or bounced, and cancels the messages still queued for them. Only an active
 * contact changes: the first of the two to happen stays. True when the contact is (now or already) inactive.
 */
export async function deactivateContact(db: Db, orgId: string, contactId: string, status: 'unsubscribed' | 'bounced', now = new Date()): Promise<boolean> {
  await db
    .updateTable('contacts')
    .set({ status, status_at: now.toISOString() })
    .where('org_id', '=', orgId)
    .where('id', '=', contactId)
    .where('status', '=', 'active')
    .execute();
  const invitations = db.selectFrom('survey_invitations').select('id').where('org_id', '=', orgId).where('contact_id', '=', contactId);
  await db
    .updateTable('mail_jobs')
    .set({ state: 'cancelled', last_error: `contact ${status}` })
    .where('org_id', '=', orgId)
    .where('state', '=', 'queued')
    .where('invitation_id', 'in', invitations)
    .execute();
  return true;
}
