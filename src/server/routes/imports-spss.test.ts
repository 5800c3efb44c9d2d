// The imports API with binary uploads on both engines: Qualtrics' SPSS download
// (test/fixtures/qualtrics-export/testproject_menu.sav) sent raw as application/octet-stream and as base64
// JSON — previewed (Q5 as its 5-point agreement scale) and imported — and Qualtrics preview/spam rows left
// out of a preview and an import (listed in `leftOut`) unless includePreviews=true.
// Reference values: see src/imports/spss-import.test.ts (Q5 holds 5 answers, rows 3–7).
import { readFileSync } from 'node:fs';
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { adminApp, authHeaders } from '../../../test/auth-fixture.ts';

const SAV = readFileSync(new URL('../../../test/fixtures/qualtrics-export/testproject_menu.sav', import.meta.url));
const CSV = readFileSync(new URL('../../../test/fixtures/qualtrics-export/testproject_menu_numeric.csv', import.meta.url), 'utf8');
const AGREEMENT = { 'Strongly disagree': 1, 'Somewhat disagree': 2, 'Neither agree nor disagree': 3, 'Somewhat agree': 4, 'Strongly agree': 5 };
const base = { version: 1, date: { column: 'RecordedDate', format: 'iso' }, respondentId: { column: 'ResponseId' } };

describeEngines('imports API (SPSS .sav, Qualtrics previews)', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  const url = (p: string) => `/api/v1/organisations/${f.org.id}/${p}`;
  const json = (p: string, payload: object) => app.inject({ method: 'POST', url: url(p), headers: admin, payload });
  const responses = async () =>
    Number((await ctx().db.selectFrom('responses').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', f.org.id).executeTakeFirstOrThrow()).n);
  beforeAll(async () => {
    ({ app, f, admin } = await adminApp(ctx()));
  });
  afterAll(() => app.close());

  it('previews a raw .sav upload: its columns, Q5 as an agreement scale; nothing written', async () => {
    const r = await app.inject({ method: 'POST', url: url('imports/preview?from=spss'), headers: { ...admin, 'content-type': 'application/octet-stream' }, payload: SAV });
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json();
    expect([p.table.format, p.table.rows, p.table.columns.length]).toEqual(['spss (.sav)', 7, 34]);
    expect(p.table.columns.find((c: { id: string }) => c.id === 'Q5')).toMatchObject({ kind: 'verbal', detail: '5-point agreement scale', values: Object.keys(AGREEMENT), ranks: [1, 2, 3, 4, 5] });
    expect(p.mapping.date).toEqual({ column: 'RecordedDate', format: 'iso' });
    expect(p.dryRun.leftOut).toEqual([]);
    expect(await responses()).toBe(0);
  });

  it('imports the .sav sent as base64 JSON with a mapping', async () => {
    const mapping = { ...base, items: [{ column: 'Q5', item: 'dim:empathy', values: AGREEMENT }] };
    const r = await json('imports?from=spss&skipInvalid=true', { file: SAV.toString('base64'), mapping });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ rows: 7, inserted: 5, skipped: 0, invalidRows: 2, leftOut: [], counts: { items: { 'dim:empathy': 5 } } });
    expect(await responses()).toBe(5);
  });

  it('leaves a preview and a spam row out of the preview and the import unless includePreviews=true', async () => {
    const g = await makeOrg(ctx());
    const h = await authHeaders(ctx(), g.org.id, 'admin');
    const lines = CSV.split('\n');
    lines[5] = lines[5]!.replace(/^([^,]*,[^,]*,)0,/, '$11,'); // row 3: Status 1, "Survey Preview"
    lines[6] = lines[6]!.replace(/^([^,]*,[^,]*,)0,/, '$18,'); // row 4: Status 8, "Spam"
    const mapping = { ...base, items: [{ column: 'Q5', item: 'dim:empathy', values: { '15': 1, '14': 2, '13': 3, '12': 4, '11': 5 } }] };
    const body = { file: Buffer.from(lines.join('\n')).toString('base64'), mapping };
    const at = (p: string) => `/api/v1/organisations/${g.org.id}/${p}`;
    const preview = (await app.inject({ method: 'POST', url: at('imports/preview?from=qualtrics'), headers: h, payload: body })).json();
    expect(preview.dryRun).toMatchObject({ rows: 7, validRows: 3, invalidRows: 2, leftOut: [{ row: 3, reason: 'survey preview' }, { row: 4, reason: 'spam' }] });
    const r = await app.inject({ method: 'POST', url: at('imports?from=qualtrics&skipInvalid=true'), headers: h, payload: body });
    expect(r.json()).toMatchObject({ inserted: 3, leftOut: [{ row: 3 }, { row: 4 }] });
    const kept = await app.inject({ method: 'POST', url: at('imports?from=qualtrics&skipInvalid=true&includePreviews=true'), headers: h, payload: body });
    expect(kept.json()).toMatchObject({ inserted: 2, skipped: 3, leftOut: [] });
    const bad = await app.inject({ method: 'POST', url: at('imports?from=qualtrics&includePreviews=yes'), headers: h, payload: body });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('includePreviews');
  });
});
