// Sentiment, tags and redaction in the verbatims, and the themes view, in a real browser over a real server
// with the demo organisation (its comments analysed at ingest): every quote shows a sentiment badge in words
// and its tag chips as the API returns them, the sentiment filter reaches the API, the themes view shows the
// API's themes, no serious or critical axe violations at desktop and phone widths, nothing scrolls sideways
// at 360 px, and screenshots (test-output/screenshots/themes-*, git-ignored).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { apiGet, launchBrowser, logIn, settled, startServer, type RunningServer, SHOTS, stopBoth } from './browser.ts';
import { createDemo, DEMO_PASSWORD } from '../../src/sample-data/demo.ts';
import { count } from '../../src/core/number-format.ts';
import type { ThemesReport, VerbatimPage } from '../../src/web/lib/types.ts';

const ORG = 'streamly';
const API = `/api/v1/organisations/${ORG}`;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const WORD = { negative: 'Negative', neutral: 'Neutral', positive: 'Positive' } as const;

describe('sentiment and tags in the verbatims; the themes view', () => {
  let browser: Browser;
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer(async (store) => {
      await createDemo(store, { customers: 1500 });
    });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(() => stopBoth(browser, server));

  const loggedIn = (viewport = DESKTOP) => logIn(browser, server.url, { viewport });

  const clean = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

  it('verbatims: every quote shows its sentiment in words and its tags, as the API returns them', async () => {
    const { context, page } = await loggedIn();
    await page.goto(`${server.url}/o/${ORG}/verbatims?perspective=customer`);
    await page.getByRole('heading', { level: 1, name: 'Verbatims' }).waitFor();
    await page.locator('ul.quotes li.quote').first().waitFor();
    await settled(page);
    const api = await apiGet<VerbatimPage>(page, `${API}/verbatims?perspective=customer&limit=20`);
    expect(api.items.length).toBeGreaterThan(5);
    const quotes = page.locator('ul.quotes > li.quote');
    expect(await quotes.count()).toBe(api.items.length);
    for (let i = 0; i < api.items.length; i++) {
      const v = api.items[i]!;
      const li = quotes.nth(i);
      expect(clean(await li.locator('blockquote').textContent())).toBe(clean(v.comment));
      expect(clean(await li.locator('.meta .badge').first().textContent())).toBe(`Sentiment: ${WORD[v.sentiment.label]}`);
      expect(await li.locator('.tag-chips li').count()).toBe(v.tags.dimensions.length + v.tags.touchpoints.length);
    }

    // The sentiment filter reaches the API and every quote shown is of that sentiment.
    await page.getByLabel('Sentiment').selectOption('negative');
    await page.waitForURL(/sentiment=negative/);
    await settled(page);
    const negative = await apiGet<VerbatimPage>(page, `${API}/verbatims?perspective=customer&sentiment=negative&limit=20`);
    expect(negative.total).toBeGreaterThan(0);
    await expect.poll(async () => page.locator('ul.quotes > li.quote').count()).toBe(negative.items.length);
    for (const b of await page.locator('ul.quotes > li.quote .meta .badge').all()) expect(clean(await b.textContent())).toBe('Sentiment: Negative');
    await expect.poll(async () => clean(await page.getByRole('status').first().textContent())).toBe(`${count(negative.total)} ${negative.total === 1 ? 'comment' : 'comments'}`);
    await context.close();
  }, 120_000);

  it('themes: shows the API’s themes with counts, sentiment and quotes', async () => {
    const { context, page } = await loggedIn();
    await page.getByRole('link', { name: 'Themes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Themes' }).waitFor();
    await settled(page);
    const api = await apiGet<ThemesReport>(page, `${API}/reports/themes`);
    expect(api.themes.length).toBeGreaterThan(0);
    const cards = page.locator('section.card');
    expect(await cards.count()).toBe(api.themes.length);
    const first = api.themes[0]!;
    const card = cards.first();
    expect(clean(await card.locator('h2').textContent())).toContain(first.label);
    expect(clean(await card.locator('p.num').first().textContent())).toContain(`${count(first.comments)} comments`);
    expect(await card.locator('blockquote').count()).toBe(first.quotes.length);
    await context.close();
  }, 120_000);

  it('has no serious or critical axe violations, fits 360 px, and screenshots both views', { timeout: 240_000 }, async () => {
    const problems: string[] = [];
    for (const [tag, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { context, page } = await loggedIn(viewport);
      for (const [name, path, ready] of [
        ['verbatims', 'verbatims', 'ul.quotes li.quote'],
        ['themes', 'themes', 'section.card'],
      ] as const) {
        await page.goto(`${server.url}/o/${ORG}/${path}`);
        await page.locator(ready).first().waitFor();
        await settled(page);
        for (const d of await page.locator('details.data-table').all()) await d.evaluate((e) => ((e as HTMLDetailsElement).open = true));
        const axe = await new AxeBuilder({ page }).analyze();
        for (const x of axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) problems.push(`${name} ${tag}: ${x.id} ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        const overflow = (await page.evaluate(() => document.documentElement.scrollWidth)) - viewport.width;
        if (overflow > 0) problems.push(`${name} ${tag}: ${overflow}px too wide`);
        await page.screenshot({ path: `${SHOTS}/themes-${name}-${tag}.png`, fullPage: true });
      }
      await context.close();
    }
    expect(problems).toEqual([]);
  });
});
