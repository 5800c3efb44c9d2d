// importSource on both engines with Qualtrics' SPSS download (test/fixtures/qualtrics-export/testproject_menu.sav):
// Q5's agreement labels mapped onto a 1–5 item store the same responses as the numeric CSV export of the
// same survey mapped by its recode values — the CSV import finds every response already stored (same
// date, respondent and answer, hence the same import key). Qualtrics preview and spam rows are left out
// by default and counted, and kept with includePreviews.
//
// Reference values (python3 csv module on testproject_menu_numeric.csv):
//   python3 -c "import csv; r=list(csv.reader(open('testproject_menu_numeric.csv'))); print([x[r[0].index('Q5')] for x in r[3:]])"
//   → ['', '', '14', '13', '13', '11', '13']: 5 answers (rows 3–7); recode 11 = "Strongly agree" … 15 = "Strongly disagree"
//   (the .sav's value labels), so on a 1–5 scale: 2, 3, 3, 5, 3.
import { it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { countResponses } from '../store/responses.ts';
import { exportResponses } from '../store/export.ts';
import { importSource } from './source-import.ts';
import { ImportRefused } from './canonical-import.ts';

const FIX = join(import.meta.dirname, '../../test/fixtures/qualtrics-export');
const SAV = readFileSync(join(FIX, 'testproject_menu.sav'));
const CSV = readFileSync(join(FIX, 'testproject_menu_numeric.csv'));
const base = { version: 1, date: { column: 'RecordedDate', format: 'iso' }, respondentId: { column: 'ResponseId' } } as const;
const SAV_MAPPING = { ...base, items: [{ column: 'Q5', item: 'dim:empathy', values: { 'Strongly disagree': 1, 'Somewhat disagree': 2, 'Neither agree nor disagree': 3, 'Somewhat agree': 4, 'Strongly agree': 5 } }] };
const CSV_MAPPING = { ...base, items: [{ column: 'Q5', item: 'dim:empathy', values: { '15': 1, '14': 2, '13': 3, '12': 4, '11': 5 } }] };

/** The numeric CSV with rows 3 and 4 marked as a survey preview (Status 1) and spam (Status 8). */
function withPreviewAndSpam(): Buffer {
  const records = parse(CSV, { bom: true }) as string[][];
  const status = records[0]!.indexOf('Status');
  records[3 + 2]![status] = '1';
  records[3 + 3]![status] = '8';
  return Buffer.from(records.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n'));
}

describeEngines('importSource (SPSS .sav, Qualtrics previews)', (ctx) => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await makeOrg(ctx());
  });

  it('imports the .sav, and the numeric CSV of the same survey then adds nothing', async () => {
    const dry = await importSource(ctx(), { orgId: f.org.id, format: 'spss', bytes: SAV, mapping: SAV_MAPPING, dryRun: true, skipInvalid: true });
    expect([dry.table.format, dry.rows, dry.validRows, dry.invalidRows, dry.inserted, dry.leftOut]).toEqual(['spss (.sav)', 7, 5, 2, 0, []]);
    expect(dry.errors).toContainEqual({ row: 1, column: '(all mapped columns)', reason: 'has no answer and no comment (at least one is needed)' });
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 0, leader: 0 });

    const r = await importSource(ctx(), { orgId: f.org.id, format: 'spss', bytes: SAV, mapping: SAV_MAPPING, skipInvalid: true });
    expect([r.inserted, r.skipped, r.counts.items.get('dim:empathy')]).toEqual([5, 0, 5]);
    expect(Object.fromEntries(r.counts.months)).toEqual({ '2021-01': 5 });
    const stored: [string | null, string, number | undefined][] = [];
    for await (const s of exportResponses(ctx().db, f.org.id)) stored.push([s.respondentId, s.submittedAt, s.answers['dim:empathy']]);
    expect(stored).toEqual([
      ['R_2aXkcjLRZPCs6el', '2021-01-13T18:47:54.000Z', 2],
      ['R_2WVbbrUNYXyj38b', '2021-01-13T18:48:13.000Z', 3],
      ['R_2AMOSFXY6up7Gnz', '2021-01-13T18:49:38.000Z', 3],
      ['R_8cvyStNQe7hFvY5', '2021-01-13T18:50:42.000Z', 5],
      ['R_bsEazZ65x3fKIsp', '2021-01-13T18:51:41.000Z', 3],
    ]);

    const csv = await importSource(ctx(), { orgId: f.org.id, format: 'qualtrics', bytes: CSV, mapping: CSV_MAPPING, skipInvalid: true });
    expect([csv.inserted, csv.skipped]).toEqual([0, 5]);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 5, leader: 0 });
  });

  it('reads a .sav named as a Qualtrics export by its bytes; refuses a CSV named as SPSS, writing nothing', async () => {
    const g = await makeOrg(ctx());
    const r = await importSource(ctx(), { orgId: g.org.id, format: 'qualtrics', bytes: SAV, mapping: SAV_MAPPING, dryRun: true, skipInvalid: true });
    expect([r.table.format, r.validRows]).toEqual(['spss (.sav)', 5]);
    const e = await importSource(ctx(), { orgId: g.org.id, format: 'spss', bytes: CSV, mapping: CSV_MAPPING }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ImportRefused);
    expect([(e as ImportRefused).about, (e as ImportRefused).message]).toEqual(['file', 'not an SPSS .sav file (it does not start with "$FL2" or "$FL3")']);
    expect(await countResponses(ctx().db, g.org.id)).toEqual({ customer: 0, leader: 0 });
  });

  it('leaves Qualtrics preview and spam rows out, counted, unless includePreviews keeps them', async () => {
    const g = await makeOrg(ctx());
    const bytes = withPreviewAndSpam();
    const r = await importSource(ctx(), { orgId: g.org.id, format: 'qualtrics', bytes, mapping: CSV_MAPPING, skipInvalid: true });
    expect(r.leftOut).toEqual([
      { row: 3, reason: 'survey preview' },
      { row: 4, reason: 'spam' },
    ]);
    // Rows 1–2 have no Q5 answer (invalid), 3–4 are left out: rows 5–7 are stored.
    expect([r.rows, r.validRows, r.invalidRows, r.inserted]).toEqual([7, 3, 2, 3]);
    const kept = await importSource(ctx(), { orgId: g.org.id, format: 'qualtrics', bytes, mapping: CSV_MAPPING, skipInvalid: true, includePreviews: true });
    expect([kept.leftOut, kept.validRows, kept.inserted, kept.skipped]).toEqual([[], 5, 2, 3]);
    expect(await countResponses(ctx().db, g.org.id)).toEqual({ customer: 5, leader: 0 });
  });
});
