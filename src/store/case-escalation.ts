// SLA escalation of follow-up cases (issue 13): finds cases whose first contact is overdue and takes each
// due step of the ladder (core/cases/workflow.ts) exactly once — the step is claimed by a guarded update of
// cases.escalation_step, so two servers (or two rounds) never take it twice — queuing one message per
// recipient as a mail job of kind 'case_escalation' (sent by the mail runner, src/mail/case-mail.ts) and
// recording the step in the case's history, all in one transaction.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { writeTransaction } from './write-transaction.ts';
import { queuedMailJob } from './mail-jobs.ts';
import { newCaseEventId } from './case-opening.ts';
import { cxLeadRecipients } from './organisations.ts';
import { dueEscalationSteps, ESCALATION_STEPS, type EscalationLevel } from '../core/cases/workflow.ts';

export const CASE_MAIL_KIND = 'case_escalation' as const;
const SCAN = 500;

const norm = (d: string | null | undefined) => (d ?? '').trim().toLowerCase();

async function emailsAt(tx: Transaction<Database>, orgId: string, level: EscalationLevel, c: { assignee_id: string | null; department: string | null }): Promise<string[]> {
  // The CX lead (organisations.ts: the member chosen in the settings, else the organisation's admins).
  if (level === 'cx_lead') return (await cxLeadRecipients(tx, orgId)).map((r) => r.email);
  let q = tx.selectFrom('memberships as m').innerJoin('users as u', 'u.id', 'm.user_id').select('u.email').where('m.org_id', '=', orgId);
  if (level === 'assignee') {
    if (!c.assignee_id) return [];
    q = q.where('m.user_id', '=', c.assignee_id);
  } else if (level === 'owner') {
    if (!norm(c.department)) return [];
    q = q.where('m.role', '=', 'owner').where(sql`lower(trim(m.department))`, '=', norm(c.department));
  }
  return (await q.orderBy('u.email').execute()).map((r) => r.email);
}

/** Takes every due escalation step of every overdue case; returns the steps taken. */
export async function escalateDueCases(db: Kysely<Database>, now = new Date()): Promise<number> {
  const at = now.toISOString();
  const due = await db
    .selectFrom('cases')
    .select(['org_id', 'id', 'due_at', 'escalation_step'])
    .where('state', 'in', ['open', 'in_progress'])
    .where('first_contact_at', 'is', null)
    // Only cases whose next step is due (not those waiting for it), so a long wait cannot crowd out the scan.
    .where((eb) =>
      eb.or(
        ESCALATION_STEPS.map((s) =>
          eb.and([eb('escalation_step', '=', s.step - 1), eb('due_at', '<=', new Date(now.getTime() - s.afterHours * 3_600_000).toISOString())]),
        ),
      ),
    )
    .orderBy('due_at')
    .limit(SCAN)
    .execute();
  let taken = 0;
  for (const d of due) {
    const steps = dueEscalationSteps({ dueAt: d.due_at, escalationStep: Number(d.escalation_step) }, now);
    for (const step of steps) {
      const ok = await writeTransaction(db, async (tx) => {
        const c = await tx.selectFrom('cases').selectAll().where('org_id', '=', d.org_id).where('id', '=', d.id).executeTakeFirst();
        // Contacted or finished meanwhile, or the step already taken by another round: nothing to do.
        if (!c || c.first_contact_at || !['open', 'in_progress'].includes(c.state) || Number(c.escalation_step) >= step.step) return false;
        const claimed = await tx
          .updateTable('cases')
          .set({ escalation_step: step.step })
          .where('org_id', '=', c.org_id)
          .where('id', '=', c.id)
          .where('escalation_step', '=', c.escalation_step)
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) return false;
        // Nobody at this level (no assignee, no owner of the department): the message goes up the ladder.
        let level: EscalationLevel = step.level;
        let to: string[] = [];
        for (const s of ESCALATION_STEPS.filter((x) => x.step >= step.step)) {
          to = await emailsAt(tx, c.org_id, s.level, c);
          level = s.level;
          if (to.length) break;
        }
        for (const email of to) {
          const id = `cn_${randomBytes(9).toString('base64url')}`;
          await tx.insertInto('case_notifications').values({ org_id: c.org_id, id, case_id: c.id, step: step.step, level, email, created_at: at }).execute();
          await tx.insertInto('mail_jobs').values(queuedMailJob(c.org_id, id, CASE_MAIL_KIND, at)).execute();
        }
        await tx
          .insertInto('case_events')
          .values({ org_id: c.org_id, id: newCaseEventId(), case_id: c.id, at, actor_id: null, actor_label: 'SLA', kind: 'escalated', details: JSON.stringify({ step: step.step, level, to }) })
          .execute();
        return true;
      });
      if (ok) taken++;
    }
  }
  return taken;
}

export interface CaseMailContext {
  to: string;
  step: number;
  level: EscalationLevel;
  organisation: string;
  caseId: string;
  department: string | null;
  ruleName: string;
  dueAt: string;
  state: string;
}

/** What an escalation job's message needs; undefined when its notification or case is gone. */
export async function caseMailContext(db: Kysely<Database>, job: { org_id: string; invitation_id: string }): Promise<CaseMailContext | undefined> {
  const r = await db
    .selectFrom('case_notifications as n')
    .innerJoin('cases as c', (j) => j.onRef('c.org_id', '=', 'n.org_id').onRef('c.id', '=', 'n.case_id'))
    .innerJoin('organisations as o', 'o.id', 'n.org_id')
    .select(['n.email', 'n.step', 'n.level', 'o.name', 'c.id as case_id', 'c.department', 'c.rule_name', 'c.due_at', 'c.state', 'c.first_contact_at'])
    .where('n.org_id', '=', job.org_id)
    .where('n.id', '=', job.invitation_id)
    .executeTakeFirst();
  if (!r) return undefined;
  return { to: r.email, step: Number(r.step), level: r.level as EscalationLevel, organisation: r.name, caseId: r.case_id, department: r.department, ruleName: r.rule_name, dueAt: r.due_at, state: r.first_contact_at ? 'contacted' : r.state };
}
