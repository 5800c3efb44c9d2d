// Follow-up cases (issue 13, the inner loop): the organisation's case rules, the cases they open (one per
// response at most: the unique key on response_id), each case's history (case_events), the contact a
// consenting respondent left (case_contacts, written in the response's own transaction), and the
// escalation messages of a breached SLA (case_notifications: one per recipient and step; each is sent as a
// mail_jobs row of kind 'case_escalation' whose invitation_id names the notification).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_rules')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull()) // the first matching rule (by position) opens the case
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull()) // JSON array (core/cases/case-rules.ts)
    .addColumn('sla_hours', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_rules_pk', ['org_id', 'id'])
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('response_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('touchpoint', 'text', (c) => c.notNull()) // '' when the respondent named none
    .addColumn('department', 'text') // null: no owning department, the CX lead's
    .addColumn('state', 'text', (c) => c.notNull()) // open | in_progress | contacted | resolved | closed
    .addColumn('assignee_id', 'text')
    .addColumn('contactable', 'integer', (c) => c.notNull()) // 1: the respondent consented and left a contact
    .addColumn('nps', 'integer') // the answer's NPS, kept for the case metrics
    .addColumn('root_cause', 'text')
    .addColumn('close_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('escalation_step', 'integer', (c) => c.notNull()) // the last escalation step taken (0: none)
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('at_risk_at', 'text', (c) => c.notNull()) // from here an uncontacted case is "due soon" (core/cases/workflow.ts)
    .addColumn('due_at', 'text', (c) => c.notNull()) // first contact due (opened_at + the rule's SLA)
    .addColumn('first_contact_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cases_pk', ['org_id', 'id'])
    .addUniqueConstraint('cases_response_once', ['org_id', 'response_id'])
    .execute();
  // The board's keyset order (newest first) within a department or state; the escalation's due scan.
  await db.schema.createIndex('cases_board').on('cases').columns(['org_id', 'opened_at', 'id']).execute();
  await db.schema.createIndex('cases_due').on('cases').columns(['state', 'due_at']).execute();

  await db.schema
    .createTable('case_events')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text') // the user; null: the system (rule, escalation)
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull()) // JSON
    .addPrimaryKeyConstraint('case_events_pk', ['org_id', 'id'])
    .execute();
  await db.schema.createIndex('case_events_case').on('case_events').columns(['org_id', 'case_id', 'at']).execute();

  await db.schema
    .createTable('case_contacts')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('response_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('consented_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_contacts_pk', ['org_id', 'response_id'])
    .execute();

  await db.schema
    .createTable('case_notifications')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull()) // assignee | owner | cx_lead
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_notifications_pk', ['org_id', 'id'])
    .addUniqueConstraint('case_notifications_once', ['org_id', 'case_id', 'step', 'email'])
    .execute();
}
