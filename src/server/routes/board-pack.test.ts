// The board pack and the report downloads on both engines, through the real app: the page shows the
// API's figures, the CSV/XLSX tables carry them (numbers as numbers, hidden groups hidden, text guarded
// against formulas), roles are honoured, and (SQLite only, to launch Chromium once per run) the PDF prints.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { unzipSync, strFromU8 } from 'fflate';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders } from '../../../test/auth-fixture.ts';
import { demoHistory } from '../../sample-data/demo-history.ts';
import { getFramework, getJourney } from '../../store/organisations.ts';
import { storeResponses } from '../../store/responses.ts';
import { count, pct, pctInterval, signed } from '../../core/number-format.ts';
import type { Store } from '../../store/db.ts';
import { escapeHtml } from '../pages/html.ts';

async function fill(store: Store, f: OrgFixture, customers: number, leaders: number, seed: number) {
  const [framework, journey] = await Promise.all([getFramework(store.db, f.org.id), getJourney(store.db, f.org.id)]);
  const history = demoHistory({ framework, journey, customers, leaders, seed, now: new Date('2025-12-15T12:00:00Z') });
  await storeResponses(
    store.db,
    history.map((h) => ({ orgId: f.org.id, surveyId: h.perspective === 'customer' ? f.customerSurvey : f.leaderSurvey, perspective: h.perspective, submission: h.submission })),
  );
}

const FORMULA_LABEL = '=HYPERLINK("http://evil.example","click")';

describeEngines('board pack and report downloads', (ctx, engine) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let viewer: Record<string, string>;
  let owner: Record<string, string>;
  const get = (path: string, headers = viewer) => app.inject({ url: `/api/v1/organisations/${f.org.id}/${path}`, headers });
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx(), { industry: 'grocery' });
    await fill(ctx(), f, 200, 40, 11);
    // A label someone typed that a spreadsheet would run: the CSV must neutralise it.
    const tp = await ctx().db.selectFrom('touchpoints').select(['key', 'department']).where('org_id', '=', f.org.id).orderBy('position').executeTakeFirstOrThrow();
    await ctx().db.updateTable('touchpoints').set({ label: FORMULA_LABEL }).where('org_id', '=', f.org.id).where('key', '=', tp.key).execute();
    viewer = await authHeaders(ctx(), f.org.id, 'viewer');
    owner = await authHeaders(ctx(), f.org.id, 'owner', { department: tp.department });
  });
  afterAll(() => app.close());

  it('the page shows the gap report\'s figures, with charts described and no script', async () => {
    const [page, gap, trend] = await Promise.all([get('board-pack'), get('reports/gap'), get('reports/trend')]);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    // No inline script, so the page's CSP allows none (http-headers.ts hashes the ones a page has).
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'$/);
    const body = page.body;
    expect(body).not.toMatch(/<script/i);
    const g = gap.json();
    const c = g.headline.customers;
    const l = g.headline.leaders;
    // The same figures, formatted as the dashboard formats them.
    expect(body).toContain(`${pct(c.share)} (95% CI ${pctInterval(c.ci95)}, n = ${count(c.n)})`);
    expect(body).toContain(`${pct(l.share)} (95% CI ${pctInterval(l.ci95)}, n = ${count(l.n)})`);
    expect(body).toContain(`Leaders believe ${Math.round(l.share * 100)} % of customers call the experience excellent; ${Math.round(c.share * 100)} % do`);
    for (const d of g.dimensions) {
      expect(body).toContain(`<th scope="row">${d.label}</th>`);
      if (d.gap !== null) expect(body).toContain(signed(d.gap, 2));
    }
    for (const b of g.headline.benchmarks) expect(body).toContain(escapeHtml(`${b.source} (${b.year})`));
    const int = (x: number) => `${Math.round(x) < 0 ? '−' : ''}${Math.abs(Math.round(x)).toLocaleString('en')}`;
    expect(body).toContain(`NPS is ${int(g.nps.score)} (95 % CI ${int(g.nps.ci95[0])} to ${int(g.nps.ci95[1])}`);
    const t = trend.json();
    expect(body).toContain(`Gap slope ${signed(t.slope.perPeriod * 100, 1)} pts per month`);
    for (const p of t.points) expect(body).toContain(`<th scope="row">${p.period}</th>`);
    // Charts are images with a title and a description; tables have header cells.
    expect(body.match(/<svg role="img" aria-labelledby=/g)).toHaveLength(2);
    expect(body).toContain('<th scope="col">');
    // Filters are the reports': a bad one is a 400 naming the field.
    const bad = await get('board-pack?from=2025-13');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('from');
  });

  it('an owner\'s pack covers their touchpoints only, as their reports do', async () => {
    const [page, gap] = await Promise.all([get('board-pack', owner), get('reports/gap', owner)]);
    expect(page.statusCode).toBe(200);
    const c = gap.json().headline.customers;
    if (c.suppressed) expect(page.body).toContain(`hidden: ${c.reason}`);
    else expect(page.body).toContain(`${pct(c.share)} (95% CI ${pctInterval(c.ci95)}, n = ${count(c.n)})`);
    expect((await get('board-pack')).body).not.toBe(page.body);
  });

  it('CSV: the gap tables with the API\'s numbers, formula-like text neutralised, hidden groups hidden', async () => {
    const g = (await get('reports/gap')).json();
    const r = await get('reports/gap.csv');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    expect(r.headers['content-disposition']).toContain(`${f.org.id}-gap-headline.csv`);
    const rows: string[][] = parse(r.body);
    expect(rows[0]).toEqual(['figure', 'n', 'value', 'ci95_low', 'ci95_high', 'p_value', 'hidden']);
    const customers = rows.find((x) => x[0] === 'customers: excellent share')!;
    expect(Number(customers[1])).toBe(g.headline.customers.n);
    expect(Number(customers[2])).toBe(g.headline.customers.share);
    expect(Number(customers[3])).toBe(g.headline.customers.ci95[0]);
    expect(Number(rows.find((x) => x[0].startsWith('gap'))![2])).toBe(g.headline.gap);

    const dims: string[][] = parse((await get('reports/gap.csv?table=dimensions')).body);
    const first = dims.find((x) => x[0] === g.dimensions[0].key)!;
    expect(Number(first[dims[0].indexOf('customers_mean')])).toBe(g.dimensions[0].customers.mean);

    const tps: string[][] = parse((await get('reports/gap.csv?table=touchpoints')).body);
    expect(tps.some((x) => x[1] === `'${FORMULA_LABEL}`)).toBe(true);
    expect(tps.some((x) => x[1] === FORMULA_LABEL)).toBe(false);

    // One month without leaders: their side is hidden in the report, and stays hidden in the download.
    const one = (await get('reports/gap?from=2024-07&to=2024-07')).json();
    expect(one.headline.leaders.suppressed).toBe(true);
    const hiddenRows: string[][] = parse((await get('reports/gap.csv?from=2024-07&to=2024-07')).body);
    const leaders = hiddenRows.find((x) => x[0].startsWith("leaders' belief"))!;
    expect(leaders.slice(1, 5)).toEqual(['', '', '', '']);
    expect(leaders[6]).toBe(one.headline.leaders.reason);

    const badTable = await get('reports/gap.csv?table=nope');
    expect(badTable.statusCode).toBe(400);
    expect(badTable.json().fields[0]).toEqual({ field: 'table', message: 'must be one of headline, dimensions, touchpoints' });
    for (const path of ['trend.csv?period=quarter', 'breakdown.csv?by=stage&dimensions=true', 'drivers.csv?table=drivers', 'calibration.csv?table=bands', 'benchmarks.csv?table=peers']) {
      const x = await get(`reports/${path}`);
      expect(x.statusCode, path).toBe(200);
      expect(parse(x.body).length, path).toBeGreaterThan(1);
    }
  });

  it('XLSX: a sheet per table, numbers as numeric cells, text never a formula', async () => {
    const g = (await get('reports/gap')).json();
    const r = await get('reports/gap.xlsx');
    expect(r.statusCode).toBe(200);
    const files = unzipSync(new Uint8Array(r.rawPayload));
    const workbook = strFromU8(files['xl/workbook.xml']!);
    expect([...workbook.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1])).toEqual(['headline', 'dimensions', 'touchpoints']);
    const sheets = Object.keys(files).filter((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k)).map((k) => strFromU8(files[k]!));
    expect(sheets.join('')).not.toContain('<f>');
    // The customers' n as a numeric cell (no t="s"/"inlineStr"): <c r="B3"><v>n</v></c> in the headline sheet.
    const headline = strFromU8(files['xl/worksheets/sheet1.xml']!);
    expect(headline).toMatch(new RegExp(`<c r="B3"[^>]*><v>${g.headline.customers.n}</v></c>`));
    expect((await get('reports/gap.xlsx?table=headline')).statusCode).toBe(400);
  });

  it('roles: an owner may not download whole-organisation reports; no session, no download', async () => {
    expect((await get('reports/calibration.csv', owner)).statusCode).toBe(403);
    expect((await get('reports/benchmarks.xlsx', owner)).statusCode).toBe(403);
    expect((await get('reports/gap.csv', owner)).statusCode).toBe(200);
    expect((await get('reports/gap.csv', {})).statusCode).toBe(401);
    expect((await get('board-pack.pdf', {})).statusCode).toBe(401);
    const stranger = await authHeaders(ctx(), null);
    expect((await get('board-pack', stranger)).statusCode).toBe(404);
  });

  it.runIf(engine === 'sqlite')('the PDF prints the page: a valid A4 PDF, audited as an export', async () => {
    const r = await get('board-pack.pdf');
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    const pdf = Buffer.from(r.rawPayload).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    // A page per section (five) at least; /Type /Page objects, not the /Pages tree.
    const pages = pdf.match(/\/Type\s*\/Page(?!s)/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(5);
    // A4 is 595 × 842 points.
    expect(pdf).toMatch(/\/MediaBox\s*\[0 0 594\.\d+ 841\.\d+\]|\/MediaBox\s*\[0 0 595 842\]/);
    const admin = await authHeaders(ctx(), f.org.id, 'admin');
    const log = (await get('audit-log', admin)).json();
    expect(log.entries.some((e: { action: string }) => e.action === 'reports.export')).toBe(true);
  });
});
