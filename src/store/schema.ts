// Table types for Kysely. Every table carries org_id (first in its key) so the schema can be
// distributed by organisation (e.g. Citus) once one database server is outgrown.
// Timestamps are ISO 8601 UTC text in both engines so the same queries read the same values.
import type { Generated } from 'kysely';

export interface OrganisationsTable {
  id: string;
  name: string;
  industry: string;
  min_responses: number;
  created_at: string;
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
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: string;
}

export interface AnswersTable {
  org_id: string;
  response_id: string;
  item: string;
  value: number;
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

export interface Database {
  organisations: OrganisationsTable;
  dimensions: DimensionsTable;
  stages: StagesTable;
  touchpoints: TouchpointsTable;
  surveys: SurveysTable;
  responses: ResponsesTable;
  answers: AnswersTable;
  answer_cells: AnswerCellsTable;
}

export type { Generated };
