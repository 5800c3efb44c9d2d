// The imports API with LimeSurvey's XML files on both engines: a .lsr (as `file`) previewed and imported with the
// .lss (as `syntax`), the R data file with the .lss then finding the same responses stored, and hostile or broken
// XML answered 400 naming the file (fixtures: test/fixtures/limesurvey/SOURCE.md; reference rows in
// src/imports/limesurvey-import.test.ts: 3 of the 7 responses hold personality_open or mood).
import { readFileSync } from 'node:fs';
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { type OrgFixture } from '../../../test/fixtures.ts';
import { adminApp } from '../../../test/auth-fixture.ts';

const fixture = (p: string) => readFileSync(new URL(`../../../test/fixtures/${p}`, import.meta.url));
const LSR = fixture('limesurvey/survey_998192.lsr');
const LSS = fixture('limesurvey/survey_998192.lss').toString('utf8');
const R_DATA = fixture('limesurvey-export/survey_998192_R_data_file.csv');
const mapping = { version: 1, date: { column: 'datestamp', format: 'iso' }, respondentId: { column: 'id' }, comment: { columns: ['mood'] }, items: [{ column: 'personality_open', item: 'ces' }] };

describeEngines('imports API: LimeSurvey .lss / .lsr', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  const post = (p: string, payload: object) => app.inject({ method: 'POST', url: `/api/v1/organisations/${f.org.id}/${p}`, headers: admin, payload });
  beforeAll(async () => {
    ({ app, f, admin } = await adminApp(ctx()));
  });
  afterAll(() => app.close());

  it('previews and imports a .lsr with its .lss; the R data file with the .lss then stores nothing twice', async () => {
    const p = await post('imports/preview?from=limesurvey', { file: LSR.toString('base64'), syntax: LSS, mapping });
    expect(p.statusCode, p.body).toBe(200);
    const preview = p.json();
    expect(preview.table).toMatchObject({ format: 'limesurvey (.lsr response archive + .lss)', rows: 7 });
    expect(preview.table.columns.find((c: { id: string }) => c.id === 'informedConsent')).toMatchObject({ kind: 'categorical' });
    expect(preview.dryRun).toMatchObject({ rows: 7, validRows: 3, invalidRows: 4 });
    const first = await post('imports?from=limesurvey&skipInvalid=true', { file: LSR.toString('base64'), syntax: LSS, mapping });
    expect(first.json()).toMatchObject({ inserted: 3, skipped: 0 });
    const again = await post('imports?from=limesurvey&skipInvalid=true', { file: R_DATA.toString('base64'), syntax: LSS, mapping });
    expect(again.json()).toMatchObject({ inserted: 0, skipped: 3 });
  });

  it('answers hostile or broken XML with 400 naming the file', async () => {
    const bomb = '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n<document><LimeSurveyDocType>Survey</LimeSurveyDocType></document>';
    const r = await post('imports/preview?from=limesurvey', { file: LSR.toString('base64'), syntax: bomb });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toBe('file: .lss: a DOCTYPE or ENTITY declaration is not accepted in a LimeSurvey file');
    const broken = Buffer.from('<?xml version="1.0"?>\n<document><LimeSurveyDocType>Responses</LimeSurveyDocType>\n<responses><rows><row><id>1</row></rows></responses></document>');
    const b = await post('imports?from=limesurvey', { file: broken.toString('base64'), mapping });
    expect(b.statusCode).toBe(400);
    expect(b.json().message).toMatch(/^file: \.lsr: not well-formed XML at line 3/);
  });
});
