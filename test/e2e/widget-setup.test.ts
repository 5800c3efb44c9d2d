// The widget's set-up in a real browser: an admin adds sites under Set-up → Organisation, a bad entry
// gets the API's message beside that entry (widgetOrigins.1) and nothing is saved, a good list is saved
// in the form browsers use, and the snippet to paste follows the touchpoint picked. axe finds no
// violations on the page with an error shown. One browser context, to keep the test cheap.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { apiGet, launchBrowser, logIn, settled, startServer, type RunningServer, stopBoth } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/sample-data/demo.ts';
import { createOrganisation, getOrganisation } from '../../src/store/organisations.ts';
import { createUser } from '../../src/store/users.ts';
import { addMembership } from '../../src/store/memberships.ts';

const ADMIN = 'admin@shop.example';

describe('widget sites in set-up', () => {
  let browser: Browser;
  let server: RunningServer;
  let orgId = '';

  beforeAll(async () => {
    server = await startServer(async (store) => {
      const org = await createOrganisation(store.db, { name: 'Shop', industry: 'retail' });
      orgId = org.id;
      const user = await createUser(store.db, { email: ADMIN, name: 'Admin', password: DEMO_PASSWORD });
      await addMembership(store.db, { orgId: org.id, userId: user.id, role: 'admin', department: null });
    });
    browser = await launchBrowser();
  });
  afterAll(() => stopBoth(browser, server));

  it('adds, refuses and saves sites, and shows the snippet', async () => {
    const { context, page } = await logIn(browser, server.url, { email: ADMIN });
    await page.goto(`${server.url}/o/${orgId}/setup/organisation`);
    await page.getByRole('heading', { name: 'Survey on your web site' }).waitFor();
    await page.getByText('No sites: the widget is off.').waitFor();

    await page.getByRole('button', { name: 'Add a site' }).click();
    await page.getByLabel('Site 1', { exact: true }).fill('https://Shop.Example:443/');
    await page.getByRole('button', { name: 'Add a site' }).click();
    await page.getByLabel('Site 2', { exact: true }).fill('https://help.shop.example/faq');
    const form = page.getByRole('form', { name: 'Survey on your web site' });
    await form.getByRole('button', { name: 'Save changes' }).click();
    // The second entry is refused beside itself; nothing is saved.
    const second = page.getByLabel('Site 2', { exact: true });
    await expect.poll(() => second.getAttribute('aria-invalid')).toBe('true');
    const message = await page.locator(`#${(await second.getAttribute('aria-describedby'))!.split(' ').at(-1)}`).textContent();
    expect(message).toMatch(/no path/);
    expect(await page.getByLabel('Site 1', { exact: true }).getAttribute('aria-invalid')).toBeNull();
    expect((await getOrganisation(server.store.db, orgId))!.widgetOrigins).toEqual([]);
    await settled(page);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    await second.fill('https://help.shop.example');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByText('Saved.').waitFor();
    // Stored, and shown, as browsers write origins.
    expect(await page.getByLabel('Site 1', { exact: true }).inputValue()).toBe('https://shop.example');
    expect((await apiGet<{ widgetOrigins: string[] }>(page, `/api/v1/organisations/${orgId}`)).widgetOrigins).toEqual(['https://shop.example', 'https://help.shop.example']);

    // The snippet names this server, the customer survey and the touchpoint picked.
    const { surveys } = await apiGet<{ surveys: { id: string; perspective: string }[] }>(page, `/api/v1/organisations/${orgId}/surveys`);
    const customer = surveys.find((s) => s.perspective === 'customer')!.id;
    const snippet = page.locator('#widget-snippet');
    expect(await snippet.textContent()).toBe(`<script src="${server.url}/widget.js" data-survey="${customer}" async></script>`);
    await page.getByLabel('Touchpoint of the page').selectOption('checkout');
    expect(await snippet.textContent()).toBe(`<script src="${server.url}/widget.js" data-survey="${customer}" data-touchpoint="checkout" async></script>`);
    await context.close();
  });
});
