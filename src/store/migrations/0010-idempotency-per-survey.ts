// Idempotency keys scoped to one survey (responses.ts: storedIdempotencyKey): keys stored before are
// rewritten to "<survey id>:<key>", so a retry — or the re-import of a file imported earlier — still
// finds its response. The (org_id, idempotency_key) unique constraint stays: scoped keys of one survey
// are unique exactly when the old ones were, and SQLite could not drop that constraint without
// rebuilding the table.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`UPDATE responses SET idempotency_key = survey_id || ':' || idempotency_key WHERE idempotency_key IS NOT NULL`.execute(db);
}
