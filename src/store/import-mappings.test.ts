// Saved import mappings on both engines: save, replace, read back, list, delete, per organisation, and the
// bound on how many one organisation may keep.
import { it, expect } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg } from '../../test/fixtures.ts';
import { deleteImportMapping, getImportMapping, listImportMappings, MAX_SAVED_MAPPINGS, saveImportMapping, SOURCE_NAME, TooManyMappings } from './import-mappings.ts';

const M1 = { version: 1, date: { column: 'D', format: 'dmy' }, items: [{ column: 'NPS_SCORE', item: 'nps' }] };
const M2 = { version: 1, date: { value: '2024-01-01T00:00:00Z' }, touchpoint: { column: 'S', values: { Order: 'checkout', __proto__x: null } } };

describeEngines('saved import mappings (store)', (ctx) => {
  it('saves, replaces, lists and deletes a mapping per organisation and source', async () => {
    const f = await makeOrg(ctx());
    const g = await makeOrg(ctx());
    const db = ctx().db;
    expect(await getImportMapping(db, f.org.id, 'telecom')).toBeUndefined();
    const at = new Date('2026-01-02T03:04:05Z');
    await saveImportMapping(db, { orgId: f.org.id, source: 'telecom', format: 'csv', mapping: M1, savedBy: 'a@example.com', at });
    await saveImportMapping(db, { orgId: g.org.id, source: 'telecom', format: 'qualtrics', mapping: M2, savedBy: 'b@example.com' });
    expect(await getImportMapping(db, f.org.id, 'telecom')).toEqual({ source: 'telecom', format: 'csv', mapping: M1, savedBy: 'a@example.com', savedAt: at.toISOString() });
    // Replacing keeps one row, with the new content and author.
    await saveImportMapping(db, { orgId: f.org.id, source: 'telecom', format: 'surveymonkey', mapping: M2, savedBy: 'c@example.com', at });
    await saveImportMapping(db, { orgId: f.org.id, source: 'Alpha 2', format: 'csv', mapping: M1, savedBy: 'c@example.com', at });
    const list = await listImportMappings(db, f.org.id);
    expect(list.map((m) => [m.source, m.format, m.savedBy])).toEqual([['Alpha 2', 'csv', 'c@example.com'], ['telecom', 'surveymonkey', 'c@example.com']]);
    expect(list[1]!.mapping).toEqual(M2);
    // The other organisation's mapping of the same name is its own.
    expect((await getImportMapping(db, g.org.id, 'telecom'))!.format).toBe('qualtrics');
    expect(await deleteImportMapping(db, f.org.id, 'telecom')).toBe(true);
    expect(await deleteImportMapping(db, f.org.id, 'telecom')).toBe(false);
    expect(await getImportMapping(db, f.org.id, 'telecom')).toBeUndefined();
    expect(await getImportMapping(db, g.org.id, 'telecom')).toBeDefined();
  });

  it('refuses a new source beyond the bound, but still replaces an existing one', async () => {
    const f = await makeOrg(ctx());
    const db = ctx().db;
    await db
      .insertInto('import_mappings')
      .values(Array.from({ length: MAX_SAVED_MAPPINGS }, (_, i) => ({ org_id: f.org.id, source: `s${i}`, format: 'csv', mapping: '{}', saved_by: 'x', saved_at: '2026-01-01T00:00:00.000Z' })))
      .execute();
    await expect(saveImportMapping(db, { orgId: f.org.id, source: 'one more', format: 'csv', mapping: M1, savedBy: 'x' })).rejects.toBeInstanceOf(TooManyMappings);
    await saveImportMapping(db, { orgId: f.org.id, source: 's0', format: 'csv', mapping: M1, savedBy: 'y' });
    expect((await getImportMapping(db, f.org.id, 's0'))!.mapping).toEqual(M1);
    expect((await listImportMappings(db, f.org.id)).length).toBe(MAX_SAVED_MAPPINGS);
  });

  it('source names are short, printable and path-safe', () => {
    for (const ok of ['telecom', 'Qualtrics NPS 2023', 'a.b-c_d']) expect(SOURCE_NAME.test(ok), ok).toBe(true);
    for (const bad of ['', ' lead', 'a/b', '../x', 'x'.repeat(81), 'é', 'a\nb']) expect(SOURCE_NAME.test(bad), bad).toBe(false);
  });
});
