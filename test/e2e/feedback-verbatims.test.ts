// Feedback items in the dashboard's verbatims (issue 9), in a real browser over a real server: reviews stored
// for the demo organisation are listed with their channel and source, the Channel filter narrows the list to
// them (as the API does), no author is ever shown, and no serious or critical axe violations. The themes view's
// Channel filter (kept in the URL) counts the reviews alone, as GET …/reports/themes?channel=review does.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { apiGet, launchBrowser, logIn, settled, startServer, type RunningServer, stopBoth } from './browser.ts';
import { createDemo } from '../../src/sample-data/demo.ts';
import { createFeedbackSource } from '../../src/store/feedback-sources.ts';
import { storeFeedback } from '../../src/store/feedback.ts';
import { count } from '../../src/core/number-format.ts';
import type { ThemesReport, VerbatimPage } from '../../src/web/lib/types.ts';

const ORG = 'streamly';
const API = `/api/v1/organisations/${ORG}`;

describe('feedback items in the verbatims view', () => {
  let browser: Browser;
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer(async (store) => {
      await createDemo(store, { customers: 200 });
      const source = await createFeedbackSource(store.db, ORG, 'Trustpilot', 'review');
      await storeFeedback(
        store.db,
        ORG,
        Array.from({ length: 12 }, (_, i) => ({
          sourceId: source.id, channel: 'review' as const, externalId: `r-${i}`,
          text: `Review ${i}: the subscription price went up again and cancelling was a maze.`,
          rating: { value: 1 + (i % 5), min: 1, max: 5, normalised: (i % 5) / 4 },
          touchpoint: '', segments: {}, authorRef: `reviewer-${i}@example.com`, occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
        })),
      );
    });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(() => stopBoth(browser, server));

  it('shows reviews with their channel and source, filters by channel, and passes axe', async () => {
    const { context, page } = await logIn(browser, server.url);
    await page.goto(`${server.url}/o/${ORG}/verbatims`);
    await page.locator('ul.quotes li.quote').first().waitFor();
    await settled(page);
    await page.getByLabel('Channel').selectOption('review');
    await expect.poll(() => page.url()).toContain('channel=review');
    await expect.poll(() => page.locator('li.quote').count()).toBe(12);
    const api = await apiGet<VerbatimPage>(page, `${API}/verbatims?channel=review&limit=20`);
    expect(api.total).toBe(12);
    const shown = (await page.locator('li.quote blockquote').allTextContents()).map((t) => t.trim());
    expect(shown).toEqual(api.items.map((v) => v.comment));
    const chips = await page.locator('li.quote .chip[data-channel="review"]').allTextContents();
    expect(chips).toHaveLength(12);
    for (const c of chips) expect(c).toContain('Review · Trustpilot');
    expect(await page.locator('main').textContent()).not.toMatch(/reviewer-\d+@example\.com/);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    // Survey comments only: no review among them.
    await page.getByLabel('Channel').selectOption('survey');
    await page.locator('ul.quotes li.quote').first().waitFor();
    await settled(page);
    expect(await page.locator('li.quote .chip[data-channel]').count()).toBe(0);
    await page.close();
    await context.close();
  });

  it('themes: the Channel filter counts one channel, as the API does, and stays in the URL', async () => {
    const { context, page } = await logIn(browser, server.url);
    const clean = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
    await page.goto(`${server.url}/o/${ORG}/themes`);
    await page.locator('section.card').first().waitFor();
    await settled(page);
    const all = await apiGet<ThemesReport>(page, `${API}/reports/themes`);
    const status = page.getByRole('status').first();
    expect(clean(await status.textContent())).toMatch(new RegExp(`^${count(all.comments)} comments`));
    await expect(page.getByText(/^Counting:/).textContent()).resolves.toContain('every feedback channel');

    await page.getByLabel('Channel').selectOption('review');
    await expect.poll(() => page.url()).toContain('channel=review');
    const reviews = await apiGet<ThemesReport>(page, `${API}/reports/themes?channel=review`);
    // The reviews' themes are the 12 stored reviews' own (all about the price), not the survey comments'.
    expect(reviews.suppressed).toBeUndefined();
    expect(reviews.comments).toBe(12);
    expect(all.comments).toBeGreaterThan(reviews.comments);
    expect(reviews.themes.length).toBeGreaterThan(0);
    await expect.poll(async () => clean(await page.getByText(/^Counting:/).textContent())).toBe('Counting: Reviews only.');
    await expect.poll(async () => clean(await status.textContent())).toMatch(new RegExp(`^${count(reviews.comments)} comments`));
    await settled(page);
    const cards = page.locator('section.card');
    expect(await cards.count()).toBe(reviews.themes.length);
    for (let i = 0; i < reviews.themes.length; i++) {
      const t = reviews.themes[i]!;
      expect(clean(await cards.nth(i).locator('h2').textContent())).toContain(t.label);
      expect(clean(await cards.nth(i).locator('p.num').first().textContent())).toContain(`${count(t.comments)} ${t.comments === 1 ? 'comment' : 'comments'}`);
    }

    // The choice is in the URL: a reload shows the same channel.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Themes' }).waitFor();
    await settled(page);
    expect(await page.getByLabel('Channel').inputValue()).toBe('review');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await context.close();
  });
});
