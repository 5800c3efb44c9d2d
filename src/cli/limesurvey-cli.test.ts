// `parallax import --from limesurvey` with LimeSurvey's XML files (the CLI program, test/cli.ts; both engines): a .lsr is read
// with the .lss found beside it, and the R data file with `--syntax x.lss` then finds the same responses already
// imported (fixtures: test/fixtures/limesurvey/SOURCE.md; reference rows in src/imports/limesurvey-import.test.ts).
import { it, expect, beforeAll } from 'vitest';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEngines } from '../../test/engines.ts';
import { cli } from '../../test/cli.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { countResponses } from '../store/responses.ts';

const FIX = join(import.meta.dirname, '../../test/fixtures');
const dir = mkdtempSync(join(tmpdir(), 'parallax-limesurvey-cli-'));
copyFileSync(join(FIX, 'limesurvey/survey_998192.lsr'), join(dir, 'survey_998192.lsr'));
copyFileSync(join(FIX, 'limesurvey/survey_998192.lss'), join(dir, 'survey_998192.lss'));
const mapping = join(dir, 'mapping.json');
writeFileSync(mapping, JSON.stringify({ version: 1, date: { column: 'datestamp', format: 'iso' }, respondentId: { column: 'id' }, comment: { columns: ['mood'] }, items: [{ column: 'personality_open', item: 'ces' }] }));

describeEngines('parallax import --from limesurvey (.lsr, .lss)', (ctx) => {
  let f: OrgFixture;
  let url: string;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    url = ctx().location;
  });

  it('imports a .lsr with the .lss beside it, then finds the R export\'s responses already imported', async () => {
    const lsr = await cli(url, ['import', join(dir, 'survey_998192.lsr'), '--from', 'limesurvey', '--org', f.org.id, '--mapping', mapping, '--skip-invalid']);
    expect(lsr.stdout).toContain('limesurvey (.lsr response archive + .lss), 7 responses, 51 columns');
    expect(lsr.stdout).toContain(`Imported 3 responses into ${f.org.id}; skipped 4 invalid rows.`);
    const r = await cli(url, ['import', join(FIX, 'limesurvey-export/survey_998192_R_data_file.csv'), '--from', 'limesurvey', '--syntax', join(dir, 'survey_998192.lss'), '--org', f.org.id, '--mapping', mapping, '--skip-invalid']);
    expect(r.stdout).toContain('limesurvey (R data file + .lss), 7 responses, 71 columns');
    expect(r.stdout).toContain(`Imported 0 responses into ${f.org.id}; 3 were already imported`);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 3, leader: 0 });
  });

  it('refuses a .lss that is not well-formed, naming the file and line, and writes nothing', async () => {
    const bad = join(dir, 'broken.lss');
    writeFileSync(bad, '<?xml version="1.0"?>\n<document><LimeSurveyDocType>Survey</LimeSurveyDocType>\n<surveys><rows><row></surveys></document>\n');
    const r = await cli(url, ['import', join(dir, 'survey_998192.lsr'), '--from', 'limesurvey', '--syntax', bad, '--org', f.org.id, '--mapping', mapping]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/\.lss: not well-formed XML at line 3/);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 3, leader: 0 });
  });
});
