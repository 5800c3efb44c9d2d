// Importing survey 998192 from LimeSurvey's three pairs of files, on both engines: the R data file with its R
// syntax file (the reference), the same data file with the survey structure (.lss), and the response archive
// (.lsr) with the .lss (test/fixtures/limesurvey/SOURCE.md). The same mapping must give the same responses, so
// the import keys match and importing one after the other stores nothing twice.
// Reference (python3 csv module on survey_998192_R_data_file.csv): personality_open (column 35) "", "", 3, "", "",
// "", 1; mood (21) "", "dgggsdfs", "", "", "", "", "4747647" → rows 2, 3 and 7 hold an answer or a comment.
import { it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { countResponses } from '../store/responses.ts';
import { importSource } from './source-import.ts';

const FIX = join(import.meta.dirname, '../../test/fixtures');
const R_DATA = readFileSync(join(FIX, 'limesurvey-export/survey_998192_R_data_file.csv'));
const R_SYNTAX = readFileSync(join(FIX, 'limesurvey-export/survey_998192_R_syntax_file.R'), 'utf8');
const LSS = readFileSync(join(FIX, 'limesurvey/survey_998192.lss'), 'utf8');
const LSR = readFileSync(join(FIX, 'limesurvey/survey_998192.lsr'));
const mapping = {
  version: 1,
  date: { column: 'datestamp', format: 'iso' },
  respondentId: { column: 'id' },
  comment: { columns: ['mood'] },
  items: [{ column: 'personality_open', item: 'ces' }],
  segments: [],
};

describeEngines('LimeSurvey .lss / .lsr imports', (ctx) => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await makeOrg(ctx());
  });
  const run = (bytes: Uint8Array, syntax: string) => importSource(ctx(), { orgId: f.org.id, format: 'limesurvey', bytes, syntax, mapping, skipInvalid: true });

  it('stores the .lsr + .lss responses once, and finds them already stored from the R export', async () => {
    const lsr = await run(LSR, LSS);
    expect(lsr.table.format).toBe('limesurvey (.lsr response archive + .lss)');
    expect([lsr.inserted, lsr.skipped, lsr.invalidRows, lsr.counts.items.get('ces'), lsr.counts.comments]).toEqual([3, 0, 4, 2, 2]);
    expect(Object.fromEntries(lsr.counts.months)).toEqual({ '2021-09': 1, '2021-11': 1, '2022-03': 1 });
    const viaR = await run(R_DATA, R_SYNTAX);
    expect([viaR.inserted, viaR.skipped]).toEqual([0, 3]);
    const viaLss = await run(R_DATA, LSS);
    expect(viaLss.table.format).toBe('limesurvey (R data file + .lss)');
    expect([viaLss.inserted, viaLss.skipped]).toEqual([0, 3]);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 3, leader: 0 });
  });

  it('suggests the same mapping from the R syntax file and from the .lss', async () => {
    const suggest = (bytes: Uint8Array, syntax: string) => importSource(ctx(), { orgId: f.org.id, format: 'limesurvey', bytes, syntax, dryRun: true }).then((r) => r.mapping);
    expect(await suggest(R_DATA, LSS)).toEqual(await suggest(R_DATA, R_SYNTAX));
  });
});
