import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { findPii, luhnValid, redact } from './redact.ts';

// Real verbatims from the telecom NPS survey (test/fixtures/text/SOURCE.md), keyed by their data row.
const fixture = new Map<number, string>(
  (parse(readFileSync(new URL('../../../test/fixtures/text/telecom-pii.csv', import.meta.url)), { columns: true }) as Record<string, string>[]).map(
    (r) => [Number(r.data_row), r.text!],
  ),
);
const real = (row: number) => {
  const t = fixture.get(row);
  if (t === undefined) throw new Error(`fixture row ${row} missing`);
  return t;
};

describe('redact: real telecom verbatims', () => {
  it('e-mail address', () => {
    expect(redact(real(461)).text).toBe('Please refer to my complaint to CEO and to  [email]');
  });
  it('UK phone numbers, with and without a space, in brackets', () => {
    expect(redact(real(1664)).text).toBe('[phone] and you still owe me money!');
    const r = redact(real(1103));
    expect(r.text).toContain('Phone number I was given on multiple occasions ([phone]) does not work');
    expect(r.spans).toHaveLength(1);
  });
  it('name, street address and lower-case postcode in one line; the date of birth is left (dates are not redacted)', () => {
    expect(redact(real(318)).text).toBe("Take a look at my record.... [name] - [address]. 30/12/84. I'm the account holder.");
  });
  it('names after cues: spoke to, called, engineer, named, "Name in Place", full names, sign-off', () => {
    expect(redact(real(131)).text).toContain('I finally spoke to [name] in sales');
    expect(redact(real(587)).text).toContain('Spoke to someone online called [name] who was very helpful');
    expect(redact(real(620)).text).toBe('Our installation engineer [name] was excellent - made up for the delayed installation and difficulty in getting touch with the FFTP team.');
    expect(redact(real(808)).text).toContain('a gentleman named [name] in the Scotland call centre');
    expect(redact(real(848)).text).toContain('a man called [name] and the guy');
    expect(redact(real(1668)).text).toContain('[name] in Canterbury (early Dec)');
    expect(redact(real(1668)).text).toContain('[name] in Leeds mid Dec');
    expect(redact(real(1668)).text).toContain('3rd call to [name] in Dundee on 9 Jan');
    expect(redact(real(2148)).text).toBe('Unprofessional service, by all the advisors that served me, except [name] that completed my order. Many thanks to [name]');
    expect(redact(real(2138)).text).toMatch(/Let's see how our journey goes together! Thanks \[name\]$/);
    expect(redact(real(810)).text).toBe('Because of [name], excellent engineer, excellent customer service');
    expect(redact(real(92)).text).toBe('Excellent service from [name], your OpenReach engineer');
  });
  it('"my name is (not) X"', () => {
    expect(redact(real(1200)).text).toMatch(/^My name is not \[name\] !/);
    expect(redact(real(1662)).text).toMatch(/^Fisrtly, my name is \[name\] not Jiven\./);
  });
  it('leaves dates, times, prices, speeds and counts alone (rows with no PII)', () => {
    for (const row of [83, 146, 241, 239, 533, 2093, 1278, 903, 873]) {
      const text = real(row);
      expect({ row, spans: findPii(text) }).toEqual({ row, spans: [] });
    }
  });
});

describe('redact: hand-written hard cases', () => {
  it.each([
    ['Call me on 07700 900123 please', 'Call me on [phone] please'],
    ['ring +44 (0)20 7946 0958 after 5', 'ring [phone] after 5'],
    ['my mobile is +44 7700 900 123.', 'my mobile is [phone].'],
    ['US line (212) 555-0123 or 1-800-433-7300', 'US line [phone] or [phone]'],
    ['Paris: +33 1 23 45 67 89', 'Paris: [phone]'],
    ['card 4111 1111 1111 1111 was charged twice', 'card [card] was charged twice'],
    ['card 5500-0000-0000-0004 expired', 'card [card] expired'],
    ['account number: 12345678 and sort code 12-34-56', 'account number: [account] and sort code [account]'],
    ['order ref VOL012345678 still open', 'order ref [account] still open'],
    ['Mrs Jones and Dr. Patel were great', 'Mrs [name] and Dr. [name] were great'],
    ['Kind regards,\nJ. Smith', 'Kind regards,\n[name]'],
    ['Flat 2, 14 Acacia Avenue, London SW1A 1AA', '[address]'],
    ['write to me at 221B Baker Street', 'write to me at [address]'],
    ['reach me at jane.doe+cx@example.co.uk today', 'reach me at [email] today'],
  ])('%j', (input, expected) => {
    expect(redact(input).text).toBe(expected);
  });

  it.each([
    'paid £29.99 p/m and £9.99 setup, 52Mbps',
    'installed on 23/11/17 and again on 8.1.18 at 12.30',
    'waited from 2017-12-01 to 2018-01-15, 3 hours on the road',
    'between 0630-0730 and 1900-2200hrs',
    'the 4111 1111 1111 1112 fails the Luhn check but is only 16 digits of nothing', // not Luhn-valid: see below
    'Spoke to Openreach and called Sky, then Virgin',
    'flight A340-300 seat 27K, tail N366SW, a 10 minute walk, $39 each way',
    'the 2nd and 3rd engineer, rated 10/10, 100% sure',
  ])('no PII: %j', (input) => {
    const spans = findPii(input);
    // The fourth-from-last case is a 16-digit number that fails Luhn: not a card, but still an identifier.
    if (input.includes('4111 1111 1111 1112')) expect(spans.map((s) => s.type)).toEqual(['account']);
    else expect(spans).toEqual([]);
  });

  it('Luhn: known valid and invalid numbers', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('79927398713')).toBe(true); // the textbook example
    expect(luhnValid('4111111111111112')).toBe(false);
  });

  it('spans are offsets into the original and do not overlap', () => {
    const text = 'Mr Smith, tel 01736 810570, mail a@b.com';
    const { spans } = redact(text);
    expect(spans.map((s) => [s.type, text.slice(s.start, s.end)])).toEqual([
      ['name', 'Smith'],
      ['phone', '01736 810570'],
      ['email', 'a@b.com'],
    ]);
  });

  it('refuses huge input instead of scanning it', () => {
    expect(() => redact('x'.repeat(100_001))).toThrow(RangeError);
  });
});

describe('redact: properties over arbitrary text', () => {
  it('spans are ordered, disjoint, inside the text; the output is the text with each span replaced; redacting it again changes nothing', async () => {
    const fc = (await import('fast-check')).default;
    // Text dense in what the patterns look at: digits, separators, @, capitals, cue words.
    const piece = fc.constantFrom('0', '7', '44', '+', '(', ')', '-', ' ', '.', ',', '@', 'a', 'Tom', 'Mr ', 'road', 'SW1A 1AA', 'ref ', 'called ', 'Thanks ', '\n', '£', '/', 'x.com');
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const { text: out, spans } = redact(text);
        let at = 0;
        let rebuilt = '';
        for (const s of spans) {
          expect(s.start).toBeGreaterThanOrEqual(at);
          expect(s.end).toBeGreaterThan(s.start);
          expect(s.end).toBeLessThanOrEqual(text.length);
          rebuilt += text.slice(at, s.start) + `[${s.type}]`;
          at = s.end;
        }
        expect(rebuilt + text.slice(at)).toBe(out);
        // Placeholders are never taken for PII themselves, so redacted text stays as it is.
        expect(redact(out).text).toBe(out);
      }),
      { numRuns: 500, seed: 20261130 },
    );
  });
});
