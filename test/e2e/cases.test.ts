// The case board in a real browser over one real server (issue 13): a customer answers the survey form
// and agrees to be contacted (axe on the form with its consent question), the server's background fold
// opens the cases; the admin sees the board (counts, SLA state, age), opens the Finance case (the answer with
// its comment redacted, the contact), moves it on with a note, then — after a colleague changed it through
// the API meanwhile — is told that nothing was saved and shown the current case. axe finds no violations on
// the board or the case page. One screenshot to test-output/screenshots/ (git-ignored).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { apiGet, launchBrowser, logIn, settled, startServer, type RunningServer, SHOTS, stopBoth } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/sample-data/demo.ts';
import { createOrganisation } from '../../src/store/organisations.ts';
import { createUser } from '../../src/store/users.ts';
import { addMembership } from '../../src/store/memberships.ts';
import { createCaseRule } from '../../src/store/case-rules.ts';
import { surveyFor } from '../../src/store/surveys.ts';
import { storeResponse } from '../../src/store/responses.ts';

const EMAIL = 'cx-lead@example.com';
const axeViolations = async (page: import('playwright-core').Page, only?: string) =>
  (await (only ? new AxeBuilder({ page }).include(only) : new AxeBuilder({ page })).analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

describe('the case board in the dashboard', () => {
  let browser: Browser;
  let server: RunningServer;
  let orgId = '';
  let surveyId = '';

  beforeAll(async () => {
    server = await startServer(async (store) => {
      const org = await createOrganisation(store.db, { name: 'Northwind Rail', industry: 'transportation_travel', minResponses: 1 });
      orgId = org.id;
      const user = await createUser(store.db, { email: EMAIL, name: 'CX Lead', password: DEMO_PASSWORD });
      await addMembership(store.db, { orgId: org.id, userId: user.id, role: 'admin', department: null });
      await createCaseRule(store.db, org.id, { name: 'Detractors', conditions: [{ kind: 'answer', item: 'nps', op: '<=', value: 6 }], slaHours: 48, active: true });
      surveyId = (await surveyFor(store.db, org.id, 'customer'))!.id;
      // An anonymous detractor, with no touchpoint: the CX lead's case.
      await storeResponse(store.db, {
        orgId: org.id,
        surveyId,
        perspective: 'customer',
        submission: { respondentId: null, submittedAt: new Date().toISOString(), touchpoint: null, segments: {}, answers: { nps: 4, excellent: 2 }, comment: null },
      });
    });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(() => stopBoth(browser, server));

  it('opens cases from answers and lets the team work them without losing an update', async () => {
    // A customer answers on the survey page and agrees to be contacted.
    const respondent = await browser.newContext();
    const survey = await respondent.newPage();
    await survey.goto(`${server.url}/s/${surveyId}`);
    await survey.getByRole('group', { name: /recommend/ }).getByLabel('2', { exact: true }).check();
    await survey.getByRole('group', { name: /is excellent/ }).getByLabel('1', { exact: true }).check();
    await survey.getByLabel('Which part of your experience').selectOption('billing');
    await survey.getByLabel('Anything you would like to tell us?').fill('Charged twice. Mail me at ana.pereira@example.org please.');
    await survey.getByRole('group', { name: 'May we contact you about your answers?' }).getByLabel('Yes', { exact: true }).check();
    await survey.getByLabel('Your e-mail address (only if yes)').fill('ana.pereira@example.org');
    expect(await axeViolations(survey, '#contact')).toEqual([]); // the consent question (the rest of the form: test/e2e/survey.test.ts)
    await survey.getByRole('button', { name: 'Send my answers' }).click();
    await survey.getByRole('heading', { name: 'Thank you!' }).waitFor();
    expect(await survey.getByRole('status').textContent()).toContain('Because you agreed to be contacted, our Finance team will look into your answers and aim to get in touch within 2 days.');
    await respondent.close();

    // The board, once the background fold has opened both cases.
    const { context, page } = await logIn(browser, server.url, { email: EMAIL });
    await expect
      .poll(async () => (await apiGet<{ counts: { total: number } }>(page, `/api/v1/organisations/${orgId}/cases`)).counts.total, { timeout: 15_000 })
      .toBe(2);
    await page.goto(`${server.url}/o/${orgId}/cases`);
    const board = page.getByRole('table', { name: 'Cases, newest first' });
    await expect.poll(() => board.getByRole('row').count()).toBe(3);
    expect(await board.textContent()).toContain('Finance');
    expect(await board.textContent()).toContain('On track');
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: resolve(SHOTS, 'cases-board.png'), fullPage: true });

    // The Finance case: the answer (comment redacted), the contact; moved on with a note.
    await board.getByRole('row', { name: /Finance/ }).getByRole('link', { name: 'Detractors' }).click();
    await page.getByRole('heading', { name: 'Detractors', level: 1 }).waitFor();
    const answer = page.getByRole('region', { name: 'The answer' });
    await expect.poll(() => answer.textContent()).toContain('Contact: ana.pereira@example.org');
    expect(await answer.locator('blockquote').textContent()).not.toContain('ana.pereira@example.org');
    await page.getByLabel('Next state').selectOption('in_progress');
    await page.getByLabel('Note').fill('Refund requested from billing.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByText('Refund requested from billing.').waitFor();
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);

    // A colleague changes the case meanwhile; this page's save is refused and it shows the case as it is now.
    const id = page.url().split('/').pop()!;
    const status = await page.evaluate(async ([org, caseId]) => {
      const me = await (await fetch('/api/v1/auth/me')).json();
      const cur = await (await fetch(`/api/v1/organisations/${org}/cases/${caseId}`)).json();
      const r = await fetch(`/api/v1/organisations/${org}/cases/${caseId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ version: cur.version, note: 'Called the customer: voicemail.' }),
      });
      return r.status;
    }, [orgId, id] as const);
    expect(status).toBe(200);
    await page.getByLabel('Note').fill('This note must not overwrite the colleague’s.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Someone else changed this case meanwhile; nothing was saved.', { exact: false }).waitFor();
    await page.getByText('Called the customer: voicemail.').waitFor();
    const history = await apiGet<{ history: { kind: string; details: { text?: string } }[]; version: number }>(page, `/api/v1/organisations/${orgId}/cases/${id}`);
    expect(history.version).toBe(3);
    expect(history.history.filter((h) => h.kind === 'note').map((h) => h.details.text)).toEqual(['Refund requested from billing.', 'Called the customer: voicemail.']);
    await context.close();
  }, 60_000);
});
