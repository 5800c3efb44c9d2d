import { describe, expect, it } from 'vitest';
import { labelFromLexiconScore, lexiconBinaryLabel, lexiconScore, lexiconSentiment } from './sentiment-lexicon.ts';

describe('lexicon baseline (AFINN-165 via `sentiment`)', () => {
  it('comparative score = sum of AFINN word scores / tokens, negation flips', () => {
    // AFINN-165: good +3, rude −2 (node_modules/sentiment/languages/en/labels.json).
    expect(lexiconScore('good')).toBe(3);
    expect(lexiconScore('not good')).toBe(-1.5); // −3 over 2 tokens
    expect(lexiconScore('The food was good but the staff were rude')).toBeCloseTo(1 / 9, 12); // (3 − 2) / 9
    expect(lexiconScore('meh')).toBe(0);
  });
  it('thresholds cut negative / neutral / positive', () => {
    const t = { negativeBelow: 0, positiveAbove: 0.15 };
    expect(labelFromLexiconScore(-0.01, t)).toBe('negative');
    expect(labelFromLexiconScore(0, t)).toBe('neutral');
    expect(labelFromLexiconScore(0.15, t)).toBe('neutral');
    expect(labelFromLexiconScore(0.16, t)).toBe('positive');
    expect(lexiconBinaryLabel(0.08, t)).toBe('positive');
    expect(lexiconBinaryLabel(0.07, t)).toBe('negative');
    expect(lexiconSentiment('Absolutely terrible, the worst provider').label).toBe('negative');
    expect(lexiconSentiment('Great service, very happy').label).toBe('positive');
  });
});
