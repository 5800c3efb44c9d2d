import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSentimentModel, MODEL_PATH } from './sentiment-model.ts';
import { scoreSentiment } from '../core/text/sentiment.ts';

describe('the shipped sentiment model (models/sentiment.json)', () => {
  it('is small, loads once, and documents how it was trained', () => {
    expect(statSync(MODEL_PATH).size).toBeLessThan(4 * 1024 * 1024);
    const m = loadSentimentModel();
    expect(loadSentimentModel()).toBe(m); // cached
    expect(m.buckets).toBe(1 << 18);
    const h = m.header as Record<string, any>;
    expect(h.seed).toEqual(expect.any(Number));
    expect(h.trainingSets.map((s: { name: string }) => s.name)).toEqual(['twitter-airline', 'skytrax', 'telecom-nps']);
    expect(h.neverTrainedOn).toContain('sst2-dev (different-source evaluation)');
    expect(Object.keys(h.metrics.model)).toEqual(['twitter-airline held-out', 'skytrax held-out', 'telecom-nps held-out', 'sst2-dev']);
  });

  // Plain customer comments written for this test (not from any training set).
  it.each([
    ['The engineer was brilliant, friendly and fixed everything in ten minutes. Thank you!', 'positive'],
    ['Really happy with the service, would recommend to anyone', 'positive'],
    ['Terrible service. Three weeks and still no broadband, nobody calls back.', 'negative'],
    ['Cancelled my order twice without telling me, absolutely useless', 'negative'],
    ['I was charged twice this month and the refund still has not arrived', 'negative'],
  ])('%j → %s', (text, label) => {
    expect(scoreSentiment(loadSentimentModel(), text).label).toBe(label);
  });

  it('scores are P(positive) − P(negative) and ordered as the texts', () => {
    const m = loadSentimentModel();
    const good = scoreSentiment(m, 'Excellent, fast and friendly service');
    const bad = scoreSentiment(m, 'Awful, slow and rude service');
    expect(good.score).toBeCloseTo(good.probabilities.positive - good.probabilities.negative, 12);
    expect(good.score).toBeGreaterThan(0.3);
    expect(bad.score).toBeLessThan(-0.3);
  });
});
