// An organisation's case rules (issue 13), stored in case_rules (migration 0019): list, create, replace,
// delete. The route checks a rule against the framework and journey (core/cases/case-rules.ts) first.
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { CaseRulesTable } from './case-schema.ts';
import { writeTransaction } from './write-transaction.ts';
import { MAX_RULES, type CaseCondition, type CaseRule, type CaseRuleInput } from '../core/cases/case-rules.ts';

type Db = Kysely<Database> | Transaction<Database>;

export class TooManyRules extends Error {}

const toRule = (r: CaseRulesTable): CaseRule => ({
  id: r.id,
  position: Number(r.position),
  name: r.name,
  conditions: JSON.parse(r.conditions) as CaseCondition[],
  slaHours: Number(r.sla_hours),
  active: Number(r.active) === 1,
});

/** The organisation's rules in matching order. */
export async function listCaseRules(db: Db, orgId: string): Promise<CaseRule[]> {
  const rows = await db.selectFrom('case_rules').selectAll().where('org_id', '=', orgId).orderBy('position').orderBy('id').execute();
  return rows.map(toRule);
}

export async function getCaseRule(db: Db, orgId: string, id: string): Promise<CaseRule | undefined> {
  const r = await db.selectFrom('case_rules').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return r && toRule(r);
}

/** Adds a rule after the others. */
export async function createCaseRule(db: Kysely<Database>, orgId: string, input: CaseRuleInput, now = new Date()): Promise<CaseRule> {
  return writeTransaction(db, async (tx) => {
    const last = await tx
      .selectFrom('case_rules')
      .select([(eb) => eb.fn.max('position').as('p'), (eb) => eb.fn.countAll().as('n')])
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    if (Number(last?.n ?? 0) >= MAX_RULES) throw new TooManyRules(`an organisation has at most ${MAX_RULES} case rules`);
    const at = now.toISOString();
    const row: CaseRulesTable = {
      org_id: orgId,
      id: `cr_${randomBytes(8).toString('hex')}`,
      position: last?.p === null || last?.p === undefined ? 0 : Number(last.p) + 1,
      name: input.name,
      conditions: JSON.stringify(input.conditions),
      sla_hours: input.slaHours,
      active: input.active ? 1 : 0,
      created_at: at,
      updated_at: at,
    };
    await tx.insertInto('case_rules').values(row).execute();
    return toRule(row);
  });
}

/** Replaces a rule's definition (its position stays); undefined when there is no such rule. */
export async function replaceCaseRule(db: Kysely<Database>, orgId: string, id: string, input: CaseRuleInput, now = new Date()): Promise<CaseRule | undefined> {
  const r = await db
    .updateTable('case_rules')
    .set({ name: input.name, conditions: JSON.stringify(input.conditions), sla_hours: input.slaHours, active: input.active ? 1 : 0, updated_at: now.toISOString() })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 0 ? undefined : getCaseRule(db, orgId, id);
}

/** Deletes a rule; the cases it opened keep its name. */
export async function deleteCaseRule(db: Kysely<Database>, orgId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('case_rules').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
