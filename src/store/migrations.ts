// Versioned schema migrations, written once with Kysely's schema builder for both engines.
// Each migration lives in migrations/NNNN-name.ts; list it here, in order.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001-core.ts';
import * as m0002 from './migrations/0002-accounts.ts';
import * as m0003 from './migrations/0003-driver-cells.ts';
import * as m0004 from './migrations/0004-answer-rollups.ts';
import * as m0005 from './migrations/0005-segment-value-rollups.ts';
import * as m0006 from './migrations/0006-invitations.ts';
import * as m0007 from './migrations/0007-segment-declarations.ts';
import * as m0009 from './migrations/0009-audit-log.ts';
import * as m0008 from './migrations/0008-leader-links.ts';
import * as m0010 from './migrations/0010-idempotency-per-survey.ts';
import * as m0011 from './migrations/0011-compact-answers.ts';
import * as m0012 from './migrations/0012-fold-queue.ts';
import * as m0013 from './migrations/0013-contacts-campaigns.ts';
import * as m0014 from './migrations/0014-import-mappings.ts';
import * as m0015 from './migrations/0015-comment-analysis.ts';
import * as m0016 from './migrations/0016-commented-responses.ts';
import * as m0018 from './migrations/0018-comment-search.ts';
import * as m0019 from './migrations/0019-cases.ts';
import * as m0017 from './migrations/0017-invitation-opens.ts';
import * as m0021 from './migrations/0021-widget-origins.ts';
import * as m0020 from './migrations/0020-initiatives.ts';
import * as m0022 from './migrations/0022-webhooks.ts';
import * as m0023 from './migrations/0023-digest.ts';
import * as m0026 from './migrations/0026-digest-opt-out.ts';
import * as m0024 from './migrations/0024-comment-order-indexes.ts';
import * as m0025 from './migrations/0025-cx-lead.ts';
import * as m0027 from './migrations/0027-feedback.ts';
import * as m0029 from './migrations/0029-theme-counts.ts';
import * as m0028 from './migrations/0028-driver-answered-sets.ts';
import * as m0030 from './migrations/0030-packed-driver-cells.ts';

const migrations: Record<string, Migration> = {
  '0001_core': m0001,
  '0002_accounts': m0002,
  '0003_driver_cells': m0003,
  '0004_answer_rollups': m0004,
  '0005_segment_value_rollups': m0005,
  '0006_invitations': m0006,
  '0007_segment_declarations': m0007,
  '0009_audit_log': m0009,
  '0008_leader_links': m0008,
  '0010_idempotency_per_survey': m0010,
  '0011_compact_answers': m0011,
  '0012_fold_queue': m0012,
  '0013_contacts_campaigns': m0013,
  '0014_import_mappings': m0014,
  '0015_comment_analysis': m0015,
  '0016_commented_responses': m0016,
  '0018_comment_search': m0018,
  '0019_cases': m0019,
  '0017_invitation_opens': m0017,
  '0021_widget_origins': m0021,
  '0020_initiatives': m0020,
  '0022_webhooks': m0022,
  '0023_digest': m0023,
  '0026_digest_opt_out': m0026,
  '0024_comment_order_indexes': m0024,
  '0025_cx_lead': m0025,
  '0027_feedback': m0027,
  '0029_theme_counts': m0029,
  '0028_driver_answered_sets': m0028,
  '0030_packed_driver_cells': m0030,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  // Unordered: migrations are written in parallel, so a database that already ran a later one must still
  // take an earlier newcomer. Not independent, though: 0004 sums 0003's driver_cells, 0005 writes 0004's
  // answer_rollups, 0011 rewrites 0001's answers. Kysely runs the pending ones in name order, so on any
  // database a migration runs after every lower-numbered one it has not run yet.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
}

/** Migrations this code knows that the database has not run (empty when the schema is current): for /readyz. */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  return (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
}
