// The imports API on both engines: roles, preview (columns, suggested or saved mapping, dry-run counts and
// problems), import all-or-nothing with the telecom NPS history, saved mappings per source (reused, and
// reported when they no longer fit), hostile bodies answered 4xx naming the field, and the audit trail.
// Reference figures (python3, csv module, on test/fixtures/nps-verbatims-telecom/verbatim.csv): 2,385 rows,
// 2,353 with a score; whole-file NPS −24.7; rows per SURVEY_SUB_TYPE: First Payment 1150, Order 971,
// Equipment Received 234, Service in Use 30; scored per stage: Order 962 (NPS −10.0), First Payment 1130 (−29.3).
import { readFileSync } from 'node:fs';
import { it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { type OrgFixture } from '../../../test/fixtures.ts';
import { adminApp, authHeaders } from '../../../test/auth-fixture.ts';
import { MAX_UPLOAD_BYTES } from './imports.ts';

const TELECOM = readFileSync(new URL('../../../test/fixtures/nps-verbatims-telecom/verbatim.csv', import.meta.url));
const STARWARS = readFileSync(new URL('../../../test/fixtures/surveymonkey-export/StarWars-first60.csv', import.meta.url));
const LIME = readFileSync(new URL('../../../test/fixtures/limesurvey-export/survey_998192_R_data_file.csv', import.meta.url));
const LIME_SYNTAX = readFileSync(new URL('../../../test/fixtures/limesurvey-export/survey_998192_R_syntax_file.R', import.meta.url), 'utf8');

describeEngines('imports API', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  const url = (p: string) => `/api/v1/organisations/${f.org.id}/${p}`;
  const raw = (p: string, body: Buffer | string, headers = admin, type = 'text/csv') =>
    app.inject({ method: 'POST', url: url(p), headers: { ...headers, 'content-type': type }, payload: body });
  const json = (p: string, payload: object, headers = admin) => app.inject({ method: 'POST', url: url(p), headers, payload });
  const responses = async () =>
    Number((await ctx().db.selectFrom('responses').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', f.org.id).executeTakeFirstOrThrow()).n);
  beforeAll(async () => {
    ({ app, f, admin } = await adminApp(ctx()));
  });
  afterAll(() => app.close());

  it('lets only admins preview, import or manage mappings', async () => {
    for (const role of ['analyst', 'viewer', 'owner'] as const) {
      const h = await authHeaders(ctx(), f.org.id, role);
      expect((await raw('imports/preview?from=csv', TELECOM, h)).statusCode).toBe(403);
      expect((await raw('imports?from=csv', TELECOM, h)).statusCode).toBe(403);
      expect((await app.inject({ url: url('import-mappings'), headers: h })).statusCode).toBe(403);
    }
    expect((await app.inject({ method: 'POST', url: url('imports/preview?from=csv'), headers: { 'content-type': 'text/csv' }, payload: 'a' })).statusCode).toBe(401);
    expect(await responses()).toBe(0);
  });

  it('previews the telecom file: columns, the suggested mapping and the dry run; nothing written', async () => {
    const r = await raw('imports/preview?from=csv', TELECOM);
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json();
    expect(p.table.rows).toBe(2385);
    expect(p.table.columns.map((c: { id: string }) => c.id)).toEqual(['CUSTOMER_RESPONSE_DATE', 'SURVEY_SUB_TYPE', 'NPS_RATING', 'NPS_SCORE', 'text', 'Qtr']);
    expect(p.table.columns.find((c: { id: string }) => c.id === 'SURVEY_SUB_TYPE').values).toEqual(expect.arrayContaining(['Order', 'First Payment', 'Equipment Received', 'Service in Use']));
    expect(p.mappingOrigin).toBe('suggested');
    expect(p.mappingProblems).toEqual([]);
    expect(p.mapping.items).toEqual([{ column: 'NPS_SCORE', item: 'nps' }]);
    expect(p.mapping.date).toEqual({ column: 'CUSTOMER_RESPONSE_DATE', format: 'dmy' });
    expect(p.dryRun).toMatchObject({ rows: 2385, validRows: 2385, invalidRows: 0, errorCount: 0 });
    expect(p.dryRun.counts.items).toEqual({ nps: 2353 });
    expect(p.dryRun.counts.touchpoints).toEqual({ billing: 1150, checkout: 971, welcome: 234, app: 30 });
    expect(p.dryRun.counts.comments).toBe(2385);
    expect(p.targets.items.map((i: { key: string }) => i.key)).toContain('nps');
    expect(p.targets.touchpoints.map((t: { key: string }) => t.key)).toEqual(expect.arrayContaining(['checkout', 'billing', 'welcome', 'app']));
    expect(await responses()).toBe(0);
  });

  it('lists each problem as row N, column C in a preview, and refuses the import of an invalid file whole', async () => {
    // Month-first on day-first dates: "11/04/2018" is fine but "25/04/2018" has no month 25.
    const mapping = { version: 1, date: { column: 'CUSTOMER_RESPONSE_DATE', format: 'mdy' }, items: [{ column: 'NPS_SCORE', item: 'nps' }] };
    const file = TELECOM.toString('base64');
    const p = (await json('imports/preview?from=csv', { file, mapping })).json();
    expect(p.mappingOrigin).toBe('given');
    expect(p.dryRun.invalidRows).toBeGreaterThan(0);
    expect(p.dryRun.errors[0]).toMatchObject({ column: 'CUSTOMER_RESPONSE_DATE' });
    expect(p.dryRun.errors.length).toBe(Math.min(200, p.dryRun.errorCount));
    const r = await json('imports?from=csv', { file, mapping });
    expect(r.statusCode).toBe(422);
    expect(r.json().fields[0].field).toMatch(/^row \d+, column CUSTOMER_RESPONSE_DATE$/);
    expect(await responses()).toBe(0);
    // skipInvalid imports the rest.
    expect(p.dryRun.validRows).toBeLessThan(2385);
  });

  it('imports the telecom history with an edited mapping, saves it under a source, and a re-import stores nothing new', async () => {
    const preview = (await raw('imports/preview?from=csv', TELECOM)).json();
    // Edited: "Service in Use" is no touchpoint here (mapped to null).
    const mapping = { ...preview.mapping, touchpoint: { ...preview.mapping.touchpoint, values: { ...preview.mapping.touchpoint.values, 'Service in Use': null } } };
    const r = await json('imports?from=csv&source=telecom&save=true', { file: TELECOM.toString('base64'), mapping });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ rows: 2385, inserted: 2385, skipped: 0, invalidRows: 0, mappingOrigin: 'given', saved: true });
    expect(r.json().counts.touchpoints).toEqual({ billing: 1150, checkout: 971, welcome: 234, '(none)': 30 });
    expect(await responses()).toBe(2385);
    const saved = (await app.inject({ url: url('import-mappings/telecom'), headers: admin })).json();
    expect(saved).toMatchObject({ source: 'telecom', format: 'csv', mapping: { touchpoint: { values: { 'Service in Use': null, Order: 'checkout' } }, items: [{ column: 'NPS_SCORE', item: 'nps' }] } });
    // The next file from the same source reuses the saved mapping (raw body, no mapping sent).
    const again = await raw('imports?from=csv&source=telecom', TELECOM);
    expect(again.json()).toMatchObject({ inserted: 0, skipped: 2385, mappingOrigin: 'saved', saved: false });
    expect(await responses()).toBe(2385);
    const audit = await ctx().db.selectFrom('audit_log').select(['action', 'details']).where('org_id', '=', f.org.id).execute();
    const actions = audit.map((a) => a.action);
    expect(actions.filter((a) => a === 'imports.create').length).toBe(2);
    expect(actions).toContain('import-mappings.replace');
    expect(actions).toContain('imports.preview');
    expect(JSON.parse(audit.find((a) => a.action === 'imports.create')!.details)).toMatchObject({ from: 'csv', inserted: 2385, source: 'telecom' });
    // The report now holds NPS by touchpoint: Order → checkout, −10.0 on 962 scored answers.
    const gap = (await app.inject({ url: url('reports/gap?touchpoint=checkout'), headers: admin })).json();
    expect(gap.nps.n).toBe(962);
    expect(gap.nps.score).toBeCloseTo(-10.0, 1);
  });

  it('imports a SurveyMonkey verbal scale with a fixed date and value map; reads LimeSurvey with its syntax file', async () => {
    // Reference (python3, csv module, cp1252, 2 header rows): Q5_4 is "Anakin Skywalker"; of 60 rows 51 answered
    // on the 5-point favourability scale (3/5/8/23/12 from "Very unfavorably" up), 9 blank.
    const p = (await raw('imports/preview?from=surveymonkey', STARWARS)).json();
    expect(p.mappingProblems[0]).toMatch(/^date: the file has no date column/);
    expect(p.dryRun).toBeNull();
    const anakin = p.table.columns.find((c: { id: string }) => c.id === 'Q5_4');
    expect(anakin.question).toContain('Anakin Skywalker');
    expect(anakin.ranks).toEqual([1, 2, 3, 4, 5]);
    const dim = p.targets.items.find((i: { key: string }) => i.key.startsWith('dim:')).key;
    const values = Object.fromEntries(anakin.values.map((v: string, i: number) => [v, anakin.ranks[i]]));
    const mapping = { version: 1, date: { value: '2015-06-01T00:00:00Z' }, respondentId: { column: 'RespondentID' }, items: [{ column: 'Q5_4', item: dim, values }] };
    const dry = (await json('imports/preview?from=surveymonkey', { file: STARWARS.toString('base64'), mapping })).json();
    expect(dry.dryRun).toMatchObject({ rows: 60, validRows: 51, invalidRows: 9 });
    expect(dry.dryRun.counts.items).toEqual({ [dim]: 51 });
    expect((await json('imports?from=surveymonkey', { file: STARWARS.toString('base64'), mapping })).statusCode).toBe(422);
    const r = await json('imports?from=surveymonkey&skipInvalid=true', { file: STARWARS.toString('base64'), mapping });
    expect(r.json()).toMatchObject({ inserted: 51, invalidRows: 9 });
    const stored = await ctx().db.selectFrom('responses').select('id').where('org_id', '=', f.org.id).where('submitted_at', '=', '2015-06-01T00:00:00.000Z').execute();
    expect(stored.length).toBe(51);

    // LimeSurvey: the syntax file (JSON body) names the columns; 7 responses.
    const lime = (await json('imports/preview?from=limesurvey', { file: LIME.toString('base64'), syntax: LIME_SYNTAX })).json();
    expect(lime.table.rows).toBe(7);
    expect(lime.table.columns.map((c: { id: string }) => c.id).slice(0, 3)).toEqual(['id', 'submitdate', 'lastpage']);
    expect(lime.mapping.date).toMatchObject({ column: 'submitdate' });
  });

  it('reports a saved mapping that no longer fits the file instead of applying it', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: url('import-mappings/old-export'),
      headers: admin,
      payload: { format: 'csv', mapping: { version: 1, date: { column: 'CUSTOMER_RESPONSE_DATE', format: 'dmy' }, items: [{ column: 'SCORE', item: 'nps' }] } },
    });
    expect(put.statusCode, put.body).toBe(200);
    const p = (await raw('imports/preview?from=csv&source=old-export', TELECOM)).json();
    expect(p.mappingOrigin).toBe('saved');
    expect(p.mappingProblems).toEqual(['saved mapping "old-export": items.0.column: no column "SCORE" in this file']);
    expect(p.dryRun).toBeNull();
    expect(p.suggestion.items).toEqual([{ column: 'NPS_SCORE', item: 'nps' }]);
    const r = await raw('imports?from=csv&source=old-export', TELECOM);
    expect(r.statusCode).toBe(422);
    expect(r.json().message).toContain('no column "SCORE"');
    expect(r.json().fields[0].field).toBe('mapping.items.0.column');
    // Saved for another platform: reported too.
    const other = (await raw('imports/preview?from=qualtrics&source=old-export', TELECOM)).json();
    expect(other.statusCode).toBe(400); // not a Qualtrics file at all: refused as a file first
    expect(other.fields[0].field).toBe('file');
  });

  it('gets, lists and deletes saved mappings; refuses malformed ones naming the field', async () => {
    const list = (await app.inject({ url: url('import-mappings'), headers: admin })).json();
    expect(list.mappings.map((m: { source: string }) => m.source)).toEqual(['old-export', 'telecom']);
    const bad = await app.inject({ method: 'PUT', url: url('import-mappings/x'), headers: admin, payload: { format: 'csv', mapping: { version: 1, date: { column: 'D', format: 'ymd' } } } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().fields[0].field).toMatch(/^mapping\.date/);
    const badName = await app.inject({ method: 'PUT', url: url('import-mappings/..%2Fx'), headers: admin, payload: { format: 'csv', mapping: { version: 1 } } });
    expect(badName.statusCode).toBe(400);
    expect(badName.json().fields[0].field).toBe('source');
    expect((await app.inject({ method: 'DELETE', url: url('import-mappings/old-export'), headers: admin })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: url('import-mappings/old-export'), headers: admin })).statusCode).toBe(404);
    expect((await app.inject({ url: url('import-mappings/old-export'), headers: admin })).statusCode).toBe(404);
  });

  it('answers hostile uploads with a 4xx naming the field, never a 5xx, writing nothing', async () => {
    const before = await responses();
    const cases: [() => ReturnType<typeof raw>, number, string][] = [
      [() => raw('imports/preview', TELECOM), 400, 'from'],
      [() => raw('imports/preview?from=excel', TELECOM), 400, 'from'],
      [() => raw('imports/preview?from=csv&source=a/b', TELECOM), 400, 'source'],
      [() => raw('imports/preview?from=csv&colour=red', TELECOM), 400, 'colour'],
      [() => json('imports/preview?from=csv', { file: '!!not base64!!' }), 400, 'file'],
      [() => json('imports/preview?from=csv', { file: '' }), 400, 'file'],
      [() => json('imports/preview?from=csv', { file: 'QQ==', extra: 1 }), 400, 'extra'],
      [() => raw('imports/preview?from=qualtrics', 'just,a,csv\n1,2,3\n'), 400, 'file'],
      [() => raw('imports/preview?from=csv', Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x22, 0x00, 0x0a])), 400, 'file'],
      [() => raw('imports/preview?from=csv', 'a,b\n"unterminated,2\n'), 400, 'file'],
      [() => raw('imports/preview?from=csv', 'only,a,header\n'), 400, 'file'],
      [() => raw('imports?from=surveymonkey', STARWARS), 422, 'mapping.date'], // no date column: the suggestion is refused
      [() => json('imports?from=csv', { file: TELECOM.toString('base64'), mapping: { version: 1, date: { column: 'NOPE', format: 'iso' }, items: [{ column: 'NPS_SCORE', item: 'constructor' }] } }), 422, 'mapping.date.column'],
    ];
    for (const [send, status, field] of cases) {
      const r = await send();
      expect(r.statusCode, r.body).toBe(status);
      expect(r.json().fields.map((x: { field: string }) => x.field)).toContain(field);
    }
    const big = await raw('imports/preview?from=csv', Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x61), admin, 'application/octet-stream');
    expect(big.statusCode).toBe(413);
    expect(await responses()).toBe(before);
  });

  it('never answers 5xx to generated files, on any platform, and a refused import writes nothing', async () => {
    const before = await responses();
    let inserted = 0; // a generated file may (rarely) be a valid one: what it stored is counted
    // Files shaped like CSV (quotes, separators, BOMs, header-like rows) and plain random bytes.
    const cell = fc.oneof(fc.constantFrom('', '"', '""', 'V1', '{"ImportId":"QID1"}', 'Response', '-99', '11/04/2018', 'NPS_SCORE', '10', '\uFEFF', '\t'), fc.string({ maxLength: 12 }));
    const csv = fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }).map((rows) => Buffer.from(rows.map((r) => r.join(',')).join('\n')));
    const file = fc.oneof(csv, fc.uint8Array({ minLength: 1, maxLength: 400 }).map((a) => Buffer.from(a)));
    await fc.assert(
      fc.asyncProperty(file, fc.constantFrom('csv', 'qualtrics', 'surveymonkey', 'limesurvey'), fc.boolean(), async (bytes, from, doImport) => {
        const r = await raw(`${doImport ? 'imports' : 'imports/preview'}?from=${from}`, bytes, admin, 'application/octet-stream');
        expect(r.statusCode, `${from} ${bytes.toString('base64')}: ${r.body}`).toBeLessThan(500);
        if (doImport && r.statusCode === 200) inserted += r.json().inserted;
      }),
      { numRuns: 120 },
    );
    expect(await responses()).toBe(before + inserted);
  });
});
