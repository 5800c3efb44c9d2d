// The search language: what parses, what each engine is given, and the messages for what does not parse.
import { describe, it, expect } from 'vitest';
import { parseSearchQuery, toFts5, toTsquery, type SearchQuery } from './search-query.ts';

const ok = (q: string): SearchQuery => {
  const p = parseSearchQuery(q);
  if (!p.ok) throw new Error(p.message);
  return p.query;
};
const bad = (q: string): string => {
  const p = parseSearchQuery(q);
  if (p.ok) throw new Error(`parsed: ${q}`);
  return p.message;
};

describe('search query', () => {
  it('compiles words, phrases, prefixes, exclusions and OR for FTS5 and to_tsquery', () => {
    const q = ok('Billing "app  Crashed" bill* -refund crash OR froze -"call back"');
    expect(toFts5(q)).toBe('("billing" AND "app crashed" AND "bill"* AND ("crash" OR "froze")) NOT ("refund" OR "call back")');
    expect(toTsquery(q)).toBe("('billing') & ('app' <-> 'crashed') & ('bill':*) & (('crash') | ('froze')) & !('refund') & !('call' <-> 'back')");
    expect(toFts5(ok('x OR y OR z'))).toBe('("x" OR "y" OR "z")');
    expect(toFts5(ok('café'))).toBe('"café"');
  });

  it('cuts words as the indexes do: punctuation splits them, and nothing typed becomes syntax', () => {
    expect(toFts5(ok("e-mail don't"))).toBe('"e mail"'); // "don t": stop words only
    expect(toFts5(ok("x'); drop table responses; -- ^ & |"))).toBe('"x" AND "drop" AND "table" AND "responses"');
    expect(toTsquery(ok("it's:* & !x"))).toBe("('it' <-> 's':*) & ('x')");
    expect(toFts5(ok('or and NOT app'))).toBe('"app"'); // only upper-case OR is an operator; stop words are left out
    expect(toFts5(ok('the app -the "app on the tv"'))).toBe('"app" AND "app on the tv"');
  });

  it('says what is wrong', () => {
    expect(bad('"app crashed')).toMatch(/phrase is not closed/);
    expect(bad('-refund')).toMatch(/at least one word that is not excluded/);
    expect(bad('OR app')).toMatch(/OR goes between two/);
    expect(bad('app OR')).toMatch(/OR goes between two/);
    expect(bad('app OR -refund')).toMatch(/OR cannot join an excluded term/);
    expect(bad('bi*ll')).toMatch(/'\*' may only end a word/);
    expect(bad('*')).toMatch(/needs letters before it/);
    expect(bad('"app"x')).toMatch(/space after the phrase/);
    expect(bad('""')).toMatch(/no words/);
    expect(bad('a"b')).toMatch(/quote inside/);
    expect(bad('!!! ...')).toMatch(/nothing to find/);
    expect(bad('the OR and')).toMatch(/only common words/);
    expect(bad('"to be"')).toMatch(/only common words/);
    expect(bad(Array.from({ length: 17 }, (_, i) => `w${i}`).join(' '))).toMatch(/at most 16/);
  });
});
