// Organisations (tenants) and their editable gap framework and journey.
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, OrganisationsTable } from './schema.ts';
import { DEFAULT_FRAMEWORK, type Dimension } from '../core/framework.ts';
import { DEFAULT_JOURNEY, type Stage } from '../core/journey.ts';
import { bumpCellVersions } from './cell-versions.ts';
import { foldPending } from './fold-queue.ts';
import { setupChanged } from './setup-changes.ts';
import { writeTransaction } from './write-transaction.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface Organisation {
  id: string;
  name: string;
  industry: string;
  minResponses: number;
  createdAt: string;
  /** Origins (https://shop.example) whose pages may show the survey widget; checked by server/widget/origins.ts. */
  widgetOrigins: string[];
  /** The member who leads customer experience (escalation step 3, alert e-mails); null: the admins. */
  cxLeadUserId: string | null;
}

/** The stored JSON list; anything else (never written by the API) reads as none, which frames nothing. */
function originList(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((o): o is string => typeof o === 'string') : [];
  } catch {
    return [];
  }
}

// `lead_member`: the CX lead's user id while they are still a member (the left join below), else null.
const toOrg = (r: Selectable<OrganisationsTable> & { lead_member: string | null }): Organisation => ({
  id: r.id,
  name: r.name,
  industry: r.industry,
  minResponses: r.min_responses,
  createdAt: r.created_at,
  widgetOrigins: originList(r.widget_origins),
  cxLeadUserId: r.lead_member,
});

/**
 * Organisations with their CX lead as a current member: a lead whose membership was removed simply stops
 * counting (null: the admins), with nothing to clean up when a member leaves.
 */
const orgRows = (db: Db) =>
  db
    .selectFrom('organisations as o')
    .leftJoin('memberships as lm', (j) => j.onRef('lm.org_id', '=', 'o.id').onRef('lm.user_id', '=', 'o.cx_lead_user_id'))
    .selectAll('o')
    .select('lm.user_id as lead_member');

export interface Recipient {
  userId: string;
  email: string;
}

/** Who hears as the CX lead (SLA escalation step 3, alert e-mails): the CX lead while a member, else every admin. */
export async function cxLeadRecipients(db: Db, orgId: string): Promise<Recipient[]> {
  const lead = await db
    .selectFrom('organisations as o')
    .innerJoin('memberships as m', (j) => j.onRef('m.org_id', '=', 'o.id').onRef('m.user_id', '=', 'o.cx_lead_user_id'))
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.email'])
    .where('o.id', '=', orgId)
    .executeTakeFirst();
  if (lead) return [{ userId: lead.id, email: lead.email }];
  const admins = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.email'])
    .where('m.org_id', '=', orgId)
    .where('m.role', '=', 'admin')
    .orderBy('u.email')
    .execute();
  return admins.map((a) => ({ userId: a.id, email: a.email }));
}

export function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return s || 'org';
}

export const newSurveyId = () => randomBytes(9).toString('base64url');

/** Creates an organisation with the default framework, journey and a customer + leader survey pair. */
export async function createOrganisation(
  db: Kysely<Database>,
  input: { name: string; industry: string; minResponses?: number; id?: string; adminUserId?: string },
): Promise<Organisation> {
  return writeTransaction(db, async (tx) => {
    let id = input.id ?? slugify(input.name);
    if (!input.id) {
      for (let i = 2; await tx.selectFrom('organisations').select('id').where('id', '=', id).executeTakeFirst(); i++) {
        id = `${slugify(input.name)}-${i}`;
      }
    }
    const row = {
      id,
      name: input.name,
      industry: input.industry,
      min_responses: input.minResponses ?? 5,
      created_at: new Date().toISOString(),
    };
    await tx.insertInto('organisations').values(row).execute();
    await writeFramework(tx, id, DEFAULT_FRAMEWORK);
    await writeJourney(tx, id, DEFAULT_JOURNEY);
    const now = new Date().toISOString();
    await tx
      .insertInto('surveys')
      .values([
        { org_id: id, id: newSurveyId(), perspective: 'customer', active: 1, created_at: now },
        { org_id: id, id: newSurveyId(), perspective: 'leader', active: 1, created_at: now },
      ])
      .execute();
    // The creator administers it: created in the same transaction, so no organisation is ever orphaned.
    if (input.adminUserId)
      await tx.insertInto('memberships').values({ org_id: id, user_id: input.adminUserId, role: 'admin', department: null, created_at: now }).execute();
    return toOrg({ ...row, widget_origins: '[]', cx_lead_user_id: null, lead_member: null });
  });
}

export async function getOrganisation(db: Db, id: string): Promise<Organisation | undefined> {
  const r = await orgRows(db).where('o.id', '=', id).executeTakeFirst();
  return r && toOrg(r);
}

export async function listOrganisations(db: Db): Promise<Organisation[]> {
  return (await orgRows(db).orderBy('o.created_at').execute()).map(toOrg);
}

export async function updateOrganisation(
  db: Db,
  id: string,
  patch: { name?: string; industry?: string; minResponses?: number; widgetOrigins?: string[]; cxLeadUserId?: string | null },
): Promise<Organisation | undefined> {
  const set: Partial<Selectable<OrganisationsTable>> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.industry !== undefined) set.industry = patch.industry;
  if (patch.minResponses !== undefined) set.min_responses = patch.minResponses;
  if (patch.widgetOrigins !== undefined) set.widget_origins = JSON.stringify(patch.widgetOrigins);
  // The caller checks that the CX lead is a member (routes/setup.ts); one who leaves later stops counting (orgRows).
  if (patch.cxLeadUserId !== undefined) set.cx_lead_user_id = patch.cxLeadUserId;
  if (Object.keys(set).length) {
    await db.updateTable('organisations').set(set).where('id', '=', id).execute();
    // Reports keep the settings per version (cell-cache.ts); the widget's origins and the CX lead are not in any report.
    if (Object.keys(set).some((k) => k !== 'widget_origins' && k !== 'cx_lead_user_id')) await bumpCellVersions(db, [id]);
    setupChanged(id); // the survey cache holds the organisation, origins included
  }
  return getOrganisation(db, id);
}

export async function getFramework(db: Db, orgId: string): Promise<Dimension[]> {
  const rows = await db.selectFrom('dimensions').selectAll().where('org_id', '=', orgId).orderBy('position').execute();
  return rows.map((r) => ({
    key: r.key,
    label: r.label,
    customerItem: r.customer_item,
    leaderItem: r.leader_item,
    source: r.source as Dimension['source'],
  }));
}

async function writeFramework(tx: Db, orgId: string, dims: Dimension[]) {
  await bumpCellVersions(tx, [orgId]); // reports keep the framework per version (cell-cache.ts)
  await tx.deleteFrom('dimensions').where('org_id', '=', orgId).execute();
  await tx
    .insertInto('dimensions')
    .values(
      dims.map((d, i) => ({
        org_id: orgId,
        key: d.key,
        position: i,
        label: d.label,
        customer_item: d.customerItem,
        leader_item: d.leaderItem,
        source: d.source ?? 'custom',
      })),
    )
    .execute();
}

/** Replaces the framework as a whole. Answers stay keyed by dimension key, so history survives edits. */
export async function replaceFramework(db: Kysely<Database>, orgId: string, dims: Dimension[]): Promise<void> {
  // Responses stored under the old framework go into the driver cells of its predictor set (driver-cells.ts),
  // which a fold fixes when it adds them: fold what is queued first.
  await foldPending(db, orgId);
  await writeTransaction(db, (tx) => writeFramework(tx, orgId, dims));
  setupChanged(orgId);
}

export async function getJourney(db: Db, orgId: string): Promise<Stage[]> {
  const stages = await db.selectFrom('stages').selectAll().where('org_id', '=', orgId).orderBy('position').execute();
  const tps = await db.selectFrom('touchpoints').selectAll().where('org_id', '=', orgId).orderBy('position').execute();
  return stages.map((s) => ({
    key: s.key,
    label: s.label,
    touchpoints: tps
      .filter((t) => t.stage_key === s.key)
      .map((t) => ({ key: t.key, label: t.label, department: t.department })),
  }));
}

async function writeJourney(tx: Db, orgId: string, stages: Stage[]) {
  await bumpCellVersions(tx, [orgId]); // reports keep the journey per version (cell-cache.ts)
  await tx.deleteFrom('touchpoints').where('org_id', '=', orgId).execute();
  await tx.deleteFrom('stages').where('org_id', '=', orgId).execute();
  await tx
    .insertInto('stages')
    .values(stages.map((s, i) => ({ org_id: orgId, key: s.key, position: i, label: s.label })))
    .execute();
  const tps = stages.flatMap((s) => s.touchpoints.map((t) => ({ ...t, stage_key: s.key })));
  if (tps.length)
    await tx
      .insertInto('touchpoints')
      .values(tps.map((t, i) => ({ org_id: orgId, key: t.key, stage_key: t.stage_key, position: i, label: t.label, department: t.department })))
      .execute();
}

export async function replaceJourney(db: Kysely<Database>, orgId: string, stages: Stage[]): Promise<void> {
  await writeTransaction(db, (tx) => writeJourney(tx, orgId, stages));
  setupChanged(orgId);
}
