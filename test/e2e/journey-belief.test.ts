// Leaders' belief by touchpoint (issue 11) on the Journey view in a real browser over a real server with the
// demo organisation: each touchpoint card shows the leaders' belief beside the customers' share as the API
// gives it (with n), says when leaders did not predict a touchpoint or when too few did, keeps its existing
// content, has no serious or critical axe violations at 1280 and 360 px and does not scroll sideways; and
// screenshots (test-output/screenshots/journey-belief-*, git-ignored).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { apiGet, launchBrowser, logIn, problemsAtWidths, settled, startServer, type RunningServer, SHOTS, stopBoth } from './browser.ts';
import { createDemo } from '../../src/sample-data/demo.ts';
import { count, pct } from '../../src/core/number-format.ts';
import type { JourneyBeliefReport } from '../../src/core/analytics/journey-belief.ts';
import type { BreakdownReport } from '../../src/core/analytics/breakdown.ts';
import { createLeaderLinks } from '../../src/store/leader-links.ts';
import { surveyFor } from '../../src/store/surveys.ts';

const ORG = 'streamly';

describe("leaders' belief by touchpoint in the Journey view", () => {
  let browser: Browser;
  let server: RunningServer;
  let leaderPath: string;

  beforeAll(async () => {
    // 1,500 customers, as the dashboard test: the Product and Marketing leaders' predictions are shown,
    // Support's (fewer than 5 leaders at this size) are withheld, and the other touchpoints were not predicted.
    server = await startServer(async (store) => {
      await createDemo(store, { customers: 1500 });
      const survey = (await surveyFor(store.db, ORG, 'leader'))!;
      const [link] = await createLeaderLinks(store.db, { orgId: ORG, createdBy: 'test', function: 'Support', count: 1 });
      leaderPath = `/s/${survey.id}?t=${link!.token}`;
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(() => stopBoth(browser, server));

  it("shows the leaders' belief beside the customers' share on each card, as the API gives it", async () => {
    const { context, page } = await logIn(browser, server.url);
    await page.goto(`${server.url}/o/${ORG}/journey`);
    await page.locator('.tp-card .tp-belief').first().waitFor();
    await settled(page);
    const r = await apiGet<JourneyBeliefReport>(page, `/api/v1/organisations/${ORG}/reports/journey-belief`);
    const kinds = new Set<string>();
    for (const t of r.touchpoints) {
      const card = page.locator('.tp-card').filter({ has: page.locator('.tp-title', { hasText: t.label }) });
      const text = ((await card.textContent()) ?? '').replace(/\s+/g, ' ');
      expect(text).toContain('say excellent'); // the customers' share stays
      expect(text).toContain(`Owner: ${t.department}`);
      const b = t.believed;
      if (b === null) {
        kinds.add('none');
        expect(text).toContain('Leaders did not predict this touchpoint.');
      } else if ('suppressed' in b) {
        kinds.add('hidden');
        expect(text).toContain(`Leaders’ belief hidden: ${b.reason}.`);
      } else {
        kinds.add('shown');
        expect(text).toContain(`Leaders believe ${pct(b.mean)}`);
        expect(text).toContain(`n = ${count(b.n)} leaders`);
        if (t.gap !== null) expect(text).toContain('Belief − reality');
        // Over-confident, as the demo's leaders are everywhere.
        expect(t.gap!).toBeGreaterThan(0.2);
      }
    }
    expect([...kinds].sort()).toEqual(['hidden', 'none', 'shown']);
    // The leaders' part is drawn in the leaders' colour (amber ink).
    const ink = await page.locator('.tp-belief .leaders').first().evaluate((e) => getComputedStyle(e).color);
    expect(ink).toBe('rgb(146, 64, 14)');
    // The numbers table carries it too.
    await page.getByText('Show the numbers').first().click();
    const app = r.touchpoints.find((t) => t.key === 'app')!;
    const row = page.locator('table.data tbody tr').filter({ has: page.locator('th', { hasText: app.label }) });
    expect(await row.locator('td').last().textContent()).toBe(`${pct((app.believed as { mean: number }).mean)} (${(app.believed as { n: number }).n})`);
    await context.close();
  });

  it('draws the touchpoints ranked by gap as the API gives them: teal dots at their share, leaders as the amber line', async () => {
    const { context, page } = await logIn(browser, server.url);
    await page.goto(`${server.url}/o/${ORG}/journey`);
    const chart = page.getByRole('img', { name: /^Touchpoints ranked by gap/ });
    await chart.waitFor();
    await settled(page);
    const b = await apiGet<BreakdownReport>(page, `/api/v1/organisations/${ORG}/reports/breakdown?by=touchpoint`);
    // The view ranks the touchpoints that have a gap, widest first (so customers' share rises down the chart).
    const ranked = b.rows.filter((r) => r.gap !== null).sort((x, y) => y.gap! - x.gap!);
    expect(ranked.length).toBeGreaterThan(3);
    const dots = await chart.locator('circle').evaluateAll((cs) => cs.map((c) => ({ cx: Number(c.getAttribute('cx')), cy: Number(c.getAttribute('cy')) })));
    expect(dots.length).toBe(ranked.length);
    // The scale from its own grid: the x of the "0%" and "100%" lines.
    const grid = await chart.locator('g > text').evaluateAll((ts) => ts.map((t) => [t.textContent, Number(t.getAttribute('x'))] as const));
    const x0 = grid.find(([t]) => t === '0%')![1];
    const x100 = grid.find(([t]) => t === '100%')![1];
    ranked.forEach((r, i) => {
      const share = (r.customers as { share: number }).share;
      expect(dots[i]!.cx).toBeCloseTo(x0 + share * (x100 - x0), 0);
      if (i > 0) expect(dots[i]!.cy).toBeGreaterThan(dots[i - 1]!.cy); // one row per touchpoint, in rank order
    });
    // Leaders' belief as the dashed line across the rows, in the leaders' colour, named in words.
    const leaders = (b.leaders as { share: number }).share;
    const line = chart.locator('line[stroke-dasharray]');
    expect(Number(await line.getAttribute('x1'))).toBeCloseTo(x0 + leaders * (x100 - x0), 0);
    expect(await line.getAttribute('stroke')).toBe('var(--leaders)');
    expect(await chart.locator('text', { hasText: `Leaders believe ${pct(leaders)}` }).count()).toBe(1);
    // The chart's description names the widest gap; the figures are in the table below it.
    const name = await chart.evaluate((svg) => svg.querySelector('desc')!.textContent);
    expect(name).toContain(`Widest gap: ${ranked[0]!.label}`);
    await context.close();
  });

  it('has no serious or critical axe violations at 1280 and 360 px, fits the phone, and screenshots', { timeout: 120_000 }, async () => {
    const problems = await problemsAtWidths(browser, `${server.url}/o/${ORG}/journey`, {
      ready: (page) => page.locator('.tp-card .tp-belief').first().waitFor(),
      shoot: (page, tag) => page.screenshot({ path: `${SHOTS}/journey-belief-${tag}.png`, fullPage: true }),
    });
    expect(problems).toEqual([]);
  });

  it("asks a Support leader about Support's touchpoints on the survey page, accessibly at 360 px, and stores the answer", async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${server.url}${leaderPath}`);
    const help = page.getByLabel(/At Help centre \(Support\), what share of customers/);
    await help.waitFor();
    expect(await page.getByLabel(/At Contact centre \(Support\)/).count()).toBe(1);
    expect(await page.getByLabel(/At App & product/).count()).toBe(0);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => x.id)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.getByRole('radio', { name: '4' }).first().check({ force: true });
    await page.getByLabel(/What share of our customers would agree/).fill('60');
    await help.fill('35');
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    await context.close();
  });
});
