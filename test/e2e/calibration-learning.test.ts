// "Is leadership learning?" on the Calibration view, in a real browser over a real server with the demo
// organisation: the sentence is the API's (read with a fetch of the same report as the same user), the
// waves chart is one named image with its table, Quarter/Month switch the waves, no serious or critical
// axe violations at desktop and phone widths, nothing scrolls sideways at 360 px, screenshots
// (test-output/screenshots/calibration-learning-*, git-ignored).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiGet, launchBrowser, logIn, problemsAtWidths, settled, startServer, type RunningServer, SHOTS, stopBoth } from './browser.ts';
import { createDemo } from '../../src/sample-data/demo.ts';
import type { CalibrationWavesReport } from '../../src/core/analytics/calibration-waves.ts';

const ORG = 'streamly';
const API = `/api/v1/organisations/${ORG}`;

describe('calibration over time in a browser', () => {
  let browser: Browser;
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer((store) => createDemo(store, { customers: 1500 }).then(() => undefined));
    browser = await launchBrowser();
  });
  afterAll(() => stopBoth(browser, server));

  const sentence = '#calibration-learning-sentence';

  it('says what the API says, per quarter and per month, with the waves as a chart and a table', async () => {
    const { context, page } = await logIn(browser, server.url, { viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/o/${ORG}/calibration`);
    await page.locator(sentence).waitFor();
    await settled(page);
    const q = await apiGet<CalibrationWavesReport>(page, `${API}/reports/calibration-trend?by=quarter`);
    // The demo's leaders answer in six quarterly waves of 6–7: all shown, so there is a trend.
    expect(q.waves.filter((w) => !('suppressed' in w))).toHaveLength(6);
    expect(q.trend).not.toBeNull();
    // The demo's leaders learn (sample-data/demo-history.ts LEARNING_PER_WAVE): their over-confidence
    // shrinks a few points a quarter, a clear fall on any date the demo is made (checked with numpy over
    // the generated rows for dates through 2026–27: slopes −3.3 to −4.3, upper 95 % bound below 0).
    expect(q.trend!.direction).toBe('shrinking');
    expect(q.sentence).toMatch(/^Leaders' over-confidence is shrinking by about \d+\.\d points a quarter/);
    expect((await page.locator(sentence).textContent())?.trim()).toBe(q.sentence);
    await expect.poll(() => page.getByRole('img', { name: /Leaders’ error in predicting the excellent share, per quarter/ }).count()).toBe(1);
    const card = page.locator('section[aria-labelledby="cal-learning-title"]');
    await card.getByText('Show the numbers').click();
    const rows = await card.locator('table.data tbody th').allTextContents();
    expect(rows).toEqual(q.waves.map((w) => w.period.replace('-', ' ')));
    await card.getByRole('button', { name: 'Month' }).click();
    const m = await apiGet<CalibrationWavesReport>(page, `${API}/reports/calibration-trend?by=month`);
    await expect.poll(async () => (await page.locator(sentence).textContent())?.trim()).toBe(m.sentence);
    await context.close();
  });

  it('has no serious or critical axe violations, fits 360 px, and screenshots the card', { timeout: 120_000 }, async () => {
    const problems = await problemsAtWidths(browser, `${server.url}/o/${ORG}/calibration`, {
      ready: async (page) => {
        await page.locator(sentence).waitFor();
        await page.getByRole('img', { name: /Leaders’ error in predicting/ }).waitFor();
      },
      shoot: (page, tag) => page.locator('section[aria-labelledby="cal-learning-title"]').screenshot({ path: `${SHOTS}/calibration-learning-${tag}.png` }),
    });
    expect(problems).toEqual([]);
  });
});
