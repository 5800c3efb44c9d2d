import { describe, expect, it } from 'vitest';
import { binaryLabel, decodeModel, scoreSentiment } from './sentiment.ts';
import { FEATURES_VERSION } from './features.ts';

// A 16-bucket model: weights given as int8 × per-class scale, bucket-major.
function tinyModel(bias: number[], fill: (bucket: number, cls: number) => number, scales = [1, 1, 1]) {
  const q = new Int8Array(16 * 3);
  for (let b = 0; b < 16; b++) for (let c = 0; c < 3; c++) q[b * 3 + c] = fill(b, c);
  return {
    format: 'parallax-sentiment',
    featuresVersion: FEATURES_VERSION,
    classes: ['negative', 'neutral', 'positive'],
    buckets: 16,
    bias,
    scales,
    weights: Buffer.from(q.buffer).toString('base64'),
    header: { note: 'test' },
  };
}

describe('scoreSentiment', () => {
  it('with no features the probabilities are the softmax of the bias', () => {
    // python3: b=np.array([0,1,2.]); np.exp(b)/np.exp(b).sum() → [0.09003057, 0.24472847, 0.66524096]
    const r = scoreSentiment(decodeModel(tinyModel([0, 1, 2], () => 0)), '');
    expect(r.probabilities.negative).toBeCloseTo(0.09003057, 7);
    expect(r.probabilities.neutral).toBeCloseTo(0.24472847, 7);
    expect(r.probabilities.positive).toBeCloseTo(0.66524096, 7);
    expect(r.label).toBe('positive');
    expect(r.score).toBeCloseTo(0.66524096 - 0.09003057, 7);
  });
  it('weights move the decision (every bucket pushes towards negative)', () => {
    const r = scoreSentiment(decodeModel(tinyModel([0, 0, 0], (_b, c) => (c === 0 ? 100 : 0), [0.05, 1, 1])), 'anything at all');
    expect(r.label).toBe('negative');
    expect(r.score).toBeLessThan(0);
    expect(binaryLabel(r)).toBe('negative');
  });
  it('binaryLabel ignores neutral and compares positive with negative', () => {
    // python3: b=np.array([0.5,-0.25,0.1]); softmax → [0.4667, 0.2205, 0.3128]
    const r = scoreSentiment(decodeModel(tinyModel([0.5, -0.25, 0.1], () => 0)), '');
    expect(binaryLabel(r)).toBe('negative');
    expect(binaryLabel({ ...r, probabilities: { negative: 0.3, neutral: 0.4, positive: 0.3 } })).toBe('positive');
  });
});

describe('decodeModel refuses a bad file, naming the field', () => {
  it.each([
    [{ ...tinyModel([0, 0, 0], () => 0), format: 'other' }, /format/],
    [{ ...tinyModel([0, 0, 0], () => 0), buckets: 12 }, /buckets: must be a power of two/],
    [{ ...tinyModel([0, 0, 0], () => 0), bias: [0, 0] }, /bias/],
    [{ ...tinyModel([0, 0, 0], () => 0), weights: 'AAAA' }, /weights: expected 48 bytes, got 3/],
    [{ ...tinyModel([0, 0, 0], () => 0), scales: [1, 0, 1] }, /scales\.1/],
    [{ ...tinyModel([0, 0, 0], () => 0), extra: 1 }, /extra|Unrecognized/],
    // Features version 3 has four families (words, characters, lexicon, dense summaries); a version 2 file is refused.
    [{ ...tinyModel([0, 0, 0], () => 0), familyWeights: [1, 1, 1] }, /familyWeights/],
    [{ ...tinyModel([0, 0, 0], () => 0), featuresVersion: 2 }, /featuresVersion/],
    [null, /\(root\)/],
  ])('%#', (file, message) => {
    expect(() => decodeModel(file)).toThrow(message);
  });
});
