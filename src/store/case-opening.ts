// Opening follow-up cases (issue 13). Where: in the fold (fold-queue.ts), which takes each queued live
// response exactly once — its queue row is deleted in the same transaction — so a case opens once per
// response even with several servers folding, and a fold that rolls back opens nothing. The unique key
// (org_id, response_id) on cases backs this up. Not at submission: a submission batch must stay cheap and
// lock-free (group-commit.ts), and an imported history (bulk load, never queued) must not flood the board
// with cases about last year. Also here: the consenting respondent's contact, written in the response's
// own transaction, and what the thank-you page may promise (the same match, on the stored response).
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { CasesTable } from './case-schema.ts';
import { listCaseRules } from './case-rules.ts';
import { getJourney } from './organisations.ts';
import { readAnswers } from './answers.ts';
import { splitTags } from './comment-analysis.ts';
import { DUE_SOON_SHARE } from '../core/cases/workflow.ts';
import { matchingRule, owningDepartment, type CaseCandidate } from '../core/cases/case-rules.ts';

type Db = Kysely<Database> | Transaction<Database>;

const CHUNK = 500;
export const newCaseId = () => `case_${randomBytes(8).toString('hex')}`;
export const newCaseEventId = () => `ce_${randomBytes(9).toString('hex')}`;

/** The respondent said "yes, you may contact me" and left (or, invited, already had) this address. */
export async function writeCaseContact(tx: Transaction<Database>, orgId: string, responseId: string, contact: { email: string; name?: string | null }, now = new Date()): Promise<void> {
  await tx.insertInto('case_contacts').values({ org_id: orgId, response_id: responseId, email: contact.email, name: contact.name ?? null, consented_at: now.toISOString() }).execute();
}

/** The comments' sentiment and dimension tags of these responses (those without a comment are absent). */
async function sentimentsOf(db: Db, orgId: string, ids: readonly string[]): Promise<Map<string, CaseCandidate['sentiment']>> {
  const out = new Map<string, CaseCandidate['sentiment']>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('comment_analysis').select(['response_id', 'sentiment', 'dimensions']).where('org_id', '=', orgId).where('response_id', 'in', ids.slice(i, i + CHUNK)).execute();
    for (const r of rows) out.set(r.response_id, { label: r.sentiment, dimensions: splitTags(r.dimensions) });
  }
  return out;
}

async function consentedOf(db: Db, orgId: string, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('case_contacts').select('response_id').where('org_id', '=', orgId).where('response_id', 'in', ids.slice(i, i + CHUNK)).execute();
    for (const r of rows) out.add(r.response_id);
  }
  return out;
}

export interface FoldedResponse {
  id: string;
  perspective: string;
  touchpoint: string;
  answers: Readonly<Record<string, number>>;
}

/** Opens the cases the organisation's rules call for among responses being folded; returns how many. */
export async function openCases(tx: Transaction<Database>, orgId: string, responses: readonly FoldedResponse[], now = new Date()): Promise<number> {
  const customers = responses.filter((r) => r.perspective === 'customer');
  if (customers.length === 0) return 0;
  const rules = (await listCaseRules(tx, orgId)).filter((r) => r.active);
  if (rules.length === 0) return 0; // the common case costs one index probe per fold
  const ids = customers.map((r) => r.id);
  const [sentiments, consented, journey] = await Promise.all([sentimentsOf(tx, orgId, ids), consentedOf(tx, orgId, ids), getJourney(tx, orgId)]);
  const at = now.toISOString();
  const rows: CasesTable[] = [];
  for (const r of customers) {
    const touchpoint = r.touchpoint || null;
    const rule = matchingRule(rules, { answers: r.answers, touchpoint, sentiment: sentiments.get(r.id) ?? null });
    if (!rule) continue;
    rows.push({
      org_id: orgId,
      id: newCaseId(),
      response_id: r.id,
      rule_id: rule.id,
      rule_name: rule.name,
      touchpoint: r.touchpoint,
      department: owningDepartment(journey, touchpoint),
      state: 'open',
      assignee_id: null,
      contactable: consented.has(r.id) ? 1 : 0,
      nps: Object.hasOwn(r.answers, 'nps') ? r.answers.nps! : null,
      root_cause: null,
      close_reason: null,
      version: 1,
      escalation_step: 0,
      opened_at: at,
      at_risk_at: new Date(now.getTime() + DUE_SOON_SHARE * rule.slaHours * 3_600_000).toISOString(),
      due_at: new Date(now.getTime() + rule.slaHours * 3_600_000).toISOString(),
      first_contact_at: null,
      resolved_at: null,
      closed_at: null,
      updated_at: at,
    });
  }
  let opened = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    // A response already holding a case (a rebuilt queue, a second rule set) keeps its one case.
    const made = new Set((await tx.insertInto('cases').values(part).onConflict((oc) => oc.columns(['org_id', 'response_id']).doNothing()).returning('id').execute()).map((c) => c.id));
    opened += made.size;
    if (made.size === 0) continue;
    await tx
      .insertInto('case_events')
      .values(part.filter((c) => made.has(c.id)).map((c) => ({ org_id: orgId, id: newCaseEventId(), case_id: c.id, at, actor_id: null, actor_label: 'rule', kind: 'opened', details: JSON.stringify({ rule: c.rule_name, department: c.department, dueAt: c.due_at }) })))
      .execute();
  }
  return opened;
}

/**
 * What the thank-you page may say about a stored response: the case that will open, null when the
 * organisation's rules open none for it, undefined when it has no active rules (the page then says nothing).
 */
export async function expectedCase(db: Kysely<Database>, orgId: string, responseId: string): Promise<{ touchpoint: string | null; department: string | null; slaHours: number } | null | undefined> {
  const rules = (await listCaseRules(db, orgId)).filter((r) => r.active);
  if (rules.length === 0) return undefined;
  const stored = await db.selectFrom('responses').select(['id', 'touchpoint', 'perspective']).where('org_id', '=', orgId).where('id', '=', responseId).executeTakeFirst();
  if (!stored || stored.perspective !== 'customer') return null;
  const response = { id: stored.id, touchpoint: stored.touchpoint || null };
  const answers = (await readAnswers(db, orgId, [response.id])).get(response.id) ?? {};
  const sentiment = (await sentimentsOf(db, orgId, [response.id])).get(response.id) ?? null;
  const rule = matchingRule(rules, { answers, touchpoint: response.touchpoint, sentiment });
  return rule ? { touchpoint: response.touchpoint, department: owningDepartment(await getJourney(db, orgId), response.touchpoint), slaHours: rule.slaHours } : null;
}

type InTransaction = (tx: Transaction<Database>, responseId: string) => Promise<void>;

/** The submission's in-transaction step (an invitation or leader-link claim) followed by keeping the consented contact. */
export function withCaseContact(inner: InTransaction | undefined, orgId: string, contact: { email: string; name: string | null } | null | undefined): InTransaction | undefined {
  if (!contact) return inner;
  return async (tx, responseId) => {
    await inner?.(tx, responseId);
    await writeCaseContact(tx, orgId, responseId, contact);
  };
}

/**
 * Erasure of responses (store/erasure.ts calls this in its transaction): their cases go with them — the
 * contact the respondent left, the case, its history (notes may speak of the customer) and its escalation
 * messages — so nothing is left pointing at, or telling of, an erased answer.
 */
export async function eraseCasesOf(tx: Transaction<Database>, orgId: string, responseIds: readonly string[]): Promise<void> {
  for (let i = 0; i < responseIds.length; i += CHUNK) {
    const ids = responseIds.slice(i, i + CHUNK);
    await tx.deleteFrom('case_contacts').where('org_id', '=', orgId).where('response_id', 'in', ids).execute();
    const cases = (await tx.selectFrom('cases').select('id').where('org_id', '=', orgId).where('response_id', 'in', ids).execute()).map((c) => c.id);
    if (cases.length === 0) continue;
    const notes = tx.selectFrom('case_notifications').select('id').where('org_id', '=', orgId).where('case_id', 'in', cases);
    await tx.deleteFrom('mail_jobs').where('org_id', '=', orgId).where('kind', '=', 'case_escalation').where('invitation_id', 'in', notes).execute();
    await tx.deleteFrom('case_notifications').where('org_id', '=', orgId).where('case_id', 'in', cases).execute();
    await tx.deleteFrom('case_events').where('org_id', '=', orgId).where('case_id', 'in', cases).execute();
    await tx.deleteFrom('cases').where('org_id', '=', orgId).where('id', 'in', cases).execute();
  }
}
