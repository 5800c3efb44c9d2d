// A customer fills in the survey in a real browser (Debian Chromium), with JavaScript off and on,
// on a phone-sized screen, by keyboard too; the response is counted in the report. A refused form comes
// back by Post/Redirect/Get with the error summary focused (JavaScript or not), so Back after sending
// never meets a "Confirm form resubmission" page; every scale lays out in equal columns at 320–390 px; a
// leader whose link names no function is asked it first. Screenshots at 390 px to test-output/screenshots/.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { launchBrowser, startServer, type RunningServer, SHOTS, stopBoth } from './browser.ts';
import { makeOrg, type OrgFixture } from '../fixtures.ts';
import { countResponses } from '../../src/store/responses.ts';
import { createLeaderLinks } from '../../src/store/leader-links.ts';
import { loadAggregates } from '../../src/store/report-data.ts';
import { replaceSegmentDeclarations } from '../../src/store/segments.ts';

describe('customer survey in a browser', () => {
  let browser: Browser;
  let server: RunningServer;
  let f: OrgFixture;
  beforeAll(async () => {
    server = await startServer();
    f = await makeOrg(server.store, { name: 'Streamly' });
    // The link carries segment.region: respondents may set only declared public segments (issue 7, hole 2).
    await replaceSegmentDeclarations(server.store.db, f.org.id, [{ key: 'region', label: 'Region', public: true, kind: 'values', values: [{ value: 'EMEA', label: 'EMEA' }] }]);
    browser = await launchBrowser();
  });
  afterAll(() => stopBoth(browser, server));

  for (const javaScriptEnabled of [false, true]) {
    it(`is filled in with JavaScript ${javaScriptEnabled ? 'on' : 'off'}: errors keep answers, then thank-you, stored once`, async () => {
      const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      const before = (await countResponses(server.store.db, f.org.id)).customer;
      await page.goto(`${server.url}/s/${f.customerSurvey}?segment.region=EMEA`);
      await expect(page.title()).resolves.toContain('Streamly');
      // Answer NPS and a dimension but skip the required excellence statement.
      await page.getByRole('group', { name: /recommend Streamly/ }).getByLabel('9', { exact: true }).check();
      await page.getByRole('group', { name: /communicate with you/ }).getByLabel('2', { exact: true }).check();
      await page.getByLabel('Which part of your experience').selectOption('billing');
      await page.getByLabel('Anything you would like to tell us?').fill('Bills are confusing');
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await page.waitForLoadState();
      // Post/Redirect/Get: the refused form is a GET of a server-side draft, never answers in the URL.
      expect(page.url()).toMatch(/\/s\/[^/?]+\?d=[A-Za-z0-9_-]{22}$/);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('Please check one answer');
      // The summary is focused — with JavaScript off by its autofocus attribute alone.
      await page.waitForFunction(() => document.activeElement?.id === 'error-summary');
      if (!javaScriptEnabled) await page.screenshot({ path: `${SHOTS}/survey-errors-390.png`, fullPage: true });
      await expect(page.getByRole('group', { name: /experience I received from Streamly is excellent/ }).textContent()).resolves.toContain('please answer this question');
      // Answers are kept.
      await expect(page.getByRole('group', { name: /recommend Streamly/ }).getByLabel('9', { exact: true }).isChecked()).resolves.toBe(true);
      await expect(page.getByLabel('Anything you would like to tell us?').inputValue()).resolves.toBe('Bills are confusing');
      await expect(page.getByLabel('Which part of your experience').inputValue()).resolves.toBe('billing');
      expect((await countResponses(server.store.db, f.org.id)).customer).toBe(before);
      // Keyboard: focus the first radio of the excellence statement and move with arrows.
      const excellent = page.getByRole('group', { name: /experience I received from Streamly is excellent/ });
      await excellent.getByLabel('1', { exact: true }).focus();
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
      await expect(excellent.getByLabel('4', { exact: true }).isChecked()).resolves.toBe(true);
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await page.waitForURL(/\/thanks$/);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Thank you!');
      // Reload of the thank-you page (and browser back + resend) cannot store it twice.
      await page.reload();
      expect((await countResponses(server.store.db, f.org.id)).customer).toBe(before + 1);
      // Back (over the sent form) reaches a GET page, not Chromium's ERR_CACHE_MISS "Confirm form resubmission".
      const back = await page.goBack();
      expect(back?.status()).toBe(200);
      expect(page.url()).toMatch(/\?d=/);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This page has expired');
      await expect(page.getByLabel('Anything you would like to tell us?').count()).resolves.toBe(0); // the typed answers are gone
      expect((await countResponses(server.store.db, f.org.id)).customer).toBe(before + 1);
      await context.close();
    });
  }

  /** Every scale of the page: its points' boxes, in rows. */
  const scaleRows = (page: Page) =>
    page.locator('.scale').evaluateAll((scales) =>
      scales.map((sc) => {
        const boxes = [...sc.querySelectorAll('label')].map((l) => l.getBoundingClientRect());
        const rows = new Map<number, number>();
        for (const b of boxes) rows.set(Math.round(b.top), (rows.get(Math.round(b.top)) ?? 0) + 1);
        return { n: boxes.length, rows: [...rows.values()], widths: boxes.map((b) => b.width), heights: boxes.map((b) => b.height) };
      }),
    );

  for (const width of [320, 360, 390]) {
    it(`lays every scale out in equal columns at ${width} px, no lone last point, targets of 44 px`, async () => {
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width, height: 800 }, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      await page.goto(`${server.url}/s/${f.customerSurvey}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      const scales = await scaleRows(page);
      // NPS 0–10, the 1–5 statements, effort 1–7, and the Yes/No of "may we contact you?"
      expect([...new Set(scales.map((s) => s.n))].sort((a, b) => a - b)).toEqual([2, 5, 7, 11]);
      for (const s of scales) {
        // One row, or two rows of ceil(n/2) equal columns (the second may be one short).
        if (s.rows.length === 1) expect(s.rows).toEqual([s.n]);
        else expect(s.rows).toEqual([Math.ceil(s.n / 2), Math.floor(s.n / 2)]);
        expect(Math.max(...s.widths) - Math.min(...s.widths)).toBeLessThan(1);
        expect(Math.min(...s.widths)).toBeGreaterThanOrEqual(44);
        expect(Math.min(...s.heights)).toBeGreaterThanOrEqual(44);
      }
      // The 1–7 effort scale: one row of seven from 390 px (the reported wrap was six plus a lone 7).
      const effort = scales.find((s) => s.n === 7)!;
      expect(effort.rows).toEqual(width >= 390 ? [7] : [4, 3]);
      if (width === 390) await page.screenshot({ path: `${SHOTS}/survey-form-390.png`, fullPage: true });
      await context.close();
    });
  }

  for (const javaScriptEnabled of [false, true]) {
    it(`asks a leader whose link names no function for it, then lists errors in page order (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      const [link] = await createLeaderLinks(server.store.db, { orgId: f.org.id, createdBy: 'test', count: 1 });
      await page.goto(`${server.url}/s/${f.leaderSurvey}?t=${link!.token}`);
      const fn = page.getByLabel('Your function');
      await expect(fn.evaluate((el) => (el as HTMLSelectElement).required)).resolves.toBe(true);
      if (!javaScriptEnabled) await page.screenshot({ path: `${SHOTS}/survey-leader-function-390.png`, fullPage: true });
      // Axe runs in the page: with JavaScript on only.
      const axe = javaScriptEnabled ? await new AxeBuilder({ page }).analyze() : { violations: [] };
      expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `function step: ${v.id} ${v.help}`)).toEqual([]);
      await fn.selectOption('Support');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForLoadState();
      await expect(page.getByText('Support owns 2 touchpoints of the customer journey').count()).resolves.toBe(1);
      // Errors from three checks: a prediction off its scale, the excellence statement left out, points not adding up.
      await page.getByLabel(/At Help centre \(Support\)/).fill('140');
      await page.getByLabel('Reliability', { exact: true }).fill('30');
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await page.waitForLoadState();
      await page.waitForFunction(() => document.activeElement?.id === 'error-summary');
      // The summary's links follow the fields' order on the page.
      const order = await page.locator('#error-summary a').evaluateAll((as) =>
        as.map((a) => {
          const target = document.getElementById(a.getAttribute('href')!.slice(1))!;
          return [...document.querySelectorAll('[id]')].indexOf(target);
        }),
      );
      expect(order.length).toBeGreaterThanOrEqual(3);
      expect(order.every((i) => i >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      if (!javaScriptEnabled) await page.screenshot({ path: `${SHOTS}/survey-leader-errors-390.png`, fullPage: true });
      else {
        const errorsAxe = await new AxeBuilder({ page }).analyze();
        expect(errorsAxe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `leader errors: ${v.id} ${v.help}`)).toEqual([]);
      }
      await context.close();
    });
  }

  it('stores one response for a double click with JavaScript on', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const before = (await countResponses(server.store.db, f.org.id)).customer;
    await page.goto(`${server.url}/s/${f.customerSurvey}`);
    await page.getByRole('group', { name: /is excellent/ }).getByLabel('5', { exact: true }).check();
    await page.getByRole('button', { name: 'Send my answers' }).dblclick();
    await page.waitForURL(/\/thanks$/);
    expect((await countResponses(server.store.db, f.org.id)).customer).toBe(before + 1);
    const agg = await loadAggregates(server.store.db, f.org.id, { segments: { region: ['EMEA'] } });
    expect(agg.customers.items.excellent).toEqual({ 4: 2 });
    await context.close();
  });

  it('has no serious or critical accessibility violations, on the form and with errors shown', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (const step of ['form', 'errors', 'leader']) {
      if (step === 'form') await page.goto(`${server.url}/s/${f.customerSurvey}`);
      if (step === 'errors') await page.getByRole('button', { name: 'Send my answers' }).click();
      if (step === 'leader') {
        // The leader survey opens only with a personal link (issue 7, hole 5).
        const [link] = await createLeaderLinks(server.store.db, { orgId: f.org.id, createdBy: 'test', count: 1 });
        await page.goto(`${server.url}/s/${f.leaderSurvey}?t=${link!.token}`);
      }
      await page.waitForLoadState();
      const result = await new AxeBuilder({ page }).analyze();
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${step}: ${v.id} ${v.help}`)).toEqual([]);
    }
    await context.close();
  });
});
