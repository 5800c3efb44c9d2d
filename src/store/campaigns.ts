// Campaigns as stored (migration 0013; the pure rules in core/campaigns.ts): a campaign picks its contacts
// when it is made and queues one invitation message each (mail-jobs.ts sends them, at send_at); reminders
// are queued later to those who have not answered. An invitation's tokens — only their sha256 kept, like
// leader links — open the survey as that contact (filling their segments and touchpoint) and are claimed
// inside the transaction that stores the response, so an invitation answers once. A message's tracking
// image carries a third token that records only the invitation's first open (migration 0017).
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { sha256 } from './sessions.ts';
import { writeTransaction } from './write-transaction.ts';
import { toContact, type Contact } from './contacts.ts';
import { queuedMailJob } from './mail-jobs.ts';
import type { ContactRecord } from '../core/contacts.ts';
import { campaignRates, matchesFilter, reminderDue, type CampaignFilter, type CampaignRates } from '../core/campaigns.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Most contacts one campaign may invite. */
export const MAX_CAMPAIGN_CONTACTS = 50_000;

export interface Campaign {
  id: string;
  name: string;
  surveyId: string;
  perspective: 'customer' | 'leader';
  filter: CampaignFilter;
  subject: string;
  body: string;
  senderName: string;
  sendAt: string;
  reminderDays: number | null;
  maxReminders: number;
  createdBy: string;
  createdAt: string;
}

const toCampaign = (r: Database['campaigns']): Campaign => ({
  id: r.id,
  name: r.name,
  surveyId: r.survey_id,
  perspective: r.perspective,
  filter: JSON.parse(r.filter) as CampaignFilter,
  subject: r.subject,
  body: r.body,
  senderName: r.sender_name,
  sendAt: r.send_at,
  reminderDays: Number(r.reminder_days) || null,
  maxReminders: Number(r.max_reminders),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export class TooManyContacts extends Error {}

const newId = (prefix: string) => `${prefix}_${randomBytes(9).toString('base64url')}`;

/** Makes a campaign: its invitations and their first messages, queued for sendAt, in one transaction. */
export async function createCampaign(
  db: Kysely<Database>,
  orgId: string,
  c: Omit<Campaign, 'id' | 'createdAt'>,
  now = new Date(),
): Promise<{ campaign: Campaign; invited: number }> {
  return writeTransaction(db, async (tx) => {
    const rows = await tx.selectFrom('contacts').selectAll().where('org_id', '=', orgId).where('kind', '=', c.perspective).where('status', '=', 'active').execute();
    const picked = rows.map(toContact).filter((ct) => matchesFilter(ct, c.perspective, c.filter));
    if (picked.length > MAX_CAMPAIGN_CONTACTS) throw new TooManyContacts(`the filter picks ${picked.length} contacts; a campaign may invite at most ${MAX_CAMPAIGN_CONTACTS}`);
    const row: Database['campaigns'] = {
      org_id: orgId,
      id: newId('cp'),
      name: c.name,
      survey_id: c.surveyId,
      perspective: c.perspective,
      filter: JSON.stringify(c.filter),
      subject: c.subject,
      body: c.body,
      sender_name: c.senderName,
      send_at: c.sendAt,
      reminder_days: c.reminderDays ?? 0,
      max_reminders: c.maxReminders,
      created_by: c.createdBy,
      created_at: now.toISOString(),
    };
    await tx.insertInto('campaigns').values(row).execute();
    for (let i = 0; i < picked.length; i += 300) {
      const invs = picked.slice(i, i + 300).map((ct) => ({
        org_id: orgId,
        id: newId('iv'),
        campaign_id: row.id,
        contact_id: ct.id,
        touchpoint: null,
        created_at: row.created_at,
        delivered_at: null,
        last_mailed_at: null,
        reminders: 0,
        bounced_at: null,
        started_at: null,
        opened_at: null,
        used_at: null,
        response_id: null,
      }));
      await tx.insertInto('survey_invitations').values(invs).execute();
      await tx
        .insertInto('mail_jobs')
        .values(invs.map((iv) => ({ ...queuedMailJob(orgId, iv.id, 'invitation', c.sendAt), created_at: row.created_at })))
        .execute();
    }
    return { campaign: toCampaign(row), invited: picked.length };
  });
}

export async function getCampaign(db: Db, orgId: string, id: string): Promise<Campaign | undefined> {
  const r = await db.selectFrom('campaigns').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return r && toCampaign(r);
}

export async function listCampaigns(db: Db, orgId: string): Promise<Campaign[]> {
  const rows = await db.selectFrom('campaigns').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').orderBy('id').limit(500).execute();
  return rows.map(toCampaign);
}

/** How many contacts the organisation has of each kind and status: who a campaign can reach, at a glance. */
export async function contactCounts(db: Db, orgId: string): Promise<{ kind: 'customer' | 'leader'; status: 'active' | 'unsubscribed' | 'bounced'; count: number }[]> {
  const rows = await db
    .selectFrom('contacts')
    .where('org_id', '=', orgId)
    .select((eb) => ['kind', 'status', eb.fn.countAll().as('n')])
    .groupBy(['kind', 'status'])
    .orderBy('kind')
    .orderBy('status')
    .execute();
  return rows.map((r) => ({ kind: r.kind, status: r.status, count: Number(r.n) }));
}

/**
 * A campaign's counts and response rate (core/campaigns.ts), with `opened`: invitations whose tracking
 * image loaded or whose link was followed — a lower bound, since many mail clients block images.
 */
export async function campaignStats(db: Db, orgId: string, campaignId: string): Promise<CampaignRates & { opened: number }> {
  const n = (x: unknown) => Number(x ?? 0);
  const inv = await db
    .selectFrom('survey_invitations as i')
    .innerJoin('contacts as c', (j) => j.onRef('c.org_id', '=', 'i.org_id').onRef('c.id', '=', 'i.contact_id'))
    .where('i.org_id', '=', orgId)
    .where('i.campaign_id', '=', campaignId)
    .select((eb) => [
      eb.fn.countAll().as('invited'),
      eb.fn.count('i.delivered_at').as('delivered'),
      eb.fn.count('i.bounced_at').as('bounced'),
      eb.fn.count('i.started_at').as('started'),
      eb.fn.count('i.opened_at').as('opened'),
      eb.fn.count('i.used_at').as('completed'),
      eb.fn.sum(sql<number>`case when c.status = 'unsubscribed' then 1 else 0 end`).as('unsubscribed'),
      eb.fn.sum(sql<number>`case when i.delivered_at is not null or i.bounced_at is not null then 1 else 0 end`).as('sent'),
    ])
    .executeTakeFirstOrThrow();
  const rates = campaignRates({
    invited: n(inv.invited),
    sent: n(inv.sent),
    delivered: n(inv.delivered),
    started: n(inv.started),
    completed: n(inv.completed),
    unsubscribed: n(inv.unsubscribed),
    bounced: n(inv.bounced),
  });
  return { ...rates, opened: n(inv.opened) };
}

/**
 * Queues the reminders that are due: to invitations not answered, whose contact is still active, whose
 * last message was accepted at least reminderDays ago, fewer than maxReminders times. The count is
 * raised by a conditional update, so two servers queue one reminder, not two. Returns how many.
 */
export async function queueDueReminders(db: Kysely<Database>, now = new Date()): Promise<number> {
  const candidates = await db
    .selectFrom('survey_invitations as i')
    .innerJoin('campaigns as cp', (j) => j.onRef('cp.org_id', '=', 'i.org_id').onRef('cp.id', '=', 'i.campaign_id'))
    .innerJoin('contacts as c', (j) => j.onRef('c.org_id', '=', 'i.org_id').onRef('c.id', '=', 'i.contact_id'))
    .where('cp.max_reminders', '>', 0)
    .where('i.used_at', 'is', null)
    .where('i.bounced_at', 'is', null)
    .where('i.last_mailed_at', 'is not', null)
    .whereRef('i.reminders', '<', 'cp.max_reminders')
    .where('c.status', '=', 'active')
    .select(['i.org_id', 'i.id', 'i.reminders', 'i.last_mailed_at', 'cp.reminder_days', 'cp.max_reminders'])
    .limit(5000)
    .execute();
  let queued = 0;
  for (const r of candidates) {
    const due = reminderDue({ lastMailedAt: r.last_mailed_at, reminders: Number(r.reminders), answered: false }, { reminderDays: Number(r.reminder_days), maxReminders: Number(r.max_reminders) }, now);
    if (!due) continue;
    const did = await writeTransaction(db, async (tx) => {
      const u = await tx
        .updateTable('survey_invitations')
        .set({ reminders: Number(r.reminders) + 1 })
        .where('org_id', '=', r.org_id)
        .where('id', '=', r.id)
        .where('reminders', '=', Number(r.reminders))
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(u.numUpdatedRows) !== 1) return false;
      await tx
        .insertInto('mail_jobs')
        .values(queuedMailJob(r.org_id, r.id, 'reminder', now.toISOString()))
        .execute();
      return true;
    });
    if (did) queued++;
  }
  return queued;
}

// ---- Tokens -------------------------------------------------------------------------------------------

export const ANSWER_TOKEN_PATTERN = /^pi_[A-Za-z0-9_-]{20,64}$/;
export const UNSUBSCRIBE_TOKEN_PATTERN = /^pu_[A-Za-z0-9_-]{20,64}$/;
export const OPEN_TOKEN_PATTERN = /^po_[A-Za-z0-9_-]{20,64}$/;

export interface MessageTokens {
  /** Opens the survey as the invitation (`?i=`). */
  answer: string;
  unsubscribe: string;
  /** Names the message's tracking image: it records an open, nothing more, so an image proxy holding it can do no harm. */
  open: string;
}

/** Makes a message's tokens and stores their hashes; the tokens go into that message only. */
export async function issueTokens(db: Db, orgId: string, invitationId: string, contactId: string, now = new Date()): Promise<MessageTokens> {
  const answer = `pi_${randomBytes(24).toString('base64url')}`;
  const unsubscribe = `pu_${randomBytes(24).toString('base64url')}`;
  const open = `po_${randomBytes(24).toString('base64url')}`;
  const base = { org_id: orgId, invitation_id: invitationId, contact_id: contactId, created_at: now.toISOString() };
  await db
    .insertInto('mail_tokens')
    .values([
      { ...base, token_hash: sha256(answer), purpose: 'answer' },
      { ...base, token_hash: sha256(unsubscribe), purpose: 'unsubscribe' },
      { ...base, token_hash: sha256(open), purpose: 'open' },
    ])
    .execute();
  return { answer, unsubscribe, open };
}

/** Forgets tokens of a message that was never sent (a failed attempt): nobody holds them. */
export async function dropTokens(db: Db, tokens: MessageTokens): Promise<void> {
  await db.deleteFrom('mail_tokens').where('token_hash', 'in', [sha256(tokens.answer), sha256(tokens.unsubscribe), sha256(tokens.open)]).execute();
}

/**
 * Records the first open of the invitation a tracking-image token names. Returns whether the token was
 * known; an unknown or malformed one records nothing (the image is served the same either way).
 */
export async function markOpened(db: Db, token: string, now = new Date()): Promise<boolean> {
  if (!OPEN_TOKEN_PATTERN.test(token)) return false;
  const t = await db.selectFrom('mail_tokens').select(['org_id', 'invitation_id']).where('token_hash', '=', sha256(token)).where('purpose', '=', 'open').executeTakeFirst();
  if (!t) return false;
  await db.updateTable('survey_invitations').set({ opened_at: now.toISOString() }).where('org_id', '=', t.org_id).where('id', '=', t.invitation_id).where('opened_at', 'is', null).execute();
  return true;
}

export interface InvitationHolder {
  invitationId: string;
  campaignId: string;
  surveyId: string;
  contact: Contact;
  /** The invitation's own touchpoint (a triggered one), else null. */
  touchpoint: string | null;
  used: boolean;
}

/** Whom an answer token invites to which survey; undefined when it is unknown (or of another organisation's survey). */
export async function findInvitation(db: Db, token: string): Promise<InvitationHolder | undefined> {
  if (!ANSWER_TOKEN_PATTERN.test(token)) return undefined;
  const t = await db.selectFrom('mail_tokens').selectAll().where('token_hash', '=', sha256(token)).where('purpose', '=', 'answer').executeTakeFirst();
  if (!t) return undefined;
  const r = await db
    .selectFrom('survey_invitations as i')
    .innerJoin('campaigns as cp', (j) => j.onRef('cp.org_id', '=', 'i.org_id').onRef('cp.id', '=', 'i.campaign_id'))
    .innerJoin('contacts as c', (j) => j.onRef('c.org_id', '=', 'i.org_id').onRef('c.id', '=', 'i.contact_id'))
    .where('i.org_id', '=', t.org_id)
    .where('i.id', '=', t.invitation_id)
    .selectAll('c')
    .select(['i.id as invitation_id', 'i.campaign_id', 'i.used_at', 'i.touchpoint as invitation_touchpoint', 'cp.survey_id'])
    .executeTakeFirst();
  if (!r) return undefined;
  const { invitation_id, campaign_id, used_at, survey_id, invitation_touchpoint, ...contact } = r;
  return { invitationId: invitation_id, campaignId: campaign_id, surveyId: survey_id, contact: toContact(contact as Database['contacts']), touchpoint: invitation_touchpoint, used: used_at !== null };
}

/** Records that the survey page was opened with the invitation (the first time only); following the link is an open too. */
export async function markStarted(db: Db, orgId: string, invitationId: string, now = new Date()): Promise<void> {
  const at = now.toISOString();
  await db
    .updateTable('survey_invitations')
    .set({ started_at: sql`coalesce(started_at, ${at})`, opened_at: sql`coalesce(opened_at, ${at})` })
    .where('org_id', '=', orgId)
    .where('id', '=', invitationId)
    .where((eb) => eb.or([eb('started_at', 'is', null), eb('opened_at', 'is', null)]))
    .execute();
}

export class InvitationUsed extends Error {
  constructor() {
    super('this invitation has already been answered: each invitation takes one response');
  }
}

/**
 * Uses an invitation up, in the transaction that stores its response: a conditional update, so of two
 * concurrent submissions exactly one succeeds; the other throws InvitationUsed and its response rolls back.
 * Stops reminders too (they go only to invitations not used).
 */
export async function claimInvitation(tx: Transaction<Database>, orgId: string, invitationId: string, responseId: string, now = new Date()): Promise<void> {
  const r = await tx
    .updateTable('survey_invitations')
    .set({ used_at: now.toISOString(), response_id: responseId, started_at: sql`coalesce(started_at, ${now.toISOString()})`, opened_at: sql`coalesce(opened_at, ${now.toISOString()})` })
    .where('org_id', '=', orgId)
    .where('id', '=', invitationId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new InvitationUsed();
  await tx.updateTable('mail_jobs').set({ state: 'cancelled', last_error: 'answered' }).where('org_id', '=', orgId).where('invitation_id', '=', invitationId).where('state', '=', 'queued').execute();
}

/** The respondent id of an invitation's response: derived from it (a retry is one response), not its id. */
export const invitationRespondentId = (orgId: string, invitationId: string) =>
  `invite:${createHash('sha256').update(`invitation-respondent:${orgId}:${invitationId}`).digest('base64url').slice(0, 22)}`;

/** The contact an unsubscribe token names, or undefined. */
export async function findUnsubscribe(db: Db, token: string): Promise<{ orgId: string; contactId: string } | undefined> {
  if (!UNSUBSCRIBE_TOKEN_PATTERN.test(token)) return undefined;
  const t = await db.selectFrom('mail_tokens').select(['org_id', 'contact_id']).where('token_hash', '=', sha256(token)).where('purpose', '=', 'unsubscribe').executeTakeFirst();
  return t && { orgId: t.org_id, contactId: t.contact_id };
}

// ---- Triggered invitations ------------------------------------------------------------------------------

export type TriggerOutcome =
  | { queued: true; invitationId: string; campaignId: string; contactId: string }
  | { queued: false; reason: 'quiet_period' | 'unsubscribed' | 'bounced' | 'not_a_leader' | 'not_a_customer'; contactId: string; lastInvitedAt?: string };

/** The campaign that holds an organisation's triggered invitations of one perspective (made on first use). */
export const triggeredCampaignId = (perspective: 'customer' | 'leader') => `cp_triggered_${perspective}`;

/**
 * One invitation sent because something happened (a help-desk ticket closed): the contact is added if
 * new (an existing one keeps their details and status), and invited about `touchpoint` unless they are
 * inactive or were invited — by any campaign — within the last `quietDays`. The contact's row is locked
 * first (PostgreSQL: row lock; SQLite: the write lock), so two triggers at once invite them once.
 */
export async function triggerInvitation(
  db: Kysely<Database>,
  orgId: string,
  input: {
    contact: ContactRecord;
    touchpoint: string | null;
    perspective: 'customer' | 'leader';
    surveyId: string;
    quietDays: number;
    campaign: { subject: string; body: string; senderName: string; createdBy: string };
  },
  now = new Date(),
): Promise<TriggerOutcome> {
  const at = now.toISOString();
  return writeTransaction(db, async (tx) => {
    await tx
      .insertInto('contacts')
      .values({
        org_id: orgId,
        id: newId('ct'),
        email: input.contact.email,
        name: input.contact.name,
        language: input.contact.language,
        kind: input.contact.kind ?? input.perspective,
        leader_function: input.contact.function,
        segments: JSON.stringify(input.contact.segments),
        touchpoint: input.contact.touchpoint,
        status: 'active',
        status_at: null,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(['org_id', 'email']).doNothing())
      .execute();
    // The lock that orders concurrent triggers for this contact.
    await tx.updateTable('contacts').set({ updated_at: at }).where('org_id', '=', orgId).where('email', '=', input.contact.email).execute();
    const contact = toContact(await tx.selectFrom('contacts').selectAll().where('org_id', '=', orgId).where('email', '=', input.contact.email).executeTakeFirstOrThrow());
    if (contact.status !== 'active') return { queued: false, reason: contact.status, contactId: contact.id };
    if (contact.kind !== input.perspective) return { queued: false, reason: input.perspective === 'leader' ? 'not_a_leader' : 'not_a_customer', contactId: contact.id };
    const since = new Date(now.getTime() - input.quietDays * 86_400_000).toISOString();
    const last = await tx
      .selectFrom('survey_invitations')
      .select('created_at')
      .where('org_id', '=', orgId)
      .where('contact_id', '=', contact.id)
      .where('created_at', '>', since)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (last) return { queued: false, reason: 'quiet_period', contactId: contact.id, lastInvitedAt: last.created_at };
    const campaignId = triggeredCampaignId(input.perspective);
    await tx
      .insertInto('campaigns')
      .values({
        org_id: orgId,
        id: campaignId,
        name: `Triggered invitations (${input.perspective})`,
        survey_id: input.surveyId,
        perspective: input.perspective,
        filter: '{}',
        subject: input.campaign.subject,
        body: input.campaign.body,
        sender_name: input.campaign.senderName,
        send_at: at,
        reminder_days: 0,
        max_reminders: 0,
        created_by: input.campaign.createdBy,
        created_at: at,
      })
      .onConflict((oc) => oc.columns(['org_id', 'id']).doNothing())
      .execute();
    const invitationId = newId('iv');
    await tx
      .insertInto('survey_invitations')
      .values({ org_id: orgId, id: invitationId, campaign_id: campaignId, contact_id: contact.id, touchpoint: input.touchpoint, created_at: at, delivered_at: null, last_mailed_at: null, reminders: 0, bounced_at: null, started_at: null, opened_at: null, used_at: null, response_id: null })
      .execute();
    await tx
      .insertInto('mail_jobs')
      .values(queuedMailJob(orgId, invitationId, 'invitation', at))
      .execute();
    return { queued: true, invitationId, campaignId, contactId: contact.id };
  });
}

/**
 * One row per delivered invitation of a campaign, for the non-response check (core/nonresponse.ts): the
 * contact's segments and the touchpoint (the invitation's, else the contact's), and whether it was answered.
 */
export async function deliveredUnits(db: Db, orgId: string, campaignId: string): Promise<{ attributes: Record<string, string>; responded: boolean }[]> {
  const rows = await db
    .selectFrom('survey_invitations as i')
    .innerJoin('contacts as c', (j) => j.onRef('c.org_id', '=', 'i.org_id').onRef('c.id', '=', 'i.contact_id'))
    .where('i.org_id', '=', orgId)
    .where('i.campaign_id', '=', campaignId)
    .where('i.delivered_at', 'is not', null)
    .select(['c.segments', 'c.touchpoint as contact_touchpoint', 'i.touchpoint', 'i.used_at'])
    .limit(MAX_CAMPAIGN_CONTACTS * 2)
    .execute();
  return rows.map((r) => {
    const attributes: Record<string, string> = Object.assign(Object.create(null), JSON.parse(r.segments) as Record<string, string>);
    const tp = r.touchpoint ?? r.contact_touchpoint;
    if (tp) attributes.touchpoint = tp;
    return { attributes, responded: r.used_at !== null };
  });
}

/** A delivered invitation for the post-stratified gap report, with the cell of its response when one is stored. */
export interface WeightingUnit {
  attributes: Record<string, string>;
  response: { id: string; month: string; touchpoint: string; segmentKey: string } | null;
}

/**
 * The delivered invitations of a campaign with their contact's attributes (as deliveredUnits) and the
 * response each brought, if it is still stored (an erased response leaves its invitation without one):
 * the population and the respondents of reports/weighted-gap.ts.
 */
export async function weightingUnits(db: Db, orgId: string, campaignId: string): Promise<WeightingUnit[]> {
  const rows = await db
    .selectFrom('survey_invitations as i')
    .innerJoin('contacts as c', (j) => j.onRef('c.org_id', '=', 'i.org_id').onRef('c.id', '=', 'i.contact_id'))
    .leftJoin('responses as r', (j) => j.onRef('r.org_id', '=', 'i.org_id').onRef('r.id', '=', 'i.response_id'))
    .where('i.org_id', '=', orgId)
    .where('i.campaign_id', '=', campaignId)
    .where('i.delivered_at', 'is not', null)
    .select(['c.segments', 'c.touchpoint as contact_touchpoint', 'i.touchpoint', 'r.id as response_id', 'r.month', 'r.touchpoint as response_touchpoint', 'r.segment_key'])
    .limit(MAX_CAMPAIGN_CONTACTS * 2)
    .execute();
  return rows.map((r) => {
    const attributes: Record<string, string> = Object.assign(Object.create(null), JSON.parse(r.segments) as Record<string, string>);
    const tp = r.touchpoint ?? r.contact_touchpoint;
    if (tp) attributes.touchpoint = tp;
    const response = r.response_id ? { id: r.response_id, month: r.month!, touchpoint: r.response_touchpoint!, segmentKey: r.segment_key! } : null;
    return { attributes, response };
  });
}
