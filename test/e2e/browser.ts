// Launches Debian's Chromium through playwright-core with the flags our machines need (no network
// beyond loopback), and serves a real Parallax over a fresh SQLite store on a loopback port.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { openStore, type Store } from '../../src/store/db.ts';
import { buildApp } from '../../src/server/app.ts';
import { DEMO_PASSWORD } from '../../src/sample-data/demo.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the browser tests write their screenshots. */
export const SHOTS = join(import.meta.dirname, '../../test-output/screenshots');

/** Chromium, with the screenshots' folder made for the test that will write there. */
export function launchBrowser(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface RunningServer {
  url: string;
  store: Store;
  app: FastifyInstance;
  stop(): Promise<void>;
}

/** A browser test's afterAll: the browser closed, then the server stopped (either may not have started). */
export async function stopBoth(browser: Browser | undefined, server: RunningServer | undefined): Promise<void> {
  await browser?.close();
  await server?.stop();
}

export async function startServer(seed?: (store: Store) => Promise<void>): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-e2e-'));
  const store = await openStore(join(dir, 'e2e.db'));
  if (seed) await seed(store);
  const app = await buildApp({ store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    app,
    stop: async () => {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh browser context (its own cookies) logged in through the login page as `email` (default the demo
 * admin, password DEMO_PASSWORD); a viewport narrower than 600 px is a phone (touch, mobile).
 */
export async function logIn(
  browser: Browser,
  baseUrl: string,
  { email = 'admin@streamly.example', viewport = { width: 1280, height: 800 } }: { email?: string; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const phone = viewport.width < 600;
  const context = await browser.newContext({ viewport, isMobile: phone, hasTouch: phone });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/o\//);
  return { context, page };
}

/** The page has settled: nothing loading, no skeletons, no pending "Updating…". */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('.skeleton') && ![...document.querySelectorAll('.updating')].some((e) => e.textContent));
}

/** A GET of the API from the page, with its session: what the view was given. */
export const apiGet = <T,>(page: Page, path: string): Promise<T> =>
  page.evaluate(async (p) => {
    const r = await fetch(p);
    if (!r.ok) throw new Error(`${p}: ${r.status}`);
    return r.json();
  }, path);

/**
 * A view checked at a desktop (1280 px) and a phone (360 px) width, logged in as `email`: `ready` waits for its
 * content, every "Show the numbers" table is opened, then the serious and critical axe findings and any sideways
 * overflow are returned as problems ("phone: 12px too wide"), and `shoot` takes the screenshots of each width.
 */
export async function problemsAtWidths(
  browser: Browser,
  url: string,
  o: { email?: string; ready: (page: Page) => Promise<void>; shoot: (page: Page, tag: 'desktop' | 'phone') => Promise<unknown> },
): Promise<string[]> {
  const problems: string[] = [];
  for (const [tag, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 360, height: 740 }],
  ] as const) {
    const { context, page } = await logIn(browser, new URL(url).origin, { ...(o.email ? { email: o.email } : {}), viewport });
    await page.goto(url);
    await o.ready(page);
    await settled(page);
    for (const d of await page.locator('details.data-table').all()) await d.evaluate((e) => ((e as HTMLDetailsElement).open = true));
    const axe = await new AxeBuilder({ page }).analyze();
    for (const x of axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) problems.push(`${tag}: ${x.id} ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    const overflow = (await page.evaluate(() => document.documentElement.scrollWidth)) - viewport.width;
    if (overflow > 0) problems.push(`${tag}: ${overflow}px too wide`);
    await o.shoot(page, tag);
    await context.close();
  }
  return problems;
}
