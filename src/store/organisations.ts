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

const toOrg = (r: Selectable<OrganisationsTable>): Organisation => ({
  id: r.id,
  name: r.name,
  industry: r.industry,
  minResponses: r.min_responses,
  createdAt: r.created_at,
  widgetOrigins: originList(r.widget_origins),
});

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
    return toOrg({ ...row, widget_origins: '[]' });
  });
}

export async function getOrganisation(db: Db, id: string): Promise<Organisation | undefined> {
  const r = await db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toOrg(r);
}

export async function listOrganisations(db: Db): Promise<Organisation[]> {
  return (await db.selectFrom('organisations').selectAll().orderBy('created_at').execute()).map(toOrg);
}

export async function updateOrganisation(
  db: Db,
  id: string,
  patch: { name?: string; industry?: string; minResponses?: number; widgetOrigins?: string[] },
): Promise<Organisation | undefined> {
  const set: Partial<Selectable<OrganisationsTable>> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.industry !== undefined) set.industry = patch.industry;
  if (patch.minResponses !== undefined) set.min_responses = patch.minResponses;
  if (patch.widgetOrigins !== undefined) set.widget_origins = JSON.stringify(patch.widgetOrigins);
  if (Object.keys(set).length) {
    await db.updateTable('organisations').set(set).where('id', '=', id).execute();
    // Reports keep the settings per version (cell-cache.ts); the widget's origins are not in any report.
    if (Object.keys(set).some((k) => k !== 'widget_origins')) await bumpCellVersions(db, [id]);
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
