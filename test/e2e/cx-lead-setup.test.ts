// Choosing the CX lead in a real browser: an admin picks a member under Set-up → Organisation, saves, and
// the API reads it back; "None: the admins" clears it. axe finds no violations on the form. One browser
// context, to keep the test cheap.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { apiGet, launchBrowser, logIn, settled, startServer, type RunningServer, stopBoth } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/sample-data/demo.ts';
import { createOrganisation } from '../../src/store/organisations.ts';
import { createUser } from '../../src/store/users.ts';
import { addMembership } from '../../src/store/memberships.ts';

const ADMIN = 'admin@lead.example';
const LEAD = 'lee@lead.example';

describe('the CX lead in set-up', () => {
  let browser: Browser;
  let server: RunningServer;
  let orgId = '';
  let leadId = '';

  beforeAll(async () => {
    server = await startServer(async (store) => {
      const org = await createOrganisation(store.db, { name: 'Lead Shop', industry: 'retail' });
      orgId = org.id;
      const admin = await createUser(store.db, { email: ADMIN, name: 'Admin', password: DEMO_PASSWORD });
      await addMembership(store.db, { orgId: org.id, userId: admin.id, role: 'admin', department: null });
      const lead = await createUser(store.db, { email: LEAD, name: 'Lee Lead', password: DEMO_PASSWORD });
      await addMembership(store.db, { orgId: org.id, userId: lead.id, role: 'viewer', department: null });
      leadId = lead.id;
    });
    browser = await launchBrowser();
  });
  afterAll(() => stopBoth(browser, server));

  it('picks a member as CX lead, saves it, and clears it again', async () => {
    const { context, page } = await logIn(browser, server.url, { email: ADMIN });
    await page.goto(`${server.url}/o/${orgId}/setup/organisation`);
    const select = page.getByLabel('CX lead', { exact: true });
    await page.getByRole('option', { name: `Lee Lead (${LEAD})` }).waitFor({ state: 'attached' });
    expect(await select.inputValue()).toBe('');
    await select.selectOption({ label: `Lee Lead (${LEAD})` });
    const form = page.getByRole('form', { name: 'Organisation' });
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByText('Saved.').waitFor();
    expect((await apiGet<{ cxLeadUserId: string | null }>(page, `/api/v1/organisations/${orgId}`)).cxLeadUserId).toBe(leadId);
    await settled(page);
    const axe = await new AxeBuilder({ page }).include('form[aria-labelledby="org-title"]').analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    await select.selectOption({ label: 'None: the admins' });
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByText('Saved.').waitFor();
    expect((await apiGet<{ cxLeadUserId: string | null }>(page, `/api/v1/organisations/${orgId}`)).cxLeadUserId).toBeNull();
    await context.close();
  });
});
