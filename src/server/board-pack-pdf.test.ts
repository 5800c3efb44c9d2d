// The PDF printer's refusals, without a real Chromium (the real print is in routes/board-pack.test.ts):
// a missing executable names PARALLAX_CHROMIUM_PATH, one that does not start is unavailable, and a
// print beyond the running and queued limit is refused at once (busy) rather than piling up.
import { it, expect, describe } from 'vitest';
import { PdfPrinter, PrintBusy, PrintUnavailable, chromiumPathFromEnv } from './board-pack-pdf.ts';

describe('PdfPrinter', () => {
  it('says where Chromium is expected when it is missing', async () => {
    const p = new PdfPrinter({ executablePath: '/nonexistent/chromium' });
    await expect(p.print('<p>x</p>')).rejects.toThrow(PrintUnavailable);
    await expect(p.print('<p>x</p>')).rejects.toThrow(/PARALLAX_CHROMIUM_PATH/);
  });

  it('refuses a print beyond the limit, and a browser that will not start is unavailable', async () => {
    // /bin/false exists but exits at once: the launch fails after the slot is taken.
    const p = new PdfPrinter({ executablePath: '/bin/false', maxConcurrent: 1, maxQueued: 0, timeoutMs: 5000 });
    const first = p.print('<p>1</p>');
    const second = p.print('<p>2</p>');
    await expect(second).rejects.toThrow(PrintBusy);
    await expect(first).rejects.toThrow(PrintUnavailable);
    // The slot was given back: the next print is tried (and fails the same way), not refused as busy.
    await expect(p.print('<p>3</p>')).rejects.toThrow(PrintUnavailable);
    await p.close();
  });

  it('reads the path from PARALLAX_CHROMIUM_PATH, defaulting to /usr/bin/chromium', () => {
    const before = process.env.PARALLAX_CHROMIUM_PATH;
    delete process.env.PARALLAX_CHROMIUM_PATH;
    expect(chromiumPathFromEnv()).toBe('/usr/bin/chromium');
    process.env.PARALLAX_CHROMIUM_PATH = '/opt/chromium/chrome';
    expect(chromiumPathFromEnv()).toBe('/opt/chromium/chrome');
    if (before === undefined) delete process.env.PARALLAX_CHROMIUM_PATH;
    else process.env.PARALLAX_CHROMIUM_PATH = before;
  });
});
