// The `parallax` CLI as a user runs it (the CLI program, test/cli.ts) on both engines: import with per-row
// errors and all-or-nothing semantics, re-import without duplicates, export round trip, report.
import { it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEngines } from '../../test/engines.ts';
import { cli } from '../../test/cli.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { countResponses } from '../store/responses.ts';
import { replaceSegmentDeclarations } from '../store/segments.ts';

const dir = mkdtempSync(join(tmpdir(), 'parallax-cli-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const GOOD = `perspective,respondent_id,submitted_at,touchpoint,segment:region,nps,csat,ces,excellent,dim:reliability,predict:excellent_share,comment
customer,c1,2025-01-05T10:00:00Z,app,EMEA,9,4,6,5,4,,"Great, really"
customer,c2,2025-01-06T10:00:00Z,billing,EMEA,3,2,2,2,2,,Charged twice
customer,c3,2025-02-07T10:00:00Z,app,APAC,8,,,4,,,
customer,c4,2025-02-08T10:00:00Z,,APAC,10,5,7,5,5,,
customer,c5,2025-02-09T10:00:00Z,billing,EMEA,6,3,4,3,3,,
leader,l1,2025-01-10T10:00:00Z,,,,,,5,5,80,We are great
`;

describeEngines('parallax CLI', (ctx) => {
  let f: OrgFixture;
  let url: string;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    url = ctx().location;
    // An import may set only declared segments (issue 7, hole 2).
    await replaceSegmentDeclarations(ctx().db, f.org.id, [{ key: 'region', label: 'Region', public: false, kind: 'values', values: ['EMEA', 'APAC'].map((v) => ({ value: v, label: v })) }]);
  });

  it('refuses a file with errors, listing row, column and reason, and imports nothing', async () => {
    const bad = file('bad.csv', GOOD.replace('c2,2025-01-06T10:00:00Z,billing,EMEA,3', 'c2,2025-01-06T10:00:00Z,billing,EMEA,13').replace('c4,2025-02-08T10:00:00Z,,APAC,10,5,7,5', 'c4,2025-02-08T10:00:00Z,,APAC,10,5,7,x'));
    const r = await cli(url, ['import', bad, '--org', f.org.id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('row 2, column nps: must be a whole number from 0 to 10');
    expect(r.stderr).toContain('row 4, column excellent: "x" is not a whole number');
    expect(r.stderr).toContain('2 of 6 rows have errors; nothing was imported');
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 0, leader: 0 });
  });

  it('names unknown columns', async () => {
    const r = await cli(url, ['import', file('cols.csv', 'perspective,submitted_at,score\ncustomer,2025-01-01T00:00:00Z,3\n'), '--org', f.org.id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown column: "score"');
  });

  it('imports a valid file once, however often it is imported', async () => {
    const p = file('good.csv', GOOD);
    const r = await cli(url, ['import', p, '--org', f.org.id]);
    expect(r.stdout).toContain('Imported 6 responses');
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 5, leader: 1 });
    const again = await cli(url, ['import', p, '--org', f.org.id]);
    expect(again.stdout).toContain('Imported 0 responses');
    expect(again.stdout).toContain('6 were already imported');
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 5, leader: 1 });
  });

  it('with --skip-invalid imports the valid rows and reports the others', async () => {
    const text = `perspective,submitted_at,excellent\ncustomer,2025-03-01T00:00:00Z,4\ncustomer,2025-03-02T00:00:00Z,0\n`;
    const r = await cli(url, ['import', file('partial.csv', text), '--org', f.org.id, '--skip-invalid']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('row 2, column excellent');
    expect(r.stdout).toContain('Imported 1 responses');
    expect(r.stdout).toContain('skipped 1 invalid rows');
  });

  it('exports the canonical CSV that imports back to the same answers', async () => {
    const out = join(dir, `export-${Date.now()}.csv`);
    const r = await cli(url, ['export', '--org', f.org.id, '--out', out]);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^respondent_id,perspective,submitted_at,touchpoint,segment:region,nps,csat,ces,excellent,dim:service,/);
    expect(lines).toHaveLength(1 + 7);
    const c1 = lines.find((l) => l.startsWith('c1,'))!;
    expect(c1).toContain('"Great, really"');
    const f2 = await makeOrg(ctx());
    // The receiving organisation declares the segment first: an import never invents one.
    await replaceSegmentDeclarations(ctx().db, f2.org.id, [{ key: 'region', label: 'Region', public: false, kind: 'text', maxLength: 80 }]);
    const back = await cli(url, ['import', out, '--org', f2.org.id]);
    expect(back.stdout).toContain('Imported 7 responses');
    const report1 = JSON.parse((await cli(url, ['report', '--json', '--org', f.org.id])).stdout);
    const report2 = JSON.parse((await cli(url, ['report', '--json', '--org', f2.org.id])).stdout);
    expect(report2.nps).toEqual(report1.nps);
    expect(report2.dimensions).toEqual(report1.dimensions);
  });

  it('prints the report as JSON and as a table, with filters', async () => {
    const j = JSON.parse((await cli(url, ['report', '--json', '--org', f.org.id, '--where', 'segment:region=EMEA'])).stdout);
    expect(j.filters).toEqual({ segments: { region: ['EMEA'] } });
    // EMEA customers c1, c2, c5 + the skip-invalid row has no region → 3 < 5: suppressed
    expect(j.headline.customers).toEqual({ suppressed: true, reason: 'fewer than 5 respondents' });
    const t = await cli(url, ['report', '--org', f.org.id]);
    expect(t.stdout).toContain('HEADLINE');
    expect(t.stdout).toContain('Stellar Elements CX survey, digital entertainment & streaming (2024)');
    // Customers agreeing: c1 (5), c3 (4), c4 (5) and the --skip-invalid row (4) → 4 of 6
    expect(t.stdout).toMatch(/Customers\s+66\.7%/);
    const bad = await cli(url, ['report', '--org', f.org.id, '--where', 'segment:region']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('is not of the form name=value');
  });
});
