// Prints an HTML document to PDF in headless Chromium (playwright-core), for the board pack. The HTML is
// rendered in-process by the caller with the caller's rights and handed over with setContent: the page
// makes no request of its own (every request is aborted, JavaScript is off), so it cannot reach the
// network or this server. One browser is launched on first use and shared; each print gets a fresh
// context. At most `maxConcurrent` prints run at once and `maxQueued` wait; beyond that the caller is
// told to retry (PrintBusy), because a print holds a renderer process and ~100 MB.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The flags our machines need (as test/e2e/browser.ts): no sandbox user namespace, no GPU, no phoning home. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export const chromiumPathFromEnv = () => process.env.PARALLAX_CHROMIUM_PATH || '/usr/bin/chromium';

/** Chromium is missing or would not start: the PDF is unavailable until an operator fixes it. */
export class PrintUnavailable extends Error {}
/** Too many prints at once: retry in a moment. */
export class PrintBusy extends Error {}

export interface PrinterOptions {
  executablePath?: string;
  maxConcurrent?: number;
  maxQueued?: number;
  timeoutMs?: number;
}

export class PdfPrinter {
  private browser: Promise<Browser> | null = null;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly path: string;
  private readonly maxConcurrent: number;
  private readonly maxQueued: number;
  private readonly timeoutMs: number;

  constructor(opts: PrinterOptions = {}) {
    this.path = opts.executablePath ?? chromiumPathFromEnv();
    this.maxConcurrent = opts.maxConcurrent ?? 2;
    this.maxQueued = opts.maxQueued ?? 4;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  async print(document: string): Promise<Buffer> {
    if (!existsSync(this.path)) throw new PrintUnavailable(`Chromium was not found at ${this.path}; set PARALLAX_CHROMIUM_PATH to a Chromium executable`);
    await this.acquire();
    try {
      return await this.render(document);
    } finally {
      this.release();
    }
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = null;
    if (b) await b.then((x) => x.close()).catch(() => undefined);
  }

  private async acquire(): Promise<void> {
    if (this.active < this.maxConcurrent) {
      this.active++;
      return;
    }
    if (this.waiting.length >= this.maxQueued) throw new PrintBusy(`${this.active} PDFs are being printed and ${this.waiting.length} wait`);
    // The slot is handed over by release(), so `active` stays counted across the hand-over.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  private launch(): Promise<Browser> {
    if (!this.browser) {
      const launching = chromium.launch({ executablePath: this.path, args: CHROMIUM_ARGS, timeout: this.timeoutMs }).then((b) => {
        // A crashed browser is launched again on the next print rather than failing every print after it.
        b.on('disconnected', () => {
          if (this.browser === launching) this.browser = null;
        });
        return b;
      });
      launching.catch(() => {
        if (this.browser === launching) this.browser = null;
      });
      this.browser = launching;
    }
    return this.browser;
  }

  private async render(document: string): Promise<Buffer> {
    let browser: Browser;
    try {
      browser = await this.launch();
    } catch (e) {
      throw new PrintUnavailable(`Chromium at ${this.path} did not start (${(e as Error).message.split('\n')[0]}); check PARALLAX_CHROMIUM_PATH`);
    }
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    let timer: NodeJS.Timeout | undefined;
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(this.timeoutMs);
      await page.route('**', (route) => route.abort());
      const work = (async () => {
        await page.setContent(document, { waitUntil: 'load' });
        return page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      })();
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`printing took longer than ${this.timeoutMs} ms`)), this.timeoutMs);
      });
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
      await context.close().catch(() => undefined);
    }
  }
}
