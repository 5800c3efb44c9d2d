// Initiatives in the dashboard (issue 13), in a real browser over a real server seeded with the change of
// test/initiative-fixture.ts (communication at billing up by exactly 0.5 after 2025-04-01, elsewhere
// flat): an analyst opens Initiatives from the navigation, an empty title is refused beside its field,
// the initiative is created and its page shows the before/after figures and the difference-in-differences
// of +0.50 with its interval, and the sentences that keep association and effect apart. axe finds no
// serious or critical violations on the list or the initiative page. One screenshot to
// test-output/screenshots/ (git-ignored, like the other browser tests' screenshots).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { launchBrowser, logIn, settled, startServer, type RunningServer, SHOTS, stopBoth } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/sample-data/demo.ts';
import { makeOrg, type OrgFixture } from '../fixtures.ts';
import { createUser } from '../../src/store/users.ts';
import { addMembership } from '../../src/store/memberships.ts';
import { storeResponses } from '../../src/store/responses.ts';
import { listInitiatives } from '../../src/store/initiatives.ts';
import { seededChange } from '../initiative-fixture.ts';

const EMAIL = 'cx-analyst@example.com';

describe('initiatives in the dashboard', () => {
  let browser: Browser;
  let server: RunningServer;
  let f: OrgFixture;
  beforeAll(async () => {
    server = await startServer(async (store) => {
      f = await makeOrg(store, { name: 'Initiative Telecom' });
      await storeResponses(store.db, seededChange(f));
      const u = await createUser(store.db, { email: EMAIL, name: 'Ana Analyst', password: DEMO_PASSWORD });
      await addMembership(store.db, { orgId: f.org.id, userId: u.id, role: 'analyst' });
    });
    browser = await launchBrowser();
  });
  afterAll(() => stopBoth(browser, server));

  const serious = async (page: Parameters<typeof settled>[0]) =>
    (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes[0]?.target}`);

  it('creates an initiative and shows its measured effect', async () => {
    const { context, page } = await logIn(browser, server.url, { email: EMAIL });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Initiatives' }).click();
    await page.getByRole('heading', { name: 'Initiatives', level: 1 }).waitFor();
    await page.getByText('No initiatives yet').waitFor();
    await settled(page);
    expect(await serious(page)).toEqual([]);

    // An empty title is refused beside its field; nothing is written.
    await page.getByRole('button', { name: 'Create initiative' }).click();
    await page.getByText('Not created: check the fields marked below their box.').waitFor();
    expect(await page.getByLabel('Title').getAttribute('aria-invalid')).toBe('true');
    expect(await listInitiatives(server.store.db, f.org.id)).toEqual([]);

    await page.getByLabel('Title').fill('Plain-language bills');
    await page.getByLabel('What it should move').selectOption({ label: "Clear, consistent communication (customers' rating)" });
    await page.getByLabel('Billing').check();
    await page.getByLabel('Start').fill('2025-04-01');
    await page.getByLabel('Goal').selectOption('gap');
    await page.getByLabel('By (rating points)').fill('0.5');
    await page.getByRole('button', { name: 'Create initiative' }).click();

    await page.getByRole('heading', { name: 'Plain-language bills', level: 1 }).waitFor();
    const did = page.getByRole('row', { name: /^Difference-in-differences/ });
    await did.waitFor();
    await settled(page);
    const cells = await did.getByRole('cell').allTextContents();
    expect(cells[0]).toBe('+0.50');
    const [lo, hi] = cells[1]!.replaceAll('−', '-').split(' to ').map(Number);
    expect(lo).toBeLessThan(0.5);
    expect(hi).toBeGreaterThan(0.5);
    await page.getByText(/only if the target would otherwise have moved like the comparison touchpoints/).waitFor();
    await page.getByText(/^Goal: /).waitFor();
    expect(await serious(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/initiative-effect.png`, fullPage: true });
    await context.close();
  });
});
