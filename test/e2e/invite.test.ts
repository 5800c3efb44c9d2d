// Invitations in a real browser (Debian Chromium) over a real server: an admin invites a new person
// and an existing account from Users & roles (the link shown once, the invitation listed, one withdrawn);
// the new person opens the link signed out, chooses their own password and lands in the organisation;
// the existing account is sent to log in and brought back to accept; a spent link says so. axe on the
// invitation page and on Users & roles.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { launchBrowser, startServer, type RunningServer, stopBoth } from './browser.ts';
import { createOrganisation } from '../../src/store/organisations.ts';
import { createUser } from '../../src/store/users.ts';
import { addMembership } from '../../src/store/memberships.ts';

const ORG = 'acme';
const ADMIN = 'admin@acme.example';
const PASSWORD = 'admin password 123';
const EXISTING = 'consultant@elsewhere.example';

describe('invitations in a browser', () => {
  let browser: Browser;
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer(async (store) => {
      await createOrganisation(store.db, { id: ORG, name: 'Acme Streaming', industry: 'digital_entertainment_streaming' });
      const admin = await createUser(store.db, { email: ADMIN, name: 'Ada Admin', password: PASSWORD });
      await addMembership(store.db, { orgId: ORG, userId: admin.id, role: 'admin' });
      await createUser(store.db, { email: EXISTING, name: 'Con Sultant', password: 'consultant password 1' });
    });
    browser = await launchBrowser();
  });
  afterAll(() => stopBoth(browser, server));

  async function logIn(page: Page, email: string, password: string) {
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
  }

  async function axe(page: Page) {
    const r = await new AxeBuilder({ page }).analyze();
    expect(r.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
  }

  /** As the admin: invite `email` from Users & roles and return the link shown once. */
  async function invite(page: Page, email: string, role: string): Promise<string> {
    await page.getByRole('form', { name: 'Invite a person' }).getByLabel('E-mail').fill(email);
    await page.getByRole('form', { name: 'Invite a person' }).getByLabel('Role').selectOption(role);
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const shown = page.getByRole('status').filter({ hasText: `Invitation link for ${email}` });
    await shown.waitFor();
    const link = (await shown.locator('code').textContent())!.trim();
    expect(link).toMatch(new RegExp(`^${server.url}/invite/[A-Za-z0-9_-]{43}$`));
    await shown.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('region', { name: 'Pending invitations' }).getByRole('rowheader', { name: email }).waitFor();
    return link;
  }

  it('invites from Users & roles, and the new person sets their own password', async () => {
    const adminCtx = await browser.newContext();
    const admin = await adminCtx.newPage();
    await admin.goto(`${server.url}/login?next=${encodeURIComponent(`/o/${ORG}/setup/members`)}`);
    await logIn(admin, ADMIN, PASSWORD);
    await admin.getByRole('heading', { name: 'Pending invitations' }).waitFor();
    // The e-mail is required and checked by the API; its error shows beside the field.
    await admin.getByRole('form', { name: 'Invite a person' }).getByLabel('E-mail').fill('not-an-email');
    await admin.getByRole('button', { name: 'Invite', exact: true }).click();
    await admin.getByText('must be an e-mail address').waitFor();
    const link = await invite(admin, 'new.person@acme.example', 'analyst');
    await axe(admin);

    // The new person, signed out, opens the link.
    const personCtx = await browser.newContext();
    const person = await personCtx.newPage();
    await person.goto(link);
    await person.getByRole('heading', { name: 'Join Acme Streaming' }).waitFor();
    await person.getByText('new.person@acme.example', { exact: false }).first().waitFor();
    await axe(person);
    await person.getByLabel('Your name').fill('Nina New');
    await person.getByLabel('Choose a password').fill('short');
    await person.getByRole('button', { name: 'Create account and join' }).click();
    await person.getByText(/at least 10 characters/).first().waitFor();
    await person.getByLabel('Choose a password').fill('nina own password');
    await person.getByLabel('Repeat the password').fill('nina own password');
    await person.getByRole('button', { name: 'Create account and join' }).click();
    await person.waitForURL(new RegExp(`/o/${ORG}`));
    await person.getByRole('button', { name: /account menu/ }).waitFor();

    // The link is spent (a fresh browser: nothing cached).
    const laterCtx = await browser.newContext();
    const again = await laterCtx.newPage();
    await again.goto(link);
    await again.getByRole('heading', { name: 'This invitation cannot be used' }).waitFor();
    await again.getByText(/used already/).waitFor();

    // The admin sees the member, and no longer the invitation.
    await admin.reload();
    await admin.getByRole('region', { name: 'Members' }).getByText('new.person@acme.example').waitFor();
    expect(await admin.getByRole('region', { name: 'Pending invitations' }).getByText('new.person@acme.example').count()).toBe(0);
    await adminCtx.close();
    await personCtx.close();
    await laterCtx.close();
  });

  it('sends an existing account to log in, brings it back to accept, and withdraws links', async () => {
    const adminCtx = await browser.newContext();
    const admin = await adminCtx.newPage();
    await admin.goto(`${server.url}/login?next=${encodeURIComponent(`/o/${ORG}/setup/members`)}`);
    await logIn(admin, ADMIN, PASSWORD);
    const link = await invite(admin, EXISTING, 'viewer');
    const withdrawn = await invite(admin, 'changed.mind@acme.example', 'viewer');
    admin.once('dialog', (d) => void d.accept());
    await admin.getByRole('button', { name: 'Withdraw the invitation of changed.mind@acme.example' }).click();
    // The row's header names the invitation once (the button's hidden text names it too, so not getByText).
    await admin.getByRole('region', { name: 'Pending invitations' }).getByRole('rowheader', { name: 'changed.mind@acme.example' }).waitFor({ state: 'detached' });

    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(withdrawn);
    await page.getByText(/withdrawn or replaced/).waitFor();

    await page.goto(link);
    await page.getByRole('link', { name: 'Log in to accept' }).click();
    await page.waitForURL(/\/login\?next=/);
    await logIn(page, EXISTING, 'consultant password 1');
    await page.waitForURL(/\/invite\//);
    await page.getByRole('button', { name: `Accept as ${EXISTING}` }).click();
    await page.waitForURL(new RegExp(`/o/${ORG}`));
    await admin.reload();
    await admin.getByRole('region', { name: 'Members' }).getByText(EXISTING).waitFor();
    await adminCtx.close();
    await ctx.close();
  });
});
