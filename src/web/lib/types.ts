// Response shapes the dashboard reads. Types come from the server's zod schemas where they exist
// (type-only imports: nothing of the server is bundled).
import type { GapReport } from '../../core/gap-report.ts';
import type { Dimension } from '../../core/framework.ts';
import type { Stage } from '../../core/journey.ts';
import type { SurveyDefinition } from '../../core/survey.ts';
import type { Role } from '../../core/access.ts';
import type { TrendReport } from '../../core/analytics/trend.ts';
import type { BreakdownReport } from '../../core/analytics/breakdown.ts';
import type { BenchmarksReport } from '../../core/analytics/benchmarks.ts';
import type { DriversReport } from '../../core/analytics/drivers.ts';
import type { CalibrationReport } from '../../core/analytics/calibration.ts';
import type { DriverPerceptionReport } from '../../core/analytics/driver-perception.ts';
import type { VerbatimPageView, VerbatimView } from '../../server/routes/verbatims.ts';
import type { ThemesReportView, ThemeView } from '../../server/routes/themes.ts';

export type { GapReport, Dimension, Stage, SurveyDefinition, Role, TrendReport, BreakdownReport, BenchmarksReport };
export type { DriversReport, CalibrationReport };
export type { DriverPerceptionReport };

export type Suppressed = { suppressed: true; reason: string };
export type Share = { n: number; share: number; ci95: [number, number] };
export const isSuppressed = (x: unknown): x is Suppressed => typeof x === 'object' && x !== null && (x as Suppressed).suppressed === true;

export interface OrgMembership {
  id: string;
  name: string;
  industry: string;
  role: Role;
  department: string | null;
}

export interface SessionUser {
  id: string;
  email: string;
  name?: string | null;
}

export interface SessionInfo {
  user: SessionUser;
  organisations: OrgMembership[];
  csrfToken: string;
}

export interface Organisation {
  id: string;
  name: string;
  industry: string;
  minResponses: number;
  /** The sites that may show the customer survey in the widget (absent from an older server). */
  widgetOrigins?: string[];
  /** The member who leads customer experience (escalations, alert e-mails); null: the admins (absent from an older server). */
  cxLeadUserId?: string | null;
}

export interface FilterOptions {
  months: string[];
  segments: { name: string; values: string[] }[];
}

// The verbatims' and themes' answers are the server's zod schemas (GET …/verbatims, GET …/reports/themes).
export type Verbatim = VerbatimView;
export type VerbatimPage = VerbatimPageView;
export type Theme = ThemeView;
export type ThemesReport = ThemesReportView;

export interface SurveySummary {
  id: string;
  perspective: 'customer' | 'leader';
  active: boolean;
  createdAt: string;
  link: string;
}

/** A leader's personal survey link (the token only in the answer that made it). */
export interface LeaderLink {
  id: string;
  function: string | null;
  createdBy?: string;
  createdAt: string;
  expiresAt: string;
  used: boolean;
  token?: string;
  path?: string;
}

export interface Member {
  userId: string;
  email: string;
  name?: string | null;
  role: Role;
  department: string | null;
}

export interface ApiKeySummary {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string | null;
  prefix?: string;
}

/** Sentiment of a comment (issue 10). */
export type SentimentLabel = Verbatim['sentiment']['label'];
