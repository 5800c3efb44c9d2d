// Declared segments in the dashboard (issue 7, hole 2), in a real browser over the demo: set-up →
// Segments lists the demo's region, plan and function with their values, an admin adds a value and a
// free-text segment and saves them (the API then has them), a bad value is shown at its field, and the
// filter bar labels segments and values with the declared labels. axe finds no serious violations.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { launchBrowser, startServer, type RunningServer, stopBoth } from './browser.ts';
import { createDemo, DEMO_ADMIN, DEMO_PASSWORD } from '../../src/sample-data/demo.ts';
import { getSegmentDeclarations } from '../../src/store/segments.ts';

describe('declared segments in the dashboard', () => {
  let browser: Browser;
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(async (store) => {
      await createDemo(store, { customers: 600 });
    });
    browser = await launchBrowser();
  });
  afterAll(() => stopBoth(browser, server));

  it('edits the declarations and labels the filters with them', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('E-mail').fill(DEMO_ADMIN);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/o\//);
    await page.goto(`${server.url}/o/streamly/setup/segments`);
    await page.getByRole('heading', { name: 'Segments' }).waitFor();
    const values = page.getByLabel('Allowed values, one per line');
    await expect(values.first().inputValue()).resolves.toContain('EMEA');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    // A bad value is refused and shown at its field; nothing is saved.
    await values.nth(1).fill('basic\nstandard\npremium\ngold;platinum');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText('line 4: must not contain ; or =').count()).toBe(1);
    expect((await getSegmentDeclarations(server.store.db, 'streamly'))[1]).toMatchObject({ key: 'plan', values: [{ value: 'basic' }, { value: 'standard' }, { value: 'premium' }] });

    // Fixed, with a label for the new value, and a free-text segment added: saved.
    await values.nth(1).fill('basic | Basic plan\nstandard\npremium\ngold | Gold plan');
    await page.getByRole('button', { name: '+ Add a segment' }).click();
    await page.getByLabel('Label').last().fill('Store number');
    await page.getByLabel('Values', { exact: true }).last().selectOption('text');
    await page.getByLabel('Longest value (characters, at most 80)').fill('12');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    const saved = await getSegmentDeclarations(server.store.db, 'streamly');
    expect(saved.map((d) => d.key)).toEqual(['region', 'plan', 'function', 'store_number']);
    expect(saved[1]).toMatchObject({ values: [{ value: 'basic', label: 'Basic plan' }, { value: 'standard' }, { value: 'premium' }, { value: 'gold', label: 'Gold plan' }] });
    expect(saved[3]).toEqual({ key: 'store_number', label: 'Store number', public: true, kind: 'text', maxLength: 12 });

    // The overview's filter bar uses the declared labels.
    await page.goto(`${server.url}/o/streamly?where=segment%3Aplan%3Dbasic`);
    await page.getByRole('button', { name: 'Remove filter Plan: Basic plan' }).waitFor();
    // The select's options arrive with the filter options, after the chip (which reads the URL): wait for them.
    await expect.poll(() => page.getByLabel('Plan', { exact: true }).locator('option', { hasText: 'Basic plan' }).count()).toBe(1);
    await context.close();
  });
});
