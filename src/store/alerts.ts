// Alerts' storage (migrations 0022, 0025): each organisation's settings (defaults until saved) and the
// alerts raised. Raising is insert-if-absent on the dedupe key, and the webhook deliveries — and, when the
// settings say so, one e-mail per recipient (the CX lead, else the admins) as a mail job of kind 'alert'
// naming its alert_notifications row — are queued in the same transaction: an alert is either raised and
// on its way, or not raised at all, and two evaluators (two servers, or one evaluating twice) raise it once.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { writeTransaction } from './write-transaction.ts';
import { queueWebhookEvent } from './webhooks.ts';
import { queuedMailJob } from './mail-jobs.ts';
import { cxLeadRecipients } from './organisations.ts';
import { AlertSettings, DEFAULT_ALERT_SETTINGS, type Alert } from '../core/alerts.ts';

export interface AlertSettingsTable {
  org_id: string;
  settings: string;
  updated_at: string;
}

export interface AlertsTable {
  org_id: string;
  dedupe_key: string;
  kind: string;
  subject: string;
  period: string;
  summary: string;
  data: string;
  raised_at: string;
}

export interface AlertNotificationsTable {
  org_id: string;
  id: string;
  dedupe_key: string;
  user_id: string;
  created_at: string;
}

export const ALERT_MAIL_KIND = 'alert' as const;

export async function getAlertSettings(db: Kysely<Database>, orgId: string): Promise<AlertSettings> {
  const r = await db.selectFrom('alert_settings').select('settings').where('org_id', '=', orgId).executeTakeFirst();
  // Parsed again: settings saved by an older version keep working, a field they lack takes its default.
  return r ? AlertSettings.parse({ ...DEFAULT_ALERT_SETTINGS, ...JSON.parse(r.settings) }) : DEFAULT_ALERT_SETTINGS;
}

export async function saveAlertSettings(db: Kysely<Database>, orgId: string, s: AlertSettings, at = new Date()): Promise<void> {
  const row = { org_id: orgId, settings: JSON.stringify(s), updated_at: at.toISOString() };
  await db
    .insertInto('alert_settings')
    .values(row)
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ settings: row.settings, updated_at: row.updated_at }))
    .execute();
}

/** Raises `alert` unless its dedupe key was raised before; queues its webhooks. Whether it was new. */
export async function raiseAlert(db: Kysely<Database>, orgId: string, alert: Alert, now = new Date()): Promise<boolean> {
  return writeTransaction(db, async (tx) => {
    const inserted = await tx
      .insertInto('alerts')
      .values({
        org_id: orgId,
        dedupe_key: alert.dedupeKey,
        kind: alert.kind,
        subject: alert.subject,
        period: alert.period,
        summary: alert.summary,
        data: JSON.stringify(alert.data),
        raised_at: now.toISOString(),
      })
      .onConflict((oc) => oc.columns(['org_id', 'dedupe_key']).doNothing())
      .returning('dedupe_key')
      .executeTakeFirst();
    if (!inserted) return false;
    await queueWebhookEvent(tx, orgId, { type: `alert.${alert.kind}`, summary: alert.summary, data: alert.data }, { at: now });
    if ((await getAlertSettings(tx, orgId)).email) {
      const at = now.toISOString();
      for (const r of await cxLeadRecipients(tx, orgId)) {
        const id = `an_${randomBytes(9).toString('base64url')}`;
        // The recipient is stored by user id, not address: the mail runner checks they are still a member when sending.
        await tx.insertInto('alert_notifications').values({ org_id: orgId, id, dedupe_key: alert.dedupeKey, user_id: r.userId, created_at: at }).execute();
        await tx.insertInto('mail_jobs').values(queuedMailJob(orgId, id, ALERT_MAIL_KIND, at)).execute();
      }
    }
    return true;
  });
}

export interface RaisedAlert {
  kind: string;
  subject: string;
  period: string;
  summary: string;
  data: Record<string, unknown>;
  raisedAt: string;
}

/** The organisation's latest alerts, newest first (at most `limit`). */
export async function listAlerts(db: Kysely<Database>, orgId: string, limit = 50): Promise<RaisedAlert[]> {
  const rows = await db.selectFrom('alerts').selectAll().where('org_id', '=', orgId).orderBy('raised_at', 'desc').orderBy('dedupe_key').limit(limit).execute();
  return rows.map((r) => ({ kind: r.kind, subject: r.subject, period: r.period, summary: r.summary, data: JSON.parse(r.data), raisedAt: r.raised_at }));
}

export interface AlertMailContext {
  organisation: string;
  /** The recipient's address; null when they are no longer a member (the job is then cancelled). */
  to: string | null;
  alert: RaisedAlert;
}

/** What an alert job's message needs; undefined when its notification or alert is gone. */
export async function alertMailContext(db: Kysely<Database>, job: { org_id: string; invitation_id: string }): Promise<AlertMailContext | undefined> {
  const r = await db
    .selectFrom('alert_notifications as n')
    .innerJoin('alerts as a', (j) => j.onRef('a.org_id', '=', 'n.org_id').onRef('a.dedupe_key', '=', 'n.dedupe_key'))
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .leftJoin('memberships as m', (j) => j.onRef('m.org_id', '=', 'n.org_id').onRef('m.user_id', '=', 'n.user_id'))
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'm.user_id'))
    .select(['o.name', 'u.email', 'a.kind', 'a.subject', 'a.period', 'a.summary', 'a.data', 'a.raised_at'])
    .where('n.org_id', '=', job.org_id)
    .where('n.id', '=', job.invitation_id)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    organisation: r.name,
    to: r.email ?? null,
    alert: { kind: r.kind, subject: r.subject, period: r.period, summary: r.summary, data: JSON.parse(r.data), raisedAt: r.raised_at },
  };
}
