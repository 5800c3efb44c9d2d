import { describe, expect, it } from 'vitest';
import { featurize, fnv1a, tokenize } from './features.ts';

describe('fnv1a', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    // From the FNV reference test suite (isthe.com/chongo/tech/comp/fnv): "" → 0x811c9dc5, "a" → 0xe40c292c,
    // "foobar" → 0xbf9cf968.
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });
});

describe('tokenize', () => {
  it('folds links, handles, digits, negations and lost apostrophes', () => {
    expect(tokenize("@united Don't lose my bag!!! http://t.co/x 3 hours &amp; counting :(")).toEqual([
      '_user', 'do', 'not', 'lose', 'my', 'bag', '!!!', '_url', '0', 'hours', 'counting', ':(',
    ]);
    expect(tokenize('it\uFFFDs still open')).toEqual(["it's", 'still', 'open']);
  });
});

describe('featurize', () => {
  const opts = { buckets: 1 << 18 };
  it('is deterministic, sorted, unique, within the buckets', () => {
    const a = featurize('The engineer was late again, very poor service', opts);
    const b = featurize('The engineer was late again, very poor service', opts);
    expect(Array.from(a.index)).toEqual(Array.from(b.index));
    expect(Array.from(a.value)).toEqual(Array.from(b.value));
    for (let i = 1; i < a.index.length; i++) expect(a.index[i]).toBeGreaterThan(a.index[i - 1]!);
    expect(Math.max(...a.index)).toBeLessThan(1 << 18);
  });
  it('normalises each family (words, characters, lexicon) to unit length', () => {
    // Without hash collisions the squared norm is the number of non-empty families: 3 with a lexicon word, 2 without.
    const sq = (t: string) => Array.from(featurize(t, opts).value).reduce((s, v) => s + v * v, 0);
    expect(sq('good engineer')).toBeCloseTo(3, 4);
    expect(sq('engineer visit')).toBeCloseTo(2, 4);
    expect(featurize('', opts).index.length).toBe(0);
  });
  it('reads a negated lexicon word as its opposite', () => {
    // Every feature of "good" is also a feature of "not good" except its lexicon features (+3, positive),
    // which "not good" replaces by −3, negative.
    const notGood = new Set(featurize('not good', opts).index);
    const onlyInGood = Array.from(featurize('good', opts).index).filter((i) => !notGood.has(i));
    expect(onlyInGood).toHaveLength(2);
    expect(onlyInGood).toEqual(Array.from(featurize('great', opts).index).filter((i) => onlyInGood.includes(i)));
  });
});
