// The pure campaign rules: filters, message rendering (escaped, with both links), reminder timing,
// retry back-off, SMTP failure classes and the response rate's Wilson interval.
import { describe, it, expect } from 'vitest';
import { CampaignInput, campaignRates, classifySmtpFailure, matchesFilter, reminderDue, renderMessage, retryDelayMs, type FilterableContact } from './campaigns.ts';

const c = (over: Partial<FilterableContact> = {}): FilterableContact => ({ kind: 'customer', function: null, touchpoint: 'support', language: 'en', segments: { region: 'EMEA' }, ...over });

describe('matchesFilter', () => {
  it('needs the perspective as kind and every part of the filter', () => {
    expect(matchesFilter(c(), 'customer', {})).toBe(true);
    expect(matchesFilter(c(), 'leader', {})).toBe(false);
    expect(matchesFilter(c(), 'customer', { segments: { region: ['EMEA', 'APAC'] } })).toBe(true);
    expect(matchesFilter(c(), 'customer', { segments: { region: ['APAC'] } })).toBe(false);
    expect(matchesFilter(c(), 'customer', { segments: { plan: ['pro'] } })).toBe(false);
    expect(matchesFilter(c(), 'customer', { touchpoint: 'billing' })).toBe(false);
    expect(matchesFilter(c({ kind: 'leader', function: 'Sales' }), 'leader', { function: 'Sales' })).toBe(true);
    expect(matchesFilter(c({ kind: 'leader', function: 'Ops' }), 'leader', { function: 'Sales' })).toBe(false);
  });
});

describe('renderMessage', () => {
  it('fills the template, escapes HTML, and carries both links in both parts', () => {
    const m = renderMessage({ subject: '{organisation} asks', body: 'Hi {name},\n\n<b>two</b> minutes', name: 'A & B', organisation: 'Acme <Co>', surveyUrl: 'https://x.test/s/1?i=pi_a', unsubscribeUrl: 'https://x.test/u/pu_b', reminder: true });
    expect(m.subject).toBe('Reminder: Acme <Co> asks');
    expect(m.text).toContain('Hi A & B,');
    expect(m.text).toContain('https://x.test/s/1?i=pi_a');
    expect(m.text).toContain('https://x.test/u/pu_b');
    expect(m.html).toContain('Hi A &amp; B,');
    expect(m.html).toContain('&lt;b&gt;two&lt;/b&gt;');
    expect(m.html).not.toContain('<b>two</b>');
    expect(m.html).toContain('href="https://x.test/u/pu_b"');
  });
});

describe('reminders and retries', () => {
  const rule = { reminderDays: 3, maxReminders: 2 };
  const at = '2026-01-01T00:00:00.000Z';
  it('a reminder is due after N days, to the unanswered, at most M times', () => {
    expect(reminderDue({ lastMailedAt: at, reminders: 0, answered: false }, rule, new Date('2026-01-03T23:59:59Z'))).toBe(false);
    expect(reminderDue({ lastMailedAt: at, reminders: 0, answered: false }, rule, new Date('2026-01-04T00:00:00Z'))).toBe(true);
    expect(reminderDue({ lastMailedAt: at, reminders: 0, answered: true }, rule, new Date('2026-02-01T00:00:00Z'))).toBe(false);
    expect(reminderDue({ lastMailedAt: at, reminders: 2, answered: false }, rule, new Date('2026-02-01T00:00:00Z'))).toBe(false);
    expect(reminderDue({ lastMailedAt: null, reminders: 0, answered: false }, rule, new Date('2026-02-01T00:00:00Z'))).toBe(false);
  });
  it('backs off exponentially, capped at four hours; 5xx is permanent, 4xx and network errors temporary', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(20)).toBe(4 * 3600_000);
    expect(classifySmtpFailure(550)).toBe('permanent');
    expect(classifySmtpFailure(451)).toBe('temporary');
    expect(classifySmtpFailure(undefined)).toBe('temporary');
  });
});

describe('campaignRates', () => {
  it('gives completed / delivered with its Wilson interval', () => {
    // python3: from scipy.stats import norm; import math; z=norm.ppf(.975); n=40; p=12/40; d=1+z*z/n;
    //   c=(p+z*z/(2*n))/d; h=z/d*math.sqrt(p*(1-p)/n+z*z/(4*n*n)); print(c-h, c+h)
    //   → 0.18074845229747, 0.45430018818145
    const r = campaignRates({ invited: 45, sent: 45, delivered: 40, started: 20, completed: 12, unsubscribed: 1, bounced: 5 });
    expect(r.responseRate).toBe(0.3);
    expect(r.responseRateInterval![0]).toBeCloseTo(0.1807484522975, 10);
    expect(r.responseRateInterval![1]).toBeCloseTo(0.4543001881814, 10);
    expect(campaignRates({ invited: 3, sent: 3, delivered: 0, started: 0, completed: 0, unsubscribed: 0, bounced: 3 }).responseRate).toBeNull();
  });
});

describe('CampaignInput', () => {
  it('needs reminderDays with reminders, and refuses unknown fields', () => {
    expect(CampaignInput.safeParse({ name: 'x', maxReminders: 1 }).error?.issues[0]?.path).toEqual(['reminderDays']);
    expect(CampaignInput.safeParse({ name: 'x', colour: 'red' }).success).toBe(false);
    expect(CampaignInput.parse({ name: 'x' })).toMatchObject({ perspective: 'customer', maxReminders: 0, filter: {} });
  });
});
