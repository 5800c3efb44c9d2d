import { describe, it, expect } from 'vitest';
import * as stats from './index.ts';

describe('stats index', () => {
  it('re-exports the public functions', () => {
    const names = [
      'normalCdf', 'normalQuantile', 'studentTCdf', 'studentTQuantile', 'twoSidedNormalP', 'twoSidedTP',
      'momentsFromSums', 'momentsFromHistogram', 'momentsOf', 'tInterval',
      'wilsonInterval', 'twoProportionZTest', 'welchTTest', 'hedgesG',
      'npsFromCounts', 'npsCountsFromScores', 'npsDifferenceTest', 'weightedLinearTrend',
      'johnsonRelativeWeights', 'correlationFromCrossProducts', 'holmAdjust', 'benjaminiHochbergAdjust',
      'meanAbsoluteError', 'meanSignedError', 'brierScore', 'excellenceBrier', 'confidenceDirection',
    ] as const;
    for (const name of names) expect(typeof stats[name]).toBe('function');
    expect(stats.Z95).toBe(1.959963984540054);
  });
});
