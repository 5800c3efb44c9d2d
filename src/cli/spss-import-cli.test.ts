// `parallax import --from spss …` as a user runs it (the CLI program, test/cli.ts) on both engines with Qualtrics' SPSS
// download (test/fixtures/qualtrics-export/testproject_menu.sav): the dry run, the import, the same .sav
// given as `--from qualtrics` (read by its "$FL2" bytes), a CSV given as `--from spss` refused; and a
// Qualtrics CSV with a survey preview and a spam row, each listed as left out unless --include-previews.
// Reference values: see src/imports/spss-import.test.ts (Q5 holds 5 answers, rows 3–7).
import { it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEngines } from '../../test/engines.ts';
import { cli } from '../../test/cli.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { countResponses } from '../store/responses.ts';

const FIX = join(import.meta.dirname, '../../test/fixtures/qualtrics-export');
const SAV = join(FIX, 'testproject_menu.sav');
const CSV = join(FIX, 'testproject_menu_numeric.csv');
const dir = mkdtempSync(join(tmpdir(), 'parallax-spss-cli-'));

describeEngines('parallax import --from spss', (ctx, engine) => {
  let f: OrgFixture;
  let url: string;
  const mapping = join(dir, `sav-${engine}.json`);
  beforeAll(async () => {
    f = await makeOrg(ctx());
    url = ctx().location;
    writeFileSync(
      mapping,
      JSON.stringify({
        version: 1,
        date: { column: 'RecordedDate', format: 'iso' },
        respondentId: { column: 'ResponseId' },
        items: [{ column: 'Q5', item: 'dim:empathy', values: { 'Strongly disagree': 1, 'Somewhat disagree': 2, 'Neither agree nor disagree': 3, 'Somewhat agree': 4, 'Strongly agree': 5 } }],
      }),
    );
  });

  it('dry-runs and imports the .sav; the same file as --from qualtrics is read as SPSS too', async () => {
    const dry = await cli(url, ['import', SAV, '--from', 'spss', '--org', f.org.id, '--mapping', mapping, '--dry-run', '--skip-invalid']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`${SAV}: spss (.sav), 7 responses, 34 columns (SPSS $FL2 written by "SPSS DATA FILE Java Writer (c) Qualtrics - 0.1.0"; encoding: UTF-8;`);
    expect(dry.stdout).toContain('Dry run: 5 of 7 rows would be imported');
    expect(dry.stdout).toContain('answers per item: dim:empathy 5; comments: 0');
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 0, leader: 0 });

    const r = await cli(url, ['import', SAV, '--from', 'spss', '--org', f.org.id, '--mapping', mapping, '--skip-invalid']);
    expect(r.stdout).toContain(`Imported 5 responses into ${f.org.id}; skipped 2 invalid rows.`);
    const again = await cli(url, ['import', SAV, '--from', 'qualtrics', '--org', f.org.id, '--mapping', mapping, '--skip-invalid']);
    expect(again.stdout).toContain('spss (.sav), 7 responses');
    expect(again.stdout).toContain(`Imported 0 responses into ${f.org.id}; 5 were already imported; skipped 2 invalid rows.`);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 5, leader: 0 });
  });

  it('refuses a CSV given as SPSS, naming why, and writes nothing', async () => {
    const g = await makeOrg(ctx());
    const r = await cli(url, ['import', CSV, '--from', 'spss', '--org', g.org.id, '--mapping', mapping]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${CSV}: not an SPSS .sav file (it does not start with "$FL2" or "$FL3")`);
    expect(await countResponses(ctx().db, g.org.id)).toEqual({ customer: 0, leader: 0 });
  });

  it('lists Qualtrics preview and spam rows as left out; --include-previews keeps them', async () => {
    const g = await makeOrg(ctx());
    // The numeric CSV with row 3's Status set to 1 ("Survey Preview") and row 4's to 8 ("Spam").
    const lines = readFileSync(CSV, 'utf8').split('\n');
    lines[3 + 2] = lines[3 + 2]!.replace(/^([^,]*,[^,]*,)0,/, '$11,');
    lines[3 + 3] = lines[3 + 3]!.replace(/^([^,]*,[^,]*,)0,/, '$18,');
    const marked = join(dir, `marked-${engine}.csv`);
    writeFileSync(marked, lines.join('\n'));
    const m = join(dir, `csv-${engine}.json`);
    writeFileSync(m, JSON.stringify({ version: 1, date: { column: 'RecordedDate', format: 'iso' }, respondentId: { column: 'ResponseId' }, items: [{ column: 'Q5', item: 'dim:empathy', values: { '15': 1, '14': 2, '13': 3, '12': 4, '11': 5 } }] }));

    const dry = await cli(url, ['import', marked, '--from', 'qualtrics', '--org', g.org.id, '--mapping', m, '--dry-run', '--skip-invalid']);
    expect(dry.stdout).toContain('row 3: survey preview, left out\nrow 4: spam, left out\n');
    expect(dry.stdout).toContain('Dry run: 3 of 7 rows would be imported into');
    expect(dry.stdout).toContain('; 2 left out as previews or spam (--include-previews keeps them); nothing was written.');

    const r = await cli(url, ['import', marked, '--from', 'qualtrics', '--org', g.org.id, '--mapping', m, '--skip-invalid']);
    expect(r.stdout).toContain(`Imported 3 responses into ${g.org.id}; skipped 2 invalid rows; 2 left out as previews or spam (--include-previews keeps them).`);
    const kept = await cli(url, ['import', marked, '--from', 'qualtrics', '--org', g.org.id, '--mapping', m, '--skip-invalid', '--include-previews']);
    expect(kept.stdout).not.toContain('left out');
    expect(kept.stdout).toContain(`Imported 2 responses into ${g.org.id}; 3 were already imported; skipped 2 invalid rows.`);
    expect(await countResponses(ctx().db, g.org.id)).toEqual({ customer: 5, leader: 0 });
    expect((await cli(url, ['import', CSV, '--org', g.org.id, '--include-previews'])).stderr).toContain('--include-previews needs --from');
  });
});
