// Importing history in the dashboard (issue 9), in a real browser over a fresh organisation with the default
// journey: an admin uploads the telecom NPS export (test/fixtures/nps-verbatims-telecom), sees the platform
// guessed and the suggested mapping in the column table, edits it (a wrong date order shows its problems as
// "row N, column C: reason"; a stage mapped to no touchpoint), previews, imports under a source name, and the
// report's NPS by touchpoint then holds the history. axe finds no serious violations on the import view.
// Reference (python3, csv module, on the fixture): 2,385 rows; Order: 962 scores, NPS −10.0.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { launchBrowser, startServer, type RunningServer, stopBoth } from './browser.ts';
import { createOrganisation } from '../../src/store/organisations.ts';
import { createUser } from '../../src/store/users.ts';
import { addMembership } from '../../src/store/memberships.ts';
import { getImportMapping } from '../../src/store/import-mappings.ts';

const TELECOM = join(import.meta.dirname, '../fixtures/nps-verbatims-telecom/verbatim.csv');
const EMAIL = 'importer@example.com';
const PASSWORD = 'correct horse battery staple';

describe('importing history in the dashboard', () => {
  let browser: Browser;
  let server: RunningServer;
  let orgId = '';
  beforeAll(async () => {
    server = await startServer(async (store) => {
      const org = await createOrganisation(store.db, { name: 'Telecom', industry: 'digital_entertainment_streaming' });
      orgId = org.id;
      const user = await createUser(store.db, { email: EMAIL, name: 'Importer', password: PASSWORD });
      await addMembership(store.db, { orgId, userId: user.id, role: 'admin', department: null });
    });
    browser = await launchBrowser();
  });
  afterAll(() => stopBoth(browser, server));

  it('uploads, maps, previews and imports the telecom file', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('E-mail').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/o\//);
    await page.getByRole('link', { name: 'Import' }).click();
    await page.getByRole('heading', { name: 'Import history' }).waitFor();

    await page.getByLabel('Source name (optional)').fill('telecom');
    await page.getByLabel('Export file (CSV)').setInputFiles(TELECOM);
    await page.getByText('1 header row), 2,385 responses, 6 columns', { exact: false }).waitFor();
    expect(await page.getByLabel('Platform').inputValue()).toBe('csv');
    expect(await page.getByLabel('Use of column NPS_SCORE').inputValue()).toBe('item');
    expect(await page.getByLabel('Item for column NPS_SCORE').inputValue()).toBe('nps');
    expect(await page.getByLabel('Use of column SURVEY_SUB_TYPE').inputValue()).toBe('touchpoint');
    expect(await page.getByLabel('Use of column text').inputValue()).toBe('comment');
    expect(await page.getByLabel('Use of column NPS_RATING').inputValue()).toBe('skip');
    await page.getByText('2,385 of 2,385 rows would be imported').waitFor();

    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    // A wrong date order: each problem is listed by row and column, nothing is written.
    await page.getByLabel('Date format of column CUSTOMER_RESPONSE_DATE').selectOption('mdy');
    await page.getByRole('button', { name: 'Preview' }).click();
    const problems = page.getByRole('list', { name: 'Problems found in the preview' });
    await problems.waitFor();
    expect(await problems.locator('li').first().textContent()).toMatch(/^row \d+, column CUSTOMER_RESPONSE_DATE: /);
    await page.getByLabel('Date format of column CUSTOMER_RESPONSE_DATE').selectOption('dmy');
    // "Service in Use" becomes no touchpoint.
    await page.getByText('Values (4)').click();
    await page.getByLabel('Touchpoint for "Service in Use"').selectOption('');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByText('No problems: every row is valid.').waitFor();
    await page.getByText('(none): 30', { exact: false }).waitFor();

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Imported 2,385 responses', { exact: false }).waitFor({ timeout: 60_000 });
    await page.getByText('Mapping saved as source “telecom”', { exact: false }).waitFor();

    const saved = await getImportMapping(server.store.db, orgId, 'telecom');
    expect(saved).toMatchObject({ format: 'csv', savedBy: EMAIL, mapping: { touchpoint: { values: { 'Service in Use': null, Order: 'checkout' } } } });
    // The report now has NPS by touchpoint from the history.
    const gap = await page.evaluate(async (org) => (await fetch(`/api/v1/organisations/${org}/reports/gap?touchpoint=checkout`)).json(), orgId);
    expect(gap.nps.n).toBe(962);
    expect(gap.nps.score).toBeCloseTo(-10.0, 1);
    await context.close();
  });
});
