// The analyses views (drivers, calibration, breakdown, trends, benchmarks) in a real browser over a real
// server with the demo organisation: each shows the figures the API returns (read with a fetch of the
// same report as the same user), the view's controls change the URL and the figures, filters reach the
// API, no serious or critical axe violations at desktop and phone widths, nothing scrolls sideways at
// 360 px, and screenshots of each (test-output/screenshots/analyses-*, git-ignored).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { apiGet, launchBrowser, logIn, settled, startServer, type RunningServer, SHOTS, stopBoth } from './browser.ts';
import { createDemo, DEMO_ADMIN, DEMO_PASSWORD } from '../../src/sample-data/demo.ts';
import { createOrganisation } from '../../src/store/organisations.ts';
import { findUserByEmail } from '../../src/store/users.ts';
import { addMembership } from '../../src/store/memberships.ts';
import { count, fixed, pct, pts } from '../../src/core/number-format.ts';
import type { DriversReport } from '../../src/core/analytics/drivers.ts';
import type { CalibrationReport } from '../../src/core/analytics/calibration.ts';
import type { BreakdownReport } from '../../src/core/analytics/breakdown.ts';
import type { TrendReport } from '../../src/core/analytics/trend.ts';
import type { BenchmarksReport } from '../../src/core/analytics/benchmarks.ts';

const ORG = 'streamly';
const API = `/api/v1/organisations/${ORG}`;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

describe('analyses views in a browser', () => {
  let browser: Browser;
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer(async (store) => {
      await createDemo(store, { customers: 1500 });
      // An organisation with no responses yet: every view must say why it shows nothing.
      const other = await createOrganisation(store.db, { id: 'northwind', name: 'Northwind Travel', industry: 'transportation_travel' });
      const admin = (await findUserByEmail(store.db, DEMO_ADMIN))!;
      await addMembership(store.db, { orgId: other.id, userId: admin.id, role: 'analyst', department: null });
    });
    browser = await launchBrowser();
  });
  afterAll(() => stopBoth(browser, server));

  const loggedIn = (viewport = DESKTOP) => logIn(browser, server.url, { viewport });

  const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

  it('drivers: names the API’s most important and critical dimensions, R² and n, and switches outcome', async () => {
    const { context, page } = await loggedIn();
    await page.goto(`${server.url}/o/${ORG}/drivers`);
    await page.getByRole('heading', { level: 1, name: 'Drivers' }).waitFor();
    await page.locator('#drivers-summary').waitFor();
    await settled(page);
    const r = await apiGet<DriversReport>(page, `${API}/reports/drivers?outcome=excellent`);
    if ('suppressed' in r.model) throw new Error('the demo should have a drivers model');
    const top = r.dimensions.find((d) => d.rank === 1)!;
    const critical = r.dimensions.filter((d) => d.critical).map((d) => d.label);
    expect(critical.length).toBeGreaterThan(0);
    const summary = await text(page, '#drivers-summary');
    expect(summary).toContain(`${top.label} matters most`);
    expect(summary).toContain(`${fixed(top.rescaled!, 1)}%`);
    for (const c of critical) expect(summary).toContain(c);
    expect(summary).toContain(`R² = ${fixed(r.model.rSquared, 2)}`);
    expect(summary).toContain(`n = ${count(r.model.completeCases)} complete cases`);
    // The quadrant is one named image; the table lists every dimension in importance order.
    await expect.poll(() => page.getByRole('img', { name: /Importance against performance/ }).count()).toBe(1);
    await page.getByText('Show the numbers').first().click();
    const rows = await page.locator('table.data').first().locator('tbody th').allTextContents();
    const byRank = [...r.dimensions].filter((d) => d.rank !== null).sort((a, b) => a.rank! - b.rank!);
    expect(rows.map((x) => x.replace(' (critical)', ''))).toEqual(byRank.map((d) => d.label));
    // Leaders' belief can be taken off the quadrant (a toggle button), and put back.
    const toggle = page.getByRole('button', { name: 'Show leaders’ belief' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByText('Leaders’ belief (diamond)').count()).toBe(0);
    await toggle.click();
    await page.getByText('Leaders’ belief (diamond)').waitFor();
    // Outcome NPS: the URL says so and the top driver is the NPS model's.
    await page.getByRole('button', { name: 'Likelihood to recommend' }).click();
    await page.waitForURL(/outcome=nps/);
    await settled(page);
    const n = await apiGet<DriversReport>(page, `${API}/reports/drivers?outcome=nps`);
    const nTop = n.dimensions.find((d) => d.rank === 1)!;
    await expect.poll(() => text(page, '#drivers-summary')).toContain(`${nTop.label} matters most`);
    if ('suppressed' in n.model) throw new Error('the demo should have an NPS model');
    expect(await text(page, '#drivers-summary')).toContain(`n = ${count(n.model.completeCases)} complete cases`);
    await context.close();
  });

  it('drivers: a filter in the URL reaches the API', async () => {
    const { context, page } = await loggedIn();
    const q = 'where=segment%3Aregion%3DEMEA';
    await page.goto(`${server.url}/o/${ORG}/drivers?${q}`);
    await page.locator('#drivers-summary').waitFor();
    await settled(page);
    const all = await apiGet<DriversReport>(page, `${API}/reports/drivers?outcome=excellent`);
    const emea = await apiGet<DriversReport>(page, `${API}/reports/drivers?${q}&outcome=excellent`);
    if ('suppressed' in emea.model || 'suppressed' in all.model) throw new Error('EMEA should have a model');
    expect(emea.model.completeCases).toBeLessThan(all.model.completeCases);
    expect(await text(page, '#drivers-summary')).toContain(`n = ${count(emea.model.completeCases)} complete cases`);
    // One "Analyses" entry in the main navigation is current; the analyses link to each other, filters kept, by keyboard.
    await expect.poll(() => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analyses' }).getAttribute('aria-current')).toBe('page');
    const sub = page.getByRole('navigation', { name: 'Analyses' });
    expect(await sub.getByRole('link', { name: 'Drivers' }).getAttribute('aria-current')).toBe('page');
    await sub.getByRole('link', { name: 'Calibration' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/calibration\\?${q}$`));
    await page.getByRole('heading', { level: 1, name: 'Calibration' }).waitFor();
    // Calibration covers all customers: it says the segment filter does not apply.
    await page.getByText(/does not apply the segment filter/).waitFor();
    await context.close();
  });

  it('calibration: the group that knows customers best, its error and n, and the team', async () => {
    const { context, page } = await loggedIn();
    await page.goto(`${server.url}/o/${ORG}/calibration`);
    await page.locator('#calibration-summary').waitFor();
    await settled(page);
    const r = await apiGet<CalibrationReport>(page, `${API}/reports/calibration?group=function`);
    if ('suppressed' in r.groups || 'suppressed' in r.team) throw new Error('the demo should show groups');
    const ranked = [...r.groups].sort((a, b) => a.rank - b.rank);
    const best = ranked[0]!;
    const summary = await text(page, '#calibration-summary');
    expect(summary).toContain(`${best.group} predict customers best: off by ${fixed(best.dimensionsMae!, 2)} rating points on average (n = ${best.leaders} leaders)`);
    expect(summary).toContain(`n = ${count(r.team.leaders)} leaders`);
    expect(summary).toContain(r.team.direction!);
    await page.getByText('Show the numbers').first().click();
    const groups = await page.locator('table.data').first().locator('tbody th').allTextContents();
    expect(groups.slice(0, ranked.length)).toEqual(ranked.map((g) => (g.pooled ? `${g.group} (pooled)` : g.group)));
    await context.close();
  });

  it('breakdown: flags exactly the groups the adjusted tests flag, and switches grouping and adjustment', async () => {
    const { context, page } = await loggedIn();
    await page.goto(`${server.url}/o/${ORG}/breakdown`);
    await page.locator('#breakdown-summary').waitFor();
    await settled(page);
    const r = await apiGet<BreakdownReport>(page, `${API}/reports/breakdown?by=touchpoint&dimensions=true`);
    const flagged = (rep: BreakdownReport, m: 'holm' | 'bh') => rep.rows.filter((x) => x.vsRest && x.vsRest[m] < 0.05);
    const shown = r.rows.filter((x) => !('suppressed' in x.customers)).length;
    expect(await text(page, '#breakdown-summary')).toContain(`${flagged(r, 'holm').length} of ${shown} groups differ from the rest after the Holm (family-wise error) adjustment over ${r.tests} tests`);
    // By region, Benjamini–Hochberg: URL and figures follow.
    await page.getByLabel('Break down by').selectOption('segment:region');
    await page.waitForURL(/by=segment%3Aregion/);
    await page.getByRole('button', { name: 'Benjamini–Hochberg' }).click();
    await page.waitForURL(/adjust=bh/);
    await settled(page);
    const g = await apiGet<BreakdownReport>(page, `${API}/reports/breakdown?by=segment%3Aregion&dimensions=true`);
    const gShown = g.rows.filter((x) => !('suppressed' in x.customers));
    await expect
      .poll(() => text(page, '#breakdown-summary'))
      .toContain(`${flagged(g, 'bh').length} of ${gShown.length} groups differ from the rest after the Benjamini–Hochberg (false discovery rate) adjustment over ${g.tests} tests`);
    const lowest = [...gShown].sort((a, b) => (a.customers as { share: number }).share - (b.customers as { share: number }).share)[0]!;
    expect(await text(page, '#breakdown-summary')).toContain(`Lowest: ${lowest.label}, where ${pct((lowest.customers as { share: number }).share)}`);
    await context.close();
  });

  it('trends: the slope the API reports, by month and by quarter', async () => {
    const { context, page } = await loggedIn();
    await page.goto(`${server.url}/o/${ORG}/trends?period=quarter`);
    await page.locator('#trends-summary').waitFor();
    await settled(page);
    const t = await apiGet<TrendReport>(page, `${API}/reports/trend?period=quarter`);
    const s = t.slope ?? t.customerTrend;
    if (!s) throw new Error('the demo should have a quarterly trend');
    const perPeriod = Math.abs(s.perPeriod * 100).toFixed(1);
    const summary = await text(page, '#trends-summary');
    expect(summary).toContain(`${perPeriod} pts a quarter`);
    await page.getByText('Show the numbers').first().click();
    expect(await page.locator('table.data').first().locator('tbody tr').count()).toBe(t.points.length);
    // The dimensions' slopes are all listed.
    await expect.poll(() => page.getByRole('img', { name: /the gap between leaders’ predicted and customers’ rating, by quarter/ }).count()).toBe(1);
    await page.getByRole('button', { name: 'Month' }).click();
    await page.waitForURL((u) => !u.search.includes('period='));
    await settled(page);
    const m = await apiGet<TrendReport>(page, `${API}/reports/trend?period=month`);
    const ms = m.slope ?? m.customerTrend!;
    await expect.poll(() => text(page, '#trends-summary')).toContain(`${Math.abs(ms.perPeriod * 100).toFixed(1)} pts a month`);
    // The segment picker is the filter in the URL, and the figures follow it.
    await page.getByLabel('Customers', { exact: true }).selectOption('region=EMEA');
    await page.waitForURL(/where=segment%3Aregion%3DEMEA/);
    await settled(page);
    const e = await apiGet<TrendReport>(page, `${API}/reports/trend?where=segment%3Aregion%3DEMEA&period=month`);
    const es = e.slope ?? e.customerTrend;
    if (!es) throw new Error('EMEA should have a monthly trend');
    expect(es.perPeriod).not.toBe(ms.perPeriod);
    await expect.poll(() => text(page, '#trends-summary')).toContain(`${Math.abs(es.perPeriod * 100).toFixed(1)} pts a month`);
    await context.close();
  });

  it('benchmarks: the own gap against the first published study', async () => {
    const { context, page } = await loggedIn();
    await page.goto(`${server.url}/o/${ORG}/benchmarks`);
    await page.locator('#benchmarks-summary').waitFor();
    await settled(page);
    const r = await apiGet<BenchmarksReport>(page, `${API}/reports/benchmarks`);
    const first = r.published.gap[0]!;
    const summary = await text(page, '#benchmarks-summary');
    expect(summary).toContain(`Your gap is ${pts(r.own.gap!)}`);
    expect(summary).toContain(`${first.source} (${first.year}) found ${pts(first.gap)}`);
    // Peers are too few in the demo: the view says why rather than showing nothing.
    expect(await page.getByText(/fewer than 5 other organisations/).count()).toBe(3);
    await context.close();
  });

  it('says why nothing is shown for an organisation without responses, on every view', async () => {
    const { context, page } = await loggedIn();
    const seen: string[] = [];
    for (const [path, reason] of [
      ['drivers', /The drivers model hidden: .+/],
      ['calibration', /Leadership groups hidden: .+/],
      ['breakdown', /The breakdown hidden: .+/],
      ['trends', /No months to show/],
      ['benchmarks', /Your own gap is hidden/],
    ] as const) {
      await page.goto(`${server.url}/o/northwind/${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await settled(page);
      await page.getByText(reason).first().waitFor({ timeout: 10_000 });
      // No error state: an empty organisation is not a failure.
      expect(await page.locator('.state.error').count()).toBe(0);
      seen.push(path);
    }
    expect(seen).toHaveLength(5);
    await context.close();
  });

  const VIEWS: { name: string; path: string; ready: (p: Page) => Promise<unknown> }[] = [
    { name: 'drivers', path: 'drivers', ready: (p) => p.getByRole('img', { name: /Importance against performance/ }).waitFor() },
    { name: 'calibration', path: 'calibration', ready: (p) => p.getByRole('img', { name: /Leadership groups/ }).waitFor() },
    { name: 'breakdown', path: 'breakdown', ready: (p) => p.getByRole('img', { name: /by touchpoint/ }).waitFor() },
    { name: 'trends', path: 'trends', ready: (p) => p.locator('#trends-summary').waitFor() },
    { name: 'benchmarks', path: 'benchmarks', ready: (p) => p.locator('#benchmarks-summary').waitFor() },
  ];

  it('has no serious or critical axe violations, fits 360 px, and screenshots each view', { timeout: 240_000 }, async () => {
    const problems: string[] = [];
    for (const [tag, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { context, page } = await loggedIn(viewport);
      for (const v of VIEWS) {
        await page.goto(`${server.url}/o/${ORG}/${v.path}`);
        await v.ready(page);
        await settled(page);
        // The tables are the text alternative: open them so axe checks them too.
        for (const d of await page.locator('details.data-table').all()) await d.evaluate((e) => ((e as HTMLDetailsElement).open = true));
        const axe = await new AxeBuilder({ page }).analyze();
        for (const x of axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) problems.push(`${v.name} ${tag}: ${x.id} ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        const overflow = (await page.evaluate(() => document.documentElement.scrollWidth)) - viewport.width;
        if (overflow > 0) problems.push(`${v.name} ${tag}: ${overflow}px too wide`);
        await page.screenshot({ path: `${SHOTS}/analyses-${v.name}-${tag}.png`, fullPage: true });
      }
      await context.close();
    }
    expect(problems).toEqual([]);
  });
});
