// Row types of the case tables (migration 0019-cases.ts), listed in the Database interface (schema.ts).
export interface CaseRulesTable {
  org_id: string;
  id: string;
  position: number;
  name: string;
  /** JSON array of conditions (core/cases/case-rules.ts). */
  conditions: string;
  sla_hours: number;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface CasesTable {
  org_id: string;
  id: string;
  response_id: string;
  rule_id: string;
  rule_name: string;
  touchpoint: string;
  department: string | null;
  state: string;
  assignee_id: string | null;
  contactable: number;
  nps: number | null;
  root_cause: string | null;
  close_reason: string | null;
  version: number;
  escalation_step: number;
  opened_at: string;
  at_risk_at: string;
  due_at: string;
  first_contact_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  updated_at: string;
}

export interface CaseEventsTable {
  org_id: string;
  id: string;
  case_id: string;
  at: string;
  actor_id: string | null;
  actor_label: string;
  kind: string;
  /** JSON object. */
  details: string;
}

export interface CaseContactsTable {
  org_id: string;
  response_id: string;
  email: string;
  name: string | null;
  consented_at: string;
}

export interface CaseNotificationsTable {
  org_id: string;
  id: string;
  case_id: string;
  step: number;
  level: string;
  email: string;
  created_at: string;
}

export interface CaseTables {
  case_rules: CaseRulesTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  case_contacts: CaseContactsTable;
  case_notifications: CaseNotificationsTable;
}
