// Leaders' belief by touchpoint (issue 11) through the canonical CSV as a user runs it (`parallax import`
// and `parallax export`, through the CLI program of test/cli.ts) on both engines: the predict:excellent_share@<touchpoint> columns
// import, refuse an unknown touchpoint naming the column, and export back with their values.
import { it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describeEngines } from '../../test/engines.ts';
import { cli } from '../../test/cli.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { countResponses } from '../store/responses.ts';

const dir = mkdtempSync(join(tmpdir(), 'parallax-tp-belief-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const CSV = `perspective,respondent_id,submitted_at,excellent,predict:excellent_share,predict:excellent_share@app,predict:excellent_share@billing
leader,l1,2025-01-10T10:00:00Z,5,80,75,
leader,l2,2025-01-11T10:00:00Z,4,70,,40
`;

describeEngines('canonical CSV: leaders’ predictions by touchpoint', (ctx) => {
  let f: OrgFixture;
  let url: string;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    url = ctx().location;
  });

  it('refuses an unknown touchpoint, naming row and column, and imports nothing', async () => {
    const r = await cli(url, ['import', file('bad.csv', CSV.replace('@billing', '@nowhere')), '--org', f.org.id]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('row 2, column predict:excellent_share@nowhere');
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 0, leader: 0 });
  });

  it('imports the columns and exports them back with their values', async () => {
    const r = await cli(url, ['import', file('good.csv', CSV), '--org', f.org.id]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Imported 2 responses');
    const out = join(dir, 'export.csv');
    expect((await cli(url, ['export', '--org', f.org.id, '--out', out])).code).toBe(0);
    const rows: Record<string, string>[] = parse(readFileSync(out, 'utf8'), { columns: true });
    const header = Object.keys(rows[0]!);
    // One column per touchpoint of the journey, after the company-wide prediction.
    expect(header.slice(header.indexOf('predict:excellent_share'), header.indexOf('predict:excellent_share') + 3)).toEqual([
      'predict:excellent_share',
      'predict:excellent_share@advertising',
      'predict:excellent_share@website',
    ]);
    expect(header.filter((h) => h.startsWith('predict:excellent_share@'))).toHaveLength(10);
    const byId = Object.fromEntries(rows.map((x) => [x.respondent_id, x]));
    expect([byId.l1!['predict:excellent_share@app'], byId.l1!['predict:excellent_share@billing']]).toEqual(['75', '']);
    expect([byId.l2!['predict:excellent_share@app'], byId.l2!['predict:excellent_share@billing']]).toEqual(['', '40']);
  });
});
