// The imports API lists at most 200 rows left out (survey previews, spam) with how many in all, on both
// engines: a generated Qualtrics export (test/fixtures/qualtrics-export/testproject_menu_numeric.csv, its 7
// rows, then 300 copies of its first row marked Status 1, "Survey Preview", as rows 8–307).
import { readFileSync } from 'node:fs';
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { type OrgFixture } from '../../../test/fixtures.ts';
import { adminApp } from '../../../test/auth-fixture.ts';
import { PREVIEW_ERRORS } from './imports.ts';

const CSV = readFileSync(new URL('../../../test/fixtures/qualtrics-export/testproject_menu_numeric.csv', import.meta.url), 'utf8');
const mapping = {
  version: 1,
  date: { column: 'RecordedDate', format: 'iso' },
  respondentId: { column: 'ResponseId' },
  items: [{ column: 'Q5', item: 'dim:empathy', values: { '15': 1, '14': 2, '13': 3, '12': 4, '11': 5 } }],
};

/** The fixture plus 300 preview rows (Status 1), each with its own response id. */
function withPreviews(n: number): string {
  const lines = CSV.split('\n').filter((l) => l.trim() !== '');
  const first = lines[3]!;
  expect(first).toMatch(/^[^,]*,[^,]*,0,/); // Status 0: an answer
  const previews = Array.from({ length: n }, (_, i) => first.replace(/^([^,]*,[^,]*,)0,/, '$11,').replace(/R_[A-Za-z0-9]+/, `R_preview${i}`));
  return [...lines, ...previews].join('\n') + '\n';
}

describeEngines('imports API: leftOut capped', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  beforeAll(async () => {
    ({ app, f, admin } = await adminApp(ctx()));
  });
  afterAll(() => app.close());

  it('lists the first 200 of 300 preview rows, and leftOutTotal 300, in the preview and the import', async () => {
    const body = { file: Buffer.from(withPreviews(300)).toString('base64'), mapping };
    const at = (p: string) => `/api/v1/organisations/${f.org.id}/${p}`;
    const expected = Array.from({ length: PREVIEW_ERRORS }, (_, i) => ({ row: 8 + i, reason: 'survey preview' }));
    const preview = await app.inject({ method: 'POST', url: at('imports/preview?from=qualtrics'), headers: admin, payload: body });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().dryRun).toMatchObject({ rows: 307, leftOutTotal: 300, leftOut: expected });
    const imported = await app.inject({ method: 'POST', url: at('imports?from=qualtrics&skipInvalid=true'), headers: admin, payload: body });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({ rows: 307, leftOutTotal: 300, leftOut: expected });
    expect(imported.json().inserted).toBeLessThanOrEqual(7); // never a preview row
    // Kept on request: nothing left out.
    const kept = await app.inject({ method: 'POST', url: at('imports/preview?from=qualtrics&includePreviews=true'), headers: admin, payload: body });
    expect(kept.json().dryRun).toMatchObject({ leftOutTotal: 0, leftOut: [] });
  });
});
