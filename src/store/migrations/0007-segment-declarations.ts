// Declared segments (src/core/segments.ts): one row per organisation × segment, with its label, kind
// ('values': the allowed values as JSON [{value,label}]; 'text': free text up to max_length) and whether
// the public may set it. Existing data keeps working: every segment name already stored for an
// organisation is declared as public free text (up to 80 characters), which an admin can then tighten.
// Self-contained: the stored combination format ("name=value;name=value") is the one responses use.
import { sql, type Kysely } from 'kysely';

// Names usable as declared keys (see core/keys.ts): others (never accepted by the API) are not declared.
const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const RESERVED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype', '__proto__', 'constructor'].map((n) => n.toLowerCase()));

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('segment_declarations')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('values', 'text')`))
    .addColumn('max_length', 'integer')
    .addColumn('allowed_values', 'text') // JSON [{value,label}] when kind = 'values'
    .addColumn('public', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('segment_declarations_pk', ['org_id', 'key'])
    .execute();

  const cells = await sql<{ org_id: string; segment_key: string }>`
    SELECT DISTINCT org_id, segment_key FROM answer_cells WHERE segment_key <> '' AND item = '*'`.execute(db);
  const names = new Map<string, Set<string>>();
  for (const c of cells.rows) {
    const set = names.get(c.org_id) ?? new Set<string>();
    for (const pair of c.segment_key.split(';')) {
      const name = pair.slice(0, Math.max(0, pair.indexOf('=')));
      if (KEY.test(name) && !RESERVED.has(name)) set.add(name);
    }
    names.set(c.org_id, set);
  }
  const rows = [...names].flatMap(([org_id, set]) =>
    [...set].sort().map((key, position) => ({
      org_id,
      key,
      position,
      label: key.charAt(0).toUpperCase() + key.slice(1).replaceAll('_', ' '),
      kind: 'text',
      max_length: 80,
      allowed_values: null,
      public: 1,
    })),
  );
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('segment_declarations').values(rows.slice(i, i + 200)).execute();
}
