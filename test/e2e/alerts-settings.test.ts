// Set-up → Alerts & webhooks in a real browser over one real server (issue 13): an admin changes the alert
// settings (a refused significance level is shown beside its field and nothing is saved), adds a webhook
// pointing at a local receiver and sees its signing secret once, sends a test event that the server's own
// background runner delivers — the receiver checks the signature itself — and sees it in the delivery log,
// pages the log with "Older", disables and deletes the webhook, and turns their own digest off. axe finds no
// violations; one screenshot to test-output/screenshots/ (git-ignored).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { resolve } from 'node:path';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { apiGet, launchBrowser, logIn, settled, startServer, type RunningServer, SHOTS } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/sample-data/demo.ts';
import { createOrganisation } from '../../src/store/organisations.ts';
import { createUser } from '../../src/store/users.ts';
import { addMembership } from '../../src/store/memberships.ts';
import { queueWebhookEvent } from '../../src/store/webhooks.ts';

const ADMIN = 'cx-admin@example.com';
const VIEWER = 'viewer@example.com';
const axeViolations = async (page: import('playwright-core').Page) =>
  (await new AxeBuilder({ page }).analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

interface Received {
  verified: boolean;
  type: string;
}

describe('alerts, webhooks and the digest in set-up', () => {
  let browser: Browser;
  let server: RunningServer;
  let receiver: http.Server;
  let hookUrl = '';
  let secret = '';
  let orgId = '';
  const received: Received[] = [];
  const env = { ...process.env };

  beforeAll(async () => {
    // What the receiver checks, written out as a receiver would (Standard Webhooks): HMAC-SHA256 over
    // "{id}.{timestamp}.{body}" keyed by the base64-decoded part after "whsec_".
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
        const expected = `v1,${createHmac('sha256', key).update(`${req.headers['webhook-id']}.${req.headers['webhook-timestamp']}.${body}`).digest('base64')}`;
        received.push({ verified: String(req.headers['webhook-signature'] ?? '').split(' ').includes(expected), type: (JSON.parse(body) as { type: string }).type });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    // The server's own webhook runner delivers, quickly; loopback receivers allowed. Alerts and digests are
    // not evaluated on their own here: nothing in this test depends on them.
    process.env.PARALLAX_WEBHOOK_ALLOW_PRIVATE = '1';
    process.env.PARALLAX_WEBHOOK_INTERVAL_MS = '250';
    process.env.PARALLAX_ALERT_INTERVAL_MS = 'off';
    process.env.PARALLAX_DIGEST_INTERVAL_MS = 'off';
    server = await startServer(async (store) => {
      const org = await createOrganisation(store.db, { name: 'Northwind Rail', industry: 'transportation_travel' });
      orgId = org.id;
      const user = await createUser(store.db, { email: ADMIN, name: 'CX Admin', password: DEMO_PASSWORD });
      await addMembership(store.db, { orgId: org.id, userId: user.id, role: 'admin', department: null });
      const viewer = await createUser(store.db, { email: VIEWER, name: 'Viewer', password: DEMO_PASSWORD });
      await addMembership(store.db, { orgId: org.id, userId: viewer.id, role: 'viewer', department: null });
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((ok) => receiver?.close(ok));
    for (const k of ['PARALLAX_WEBHOOK_ALLOW_PRIVATE', 'PARALLAX_WEBHOOK_INTERVAL_MS', 'PARALLAX_ALERT_INTERVAL_MS', 'PARALLAX_DIGEST_INTERVAL_MS']) {
      if (env[k] === undefined) delete process.env[k];
      else process.env[k] = env[k];
    }
  });

  it('changes alert settings, delivers a signed test event to a local receiver, and turns the digest off', async () => {
    const { context, page } = await logIn(browser, server.url, { email: ADMIN });
    const api = (p: string) => apiGet<any>(page, `/api/v1/organisations/${orgId}/${p}`);
    await page.goto(`${server.url}/o/${orgId}/setup/alerts`);
    await page.getByRole('link', { name: 'Alerts & webhooks' }).and(page.locator('[aria-current="page"]')).waitFor();
    const form = page.getByRole('form', { name: 'Alert settings' });
    await form.getByLabel('Significance level').waitFor();
    await page.getByText('No alerts raised').waitFor();
    await page.getByText(/Alerts are evaluated every 15 minutes by default/).waitFor();

    // A significance level above 0.2 is refused beside its field; nothing is saved.
    await form.getByLabel('Negative feedback bursts').uncheck();
    await form.getByLabel('Significance level').fill('0.5');
    await form.getByRole('button', { name: 'Save changes' }).click();
    const alpha = form.getByLabel('Significance level');
    await expect.poll(() => alpha.getAttribute('aria-invalid')).toBe('true');
    const message = await page.locator(`#${(await alpha.getAttribute('aria-describedby'))!.split(' ').at(-1)}`).textContent();
    expect(message).toMatch(/0\.2/);
    expect((await api('alert-settings')).settings).toEqual({ kinds: ['gap_widened', 'customer_drop', 'sla_backlog', 'negative_burst'], alpha: 0.05, slaBacklog: 10, email: true });
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);

    await alpha.fill('0.01');
    await form.getByLabel('SLA backlog threshold').fill('25');
    await form.getByLabel(/E-mail alerts to the CX lead/).uncheck();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByText('Saved.').waitFor();
    expect((await api('alert-settings')).settings).toEqual({ kinds: ['gap_widened', 'customer_drop', 'sla_backlog'], alpha: 0.01, slaBacklog: 25, email: false });

    // A webhook to the local receiver: its secret is shown once, with a copy button.
    await page.getByText('No webhooks yet').waitFor();
    const add = page.getByRole('form', { name: 'Add a webhook' });
    await add.getByLabel('URL').fill(hookUrl);
    await add.getByLabel('Description (optional)').fill('Ops receiver');
    expect(await add.getByLabel('Test events').count()).toBe(0); // a test event is sent on request, not subscribed to
    await add.getByRole('button', { name: 'Add webhook' }).click();
    const shown = page.locator('#webhook-secret');
    await shown.waitFor();
    secret = (await shown.textContent())!;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    await page.getByText('it will not be shown again').waitFor();
    await page.getByRole('button', { name: 'Copy secret' }).waitFor();
    const card = page.getByRole('listitem', { name: 'Webhook Ops receiver' });
    await card.getByText('Nothing sent yet.').waitFor();
    const [hook] = (await api('webhooks')).webhooks;
    expect(hook).toMatchObject({ url: hookUrl, description: 'Ops receiver', format: 'standard', enabled: true, eventTypes: ['alert.gap_widened', 'alert.customer_drop', 'alert.sla_backlog', 'alert.negative_burst'] });
    await page.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'detached' });
    await page.reload();
    await card.getByText('Nothing sent yet.').waitFor();
    expect(await page.content()).not.toContain(secret); // never shown again

    // A test event, delivered by the server's own runner; the log follows it to "Delivered".
    await card.getByRole('button', { name: 'Send test event to Ops receiver' }).click();
    const log = card.getByRole('table', { name: /Delivery log of Ops receiver/ });
    await log.getByRole('cell', { name: 'Delivered' }).waitFor({ timeout: 20_000 });
    expect(await log.locator('tbody tr').count()).toBe(1);
    expect(await log.locator('tbody tr').first().locator('td').nth(2).textContent()).toBe('204');
    expect(received).toEqual([{ verified: true, type: 'webhook.test' }]);

    // Ten more deliveries: the first page holds ten, "Older" reads the one before them.
    for (let i = 0; i < 10; i++) await queueWebhookEvent(server.store.db, orgId, { type: 'webhook.test', summary: `more ${i}`, data: { i } }, { endpointId: hook.id });
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(11);
    await card.getByRole('button', { name: 'Refresh the delivery log' }).click();
    await expect.poll(() => log.locator('tbody tr').count()).toBe(10);
    await card.getByRole('button', { name: 'Older deliveries' }).click();
    await expect.poll(() => log.locator('tbody tr').count()).toBe(1);
    await card.getByRole('button', { name: 'Newer deliveries' }).click();
    await expect.poll(() => log.locator('tbody tr').count()).toBe(10);
    expect(received.every((r) => r.verified)).toBe(true);

    // Disable, then the digest switch (every member's own).
    await card.getByRole('switch', { name: /Ops receiver/ }).uncheck();
    await expect.poll(async () => (await api('webhooks')).webhooks[0].enabled).toBe(false);
    await card.getByText('Disabled').waitFor();
    const digest = page.getByRole('switch', { name: 'E-mail me the weekly digest' });
    expect(await digest.isChecked()).toBe(true);
    await page.getByText('On: it comes every Monday at 07:00 UTC.').waitFor();
    await digest.uncheck();
    await page.getByText('Off: you get no digest from this organisation.').waitFor();
    expect((await api('digest')).digest).toBe('off');
    // The schedule, for admins.
    await page.getByLabel('Weekday').selectOption('5');
    await page.getByLabel('Hour (UTC)').selectOption('16');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByRole('form', { name: 'When digests go out' }).getByText('Saved.').waitFor();
    expect((await api('digest')).schedule).toEqual({ weekday: 5, hour: 16 });

    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: resolve(SHOTS, 'alerts-settings.png'), fullPage: true });

    // Delete, after the confirmation.
    page.once('dialog', (d) => void d.accept());
    await card.getByRole('button', { name: 'Delete Ops receiver' }).click();
    await page.getByText('No webhooks yet').waitFor();
    expect((await api('webhooks')).webhooks).toEqual([]);
    await context.close();
  });

  it('shows a viewer notes instead of alerts and webhooks, and their own digest switch', async () => {
    const { context, page } = await logIn(browser, server.url, { email: VIEWER });
    await page.goto(`${server.url}/o/${orgId}/setup/alerts`);
    await page.getByText(/Admins and analysts see the alerts and their settings/).waitFor();
    await page.getByText(/Only admins see and change the webhooks/).waitFor();
    const digest = page.getByRole('switch', { name: 'E-mail me the weekly digest' });
    await digest.waitFor();
    expect(await digest.isChecked()).toBe(true); // the admin's choice was theirs alone
    expect(await page.getByLabel('Weekday').count()).toBe(0);
    await digest.uncheck();
    await page.getByText('Off: you get no digest from this organisation.').waitFor();
    expect((await apiGet<{ digest: string }>(page, `/api/v1/organisations/${orgId}/digest`)).digest).toBe('off');
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
