// SPSS and Qualtrics previews in the dashboard's Import view (issue 9), in a real browser over a fresh
// organisation: the Qualtrics SPSS download (test/fixtures/qualtrics-export/testproject_menu.sav) is picked as
// SPSS from its first bytes (`$FL2`), travels as base64 (binary-safe) and previews; Q5 mapped to an item gives
// 5 answers (rows 3–7; the same figure as src/server/routes/imports-spss.test.ts, read from the .sav with our
// decoder and checked there against the numeric CSV cell by cell), and imports. A Qualtrics CSV with a preview
// and a spam row (Status 1 and 8, edited as imports-spss.test.ts does) lists them as left out, and "Keep survey
// previews and spam" brings them back. At 1280 and 360 px, no serious axe violation and no sideways overflow.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logIn, problemsAtWidths, startServer, SHOTS, type RunningServer, stopBoth } from './browser.ts';
import { createOrganisation } from '../../src/store/organisations.ts';
import { createUser } from '../../src/store/users.ts';
import { addMembership } from '../../src/store/memberships.ts';
import { DEMO_PASSWORD } from '../../src/sample-data/demo.ts';

const SAV = join(import.meta.dirname, '../fixtures/qualtrics-export/testproject_menu.sav');
const CSV = join(import.meta.dirname, '../fixtures/qualtrics-export/testproject_menu_numeric.csv');
const EMAIL = 'spss-admin@example.com';

describe('SPSS and Qualtrics previews in the Import view', () => {
  let browser: Browser;
  let server: RunningServer;
  let orgId = '';
  let edited = '';
  // The file is saved as .dat: the platform must come from its bytes, not its name.
  let renamed = '';

  beforeAll(async () => {
    server = await startServer(async (store) => {
      const org = await createOrganisation(store.db, { name: 'Menu', industry: 'digital_entertainment_streaming' });
      orgId = org.id;
      const user = await createUser(store.db, { email: EMAIL, name: 'SPSS admin', password: DEMO_PASSWORD });
      await addMembership(store.db, { orgId, userId: user.id, role: 'admin', department: null });
    });
    browser = await launchBrowser();
    const dir = mkdtempSync(join(tmpdir(), 'px-spss-e2e-'));
    renamed = join(dir, 'qualtrics-download.dat');
    writeFileSync(renamed, readFileSync(SAV));
    const lines = readFileSync(CSV, 'utf8').split('\n');
    lines[5] = lines[5]!.replace(/^([^,]*,[^,]*,)0,/, '$11,'); // row 3: Status 1, "Survey Preview"
    lines[6] = lines[6]!.replace(/^([^,]*,[^,]*,)0,/, '$18,'); // row 4: Status 8, "Spam"
    edited = join(dir, 'menu-with-previews.csv');
    writeFileSync(edited, lines.join('\n'));
  });
  afterAll(() => stopBoth(browser, server));

  it('picks SPSS from the bytes, previews and imports the .sav', async () => {
    const { context, page } = await logIn(browser, server.url, { email: EMAIL });
    await page.goto(`${server.url}/o/${orgId}/import`);
    await page.getByRole('heading', { name: 'Import history' }).waitFor();
    expect(await page.getByLabel('Export file (CSV) or SPSS (.sav)').getAttribute('accept')).toContain('.sav');
    await page.getByLabel('Export file (CSV) or SPSS (.sav)').setInputFiles(renamed);
    await page.getByText('read as spss (.sav), 7 responses, 34 columns', { exact: false }).waitFor();
    expect(await page.getByLabel('Platform').inputValue()).toBe('spss');
    expect(await page.getByLabel('Platform').locator('option:checked').textContent()).toBe('SPSS (.sav)');
    expect(await page.getByLabel('Use of column RecordedDate').inputValue()).toBe('date');

    // Q5 (a 5-point agreement scale in the .sav's value labels) answers a 1–5 item.
    await page.getByLabel('Use of column Q5').selectOption('item');
    await page.getByLabel('Item for column Q5').selectOption('dim:empathy');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByText('5 of 7 rows would be imported; 2 have problems', { exact: false }).waitFor();
    await page.getByText('dim:empathy: 5', { exact: false }).first().waitFor();
    expect(await page.getByRole('list', { name: 'Rows left out as previews or spam' }).count()).toBe(0);

    await page.getByLabel('Skip rows with problems', { exact: false }).check();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Imported 5 responses', { exact: false }).waitFor({ timeout: 60_000 });
    const n = await server.store.db.selectFrom('responses').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(5);
    await context.close();
  }, 180_000);

  it('lists the Qualtrics preview and spam rows as left out, and keeps them on request', async () => {
    const { context, page } = await logIn(browser, server.url, { email: EMAIL });
    await page.goto(`${server.url}/o/${orgId}/import`);
    await page.getByLabel('Export file (CSV) or SPSS (.sav)').setInputFiles(edited);
    await page.getByText('7 responses, 34 columns', { exact: false }).waitFor();
    expect(await page.getByLabel('Platform').inputValue()).toBe('qualtrics');
    const leftOut = page.getByRole('list', { name: 'Rows left out as previews or spam' });
    await leftOut.waitFor();
    expect((await leftOut.locator('li').allTextContents()).map((t) => t.trim())).toEqual(['row 3: survey preview, left out', 'row 4: spam, left out']);
    await page.getByText('2 rows left out as survey previews or spam').waitFor();
    await page.getByLabel('Keep survey previews and spam', { exact: false }).check();
    await expect.poll(() => leftOut.count()).toBe(0);
    await context.close();
  });

  it('fits 1280 and 360 px with a Qualtrics file previewed (its left-out rows listed), without serious axe violations', async () => {
    const problems = await problemsAtWidths(browser, `${server.url}/o/${orgId}/import`, {
      email: EMAIL,
      ready: async (page: Page) => {
        await page.getByLabel('Export file (CSV) or SPSS (.sav)').setInputFiles(edited);
        await page.getByRole('list', { name: 'Rows left out as previews or spam' }).waitFor();
      },
      shoot: (page, tag) => {
        return page.screenshot({ path: resolve(SHOTS, `import-spss-${tag}.png`), fullPage: true });
      },
    });
    expect(problems).toEqual([]);
  }, 240_000); // two logins, two axe runs over a wide page: minutes on a loaded 2-core machine
});
