// Survey pairs as stored (id = public link token, perspective, on/off); questions are generated
// from the organisation's current framework and journey whenever a survey is read.
import { setupChanged } from './setup-changes.ts';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { customerSurvey, leaderSurvey, type Perspective, type SurveyDefinition } from '../core/survey.ts';
import { getFramework, getJourney, getOrganisation, type Organisation } from './organisations.ts';

export interface Survey {
  id: string;
  orgId: string;
  perspective: Perspective;
  active: boolean;
  organisation: Organisation;
  definition: SurveyDefinition;
}

export async function getSurvey(db: Kysely<Database>, id: string): Promise<Survey | undefined> {
  const row = await db.selectFrom('surveys').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const org = (await getOrganisation(db, row.org_id))!;
  const framework = await getFramework(db, row.org_id);
  const definition =
    row.perspective === 'customer'
      ? customerSurvey(org.name, framework, await getJourney(db, row.org_id))
      : leaderSurvey(org.name, framework, await getJourney(db, row.org_id)); // the journey: per-touchpoint predictions
  return { id: row.id, orgId: row.org_id, perspective: row.perspective, active: row.active === 1, organisation: org, definition };
}

export async function listSurveys(db: Kysely<Database>, orgId: string) {
  const rows = await db.selectFrom('surveys').selectAll().where('org_id', '=', orgId).orderBy('perspective').execute();
  return rows.map((r) => ({ id: r.id, perspective: r.perspective, active: r.active === 1, createdAt: r.created_at }));
}

/** The organisation's first survey of a perspective (where imports and the demo put responses). */
export async function surveyFor(db: Kysely<Database>, orgId: string, perspective: Perspective): Promise<Survey | undefined> {
  const row = await db
    .selectFrom('surveys')
    .select('id')
    .where('org_id', '=', orgId)
    .where('perspective', '=', perspective)
    .orderBy('created_at')
    .executeTakeFirst();
  return row ? getSurvey(db, row.id) : undefined;
}

export async function setSurveyActive(db: Kysely<Database>, orgId: string, id: string, active: boolean): Promise<boolean> {
  const r = await db
    .updateTable('surveys')
    .set({ active: active ? 1 : 0 })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  setupChanged(orgId);
  return Number(r.numUpdatedRows) > 0;
}
