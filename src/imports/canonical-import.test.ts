// importCanonicalCsv on both engines: text and stream read alike, refusals say what to blame and write
// nothing, --skip-invalid stores the valid rows, and a second import of the same rows stores none.
import { it, expect, beforeAll } from 'vitest';
import { Readable } from 'node:stream';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { countResponses } from '../store/responses.ts';
import { importCanonicalCsv, ImportRefused, type ImportProgress } from './canonical-import.ts';

const HEAD = 'perspective,respondent_id,submitted_at,nps,excellent,predict:excellent_share,comment';
const GOOD = `${HEAD}
customer,c1,2025-01-05T10:00:00Z,9,5,,fine
customer,c2,2025-01-06T10:00:00Z,3,2,,
leader,l1,2025-01-10T10:00:00Z,,4,70,
`;

async function refusal(p: Promise<unknown>): Promise<ImportRefused> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ImportRefused);
  return e as ImportRefused;
}

describeEngines('importCanonicalCsv', (ctx) => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await makeOrg(ctx());
  });
  const count = () => countResponses(ctx().db, f.org.id);

  it('refuses an empty file, a bad header, broken CSV and invalid rows, storing nothing', async () => {
    const orgId = f.org.id;
    const empty = await refusal(importCanonicalCsv(ctx(), { orgId, source: '' }));
    expect([empty.about, empty.message]).toEqual(['file', 'the file is empty']);
    const header = await refusal(importCanonicalCsv(ctx(), { orgId, source: 'perspective,submitted_at,score\ncustomer,2025-01-01T00:00:00Z,3\n' }));
    expect(header.about).toBe('file');
    expect(header.message).toContain('unknown column: "score"');
    const broken = await refusal(importCanonicalCsv(ctx(), { orgId, source: `${HEAD}\ncustomer,"unterminated` }));
    expect(broken.about).toBe('file');
    const rows = await refusal(importCanonicalCsv(ctx(), { orgId, source: GOOD.replace('c2,2025-01-06T10:00:00Z,3', 'c2,2025-01-06T10:00:00Z,13') }));
    expect(rows.about).toBe('rows');
    expect(rows.message).toBe('1 of 3 rows have errors; nothing was imported (fix them, or use --skip-invalid)');
    expect(rows.errors).toEqual([{ row: 2, column: 'nps', reason: 'must be a whole number from 0 to 10' }]);
    expect(await count()).toEqual({ customer: 0, leader: 0 });
  });

  it('with skipInvalid stores the valid rows and returns the errors', async () => {
    const r = await importCanonicalCsv(ctx(), { orgId: f.org.id, source: GOOD.replace('c1,2025-01-05T10:00:00Z,9', 'c1,2025-01-05T10:00:00Z,x'), skipInvalid: true });
    expect(r).toMatchObject({ inserted: 2, skipped: 0, rows: 3, invalidRows: 1 });
    expect(r.errors.map((e) => `${e.row}:${e.column}`)).toEqual(['1:nps']);
    expect(await count()).toEqual({ customer: 1, leader: 1 });
  });

  it('reads a stream as it reads text, and stores each row once however often it is imported', async () => {
    const progress: ImportProgress[] = [];
    const r = await importCanonicalCsv(ctx(), { orgId: f.org.id, source: Readable.from([Buffer.from(GOOD)]), onProgress: (p) => progress.push(p) });
    // c2 and l1 were stored by the previous test (same rows, same import keys); c1 is new.
    expect(r).toEqual({ inserted: 1, skipped: 2, rows: 3, invalidRows: 0, errors: [] });
    expect(progress).toEqual([{ stage: 'storing', done: 3, total: 3 }]);
    const again = await importCanonicalCsv(ctx(), { orgId: f.org.id, source: GOOD });
    expect(again).toMatchObject({ inserted: 0, skipped: 3 });
    expect(await count()).toEqual({ customer: 2, leader: 1 });
  });
});
