// `parallax import --from … --source <name>` (the CLI program, test/cli.ts) on both engines: the first import saves the
// mapping under the source name, the next file from that source reuses it, and a saved mapping that no
// longer fits the file is reported by name and nothing is written.
import { it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { describeEngines } from '../../test/engines.ts';
import { cli } from '../../test/cli.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { countResponses } from '../store/responses.ts';
import { getImportMapping, saveImportMapping } from '../store/import-mappings.ts';

const TELECOM = join(import.meta.dirname, '../../test/fixtures/nps-verbatims-telecom/verbatim.csv');

describeEngines('parallax import --from … --source', (ctx) => {
  let f: OrgFixture;
  let url: string;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    url = ctx().location;
  });

  it('saves the mapping under the source name, reuses it on the next file, and refuses one that no longer fits', async () => {
    const first = await cli(url, ['import', TELECOM, '--from', 'csv', '--org', f.org.id, '--source', 'telecom']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Imported 2385 responses into ${f.org.id}. Mapping saved as source "telecom".`);
    const saved = await getImportMapping(ctx().db, f.org.id, 'telecom');
    expect(saved).toMatchObject({ format: 'csv', mapping: { items: [{ column: 'NPS_SCORE', item: 'nps' }] } });
    expect(saved!.savedBy).toMatch(/\(command line\)$/);

    const again = await cli(url, ['import', TELECOM, '--from', 'csv', '--org', f.org.id, '--source', 'telecom']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('mapping: the one saved as source "telecom"');
    expect(again.stdout).toContain('Imported 0 responses');
    expect(again.stdout).toContain('2385 were already imported');
    expect(again.stdout).toContain('Mapping reused from source "telecom".');

    await saveImportMapping(ctx().db, { orgId: f.org.id, source: 'old', format: 'csv', mapping: { version: 1, date: { column: 'Date', format: 'iso' }, items: [{ column: 'NPS_SCORE', item: 'nps' }] }, savedBy: 'x' });
    const misfit = await cli(url, ['import', TELECOM, '--from', 'csv', '--org', f.org.id, '--source', 'old']);
    expect(misfit.code).toBe(1);
    expect(misfit.stderr).toContain('mapping: saved mapping "old": date.column: no column "Date" in this file');
    expect(misfit.stderr).toContain('the mapping saved as "old" does not fit this file; nothing was imported');
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 2385, leader: 0 });

    const actions = (await ctx().db.selectFrom('audit_log').select('action').where('org_id', '=', f.org.id).execute()).map((a) => a.action);
    expect(actions.filter((a) => a === 'imports.create').length).toBe(2);
    expect(actions.filter((a) => a === 'import-mappings.replace').length).toBe(1); // the reuse saved nothing new

    const bad = await cli(url, ['import', TELECOM, '--from', 'csv', '--org', f.org.id, '--source', '../x']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--source:');
  });
});
