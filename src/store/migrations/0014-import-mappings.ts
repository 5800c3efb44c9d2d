// Saved import mappings (issue 9): one per organisation × source name ("Qualtrics NPS 2023", "telecom"),
// holding the mapping JSON of src/core/import-mapping.ts, the platform it reads, and who saved it when.
// The next file from the same source reuses it, validated again against that file.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_mappings')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull()) // qualtrics | surveymonkey | limesurvey | csv
    .addColumn('mapping', 'text', (c) => c.notNull()) // JSON, as mappingToJson writes it
    .addColumn('saved_by', 'text', (c) => c.notNull()) // e-mail, API key name or CLI operator, as known then
    .addColumn('saved_at', 'text', (c) => c.notNull()) // ISO 8601 UTC
    .addPrimaryKeyConstraint('import_mappings_pk', ['org_id', 'source'])
    .execute();
}
