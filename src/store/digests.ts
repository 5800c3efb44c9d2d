// The weekly digest's storage (issue 13, migration 0023): each organisation's schedule (weekday and hour,
// UTC), each member's choice (weekly or off), and the queuing of one digest per opted-in member and week —
// the row's unique key (org, member, week) makes a second check, on this server or another, queue nothing
// more. Each digest is sent by the mail runner as a mail job of kind 'digest' (src/mail/digest-mail.ts).
// Each message carries a one-click opt-out link (migration 0026): a random token bound to the member.
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { Role } from '../core/access.ts';
import { writeTransaction } from './write-transaction.ts';
import { queuedMailJob } from './mail-jobs.ts';
import { sha256 } from './sessions.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface DigestSchedulesTable {
  org_id: string;
  weekday: number;
  hour: number;
  updated_at: string;
}
export interface DigestPreferencesTable {
  org_id: string;
  user_id: string;
  frequency: DigestFrequency;
  updated_at: string;
}
export interface DigestsTable {
  org_id: string;
  id: string;
  user_id: string;
  week: string;
  created_at: string;
}

export interface DigestOptOutTokensTable {
  token_hash: string;
  org_id: string;
  user_id: string;
  created_at: string;
}

export const DIGEST_MAIL_KIND = 'digest' as const;
export const DIGEST_FREQUENCIES = ['weekly', 'off'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

export interface DigestSchedule {
  /** 0 Sunday … 6 Saturday (as Date.getUTCDay()). */
  weekday: number;
  /** 0–23, UTC. */
  hour: number;
}
export const DEFAULT_DIGEST_SCHEDULE: DigestSchedule = { weekday: 1, hour: 7 };

/**
 * How late a check may still queue the week's digest: a server down over the scheduled hour sends it when
 * it is back the same day; a week's news a day or more late is better skipped than sent next to the next one.
 */
export const DIGEST_CATCH_UP_MS = 24 * 3_600_000;

/** The latest scheduled moment at or before `now`. */
export function lastScheduledMoment(s: DigestSchedule, now: Date): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), s.hour));
  d.setUTCDate(d.getUTCDate() - ((now.getUTCDay() - s.weekday + 7) % 7));
  if (d > now) d.setUTCDate(d.getUTCDate() - 7);
  return d;
}

export async function getDigestSchedule(db: Db, orgId: string): Promise<DigestSchedule> {
  const r = await db.selectFrom('digest_schedules').select(['weekday', 'hour']).where('org_id', '=', orgId).executeTakeFirst();
  return r ? { weekday: Number(r.weekday), hour: Number(r.hour) } : { ...DEFAULT_DIGEST_SCHEDULE };
}

export async function setDigestSchedule(db: Kysely<Database>, orgId: string, s: DigestSchedule, now = new Date()): Promise<DigestSchedule> {
  const row = { org_id: orgId, weekday: s.weekday, hour: s.hour, updated_at: now.toISOString() };
  await db
    .insertInto('digest_schedules')
    .values(row)
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ weekday: s.weekday, hour: s.hour, updated_at: row.updated_at }))
    .execute();
  return { weekday: s.weekday, hour: s.hour };
}

/** A member's choice; weekly unless they turned it off. */
export async function getDigestPreference(db: Db, orgId: string, userId: string): Promise<DigestFrequency> {
  const r = await db.selectFrom('digest_preferences').select('frequency').where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst();
  return r?.frequency ?? 'weekly';
}

export async function setDigestPreference(db: Kysely<Database>, orgId: string, userId: string, frequency: DigestFrequency, now = new Date()): Promise<void> {
  const at = now.toISOString();
  await db
    .insertInto('digest_preferences')
    .values({ org_id: orgId, user_id: userId, frequency, updated_at: at })
    .onConflict((oc) => oc.columns(['org_id', 'user_id']).doUpdateSet({ frequency, updated_at: at }))
    .execute();
}

/** Queues this week's digest for every opted-in member of every organisation whose moment has come; returns how many. */
export async function enqueueDueDigests(db: Kysely<Database>, now = new Date()): Promise<number> {
  const at = now.toISOString();
  const orgs = await db
    .selectFrom('organisations as o')
    .leftJoin('digest_schedules as s', 's.org_id', 'o.id')
    .select(['o.id', 's.weekday', 's.hour'])
    .orderBy('o.id')
    .execute();
  let queued = 0;
  for (const o of orgs) {
    const schedule = o.weekday === null || o.hour === null ? DEFAULT_DIGEST_SCHEDULE : { weekday: Number(o.weekday), hour: Number(o.hour) };
    const moment = lastScheduledMoment(schedule, now);
    if (now.getTime() - moment.getTime() >= DIGEST_CATCH_UP_MS) continue;
    const week = moment.toISOString().slice(0, 10);
    queued += await writeTransaction(db, async (tx) => {
      const members = await tx
        .selectFrom('memberships as m')
        .leftJoin('digest_preferences as p', (j) => j.onRef('p.org_id', '=', 'm.org_id').onRef('p.user_id', '=', 'm.user_id'))
        .leftJoin('digests as d', (j) => j.onRef('d.org_id', '=', 'm.org_id').onRef('d.user_id', '=', 'm.user_id').on('d.week', '=', week))
        .select('m.user_id')
        .where('m.org_id', '=', o.id)
        .where((eb) => eb.or([eb('p.frequency', 'is', null), eb('p.frequency', '=', 'weekly')]))
        .where('d.id', 'is', null)
        .execute();
      let n = 0;
      for (const m of members) {
        const id = `dg_${randomBytes(9).toString('base64url')}`;
        // The unique key decides: another server that queued this member's week first wins, and this insert is a no-op.
        const inserted = await tx
          .insertInto('digests')
          .values({ org_id: o.id, id, user_id: m.user_id, week, created_at: at })
          .onConflict((oc) => oc.columns(['org_id', 'user_id', 'week']).doNothing())
          .returning('id')
          .execute();
        if (!inserted.length) continue;
        await tx.insertInto('mail_jobs').values(queuedMailJob(o.id, id, DIGEST_MAIL_KIND, at)).execute();
        n++;
      }
      return n;
    });
  }
  return queued;
}

export interface DigestMailContext {
  orgId: string;
  organisation: string;
  userId: string;
  to: string;
  name: string;
  role: Role;
  department: string | null;
  week: string;
  frequency: DigestFrequency;
}

/** Whom a digest job goes to and as what; undefined when the digest or the membership is gone. */
export async function digestMailContext(db: Db, job: { org_id: string; invitation_id: string }): Promise<DigestMailContext | undefined> {
  const r = await db
    .selectFrom('digests as d')
    .innerJoin('memberships as m', (j) => j.onRef('m.org_id', '=', 'd.org_id').onRef('m.user_id', '=', 'd.user_id'))
    .innerJoin('users as u', 'u.id', 'd.user_id')
    .innerJoin('organisations as o', 'o.id', 'd.org_id')
    .leftJoin('digest_preferences as p', (j) => j.onRef('p.org_id', '=', 'd.org_id').onRef('p.user_id', '=', 'd.user_id'))
    .select(['d.org_id', 'd.user_id', 'd.week', 'u.email', 'u.name', 'm.role', 'm.department', 'o.name as org_name', 'p.frequency'])
    .where('d.org_id', '=', job.org_id)
    .where('d.id', '=', job.invitation_id)
    .executeTakeFirst();
  if (!r) return undefined;
  return { orgId: r.org_id, organisation: r.org_name, userId: r.user_id, to: r.email, name: r.name, role: r.role, department: r.department, week: r.week, frequency: r.frequency ?? 'weekly' };
}

// ---- One-click opt-out (the link in every digest message) ---------------------------------------------

const OPT_OUT_TOKEN_PATTERN = /^dx_[A-Za-z0-9_-]{32}$/;

/**
 * A new opt-out token for one message to this member: 24 random bytes, so unguessable; only its sha256 is
 * stored. One per message, since the raw token is not kept to be put in the next one.
 */
export async function newDigestOptOutToken(db: Db, orgId: string, userId: string, now = new Date()): Promise<string> {
  const token = `dx_${randomBytes(24).toString('base64url')}`;
  await db.insertInto('digest_opt_out_tokens').values({ token_hash: sha256(token), org_id: orgId, user_id: userId, created_at: now.toISOString() }).execute();
  return token;
}

/** How long a digest's opt-out link keeps working: a year of digests, and some margin for old mail. */
export const DIGEST_OPT_OUT_TOKEN_DAYS = 400;

/**
 * Deletes opt-out tokens that can no longer be used or are older than DIGEST_OPT_OUT_TOKEN_DAYS: one row is
 * written per digest sent, so without this the table grows by a row per member per week for ever. Tokens of
 * people who left the organisation already lead nowhere (findDigestOptOut joins the membership).
 */
export async function pruneDigestOptOutTokens(db: Kysely<Database>, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - DIGEST_OPT_OUT_TOKEN_DAYS * 86_400_000).toISOString();
  const r = await db
    .deleteFrom('digest_opt_out_tokens')
    .where((eb) =>
      eb.or([
        eb('created_at', '<', cutoff),
        eb.not(eb.exists(eb.selectFrom('memberships as m').select('m.user_id').whereRef('m.org_id', '=', 'digest_opt_out_tokens.org_id').whereRef('m.user_id', '=', 'digest_opt_out_tokens.user_id'))),
      ]),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Whom an opt-out token names: undefined for a malformed or unknown token, or a member no longer in the organisation. */
export async function findDigestOptOut(db: Db, token: string): Promise<{ orgId: string; userId: string; organisation: string } | undefined> {
  if (!OPT_OUT_TOKEN_PATTERN.test(token)) return undefined;
  const r = await db
    .selectFrom('digest_opt_out_tokens as t')
    .innerJoin('memberships as m', (j) => j.onRef('m.org_id', '=', 't.org_id').onRef('m.user_id', '=', 't.user_id'))
    .innerJoin('organisations as o', 'o.id', 't.org_id')
    .select(['t.org_id', 't.user_id', 'o.name'])
    .where('t.token_hash', '=', sha256(token))
    .executeTakeFirst();
  return r && { orgId: r.org_id, userId: r.user_id, organisation: r.name };
}
