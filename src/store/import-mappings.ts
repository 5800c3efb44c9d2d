// Saved import mappings (migration 0014): per organisation and source name, the mapping JSON a previous
// file from that source was imported with, so the next file reuses it. The mapping is stored as given;
// callers validate it (core/import-mapping.ts Mapping + checkMapping) both when saving and when reusing,
// since a file from the same source may have changed its columns since.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { writeTransaction } from './write-transaction.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A source name: what the user calls the origin of the files ("Qualtrics NPS", "telecom-2024"). */
export const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,79}$/;
export const SOURCE_NAME_RULE = '1–80 letters, digits, spaces, "_", "." or "-", starting with a letter or digit';
/** How many saved mappings one organisation may hold. */
export const MAX_SAVED_MAPPINGS = 200;

export interface SavedMapping {
  source: string;
  format: string;
  /** The mapping JSON as saved (validate before use). */
  mapping: unknown;
  savedBy: string;
  savedAt: string;
}

export class TooManyMappings extends Error {}

const fromRow = (r: { source: string; format: string; mapping: string; saved_by: string; saved_at: string }): SavedMapping => ({
  source: r.source,
  format: r.format,
  mapping: JSON.parse(r.mapping),
  savedBy: r.saved_by,
  savedAt: r.saved_at,
});

/** Saves (or replaces) the mapping of a source; refuses a new source beyond MAX_SAVED_MAPPINGS. */
export async function saveImportMapping(
  db: Kysely<Database>,
  m: { orgId: string; source: string; format: string; mapping: unknown; savedBy: string; at?: Date },
): Promise<SavedMapping> {
  const row = { org_id: m.orgId, source: m.source, format: m.format, mapping: JSON.stringify(m.mapping), saved_by: m.savedBy.slice(0, 200), saved_at: (m.at ?? new Date()).toISOString() };
  await writeTransaction(db, async (tx) => {
    const exists = await tx.selectFrom('import_mappings').select('source').where('org_id', '=', m.orgId).where('source', '=', m.source).executeTakeFirst();
    if (!exists) {
      const { n } = await tx.selectFrom('import_mappings').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', m.orgId).executeTakeFirstOrThrow();
      if (Number(n) >= MAX_SAVED_MAPPINGS) throw new TooManyMappings(`at most ${MAX_SAVED_MAPPINGS} saved mappings per organisation: delete one first`);
    }
    await tx
      .insertInto('import_mappings')
      .values(row)
      .onConflict((oc) => oc.columns(['org_id', 'source']).doUpdateSet({ format: row.format, mapping: row.mapping, saved_by: row.saved_by, saved_at: row.saved_at }))
      .execute();
  });
  return fromRow(row);
}

export async function getImportMapping(db: Db, orgId: string, source: string): Promise<SavedMapping | undefined> {
  const r = await db.selectFrom('import_mappings').selectAll().where('org_id', '=', orgId).where('source', '=', source).executeTakeFirst();
  return r && fromRow(r);
}

/** The organisation's saved mappings, by source name. */
export async function listImportMappings(db: Db, orgId: string): Promise<SavedMapping[]> {
  const rows = await db.selectFrom('import_mappings').selectAll().where('org_id', '=', orgId).orderBy('source').execute();
  return rows.map(fromRow);
}

/** Deletes a source's mapping; false when there was none. */
export async function deleteImportMapping(db: Db, orgId: string, source: string): Promise<boolean> {
  const r = await db.deleteFrom('import_mappings').where('org_id', '=', orgId).where('source', '=', source).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
