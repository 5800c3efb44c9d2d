// The driver-perception section of the Drivers view in a real browser over a real server, on seeded data
// whose answer is known (leaders under-weight reliability, customers' top driver): the summary and the
// blind spots are the API's, the chart is one named image with its table, leadership groups are pooled,
// no serious or critical axe violations at 1280 and 360 px, nothing scrolls sideways, and screenshots
// (test-output/screenshots/driver-perception-*, git-ignored).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiGet, launchBrowser, logIn, problemsAtWidths, settled, startServer, type RunningServer, SHOTS, stopBoth } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/sample-data/demo.ts';
import { createUser } from '../../src/store/users.ts';
import { addMembership } from '../../src/store/memberships.ts';
import { makeOrg, type OrgFixture } from '../fixtures.ts';
import { fillPerception } from '../driver-perception-fixture.ts';
import type { DriverPerceptionReport } from '../../src/core/analytics/driver-perception.ts';

const EMAIL = 'analyst@perception.example';

describe('driver-perception in a browser', () => {
  let browser: Browser;
  let server: RunningServer;
  let f: OrgFixture;
  let quiet: OrgFixture;

  beforeAll(async () => {
    server = await startServer(async (store) => {
      f = await makeOrg(store, { name: 'Perception Co' });
      await fillPerception(store, f, { customers: 400, leaders: { Operations: 6, Marketing: 5, Finance: 2 }, seed: 21 });
      // Customers only: the section must say that no leader has answered, not fail.
      quiet = await makeOrg(store, { name: 'Quiet Co' });
      await fillPerception(store, quiet, { customers: 120, leaders: {}, seed: 22 });
      const user = await createUser(store.db, { email: EMAIL, name: 'Ana Lyst', password: DEMO_PASSWORD });
      await addMembership(store.db, { orgId: f.org.id, userId: user.id, role: 'analyst' });
      await addMembership(store.db, { orgId: quiet.org.id, userId: user.id, role: 'analyst' });
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(() => stopBoth(browser, server));

  const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

  it('shows the API’s summary, chart, blind spots and pooled groups', async () => {
    const { context, page } = await logIn(browser, server.url, { email: EMAIL });
    await page.goto(`${server.url}/o/${f.org.id}/drivers`);
    await page.locator('#perception-summary').waitFor();
    await settled(page);
    const r = await apiGet<DriverPerceptionReport>(page, `/api/v1/organisations/${f.org.id}/reports/driver-perception?outcome=excellent`);
    expect(await text(page, '#perception-summary')).toBe(r.summary);
    expect(r.blindSpots.map((b) => b.label)).toEqual(['Reliability']);
    await expect.poll(() => page.getByRole('img', { name: /leaders’ belief against customers’ actual drivers/ }).count()).toBe(1);
    const blind = page.getByRole('region', { name: 'Blind spots: act here first' });
    expect(((await blind.locator('ol li').first().textContent()) ?? '').replace(/\s+/g, ' ')).toContain(r.blindSpots[0]!.sentence);
    const groups = page.getByRole('region', { name: 'By leadership group' });
    expect(await groups.locator('tbody th').allTextContents()).toEqual(
      ('suppressed' in r.groups ? [] : r.groups.rows).map((g) => `${g.group}${g.pooled ? ' (pooled)' : ''}`),
    );
    expect(await groups.textContent()).not.toMatch(/Finance \(|>Finance</);
    // The numbers: one row per dimension compared plus one per dimension left out, customers' top driver first.
    const section = page.getByRole('region', { name: 'Do leaders know what drives customers?' });
    await section.getByText('Show the numbers').click();
    const rows = await section.locator('table.data tbody th').allTextContents();
    expect(rows).toHaveLength(r.dimensions.length + r.excluded.length);
    expect(rows[0]).toBe('Reliability');
    await context.close();
  });

  it('says so when no leader has answered the importance question', async () => {
    const { context, page } = await logIn(browser, server.url, { email: EMAIL });
    await page.goto(`${server.url}/o/${quiet.org.id}/drivers`);
    await page.locator('#perception-summary').waitFor();
    expect(await text(page, '#perception-summary')).toContain('no leader has answered the importance question');
    await context.close();
  });

  it('has no serious or critical axe violations at 1280 and 360 px, fits the phone, and screenshots', { timeout: 120_000 }, async () => {
    const problems = await problemsAtWidths(browser, `${server.url}/o/${f.org.id}/drivers`, {
      email: EMAIL,
      ready: (page) => page.locator('#perception-summary').waitFor(),
      shoot: async (page, tag) => {
        await page.locator('#perception-title').scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${SHOTS}/driver-perception-${tag}.png`, fullPage: true });
        await page.locator('section[aria-labelledby="perception-title"]').screenshot({ path: `${SHOTS}/driver-perception-${tag}-section.png` });
      },
    });
    expect(problems).toEqual([]);
  });
});
