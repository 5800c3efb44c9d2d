// Table types for Kysely. Every table carries org_id (first in its key) so the schema can be
// distributed by organisation (e.g. Citus) once one database server is outgrown.
// Timestamps are ISO 8601 UTC text in both engines so the same queries read the same values.
import type { Generated } from 'kysely';
import type { Role } from '../core/access.ts';
import type { CaseTables } from './case-schema.ts';
import type { InitiativesTable } from './initiatives.ts'; // issue 13: the outer loop
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from './webhooks.ts'; // issue 13: outgoing webhooks
import type { AlertNotificationsTable, AlertSettingsTable, AlertsTable } from './alerts.ts'; // issue 13: alerts
import type { DigestOptOutTokensTable, DigestPreferencesTable, DigestSchedulesTable, DigestsTable } from './digests.ts'; // issue 13: the weekly digest

export interface OrganisationsTable {
  id: string;
  name: string;
  industry: string;
  min_responses: number;
  created_at: string;
  /** JSON array of the origins that may show the survey widget (migration 0021, server/widget/origins.ts). */
  widget_origins: Generated<string>;
  /** The member who leads customer experience (migration 0025); null or no longer a member: the admins. */
  cx_lead_user_id: Generated<string | null>;
}

export interface DimensionsTable {
  org_id: string;
  key: string;
  position: number;
  label: string;
  customer_item: string | null;
  leader_item: string;
  source: string;
}

export interface StagesTable {
  org_id: string;
  key: string;
  position: number;
  label: string;
}

export interface TouchpointsTable {
  org_id: string;
  key: string;
  stage_key: string;
  position: number;
  label: string;
  department: string;
}

export interface SurveysTable {
  org_id: string;
  id: string;
  perspective: 'customer' | 'leader';
  active: number;
  created_at: string;
}

export interface ResponsesTable {
  org_id: string;
  id: string;
  survey_id: string;
  perspective: 'customer' | 'leader';
  respondent_id: string | null;
  submitted_at: string;
  month: string;
  touchpoint: string;
  segment_key: string;
  segments: string;
  comment: string | null;
  /** "<survey id>:<client's key>": keys are scoped per survey (responses.ts, migration 0010). */
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: string;
}

/**
 * The raw answers, one row per response (migration 0011; src/store/answers.ts alone reads and writes it):
 * `items` packs the response's answers as "code=value" pairs in code order, comma-separated ("0=5,3=4,7=10"),
 * the codes taken from the organisation's answer_items dictionary.
 */
export interface AnswersTable {
  org_id: string;
  response_id: string;
  items: string;
}

/** The dictionary of an organisation's answer items (migration 0011): item key (e.g. "dim:empathy") ↔ small code. */
export interface AnswerItemsTable {
  org_id: string;
  code: number;
  item: string;
}

/**
 * Sufficient statistics kept up to date at ingest: how many answers of each value each item got,
 * per month × touchpoint × segment combination. item '*' counts responses (respondents).
 */
export interface AnswerCellsTable {
  org_id: string;
  perspective: 'customer' | 'leader';
  month: string;
  touchpoint: string;
  segment_key: string;
  item: string;
  value: number;
  count: number;
}

/**
 * answer_cells summed over the dimensions a `grain` leaves out (migration 0004): grain is a subset of
 * 'm' (month), 't' (touchpoint), 's' (segment_key); left-out dimensions hold ''. Kept in the ingest
 * transaction, so each report reads the smallest grain that answers it.
 */
export interface AnswerRollupsTable {
  org_id: string;
  grain: string;
  perspective: 'customer' | 'leader';
  touchpoint: string;
  segment_key: string;
  month: string;
  item: string;
  value: number;
  count: number;
}

/**
 * Sufficient statistics for key-driver analysis, kept in the ingest transaction (migration 0003): per
 * organisation × model × month × touchpoint × segment combination × answered set (`missing`, migration
 * 0028), over the customer responses that answered the outcome (src/store/driver-cells.ts): n, Σx and
 * Σx·y over its variables, packed in one row (migration 0030; one row per item pair before). `signature`
 * identifies the model's predictor set (the framework's customer dimensions when the response was
 * stored), so a framework change starts a new set of cells.
 */
export interface DriverCellsTable {
  org_id: string;
  model: string;
  signature: string;
  month: string;
  touchpoint: string;
  segment_key: string;
  /** The predictors its responses left unanswered, sorted, comma-joined; '' = none, the complete cases (migration 0028). */
  missing: string;
  /** The variables summed (answered predictors and the outcome), sorted by code unit, comma-joined (migration 0030). */
  vars: string;
  /** Responses added. */
  n: number;
  /** Σx per variable, in `vars` order, comma-joined. */
  sums: string;
  /** Σx·y per pair (i, j) with i ≤ j in `vars` order, row by row — (0,0), (0,1), …, (1,1), … — comma-joined. */
  products: string;
}

/** driver_cells summed over the dimensions a `grain` ('', 'm', 't' or 's') leaves out (migration 0004). */
export interface DriverRollupsTable {
  org_id: string;
  grain: string;
  model: string;
  signature: string;
  touchpoint: string;
  segment_key: string;
  month: string;
  /** As driver_cells.missing (migration 0028). */
  missing: string;
  /** As in driver_cells (migration 0030). */
  vars: string;
  n: number;
  sums: string;
  products: string;
}

/** Responses stored but not yet added to the aggregate tables (migration 0012, fold-queue.ts). */
export interface FoldQueueTable {
  org_id: string;
  response_id: string;
}

/** How many times an organisation's cells have changed (migration 0004; see cell-cache.ts). */
export interface CellVersionsTable {
  org_id: string;
  version: number;
}

/** A person who logs in. `email` is stored lower-cased; `password_hash` is an argon2id PHC string. */
export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: string;
}

/** A user's role in one organisation; `department` is the department an `owner` owns. */
export interface MembershipsTable {
  org_id: string;
  user_id: string;
  role: Role;
  department: string | null;
  created_at: string;
}

/** A login session; `id` is the sha256 of the cookie token, so a database leak yields no usable cookie. */
export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

/** An integration's key, scoped to one organisation; only the sha256 of the secret is kept. */
export interface ApiKeysTable {
  org_id: string;
  id: string;
  name: string;
  key_hash: string;
  role: Role;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/**
 * An offer of membership (migration 0006): accepted by whoever holds the link's token, of which only the
 * sha256 is kept. Open while accepted_at and revoked_at are null and expires_at is ahead.
 */
export interface InvitationsTable {
  org_id: string;
  id: string;
  email: string;
  role: Role;
  department: string | null;
  token_hash: string;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

/** Who viewed individual-level data, exported, or changed set-up, members or keys (migration 0009). */
export interface AuditLogTable {
  org_id: string;
  id: string;
  at: string;
  actor_kind: 'user' | 'api_key' | 'cli';
  actor_id: string | null;
  actor_label: string;
  action: string;
  target: string;
  details: string;
  request_id: string | null;
}

/** A leader's personal, single-use survey link; only the sha256 of its token is kept (migration 0008). */
export interface LeaderLinksTable {
  org_id: string;
  id: string;
  token_hash: string;
  leader_function: string | null;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  response_id: string | null;
}

/** A declared segment (migration 0007, core/segments.ts); `allowed_values` is JSON [{value,label}] for kind 'values'. */
export interface SegmentDeclarationsTable {
  org_id: string;
  key: string;
  position: number;
  label: string;
  kind: 'values' | 'text';
  max_length: number | null;
  allowed_values: string | null;
  public: number;
}

// The case tables (issue 13) are declared in case-schema.ts.
export interface Database extends CaseTables {
  organisations: OrganisationsTable;
  dimensions: DimensionsTable;
  stages: StagesTable;
  touchpoints: TouchpointsTable;
  surveys: SurveysTable;
  responses: ResponsesTable;
  answers: AnswersTable;
  answer_items: AnswerItemsTable;
  answer_cells: AnswerCellsTable;
  answer_rollups: AnswerRollupsTable;
  driver_cells: DriverCellsTable;
  driver_rollups: DriverRollupsTable;
  cell_versions: CellVersionsTable;
  fold_queue: FoldQueueTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  segment_declarations: SegmentDeclarationsTable;
  invitations: InvitationsTable;
  audit_log: AuditLogTable;
  leader_links: LeaderLinksTable;
  contacts: ContactsTable;
  campaigns: CampaignsTable;
  survey_invitations: SurveyInvitationsTable;
  mail_tokens: MailTokensTable;
  mail_jobs: MailJobsTable;
  import_mappings: ImportMappingsTable;
  comment_analysis: CommentAnalysisTable;
  initiatives: InitiativesTable;
  webhook_endpoints: WebhookEndpointsTable; // issue 13: outgoing webhooks (store/webhooks.ts)
  webhook_deliveries: WebhookDeliveriesTable;
  alert_settings: AlertSettingsTable; // issue 13: alerts (store/alerts.ts)
  alerts: AlertsTable;
  alert_notifications: AlertNotificationsTable; // issue 13: alert e-mails, one per alert and recipient
  digest_schedules: DigestSchedulesTable; // issue 13: the weekly digest (store/digests.ts)
  digest_preferences: DigestPreferencesTable;
  digests: DigestsTable;
  digest_opt_out_tokens: DigestOptOutTokensTable; // migration 0026: the digest's one-click opt-out links
  feedback_sources: FeedbackSourcesTable; // migration 0027: feedback items from every channel (store/feedback.ts)
  feedback_items: FeedbackItemsTable;
  feedback_receipts: FeedbackReceiptsTable;
  theme_counts: ThemeCountsTable; // migration 0029: the themes report's counts (store/theme-counts.ts)
}

export type { Generated };

/** A person an organisation may invite (migration 0013, store/contacts.ts); `email` lower-cased, one per organisation. */
export interface ContactsTable {
  org_id: string;
  id: string;
  email: string;
  name: string | null;
  language: string | null;
  kind: 'customer' | 'leader';
  leader_function: string | null;
  /** JSON object of declared segment values. */
  segments: string;
  touchpoint: string | null;
  status: 'active' | 'unsubscribed' | 'bounced';
  status_at: string | null;
  created_at: string;
  updated_at: string;
}

/** One survey sent to a filter of contacts (migration 0013, store/campaigns.ts). */
export interface CampaignsTable {
  org_id: string;
  id: string;
  name: string;
  survey_id: string;
  perspective: 'customer' | 'leader';
  filter: string;
  subject: string;
  body: string;
  sender_name: string;
  send_at: string;
  reminder_days: number;
  max_reminders: number;
  created_by: string;
  created_at: string;
}

/** One contact invited by one campaign: how far they got (migration 0013). */
export interface SurveyInvitationsTable {
  org_id: string;
  id: string;
  campaign_id: string;
  contact_id: string;
  touchpoint: string | null;
  created_at: string;
  delivered_at: string | null;
  last_mailed_at: string | null;
  reminders: number;
  bounced_at: string | null;
  started_at: string | null;
  /** First open: the tracking image loaded or the survey link followed (migration 0017); a lower bound. */
  opened_at: string | null;
  used_at: string | null;
  response_id: string | null;
}

/** A token mailed in a message; only its sha256 is kept (migration 0013). */
export interface MailTokensTable {
  token_hash: string;
  org_id: string;
  purpose: 'answer' | 'unsubscribe' | 'open';
  invitation_id: string;
  contact_id: string;
  created_at: string;
}

/** One message to send, as a durable job (migration 0013, store/mail-jobs.ts). */
export interface MailJobsTable {
  org_id: string;
  id: string;
  invitation_id: string;
  /** case_escalation (issue 13): `invitation_id` names the case_notifications row (store/case-escalation.ts). */
  kind: 'invitation' | 'reminder' | 'case_escalation' | 'digest' | 'alert'; // digest: `invitation_id` names the digests row (store/digests.ts)
  // alert: `invitation_id` names the alert_notifications row (store/alerts.ts)
  state: 'queued' | 'sending' | 'sent' | 'bounced' | 'failed' | 'cancelled';
  attempts: number;
  next_attempt_at: string;
  claimed_at: string | null;
  sent_at: string | null;
  last_error: string | null;
  created_at: string;
}

/** A saved import mapping per organisation × source name (migration 0014, store/import-mappings.ts). */
export interface ImportMappingsTable {
  org_id: string;
  source: string;
  format: string;
  /** JSON: the mapping of core/import-mapping.ts. */
  mapping: string;
  saved_by: string;
  saved_at: string;
}

/** Comments per cell, sentiment and tag set (migration 0029, store/theme-counts.ts); '' where a comment has no reading. */
export interface ThemeCountsTable {
  org_id: string;
  perspective: string;
  /** '' for survey comments, else the feedback item's channel. */
  channel: string;
  month: string;
  touchpoint: string;
  segment_key: string;
  sentiment: string;
  dimensions: string;
  touchpoints: string;
  n: number;
}

/** What the text pipeline read in one response's comment (migration 0015, store/comment-analysis.ts). */
export interface CommentAnalysisTable {
  org_id: string;
  response_id: string;
  sentiment: 'negative' | 'neutral' | 'positive';
  score: number;
  /** ','-wrapped dimension keys (",communication,billing,"), '' for none. */
  dimensions: string;
  /** ','-wrapped touchpoint keys, '' for none. */
  touchpoints: string;
  /** The comment with PII replaced by placeholders: what every role but admins sees. */
  redacted: string;
  /** Which sentiment model scored it (its training time). */
  model: string;
}

/** A declared feedback source (migration 0027, store/feedback-sources.ts): its channel and inbound-webhook secret. */
export interface FeedbackSourcesTable {
  org_id: string;
  id: string;
  name: string;
  channel: string;
  secret: string;
  created_at: string;
}

/** One feedback item (migration 0027, store/feedback.ts): never part of any survey figure. */
export interface FeedbackItemsTable {
  org_id: string;
  id: string;
  source_id: string;
  channel: string;
  external_id: string | null;
  author_ref: string | null;
  occurred_at: string;
  month: string;
  touchpoint: string;
  segment_key: string;
  segments: string;
  comment: string;
  rating_value: number | null;
  rating_min: number | null;
  rating_max: number | null;
  rating: number | null;
  request_hash: string;
  created_at: string;
}

/** A feedback request already answered (migration 0027): an Idempotency-Key or a webhook-id. */
export interface FeedbackReceiptsTable {
  org_id: string;
  key: string;
  request_hash: string;
  result: string;
  created_at: string;
}
