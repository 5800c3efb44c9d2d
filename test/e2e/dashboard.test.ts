// The dashboard in a real browser (Debian Chromium) over a real server with the demo organisation:
// log in, read the overview against the API, filter (figures and URL change), edit a dimension,
// switch organisation, change the password and log out, keyboard use, roles, no sideways scrolling at
// 360 px, axe on every page, the overview's JavaScript weight, and screenshots of the main pages at
// desktop and phone widths (test-output/screenshots/, git-ignored).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { launchBrowser, startServer, type RunningServer, SHOTS, stopBoth } from './browser.ts';
import { createDemo, DEMO_ADMIN, DEMO_PASSWORD } from '../../src/sample-data/demo.ts';
import { createOrganisation } from '../../src/store/organisations.ts';
import { findUserByEmail } from '../../src/store/users.ts';
import { addMembership } from '../../src/store/memberships.ts';
import { count, pct, pctInterval } from '../../src/core/number-format.ts';
import type { GapReport } from '../../src/core/gap-report.ts';

const ORG = 'streamly';
const DESKTOP = { width: 1280, height: 800 };
// The narrowest phone we support: the axe visit at this width also checks that no page scrolls sideways.
const PHONE = { width: 360, height: 740 };

describe('dashboard in a browser', () => {
  let browser: Browser;
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer(async (store) => {
      await createDemo(store, { customers: 1500 });
      // A second client with no responses yet, where the demo admin is an analyst: the organisation
      // switcher, and every figure's "hidden" state.
      const other = await createOrganisation(store.db, { id: 'northwind', name: 'Northwind Travel', industry: 'transportation_travel' });
      const admin = (await findUserByEmail(store.db, DEMO_ADMIN))!;
      await addMembership(store.db, { orgId: other.id, userId: admin.id, role: 'analyst', department: null });
    });
    browser = await launchBrowser();
  });
  afterAll(() => stopBoth(browser, server));

  async function loggedIn(opts: { email?: string; viewport?: { width: number; height: number }; mobile?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: opts.viewport ?? DESKTOP, isMobile: opts.mobile, hasTouch: opts.mobile });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('E-mail').fill(opts.email ?? 'admin@streamly.example');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/o\//);
    if (!page.url().includes(`/o/${ORG}`)) await page.goto(`${server.url}/o/${ORG}`);
    return { context, page };
  }

  /** The page has settled: no skeletons, no pending "Updating…". */
  async function settled(page: Page) {
    await page.waitForLoadState('networkidle');
    await page.waitForFunction(() => !document.querySelector('.skeleton') && ![...document.querySelectorAll('.updating')].some((e) => e.textContent));
  }

  /** GET an API path as the page's logged-in user. */
  const apiGet = <T,>(page: Page, path: string): Promise<T> =>
    page.evaluate(async (p) => {
      const r = await fetch(p);
      if (!r.ok) throw new Error(`${p}: ${r.status}`);
      return r.json();
    }, path);

  const text = async (page: Page, selector: string) => (await page.locator(selector).first().textContent())?.trim();

  it('sends a signed-out visitor to the login page, refuses a wrong password, and logs in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/o/${ORG}/journey?from=2025-01`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('E-mail').fill('admin@streamly.example');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('do not match');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    // Back where the visitor was heading, filters and all.
    await page.waitForURL(/\/o\/streamly\/journey\?from=2025-01$/);
    await page.getByRole('heading', { level: 1, name: 'Journey' }).waitFor();
    await context.close();
  });

  it('shows the overview with the same figures as the API report', async () => {
    const { context, page } = await loggedIn();
    await settled(page);
    const r = await apiGet<GapReport>(page, `/api/v1/organisations/${ORG}/reports/gap`);
    const h = r.headline;
    if ('suppressed' in h.leaders || 'suppressed' in h.customers || 'suppressed' in r.nps) throw new Error('demo figures should not be hidden');
    expect(await text(page, '.big-figure.leaders .value')).toBe(pct(h.leaders.share));
    expect(await text(page, '.big-figure.customers .value')).toBe(pct(h.customers.share));
    expect(await text(page, '.big-figure.customers .sub')).toBe(`95% CI ${pctInterval(h.customers.ci95)} · n = ${count(h.customers.n)}`);
    expect(await text(page, '.big-figure.gap .value')).toBe(`+${Math.round(h.gap! * 100)}`);
    expect(await text(page, '.page-head p')).toContain(`${count(r.responses.customers!)} customers · ${r.responses.leaders} leaders`);
    expect(await text(page, '[aria-labelledby="m-nps"] .value')).toContain(String(Math.abs(Math.round(r.nps.score))));
    // The benchmark for the organisation's industry sits beside the headline.
    expect(await page.locator('.bench-table td.customers').allTextContents()).toEqual([pct(h.customers.share), pct(h.benchmarks[0]!.customers)]);
    // Dimension gaps: every dimension in the table, widest gap first.
    await page.getByText('Show the numbers').first().click();
    const rows = await page.locator('table.data').first().locator('tbody th').allTextContents();
    const byGap = [...r.dimensions].filter((d) => d.gap !== null).sort((a, b) => b.gap! - a.gap!);
    expect(rows.slice(0, byGap.length)).toEqual(byGap.map((d) => d.label));
    expect(rows).toHaveLength(r.dimensions.length);
    // The dumbbell chart is one image with a name and a description.
    const chart = page.getByRole('img', { name: /Dimension gaps/ });
    await expect.poll(() => chart.count()).toBe(1);
    await context.close();
  });

  it('applies a filter to the figures and keeps it in the URL, so the view can be shared', async () => {
    const { context, page } = await loggedIn();
    await settled(page);
    const before = await text(page, '.big-figure.customers .sub');
    await page.getByLabel('Region', { exact: true }).selectOption('EMEA');
    await page.waitForURL(/where=segment%3Aregion%3DEMEA/);
    const r = await apiGet<GapReport>(page, `/api/v1/organisations/${ORG}/reports/gap?where=segment:region=EMEA`);
    if ('suppressed' in r.headline.customers) throw new Error('EMEA should be shown');
    const expected = `95% CI ${pctInterval(r.headline.customers.ci95)} · n = ${count(r.headline.customers.n)}`;
    await expect.poll(() => text(page, '.big-figure.customers .sub')).toBe(expected);
    expect(expected).not.toBe(before);
    expect(await page.getByRole('button', { name: 'Remove filter Region: EMEA' }).count()).toBe(1);
    // The link opens the same view in a fresh page; the filter follows to other views.
    const shared = await context.newPage();
    await shared.goto(page.url());
    await settled(shared);
    expect(await shared.getByLabel('Region', { exact: true }).inputValue()).toBe('EMEA');
    expect(await text(shared, '.big-figure.customers .sub')).toBe(expected);
    await shared.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Journey' }).click();
    await shared.waitForURL(/\/journey\?where=segment%3Aregion%3DEMEA/);
    // Back undoes the filter.
    await page.goBack();
    await expect.poll(() => text(page, '.big-figure.customers .sub')).toBe(before);
    await context.close();
  });

  it('edits a dimension label in set-up, saved through the API and shown in the report', async () => {
    const { context, page } = await loggedIn();
    await page.goto(`${server.url}/o/${ORG}/setup/framework`);
    const label = page.getByLabel('Label').first();
    await label.waitFor();
    await label.fill('Service as promised');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved.' }).count()).toBe(1);
    const fw = await apiGet<{ dimensions: { key: string; label: string }[] }>(page, `/api/v1/organisations/${ORG}/framework`);
    expect(fw.dimensions[0]).toMatchObject({ key: 'service', label: 'Service as promised' });
    // A bad edit is refused with the field named, and nothing is written.
    await label.fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => label.getAttribute('aria-invalid')).toBe('true');
    expect((await apiGet<{ dimensions: { label: string }[] }>(page, `/api/v1/organisations/${ORG}/framework`)).dimensions[0]!.label).toBe('Service as promised');
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await settled(page);
    await page.getByText('Show the numbers').first().click();
    expect(await page.locator('table.data tbody th').allTextContents()).toContain('Service as promised');
    await context.close();
  });

  it('switches organisation, keeping the view, and says why figures of a new organisation are hidden', async () => {
    const { context, page } = await loggedIn();
    await page.goto(`${server.url}/o/${ORG}/journey`);
    await page.locator('.tp-card').first().waitFor();
    await page.getByLabel('Organisation').selectOption('northwind');
    await page.waitForURL(/\/o\/northwind\/journey$/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await settled(page);
    await page.getByText('No responses yet.').waitFor();
    // An organisation without responses has nothing hidden: it says so, not "fewer than 5" (issue 11).
    expect(await text(page, '[aria-labelledby="m-nps"] .suppressed')).toBe('Nothing to show: no answers have come in.');
    expect(await text(page, '.big-figure.customers .sub')).toBe('no responses yet');
    // Its own industry's benchmark.
    expect(await text(page, '#bench-title')).toBe('Transportation & travel');
    await context.close();
  });

  it('is usable by keyboard, with a skip link and a visible focus ring', async () => {
    const { context, page } = await loggedIn();
    await settled(page);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id || location.hash)).toMatch(/main/);
    // Tab to the Journey link and follow it with Enter; the focused element shows an outline.
    const journey = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Journey' });
    await journey.focus();
    expect(await journey.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Journey' }).waitFor();
    await context.close();
  });

  it('shows a viewer the set-up read-only and users and roles to admins only', async () => {
    const { context, page } = await loggedIn({ email: 'viewer@streamly.example' });
    await page.goto(`${server.url}/o/${ORG}/setup/framework`);
    await page.getByText(/can see the framework but not change it/).waitFor();
    expect(await page.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
    await page.goto(`${server.url}/o/${ORG}/setup/members`);
    await page.getByRole('heading', { name: 'Admins only' }).waitFor();
    await context.close();
  });

  it('loads the overview without view code or a chart library, and measures its JavaScript', async () => {
    const { context, page } = await loggedIn();
    // A fresh page in the logged-in context, counting every script it asks for (cached or not).
    const overview = await context.newPage();
    const scripts = new Set<string>();
    overview.on('request', (req) => {
      if (req.resourceType() === 'script') scripts.add(req.url());
    });
    await overview.goto(`${server.url}/o/${ORG}`);
    await settled(overview);
    let total = 0;
    for (const url of scripts) total += gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer()), { level: 6 }).length;
    console.log(`overview JavaScript: ${scripts.size} files, ${(total / 1024).toFixed(1)} KiB gzipped`);
    expect([...scripts].join(' ')).not.toMatch(/\/assets\/(src|plot)[^/]*\.js/i);
    expect(total).toBeLessThan(120 * 1024);
    // The journey view arrives on demand, with no chart library: its ranked chart is hand-drawn like the others.
    const before = scripts.size;
    await overview.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Journey' }).click();
    await overview.getByRole('img', { name: /Touchpoints ranked by gap/ }).waitFor();
    await settled(overview);
    expect(scripts.size).toBeGreaterThan(before);
    expect([...scripts].join(' ')).not.toMatch(/plot/i);
    await page.close();
    await context.close();
  });

  // Every page, with its ready-state check; axe runs on each and screenshots are taken of each.
  const PAGES: { name: string; path: string; ready: (p: Page) => Promise<unknown> }[] = [
    { name: 'overview', path: `/o/${ORG}`, ready: (p) => p.getByRole('img', { name: /Dimension gaps/ }).waitFor() },
    { name: 'overview-filtered', path: `/o/${ORG}?where=segment%3Aplan%3Dpremium&stage=support`, ready: (p) => p.getByRole('img', { name: /Dimension gaps/ }).waitFor() },
    { name: 'overview-new-organisation', path: '/o/northwind', ready: (p) => p.getByText('No responses yet.').waitFor() },
    { name: 'journey', path: `/o/${ORG}/journey`, ready: (p) => p.locator('.tp-card').first().waitFor() },
    { name: 'verbatims', path: `/o/${ORG}/verbatims`, ready: (p) => p.locator('.quote').first().waitFor() },
    { name: 'verbatims-dimension', path: `/o/${ORG}/verbatims?dimension=communication&q=app`, ready: (p) => p.locator('.side-by-side .quote').first().waitFor() },
    { name: 'setup-framework', path: `/o/${ORG}/setup/framework`, ready: (p) => p.getByLabel('Label').first().waitFor() },
    { name: 'setup-journey', path: `/o/${ORG}/setup/journey`, ready: (p) => p.getByLabel('Stage name').first().waitFor() },
    {
      name: 'setup-surveys',
      path: `/o/${ORG}/setup/surveys`,
      ready: async (p) => {
        await p.getByRole('button', { name: 'Preview the questions' }).first().click();
        await p.locator('.preview li').first().waitFor();
      },
    },
    { name: 'setup-members', path: `/o/${ORG}/setup/members`, ready: (p) => p.getByRole('heading', { name: 'Members' }).waitFor() },
    { name: 'setup-organisation', path: `/o/${ORG}/setup/organisation`, ready: (p) => p.getByLabel('Industry').waitFor() },
  ];

  it('changes the password from the user menu, and logs out', async () => {
    const { context, page } = await loggedIn({ email: 'analyst@streamly.example' });
    await page.getByRole('button', { name: /account menu/ }).click();
    await page.getByRole('button', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change password' });
    await dialog.getByLabel('Current password').fill('wrong password!');
    await dialog.getByLabel('New password', { exact: true }).fill('a new long passphrase');
    await dialog.getByLabel('New password again').fill('a new long passphrase');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => dialog.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await dialog.getByLabel('Current password').fill(DEMO_PASSWORD);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByText('Your password is changed.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: /account menu/ }).click();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    // Logged out for real: the API refuses the old session and the app sends the visitor to login.
    await page.goto(`${server.url}/o/${ORG}`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('E-mail').fill('analyst@streamly.example');
    await page.getByLabel('Password').fill('a new long passphrase');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/o\/streamly$/);
    await context.close();
  });

  // One visit per page and width: axe, then the screenshot.
  it('has no serious or critical axe violations on any page, fits 1280 and 360 px without sideways scrolling, and screenshots them', { timeout: 300_000 }, async () => {
    const problems: string[] = [];
    const taken: string[] = [];
    const check = async (page: Page, where: string) => {
      const result = await new AxeBuilder({ page }).analyze();
      for (const v of result.violations)
        if (v.impact === 'serious' || v.impact === 'critical')
          problems.push(`${where}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
    };
    for (const [viewport, tag, mobile] of [
      [DESKTOP, 'desktop', false],
      [PHONE, 'phone', true],
    ] as const) {
      const login = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile });
      const lp = await login.newPage();
      await lp.goto(`${server.url}/login`);
      await lp.getByLabel('E-mail').waitFor();
      await check(lp, `login @${tag}`);
      await lp.screenshot({ path: `${SHOTS}/login-${tag}.png` });
      taken.push(`login-${tag}.png`);
      await lp.getByRole('button', { name: 'Log in' }).click(); // the error state
      await lp.getByRole('alert').waitFor();
      await check(lp, `login with error @${tag}`);
      await login.close();

      const { context, page } = await loggedIn({ viewport, mobile });
      for (const p of PAGES) {
        await page.goto(`${server.url}${p.path}`);
        await p.ready(page);
        await settled(page);
        await check(page, `${p.name} @${tag}`);
        // Against the width asked for: a phone browser widens its layout viewport to fit overflowing content.
        const overflow = (await page.evaluate(() => document.documentElement.scrollWidth)) - viewport.width;
        if (overflow > 0) problems.push(`${p.name} @${tag}: the page is ${overflow}px wider than the screen`);
        const file = `${p.name}-${tag}.png`;
        await page.screenshot({ path: `${SHOTS}/${file}`, fullPage: true });
        taken.push(file);
      }
      // The overview's first screen, as someone opening it sees it.
      await page.goto(`${server.url}/o/${ORG}`);
      await settled(page);
      await page.screenshot({ path: `${SHOTS}/overview-${tag}-viewport.png` });
      taken.push(`overview-${tag}-viewport.png`);
      if (tag === 'desktop') {
        // For the README (docs/overview.png): from the top down to the dimension gaps.
        const box = (await page.getByRole('region', { name: /see it differently/ }).boundingBox())!;
        await page.screenshot({ path: `${SHOTS}/overview-desktop-readme.png`, fullPage: true, clip: { x: 0, y: 0, width: viewport.width, height: Math.ceil(box.y + box.height + 20) } });
        taken.push('overview-desktop-readme.png');
      }
      await context.close();
    }
    console.log(`screenshots in test-output/screenshots/: ${taken.join(', ')}`);
    expect(problems).toEqual([]);
    expect(taken).toHaveLength(2 * (PAGES.length + 2) + 1);
  });
});
