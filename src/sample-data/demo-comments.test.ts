// The demo's customer comments (issue 11: "about 15 sentences repeated") are varied like real survey text:
// a few hundred distinct texts, no single one dominating, praise and complaint following the rating,
// specifics in them, and the same on every run.
import { describe, it, expect } from 'vitest';
import { demoHistory } from './demo-history.ts';
import { DEFAULT_FRAMEWORK } from '../core/framework.ts';
import { DEFAULT_JOURNEY } from '../core/journey.ts';

const now = new Date('2026-11-30T12:00:00Z');
const customers = () =>
  demoHistory({ framework: DEFAULT_FRAMEWORK, journey: DEFAULT_JOURNEY, now })
    .filter((h) => h.perspective === 'customer' && h.submission.comment !== null)
    .map((h) => h.submission as typeof h.submission & { comment: string });

describe('demo customer comments', () => {
  const rows = customers();
  const texts = rows.map((s) => s.comment);
  const counts = new Map<string, number>();
  for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1);

  it('are a few hundred distinct texts, with realistic repetition', () => {
    expect(texts.length).toBeGreaterThan(1000);
    expect(counts.size).toBeGreaterThan(300);
    expect(counts.size).toBeLessThan(texts.length * 0.8); // short remarks recur
    expect(Math.max(...counts.values())).toBeLessThan(texts.length * 0.03);
  });

  it('follow the rating: no complaint stock remark from a delighted customer, no praise from an unhappy one', () => {
    const delighted = rows.filter((s) => s.answers.excellent! >= 4).map((s) => s.comment);
    const unhappy = rows.filter((s) => s.answers.excellent! <= 2).map((s) => s.comment);
    expect(delighted.length).toBeGreaterThan(50);
    expect(unhappy.length).toBeGreaterThan(50);
    for (const bad of ['Terrible service.', 'Cancelling soon.', 'Worst customer service ever.']) expect(delighted).not.toContain(bad);
    for (const good of ['Great service.', 'Love it!', 'No complaints.']) expect(unhappy).not.toContain(good);
  });

  it('talk about the touchpoint the customer chose, with specifics', () => {
    const billing = rows.filter((s) => s.touchpoint === 'billing').map((s) => s.comment);
    expect(billing.some((c) => /charged|bill|refund/i.test(c))).toBe(true);
    // Amounts in the plan's price and the region's currency, e.g. "€12.99" for a standard plan in EMEA.
    const priced = rows.filter((s) => /[€$]\d+\.\d\d/.test(s.comment));
    expect(priced.length).toBeGreaterThan(10);
    for (const s of priced) {
      const price = { basic: '7.99', standard: '12.99', premium: '17.99' }[s.segments.plan as 'basic'];
      const sign = { EMEA: '€', 'North America': '$', APAC: 'A$', LATAM: 'R$' }[s.segments.region as 'EMEA'];
      expect(s.comment).toContain(`${sign}${price}`);
    }
    expect(texts.some((c) => /\d+ days/.test(c))).toBe(true);
    expect(texts.every((c) => !/\{\w+\}/.test(c))).toBe(true); // no slot left unfilled
  });

  it('are the same on every run', () => {
    expect(customers().map((s) => s.comment)).toEqual(texts);
  });
});
