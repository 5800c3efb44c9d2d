// Feedback batches in the dashboard (issue 9), in a real browser over a real server and a fresh organisation: an
// admin opens the Import area's Feedback batches page, adds a review source (its whsec_ secret shown once),
// uploads a bad CSV (every problem listed as "row N, column C: reason"), then the Skytrax seat reviews
// (test/fixtures/feedback, 30 rows: python3's csv module counts 30 data rows, every one rated 1–10), sees the
// preview, imports (the result announced in the live region), and finds the reviews in the Verbatims with
// their channel chip. At 1280 and 360 px the page has no serious axe violation and no sideways overflow.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { apiGet, launchBrowser, logIn, problemsAtWidths, settled, startServer, SHOTS, type RunningServer, stopBoth } from './browser.ts';
import { createOrganisation } from '../../src/store/organisations.ts';
import { createUser } from '../../src/store/users.ts';
import { addMembership } from '../../src/store/memberships.ts';
import { DEMO_PASSWORD } from '../../src/sample-data/demo.ts';
import type { VerbatimPage } from '../../src/web/lib/types.ts';

const SEATS = join(import.meta.dirname, '../fixtures/feedback/skytrax-seat-reviews.csv');
const EMAIL = 'feedback-admin@example.com';

describe('feedback batches in the dashboard', () => {
  let browser: Browser;
  let server: RunningServer;
  let orgId = '';
  let bad = '';
  const items = async () =>
    Number((await server.store.db.selectFrom('feedback_items').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    server = await startServer(async (store) => {
      const org = await createOrganisation(store.db, { name: 'Airline', industry: 'digital_entertainment_streaming' });
      orgId = org.id;
      const user = await createUser(store.db, { email: EMAIL, name: 'Feedback admin', password: DEMO_PASSWORD });
      await addMembership(store.db, { orgId, userId: user.id, role: 'admin', department: null });
    });
    browser = await launchBrowser();
    const dir = mkdtempSync(join(tmpdir(), 'px-feedback-e2e-'));
    bad = join(dir, 'bad-reviews.csv');
    writeFileSync(bad, 'external_id,text,rating,rating_min,rating_max,touchpoint\nb1,Fine,4,1,5,\nb2,Bad,7,1,5,\nb3,,3,1,5,\nb4,Odd,3,1,5,moon\n');
  });
  afterAll(() => stopBoth(browser, server));

  it('adds a source, previews a bad and a good file, imports, and shows the reviews in the verbatims', async () => {
    const { context, page } = await logIn(browser, server.url, { email: EMAIL });
    await page.getByRole('link', { name: 'Import' }).click();
    await page.getByRole('heading', { name: 'Import history' }).waitFor();
    await page.getByRole('link', { name: 'Feedback batches' }).click();
    await page.getByRole('heading', { level: 1, name: 'Feedback batches' }).waitFor();
    await page.getByText('No source yet').waitFor();

    // A source: its secret is shown once.
    await page.getByLabel('Source name').fill('Skytrax');
    await page.getByLabel('Channel').selectOption('review');
    await page.getByRole('button', { name: 'Add source' }).click();
    await expect.poll(() => page.locator('#fb-secret').textContent()).toMatch(/^whsec_/);
    const row = page.getByRole('row', { name: /Skytrax/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Review');
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.locator('#fb-secret').count()).toBe(0);

    // A bad file: every problem by row and column; nothing written.
    await page.getByLabel('Feedback file (CSV or JSON Lines)').setInputFiles(bad);
    const problems = page.getByRole('list', { name: 'Problems found in the feedback file' });
    await problems.waitFor();
    expect((await problems.locator('li').allTextContents()).map((t) => t.trim())).toEqual([
      'row 2, column rating: must be between min (1) and max (5)',
      'row 3, column text: is required',
      'row 4, column touchpoint: "moon" is not a touchpoint of the journey',
    ]);
    await page.getByText('1 of 4 items would be stored', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('alert').getByText('3 invalid row(s); nothing was imported', { exact: false }).waitFor();
    expect(await items()).toBe(0);

    // The Skytrax file: previewed, then imported.
    await page.getByLabel('Feedback file (CSV or JSON Lines)').setInputFiles(SEATS);
    await page.getByText('30 of 30 items would be stored (CSV)', { exact: false }).waitFor();
    expect(await page.getByLabel('Format').inputValue()).toBe('csv');
    await page.getByText('No problems: every row is valid.').waitFor();
    expect(await items()).toBe(0);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(async () => (await page.getByRole('status').filter({ hasText: 'Stored' }).textContent())?.trim()).toBe('Stored 30 of 30 items.');
    expect(await items()).toBe(30);

    // In the verbatims, with their channel chip.
    await page.getByRole('link', { name: 'See them in the verbatims' }).click();
    await page.locator('ul.quotes li.quote').first().waitFor();
    await settled(page);
    expect(page.url()).toContain('channel=review');
    const api = await apiGet<VerbatimPage>(page, `/api/v1/organisations/${orgId}/verbatims?channel=review&limit=20`);
    expect(api.total).toBe(30);
    const chips = await page.locator('li.quote .chip[data-channel="review"]').allTextContents();
    expect(chips.length).toBe(api.items.length);
    for (const c of chips) expect(c).toContain('Review · Skytrax');
    expect(await page.locator('main').textContent()).not.toContain('Jay Simpson'); // authors are never shown
    await context.close();

    // The same file again: nothing new.
    const again = await logIn(browser, server.url, { email: EMAIL });
    await again.page.goto(`${server.url}/o/${orgId}/import/feedback`);
    await again.page.getByLabel('Feedback file (CSV or JSON Lines)').setInputFiles(SEATS);
    await again.page.getByText('0 of 30 items would be stored (CSV); 30 already held by the source', { exact: false }).waitFor();
    await again.context.close();
  }, 240_000);

  it('fits 1280 and 360 px with the preview open, without serious axe violations', async () => {
    const problems = await problemsAtWidths(browser, `${server.url}/o/${orgId}/import/feedback`, {
      email: EMAIL,
      ready: async (page: Page) => {
        await page.getByRole('row', { name: /Skytrax/ }).waitFor();
        await page.getByLabel('Feedback file (CSV or JSON Lines)').setInputFiles(bad);
        await page.getByRole('list', { name: 'Problems found in the feedback file' }).waitFor();
      },
      shoot: (page, tag) => {
        return page.screenshot({ path: resolve(SHOTS, `feedback-import-${tag}.png`), fullPage: true });
      },
    });
    expect(problems).toEqual([]);
  }, 240_000); // two logins, two axe runs over a wide page: minutes on a loaded 2-core machine
});
