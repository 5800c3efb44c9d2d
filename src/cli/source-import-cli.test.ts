// `parallax import --from …` as a user runs it (the CLI program, test/cli.ts) on both engines: the telecom NPS history
// (test/fixtures/nps-verbatims-telecom) dry-run with its suggested mapping saved, imported with that mapping
// into a fresh store, re-imported without duplicates, and reported (NPS −24.7 on 2,353 answers; reference
// values computed with python3 in src/imports/source-import.test.ts); a SurveyMonkey verbal scale mapped by
// an edited mapping file; and refusals that name the problem and write nothing.
import { it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEngines } from '../../test/engines.ts';
import { cli } from '../../test/cli.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { countResponses } from '../store/responses.ts';

const FIX = join(import.meta.dirname, '../../test/fixtures');
const TELECOM = join(FIX, 'nps-verbatims-telecom/verbatim.csv');
const STARWARS = join(FIX, 'surveymonkey-export/StarWars-first60.csv');
const dir = mkdtempSync(join(tmpdir(), 'parallax-source-cli-'));

describeEngines('parallax import --from', (ctx, engine) => {
  let f: OrgFixture;
  let url: string;
  const mappingFile = join(dir, `telecom-${engine}.json`);
  beforeAll(async () => {
    f = await makeOrg(ctx());
    url = ctx().location;
  });

  it('dry-runs the telecom file: counts per item, touchpoint and month, the mapping saved, nothing written', async () => {
    const r = await cli(url, ['import', TELECOM, '--from', 'csv', '--org', f.org.id, '--dry-run', '--save-mapping', mappingFile]);
    expect(r.stderr).toContain(`Mapping written to ${mappingFile}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('csv (1 header row), 2385 responses, 6 columns');
    expect(r.stdout).toContain('mapping: touchpoint: column "SURVEY_SUB_TYPE" → Equipment Received → welcome, First Payment → billing, Order → checkout, Service in Use → app');
    expect(r.stdout).toContain(`Dry run: 2385 of 2385 rows would be imported into ${f.org.id}; nothing was written.`);
    expect(r.stdout).toContain('answers per item: nps 2353; comments: 2385');
    expect(r.stdout).toContain('per touchpoint: app 30, billing 1150, checkout 971, welcome 234');
    expect(r.stdout).toContain('per month: 2017-12 89, 2018-01 429, 2018-02 426, 2018-03 538, 2018-04 390, 2018-05 336, 2018-06 177');
    expect(JSON.parse(readFileSync(mappingFile, 'utf8'))).toMatchObject({ version: 1, date: { column: 'CUSTOMER_RESPONSE_DATE', format: 'dmy' }, items: [{ column: 'NPS_SCORE', item: 'nps' }] });
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 0, leader: 0 });
  });

  it('imports with the saved mapping once, however often it runs, and reports NPS −24.7 on 2,353 answers', async () => {
    const r = await cli(url, ['import', TELECOM, '--from', 'csv', '--org', f.org.id, '--mapping', mappingFile]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`Imported 2385 responses into ${f.org.id}.`);
    const again = await cli(url, ['import', TELECOM, '--from', 'csv', '--org', f.org.id]);
    expect(again.stdout).toContain(`Imported 0 responses into ${f.org.id}; 2385 were already imported.`);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 2385, leader: 0 });
    const report = await cli(url, ['report', '--org', f.org.id]);
    expect(report.stdout).toContain('NPS       -24.7 ± 3.6  (n=2353; promoters 690, detractors 1271)');
    const stage = JSON.parse((await cli(url, ['report', '--org', f.org.id, '--touchpoint', 'welcome', '--json'])).stdout);
    expect([stage.nps.n, Number(stage.nps.score.toFixed(2))]).toEqual([231, -56.71]); // "Equipment Received"
  });

  it('maps a SurveyMonkey verbal scale through an edited mapping (dry run, invalid rows skipped)', async () => {
    const m = join(dir, `starwars-${engine}.json`);
    writeFileSync(
      m,
      JSON.stringify({
        version: 1,
        date: { value: '2014-06-01T00:00:00Z' },
        respondentId: { column: 'RespondentID' },
        items: [{ column: 'Q5_1', item: 'dim:empathy', values: { 'Very unfavorably': 1, 'Somewhat unfavorably': 2, 'Neither favorably nor unfavorably (neutral)': 3, 'Somewhat favorably': 4, 'Very favorably': 5 } }],
      }),
    );
    const r = await cli(url, ['import', STARWARS, '--from', 'surveymonkey', '--org', f.org.id, '--mapping', m, '--dry-run', '--skip-invalid']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('surveymonkey (2 header rows), 60 responses, 38 columns (encoding: Windows-1252 (not valid UTF-8); 22 "not applicable" cells blanked (not answered))');
    // python3 (cp1252) on the fixture: Han Solo column holds 39 + 6 + 5 + 1 = 51 answers and 9 blanks ("Unfamiliar (N/A)" or none).
    expect(r.stdout).toContain('Dry run: 51 of 60 rows would be imported');
    expect(r.stdout).toContain('answers per item: dim:empathy 51; comments: 0');
    expect(r.stderr).toMatch(/^row \d+, column \(all mapped columns\): has no answer and no comment/m);
  });

  it('refuses an unusable mapping, naming each problem, and writes nothing', async () => {
    const g = await makeOrg(ctx());
    const bad = join(dir, `bad-${engine}.json`);
    writeFileSync(bad, JSON.stringify({ version: 1, date: { column: 'CUSTOMER_RESPONSE_DATE', format: 'dmy' }, touchpoint: { column: 'SURVEY_SUB_TYPE', values: { Order: 'shop' } }, items: [{ column: 'SCORE', item: 'nps' }] }));
    const r = await cli(url, ['import', TELECOM, '--from', 'csv', '--org', g.org.id, '--mapping', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('mapping: touchpoint.values."Order": unknown touchpoint "shop"');
    expect(r.stderr).toContain('mapping: items.0.column: no column "SCORE" in this file');
    writeFileSync(bad, '{"version": 1,');
    expect((await cli(url, ['import', TELECOM, '--from', 'csv', '--org', g.org.id, '--mapping', bad])).stderr).toContain('not valid JSON');
    expect((await cli(url, ['import', TELECOM, '--org', g.org.id, '--dry-run'])).stderr).toContain('--dry-run needs --from');
    expect(await countResponses(ctx().db, g.org.id)).toEqual({ customer: 0, leader: 0 });
  });
});
