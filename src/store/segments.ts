// Declared segments of an organisation (core/segments.ts): read in order, replaced as a whole.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { SegmentDeclaration } from '../core/segments.ts';
import { writeTransaction } from './write-transaction.ts';
import { setupChanged } from './setup-changes.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function getSegmentDeclarations(db: Db, orgId: string): Promise<SegmentDeclaration[]> {
  const rows = await db.selectFrom('segment_declarations').selectAll().where('org_id', '=', orgId).orderBy('position').execute();
  return rows.map((r): SegmentDeclaration => {
    const common = { key: r.key, label: r.label, public: Number(r.public) === 1 };
    return r.kind === 'values'
      ? { ...common, kind: 'values', values: JSON.parse(r.allowed_values ?? '[]') as { value: string; label: string }[] }
      : { ...common, kind: 'text', maxLength: Number(r.max_length ?? 80) };
  });
}

async function writeDeclarations(tx: Db, orgId: string, decls: readonly SegmentDeclaration[]) {
  await tx.deleteFrom('segment_declarations').where('org_id', '=', orgId).execute();
  if (decls.length === 0) return;
  await tx
    .insertInto('segment_declarations')
    .values(
      decls.map((d, position) => ({
        org_id: orgId,
        key: d.key,
        position,
        label: d.label,
        kind: d.kind,
        max_length: d.kind === 'text' ? d.maxLength : null,
        allowed_values: d.kind === 'values' ? JSON.stringify(d.values.map((v) => ({ value: v.value, label: v.label }))) : null,
        public: d.public ? 1 : 0,
      })),
    )
    .execute();
}

/**
 * Replaces the declarations as a whole. Stored responses keep their segment values: a segment dropped
 * here only stops new responses from carrying it.
 */
export async function replaceSegmentDeclarations(db: Kysely<Database>, orgId: string, decls: readonly SegmentDeclaration[]): Promise<void> {
  await writeTransaction(db, (tx) => writeDeclarations(tx, orgId, decls));
  setupChanged(orgId);
}
