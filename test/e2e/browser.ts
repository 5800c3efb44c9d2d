// Launches Debian's Chromium through playwright-core with the flags our machines need (no network
// beyond loopback), and serves a real Parallax over a fresh SQLite store on a loopback port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { openStore, type Store } from '../../src/store/db.ts';
import { buildApp } from '../../src/server/app.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
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
