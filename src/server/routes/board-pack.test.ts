// The board pack and the report downloads on both engines, through the real app: the page shows the
// API's figures, the CSV/XLSX tables carry them (numbers as numbers, hidden groups hidden, text guarded
// against formulas), roles are honoured, and (SQLite only, to launch Chromium once per run) the PDF prints.
// Its touchpoint page (issue 11: what leaders believe at each touchpoint) on a history with known figures.
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
import { fillJourneyBelief } from '../../../test/journey-belief-fixture.ts';
import { journeyBeliefFor } from '../../reports/journey-belief.ts';

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
    expect(body.match(/<svg role="img" aria-labelledby=/g)).toHaveLength(3); // dimensions, touchpoints, trend
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

describeEngines("board pack: what leaders believe at each touchpoint", (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let viewer: Record<string, string>;
  const get = (path: string, headers = viewer) => app.inject({ url: `/api/v1/organisations/${f.org.id}/${path}`, headers });
  // One table row of the touchpoint section, by its label (as the page escapes it).
  const row = (body: string, label: string) => {
    const section = body.slice(body.indexOf('id="s-touchpoints"'), body.indexOf('id="s-trend"'));
    return section.split('<tr>').find((r) => r.startsWith(`<th scope="row">${escapeHtml(label)} `)) ?? '';
  };
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx());
    await fillJourneyBelief(ctx(), f);
    viewer = await authHeaders(ctx(), f.org.id, 'viewer');
  });
  afterAll(() => app.close());

  it('sets belief, reality and the gap with intervals per touchpoint, and says why a cell is empty', async () => {
    const body = (await get('board-pack')).body;
    expect(body).toContain('<h2 id="s-touchpoints">What leaders believe at each touchpoint</h2>');
    // Reference values (scipy 1.17.1; src/reports/journey-belief.test.ts): Product's mean 73.3 %, t interval
    // 62.00–84.67 %; 18 of 50 customers, Wilson 24.14–49.86 %; MOVER gap 37.3 (19.43 to 53.74) points.
    const app_ = row(body, 'App & product');
    expect(app_).toContain('(Use; Product)');
    expect(app_).toContain('<td class="n">73%<br><span class="note">95% CI 62–85%</span><br><span class="note">n = 6</span></td>');
    expect(app_).toContain('<td class="n">36%<br><span class="note">95% CI 24–50%</span><br><span class="note">n = 50</span></td>');
    expect(app_).toContain('<td class="n">+37 pts<br><span class="note">95% CI +19 to +54 pts</span></td>');
    // Withheld and never-asked cells say why (Finance's 3 leaders; no Digital leader; 3 welcome customers).
    const billing = row(body, 'Billing');
    expect(billing).toContain('hidden: fewer than 5 leaders predicted this touchpoint');
    expect(billing).toContain('<td class="n">25%<br><span class="note">95% CI 9–53%</span>'); // Wilson 8.89–53.23 %
    expect(billing).toContain('— (a side is hidden)');
    const website = row(body, 'Website');
    expect(website).toContain('not predicted: no Digital leader answered for it');
    expect(website).toContain('— (not predicted)');
    expect(row(body, 'Welcome & setup')).toContain('hidden: fewer than 5 respondents');
    // The chart is an image with a title and a description of its figures.
    expect(body).toMatch(/<svg role="img" aria-labelledby="touchpoints-chart-t touchpoints-chart-d"/);
    expect(body).toContain(escapeHtml('App & product: leaders 73%, customers 36%'));
    // And the summary names the touchpoint furthest from reality.
    expect(body).toContain(
      escapeHtml('Of the touchpoints leaders predicted, belief and reality are furthest apart at App & product: Product leaders expect 73 % of its customers to call the experience excellent; 36 % do: 37 points too optimistic (95 % CI 19 to 54).'),
    );
  });

  it("shows what the journey-belief report shows under the same filters and roles", async () => {
    // Every figure on the page is the API's: each shown share, belief and gap as reports/journey-belief gives it.
    const api = (await get('reports/journey-belief')).json();
    const body = (await get('board-pack')).body;
    for (const t of api.touchpoints) {
      const r = row(body, t.label);
      if (!t.actual.suppressed) expect(r, t.key).toContain(`<td class="n">${pct(t.actual.share)}<br><span class="note">95% CI ${pctInterval(t.actual.ci95)}</span><br><span class="note">n = ${count(t.actual.n)}</span></td>`);
      else expect(r, t.key).toContain(`hidden: ${t.actual.reason}`);
      if (t.believed && !t.believed.suppressed) expect(r, t.key).toContain(`<td class="n">${pct(t.believed.mean)}<br>`);
      if (t.gap !== null) expect(r, t.key).toContain(`${signed(t.gap * 100, 0)} pts<br>`);
    }
    // An owner's pack covers their department's touchpoints only, as their reports do.
    const owner = await authHeaders(ctx(), f.org.id, 'owner', { department: 'Product' });
    const mine = (await get('board-pack', owner)).body;
    expect(row(mine, 'App & product')).toContain('73%');
    expect(row(mine, 'Website')).toBe('');
    // After everyone answered, customers are hidden as a whole (the report's reason) and nobody predicted.
    const later = (await get('board-pack?from=2025-10')).body;
    const r = (await journeyBeliefFor(ctx().db, f.org.id, { from: '2025-10' }))!;
    expect(r.hidden.customers).not.toBeNull();
    expect(later).toContain(`Customers' side hidden: ${escapeHtml(r.hidden.customers!)}.`);
    expect(later).toContain('No leader predicted a touchpoint');
  });
});
