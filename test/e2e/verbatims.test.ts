// Full-text search in the verbatims view, in a real browser over a real server with the demo organisation:
// the matched words the server returns are marked (<mark>, text only), "More comments" pages on by the
// cursor, a search the server cannot run says why, and no serious or critical axe violations.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { apiGet, launchBrowser, logIn, settled, startServer, type RunningServer, stopBoth } from './browser.ts';
import { createDemo } from '../../src/sample-data/demo.ts';
import type { VerbatimPage } from '../../src/web/lib/types.ts';

const ORG = 'streamly';
const API = `/api/v1/organisations/${ORG}`;

describe('verbatims search in a browser', () => {
  let browser: Browser;
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer(async (store) => {
      await createDemo(store, { customers: 200 });
    });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(() => stopBoth(browser, server));

  it('marks the matched words, pages with "More comments", explains a bad search, and passes axe', async () => {
    const { context, page } = await logIn(browser, server.url);
    await page.goto(`${server.url}/o/${ORG}/verbatims?perspective=customer&q=${encodeURIComponent('bill* -refund')}`);
    await page.locator('ul.quotes li.quote mark').first().waitFor();
    await settled(page);
    // What is marked is what the API matched: stems of "bill", never "refund".
    const api = await apiGet<VerbatimPage>(page, `${API}/verbatims?perspective=customer&q=${encodeURIComponent('bill* -refund')}&limit=20`);
    const marked = api.items.flatMap((v) => (v.highlights ?? []).map(([s, e]) => v.comment.slice(s, e)));
    expect(marked.length).toBeGreaterThan(0);
    expect(await page.locator('ul.quotes li.quote mark').allTextContents()).toEqual(marked);
    for (const m of marked) expect(m.toLowerCase()).toMatch(/^bill/);
    expect(await page.locator('ul.quotes').first().textContent()).not.toMatch(/refund/i);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    // Without a search: a page of 20, and "More comments" adds the next page read by the cursor.
    await page.goto(`${server.url}/o/${ORG}/verbatims?perspective=customer`);
    await page.locator('ul.quotes li.quote').first().waitFor();
    await settled(page);
    const all = await apiGet<VerbatimPage>(page, `${API}/verbatims?perspective=customer&limit=200`);
    expect(all.total).toBeGreaterThan(20);
    await expect.poll(() => page.locator('li.quote').count()).toBe(20);
    await page.getByRole('button', { name: 'More comments' }).click();
    await expect.poll(() => page.locator('li.quote').count()).toBe(Math.min(40, all.total));
    // The two pages together are the list's first 40, in order: nothing repeated, nothing skipped.
    const shown = (await page.locator('li.quote blockquote').allTextContents()).map((t) => t.trim());
    expect(shown).toEqual(all.items.slice(0, shown.length).map((v) => v.comment));
    await expect.poll(async () => (await page.getByRole('status').first().textContent())?.trim()).toBe(`${all.total} comments`);

    await page.getByLabel('Search comments').fill('"app crashed');
    await page.getByRole('alert').filter({ hasText: 'phrase is not closed' }).waitFor();
    await page.close();
    await context.close();
  });
});
