// A leader answers the mirror survey's constant-sum question (issue 11: share 100 points across the
// customer dimensions by what drives customers' view) in a real browser on a 390 px phone: with
// JavaScript the running total follows the typing; with JavaScript off a wrong sum comes back from the
// server beside the question with the typed points kept, and is then fixed. Axe-clean; a screenshot to
// test-output/screenshots/ (git-ignored).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { launchBrowser, startServer, type RunningServer, SHOTS, stopBoth } from './browser.ts';
import { makeOrg, type OrgFixture } from '../fixtures.ts';
import { countResponses } from '../../src/store/responses.ts';
import { createLeaderLinks } from '../../src/store/leader-links.ts';
import { loadAggregates } from '../../src/store/report-data.ts';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describe('leader importance question in a browser', () => {
  let browser: Browser;
  let server: RunningServer;
  let f: OrgFixture;
  let tokens: string[];
  beforeAll(async () => {
    server = await startServer();
    f = await makeOrg(server.store, { name: 'Streamly' });
    // Links naming a function: a link without one first asks it (survey.test.ts covers that step).
    tokens = (await createLeaderLinks(server.store.db, { orgId: f.org.id, createdBy: 'test', function: 'Executive', count: 3 })).map((l) => l.token);
    browser = await launchBrowser();
  });
  afterAll(() => stopBoth(browser, server));

  const question = (page: Page) => page.getByRole('group', { name: /Share 100 points across these dimensions/ });
  const box = (page: Page, label: string) => question(page).getByLabel(label, { exact: true });
  const answerTheRest = async (page: Page) => {
    await page.getByRole('group', { name: /Streamly delivers to its customers is excellent/ }).getByLabel('4', { exact: true }).check();
    await page.getByLabel(/What share of our customers would agree/).fill('70');
  };
  const axe = async (page: Page, step: string) => {
    const result = await new AxeBuilder({ page }).analyze();
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${step}: ${v.id} ${v.help}`)).toEqual([]);
  };
  /** One column and no sideways scroll: every box's row starts at the same x, one under the other. */
  const fitsPhone = async (page: Page) => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const rows = await question(page).locator('li.part').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.left, y: r.top, right: r.right })));
    expect(rows).toHaveLength(9);
    expect(new Set(rows.map((r) => Math.round(r.x))).size).toBe(1);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.y).toBeGreaterThan(rows[i - 1]!.y);
    expect(Math.max(...rows.map((r) => r.right))).toBeLessThanOrEqual(390);
  };

  it('with JavaScript, on a phone: number boxes, a running total in a live region, stored on submit', { timeout: 120_000 }, async () => {
    const context = await browser.newContext(PHONE);
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(`${server.url}/s/${f.leaderSurvey}?t=${tokens[0]}`);
    const total = question(page).locator('[aria-live="polite"]');
    await expect(total.textContent()).resolves.toBe('Total: 0 of 100 — 100 left');
    const service = box(page, 'Service delivered vs expected');
    await expect(service.getAttribute('inputmode')).resolves.toBe('numeric');
    await expect(service.getAttribute('min')).resolves.toBe('0');
    await expect(service.getAttribute('max')).resolves.toBe('100');
    await fitsPhone(page);
    await axe(page, 'form');
    await answerTheRest(page);
    // Keyboard: plain inputs, Tab goes from one box to the next.
    await service.focus();
    await page.keyboard.type('40');
    await page.keyboard.press('Tab');
    await expect(box(page, 'Understanding of customers').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.type('5');
    await box(page, 'Reliability').fill('30');
    await box(page, 'Tangibles').fill('10');
    await expect(total.textContent()).resolves.toBe('Total: 85 of 100 — 15 left');
    // Sent like this, the server refuses it: the error page (summary focused) is axe-clean too.
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.waitForLoadState();
    await expect(page.getByRole('alert').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expect(question(page).locator('.error').textContent()).resolves.toBe('the points must add up to 100; they add up to 85 (15 left)');
    await expect(total.textContent()).resolves.toBe('Total: 85 of 100 — 15 left');
    await axe(page, 'errors');
    await box(page, 'Tangibles').fill('35');
    await expect(total.textContent()).resolves.toBe('Total: 110 of 100 — 10 too many');
    await box(page, 'Tangibles').fill('25');
    await expect(total.textContent()).resolves.toBe('Total: 100 of 100 — all shared');
    await question(page).screenshot({ path: `${SHOTS}/mirror-importance-390.png` });
    await page.screenshot({ path: `${SHOTS}/mirror-importance-390-page.png`, fullPage: true });
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.waitForURL(/\/thanks$/);
    expect((await countResponses(server.store.db, f.org.id)).leader).toBe(1);
    await context.close();
  });

  it('with JavaScript off: a wrong sum is explained beside the question, the points kept; fixed, it is stored', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const before = (await countResponses(server.store.db, f.org.id)).leader;
    await page.goto(`${server.url}/s/${f.leaderSurvey}?t=${tokens[1]}`);
    await answerTheRest(page);
    await box(page, 'Service delivered vs expected').fill('50');
    await box(page, 'Clear, consistent communication').fill('20');
    await box(page, 'Reliability').fill('20');
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.waitForLoadState();
    // The server's answer: the summary links to the question, the reason and the total sit beside it.
    const summary = page.getByRole('alert');
    await expect(summary.textContent()).resolves.toContain('the points must add up to 100; they add up to 90 (10 left)');
    const link = summary.getByRole('link', { name: /Share 100 points/ });
    const target = (await link.getAttribute('href'))!;
    await expect(question(page).getAttribute('id')).resolves.toBe(target.slice(1));
    await expect(question(page).locator('.error').textContent()).resolves.toBe('the points must add up to 100; they add up to 90 (10 left)');
    await expect(question(page).locator('[aria-live="polite"]').textContent()).resolves.toBe('Total: 90 of 100 — 10 left');
    await expect(box(page, 'Service delivered vs expected').inputValue()).resolves.toBe('50');
    await expect(box(page, 'Reliability').inputValue()).resolves.toBe('20');
    await expect(box(page, 'Empathy').inputValue()).resolves.toBe('');
    expect((await countResponses(server.store.db, f.org.id)).leader).toBe(before);
    await fitsPhone(page); // (axe needs JavaScript: it checks the same error page in the test above)
    await page.screenshot({ path: `${SHOTS}/mirror-importance-390-error.png`, fullPage: true });
    // Fixed: the other answers were kept too, so only the points change. Empty boxes are 0 points.
    await box(page, 'Empathy').fill('10');
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.waitForURL(/\/thanks$/);
    expect((await countResponses(server.store.db, f.org.id)).leader).toBe(before + 1);
    await context.close();
  });

  it("counts both leaders' points in the leaders' aggregates", async () => {
    // Two leaders are fewer than any report shows (k = 5): read the aggregates themselves.
    const leaders = (await loadAggregates(server.store.db, f.org.id, {})).leaders;
    expect(leaders.items['imp:service']).toEqual({ 40: 1, 50: 1 });
    expect(leaders.items['imp:tangibles']).toEqual({ 0: 1, 25: 1 });
    expect(leaders.items['imp:empathy']).toEqual({ 0: 1, 10: 1 });
  });
});
