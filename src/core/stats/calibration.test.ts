import { describe, it, expect } from 'vitest';
import {
  meanAbsoluteError,
  meanSignedError,
  brierScore,
  excellenceBrier,
  confidenceDirection,
} from './calibration.ts';

// References: numpy 2.4, one-liners next to each value.
describe('error measures', () => {
  it('meanAbsoluteError / meanSignedError match numpy', () => {
    // np.mean(np.abs(np.array([0.6,0.8,0.5,0.9]) - 0.3)) -> 0.4
    expect(meanAbsoluteError([0.6, 0.8, 0.5, 0.9], 0.3)).toBeCloseTo(0.4, 14);
    // np.mean(np.abs(np.array([4.5,3,4,5]) - 3.4)) -> 0.925
    expect(meanAbsoluteError([4.5, 3, 4, 5], 3.4)).toBeCloseTo(0.925, 14);
    // np.mean(np.array([0.6,0.8,0.5,0.9]) - 0.35) -> 0.35000000000000003
    expect(meanSignedError([0.6, 0.8, 0.5, 0.9], 0.35)).toBeCloseTo(0.35, 14);
  });

  it('brierScore matches numpy', () => {
    // np.mean((np.array([0.9,0.2,0.7,0.4]) - np.array([1,0,0,1]))**2) -> 0.22499999999999998
    expect(brierScore([0.9, 0.2, 0.7, 0.4], [1, 0, 0, 1])).toBeCloseTo(0.225, 14);
    expect(brierScore([1, 0], [1, 0])).toBe(0);
    expect(brierScore([0.5, 0.5], [1, 0])).toBeCloseTo(0.25, 14);
  });

  it('excellenceBrier matches numpy', () => {
    // np.mean((np.array([0.6,0.8,0.5,0.9]) - 0.35)**2) -> 0.14750000000000002
    expect(excellenceBrier([0.6, 0.8, 0.5, 0.9], 0.35)).toBeCloseTo(0.1475, 14);
    expect(excellenceBrier([0.35, 0.35], 0.35)).toBe(0);
    expect(excellenceBrier([1], 0)).toBe(1);
  });

  it('rejects empty, mismatched or out-of-range input', () => {
    expect(() => meanAbsoluteError([], 1)).toThrow(RangeError);
    expect(() => meanSignedError([NaN], 1)).toThrow(RangeError);
    expect(() => brierScore([0.5], [1, 0])).toThrow(RangeError);
    expect(() => brierScore([1.5], [1])).toThrow(RangeError);
    expect(() => excellenceBrier([0.5], 1.2)).toThrow(RangeError);
    expect(() => excellenceBrier([], 0.5)).toThrow(RangeError);
  });
});

describe('confidenceDirection', () => {
  it('classifies the signed error against the tolerance', () => {
    expect(confidenceDirection(0.35, 0.05)).toBe('over-confident');
    expect(confidenceDirection(-0.2, 0.05)).toBe('under-confident');
    expect(confidenceDirection(0.05, 0.05)).toBe('calibrated');
    expect(confidenceDirection(0, 0)).toBe('calibrated');
    expect(() => confidenceDirection(0.1, -1)).toThrow(RangeError);
    expect(() => confidenceDirection(NaN, 0.1)).toThrow(RangeError);
  });
});
