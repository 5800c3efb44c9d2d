import { describe, expect, it } from 'vitest';
import { denseFeatures, featurize, fnv1a, lexiconSummary, negationMarked, tokenize } from './features.ts';

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
  it('normalises each sparse family (words, characters, lexicon) to unit length', () => {
    // With the dense summaries off and no hash collisions the squared norm is the number of non-empty families:
    // 3 with a lexicon word, 2 without.
    const sq = (t: string, familyWeights: [number, number, number, number] = [1, 1, 1, 0]) =>
      Array.from(featurize(t, { ...opts, familyWeights }).value).reduce((s, v) => s + v * v, 0);
    expect(sq('good engineer')).toBeCloseTo(3, 4);
    expect(sq('engineer visit')).toBeCloseTo(2, 4);
    // Dense on: a text without lexicon words has only the "no lexicon word" summary, 1.
    expect(sq('engineer visit', [1, 1, 1, 1])).toBeCloseTo(3, 4);
    expect(sq('engineer visit', [1, 1, 1, 2])).toBeCloseTo(6, 4);
    expect(featurize('', opts).index.length).toBe(0);
  });
  it('marks the words in a negation\'s scope, to the end of the clause', () => {
    const t = tokenize("I don't like it, but the staff were nice :( not bad!! really good", true);
    expect(t).toContain(':('); // an emoticon, not clause punctuation
    expect(negationMarked(t)).toEqual([
      'i', 'do', 'not', 'NOT_like', 'NOT_it', ',', 'but', 'the', 'staff', 'were', 'nice', ':(', 'not', 'NOT_bad', '!!', 'really', 'good',
    ]);
    // "but" ends the scope too.
    expect(negationMarked(tokenize('not cheap but good', true))).toEqual(['not', 'NOT_cheap', 'but', 'good']);
  });
  it('"not good" and "good" share their words but not the negated one', () => {
    const notGood = new Set(featurize('not good', opts).index);
    const good = new Set(featurize('not, good', opts).index); // the comma ends the negation
    expect([...good].some((i) => !notGood.has(i))).toBe(true);
    expect([...notGood].some((i) => !good.has(i))).toBe(true);
  });
});

describe('lexiconSummary', () => {
  const sum = (t: string) => lexiconSummary(tokenize(t, true));
  // AFINN-165: good +3, bad −3, awful −3, terrible −3, nice +3.
  it('reads a negated word as half its opposite, to the end of the clause', () => {
    expect(sum('not good')).toEqual({ pos: 0, neg: 1.5, negatedPos: 3, negatedNeg: 0, last: -1.5, scores: [-1.5] });
    expect(sum('not bad. good')).toMatchObject({ pos: 4.5, neg: 0, negatedNeg: 3, last: 3, scores: [1.5, 3] });
  });
  it('multiplies after an intensifier and weighs what follows "but"', () => {
    expect(sum('very good').scores).toEqual([4.5]);
    expect(sum('slightly bad').scores).toEqual([-1.5]);
    // Before "but" half (1.5), after it 1.5 times (−4.5); the last clause is the part after "but".
    expect(sum('good but awful')).toMatchObject({ pos: 1.5, neg: 4.5, last: -4.5, scores: [1.5, -4.5] });
    expect(sum('the seats were terrible, but the staff were nice')).toMatchObject({ pos: 4.5, neg: 1.5, last: 4.5 });
  });
  it('dense summaries are bounded and say when no lexicon word was found', () => {
    const d = (t: string) => {
      const tokens = tokenize(t, true);
      return denseFeatures(tokens, lexiconSummary(tokens));
    };
    // "good": tanh(3/6), 0, 3/4, 0, 0, tanh(3/3), tanh(3/1/2), 0, 0 (python3: import math; math.tanh(0.5) = 0.46211715726000974)
    expect(d('good')).toEqual([Math.tanh(0.5), 0, 0.75, 0, 0, Math.tanh(1), Math.tanh(1.5), 0, 0]);
    expect(d('engineer visit')).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0]);
    for (const v of d('AWFUL awful awful!!! never again, terrible terrible terrible but fine')) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });
});
