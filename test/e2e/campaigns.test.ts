// Campaigns in the dashboard (issue 12), in a real browser over one real server whose mail runner sends
// through a local SMTP server (test/smtp.ts): an admin uploads contacts (a file with a bad row first: its
// dry run lists "row N, column C: reason" and nothing is written), creates a campaign (an empty name is
// refused beside its field), the runner mails it, the messages are read back; one tracking image is
// loaded, one contact answers through the link in the message in the browser and others through the API;
// the campaign page then shows sent / opened / completed, the non-response check and the weighted
// figures as the API gives them (here withheld, with the reason). axe finds no
// violations on the campaigns pages. One screenshot to test-output/screenshots/ (git-ignored), like the
// dashboard test.
// Reference values (python3, scipy 1.17.1), for region EMEA 7 of 8 answered, APAC 1 of 8:
//   scipy.stats.chi2_contingency([[7,1],[1,7]], correction=False) → χ² 9.0, p 0.0026997960632601883
//   Wilson 95 % of 1/8 (z = norm.ppf(.975); c = (p + z²/2n)/(1 + z²/n) ∓ z/(1 + z²/n)·√(p(1−p)/n + z²/4n²)) → 0.02242, 0.47089
//   Wilson 95 % of 7/8 → 0.52911, 0.97758; of 8/16 → 0.28000, 0.72000; weights: APAC 0.5 / (1/8) = 4, EMEA 0.5 / (7/8) = 0.5714.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { apiGet, launchBrowser, logIn, settled, startServer, type RunningServer, SHOTS } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/sample-data/demo.ts';
import { answerTokenIn, openTokenIn, startSmtp, type TestSmtp } from '../smtp.ts';
import { createOrganisation } from '../../src/store/organisations.ts';
import { createUser } from '../../src/store/users.ts';
import { addMembership } from '../../src/store/memberships.ts';
import { replaceSegmentDeclarations } from '../../src/store/segments.ts';
import { OPEN_GIF } from '../../src/server/routes/mail-opens.ts';
import type { WeightedGap } from '../../src/reports/weighted-gap.ts';

const EMAIL = 'cx-lead@example.com';
const PUBLIC_URL = 'https://cx.example.test';
const emea = Array.from({ length: 8 }, (_, i) => `emea${i + 1}@example.com`);
const apac = Array.from({ length: 8 }, (_, i) => `apac${i + 1}@example.com`);
// The mail runner is configured from the environment, as in production (src/server/mail-runner.ts).
const MAIL_ENV = {
  PARALLAX_SMTP_HOST: '127.0.0.1',
  PARALLAX_SMTP_PORT: '',
  PARALLAX_MAIL_FROM: 'surveys@parallax.test',
  PARALLAX_PUBLIC_URL: PUBLIC_URL,
  PARALLAX_MAIL_INTERVAL_MS: '100',
  PARALLAX_MAIL_PER_MINUTE: '1000',
};

describe('campaigns in the dashboard', () => {
  let browser: Browser;
  let server: RunningServer;
  let smtp: TestSmtp;
  const saved: Record<string, string | undefined> = {};
  /** A link from a message, on this test server rather than the configured public URL. */
  const local = (url: string) => url.replace(PUBLIC_URL, server.url);

  beforeAll(async () => {
    smtp = await startSmtp();
    for (const [k, v] of Object.entries({ ...MAIL_ENV, PARALLAX_SMTP_PORT: String(smtp.port) })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    server = await startServer(async (store) => {
      const org = await createOrganisation(store.db, { name: 'Northwind Rail', industry: 'transportation_travel' });
      const user = await createUser(store.db, { email: EMAIL, name: 'CX Lead', password: DEMO_PASSWORD });
      await addMembership(store.db, { orgId: org.id, userId: user.id, role: 'admin', department: null });
      await replaceSegmentDeclarations(store.db, org.id, [
        { key: 'region', label: 'Region', kind: 'values', public: false, values: [{ value: 'EMEA', label: 'EMEA' }, { value: 'APAC', label: 'APAC' }] },
      ]);
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('uploads contacts, sends a campaign through SMTP, and shows who answered', async () => {
    const { context, page } = await logIn(browser, server.url, { email: EMAIL });
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('heading', { name: 'Campaigns', level: 1 }).waitFor();
    await page.getByText('No campaigns yet').waitFor();

    // A file with a bad row: its problems by row and column, and no upload.
    const upload = page.getByLabel('Upload contacts (CSV)');
    await upload.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('email,name,segment:region\nnot-an-address,Ann,EMEA\nbo@example.com,Bo,MARS\n') });
    const problems = page.getByRole('list', { name: 'Problems in the contacts file' });
    await problems.waitFor();
    expect(await problems.locator('li').allTextContents()).toEqual([expect.stringMatching(/^row 1, column email: /), expect.stringMatching(/^row 2, column segment:region: /)]);
    await expect(page.getByRole('button', { name: /^Upload \d+ contacts$/ }).isDisabled()).resolves.toBe(true);

    const csv = ['email,name,language,segment:region', ...emea.map((e, i) => `${e},Emma ${i + 1},en,EMEA`), ...apac.map((e, i) => `${e},Aiko ${i + 1},en,APAC`)].join('\n');
    await upload.setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText('Every row is valid: 16 new, 0 updated.').waitFor();
    await page.getByRole('button', { name: 'Upload 16 contacts' }).click();
    await page.getByText('Uploaded: 16 new, 0 updated.').waitFor();
    const counts = page.getByRole('table', { name: 'Contacts by kind and status' });
    await expect.poll(() => counts.getByRole('row', { name: /^Customers/ }).textContent()).toBe('Customers160016');
    await settled(page);
    const home = await new AxeBuilder({ page }).analyze();
    expect(home.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    // The form starts from the default message; an empty name is refused beside its field.
    expect(await page.getByLabel('Subject').inputValue()).toBe('{organisation} would like your opinion (2 minutes)');
    await page.getByRole('group', { name: 'Region' }).getByLabel('EMEA').waitFor(); // the declared segment, as a filter
    await page.getByRole('button', { name: 'Create and send' }).click();
    const name = page.getByLabel('Campaign name');
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${(await name.getAttribute('aria-describedby'))!.split(' ').at(-1)}`).textContent()).toMatch(/\S/);
    await name.fill('Spring check-in');
    await page.getByRole('button', { name: 'Create and send' }).click();
    await page.getByRole('heading', { name: 'Spring check-in', level: 1 }).waitFor();

    // The server's mail runner sends the 16 messages to the local SMTP server.
    await expect.poll(() => smtp.received.length, { timeout: 20_000 }).toBe(16);
    const message = (to: string) => smtp.mailTo(to)[0]!.mail;
    expect(message('emea1@example.com').subject).toBe('Northwind Rail would like your opinion (2 minutes)');

    // apac3 opens the message (its tracking image loads) but does not answer.
    const image = await fetch(`${server.url}/m/${openTokenIn(String(message('apac3@example.com').html))}/open.gif`);
    expect(image.headers.get('content-type')).toBe('image/gif');
    expect(Buffer.from(await image.arrayBuffer()).equals(OPEN_GIF)).toBe(true);

    // emea1 answers in the browser through the "9" button of the message (the first question, one click).
    const html = String(message('emea1@example.com').html);
    const nine = /href="([^"]+&amp;a=9)"/.exec(html)![1]!.replaceAll('&amp;', '&');
    const respondent = await browser.newContext();
    const survey = await respondent.newPage();
    await survey.goto(local(nine));
    await expect(survey.getByRole('group', { name: /recommend/ }).getByLabel('9', { exact: true }).isChecked()).resolves.toBe(true);
    await survey.getByRole('group', { name: /is excellent/ }).getByLabel('4', { exact: true }).check();
    await survey.getByRole('button', { name: 'Send my answers' }).click();
    await expect(survey.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Thank you!');
    await respondent.close();

    // Six more from EMEA and one from APAC answer through the API with their tokens: 7 of 8 against 1 of 8.
    const surveyPath = /\/s\/[^?]+/.exec(nine)![0];
    for (const to of [...emea.slice(1, 7), ...apac.slice(0, 1)]) {
      const r = await fetch(`${server.url}/api/v1${surveyPath.replace(/^\/s\//, '/surveys/')}/responses?i=${answerTokenIn(message(to).text!)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ answers: { excellent: 4 } }),
      });
      expect(r.status).toBe(201);
    }

    await page.getByRole('button', { name: 'Refresh' }).click();
    await settled(page);
    const figure = (label: string) => page.locator('.big-figure').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd.value');
    await expect.poll(() => figure('Completed').textContent()).toBe('8');
    expect(await figure('Sent').textContent()).toBe('16');
    expect(await figure('Delivered').textContent()).toBe('16');
    expect(await figure('Opened').textContent()).toBe('9'); // the 8 who followed their link, and apac3's image
    expect(await page.getByRole('region', { name: 'Messages and answers' }).textContent()).toContain('Response rate 50% (95% CI 28–72%): 8 answered of 16 delivered.');
    const summary = await page.locator('#nonresponse-summary').textContent();
    expect(summary).toBe(
      'Respondents from APAC (region) are under-represented: they are 50% of those invited but 13% of respondents. 13% of them answered (95% CI 2–47%), against 50% overall; ' +
        'weighting each of their answers by 4.00 matches the mix of those invited.',
    );
    const region = page.getByRole('table', { name: /^Response by region/ });
    expect(await region.locator('caption').textContent()).toBe('Response by region: χ² = 9.00, df = 1, p = 0.003; Holm-adjusted p = 0.003');
    expect(await region.getByRole('row', { name: /^APAC/ }).locator('td').allTextContents()).toEqual(['8', '1', '13% (2–47%)', '50%', '13%', 'Yes', '4.00']);
    expect(await region.getByRole('row', { name: /^EMEA/ }).locator('td').allTextContents()).toEqual(['8', '7', '88% (53–98%)', '50%', '88%', 'No', '0.57']);

    // Weighted figures by region (the attribute the check lists) show what the API says: here, with one
    // APAC respondent below the minimum of 5, the anonymity cut withholds the whole section, with its reason.
    const [, orgId, campaignId] = /\/o\/([^/]+)\/campaigns\/([^/?#]+)/.exec(page.url())!;
    const weighted = page.getByRole('region', { name: 'Weighted figures', exact: true });
    await weighted.locator('#weighted-figures').waitFor();
    const g = (await apiGet<{ weighted: WeightedGap }>(page, `/api/v1/organisations/${orgId}/reports/gap?weightBy=campaign:${campaignId}&attribute=region`)).weighted;
    const reason = 'reason' in g.weighting ? g.weighting.reason : '';
    expect(reason).toMatch(/fewer than 5 respondents/);
    expect(await weighted.getByLabel('Weight by').inputValue()).toBe('region');
    expect(await page.locator('#weighting-summary').textContent()).toBe(`Cannot weight by region: ${reason}.`);
    expect(await weighted.getByRole('row', { name: /^Excellent/ }).locator('td').allTextContents()).toEqual(['withheld', 'withheld']); // the reason, said once above

    const detail = await new AxeBuilder({ page }).analyze();
    expect(detail.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.screenshot({ path: resolve(SHOTS, 'campaign-desktop.png'), fullPage: true });

    // The list links to the campaign.
    await page.getByRole('link', { name: '← All campaigns' }).click();
    await page.getByRole('link', { name: 'Spring check-in' }).waitFor();
    await context.close();
  });
});
