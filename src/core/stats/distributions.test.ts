import { describe, it, expect } from 'vitest';
import {
  Z95,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
  twoSidedNormalP,
  twoSidedTP,
} from './distributions.ts';

// All reference values: scipy 1.17.1 (scipy.stats.norm / scipy.stats.t), computed in python3.

describe('normal distribution', () => {
  it('Z95 is the 97.5% quantile', () => {
    // scipy: stats.norm.ppf(0.975) -> 1.959963984540054
    expect(Z95).toBe(1.959963984540054);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
  });

  it('cdf matches scipy', () => {
    expect(normalCdf(1.5)).toBeCloseTo(0.9331927987311419, 12); // stats.norm.cdf(1.5)
    expect(normalCdf(-2.3)).toBeCloseTo(0.010724110021675809, 12); // stats.norm.cdf(-2.3)
    expect(normalCdf(0)).toBeCloseTo(0.5, 14); // stats.norm.cdf(0)
  });

  it('quantile matches scipy', () => {
    expect(normalQuantile(0.1)).toBeCloseTo(-1.2815515655446004, 10); // stats.norm.ppf(0.1)
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 10); // stats.norm.ppf(0.001)
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12); // stats.norm.ppf(0.5)
  });

  it('quantile is ±Infinity at 0 and 1 and rejects probabilities outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.2)).toThrow(RangeError);
    expect(() => normalQuantile(NaN)).toThrow(RangeError);
  });

  it('two-sided p matches scipy', () => {
    expect(twoSidedNormalP(1.96)).toBeCloseTo(0.04999579029644087, 12); // 2*stats.norm.sf(1.96)
    expect(twoSidedNormalP(-3.1)).toBeCloseTo(0.0019352064264367126, 12); // 2*stats.norm.sf(3.1)
    expect(twoSidedNormalP(0)).toBe(1);
    expect(twoSidedNormalP(Infinity)).toBe(0);
  });
});

describe("Student's t distribution", () => {
  it('cdf matches scipy, including fractional and large df', () => {
    expect(studentTCdf(2.1, 7)).toBeCloseTo(0.9630644018935387, 7); // stats.t.cdf(2.1, 7)
    expect(studentTCdf(-1.3, 3.5)).toBeCloseTo(0.1362977079021851, 7); // stats.t.cdf(-1.3, 3.5)
    expect(studentTCdf(0.4, 250)).toBeCloseTo(0.6552509620328397, 7); // stats.t.cdf(0.4, 250)
    expect(studentTCdf(2.0, 5000)).toBeCloseTo(0.9772228700058531, 7); // stats.t.cdf(2.0, 5000)
    expect(studentTCdf(-2.5, 1)).toBeCloseTo(0.12111894159084341, 7); // stats.t.cdf(-2.5, 1)
  });

  it('cdf at df = Infinity is the normal cdf', () => {
    expect(studentTCdf(1.5, Infinity)).toBeCloseTo(0.9331927987311419, 12); // stats.norm.cdf(1.5)
  });

  it('quantile matches scipy across small, fractional and huge df', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736174694, 6); // stats.t.ppf(0.975, 1)
    expect(studentTQuantile(0.975, 7)).toBeCloseTo(2.364624251592784, 7); // stats.t.ppf(0.975, 7)
    expect(studentTQuantile(0.05, 3.5)).toBeCloseTo(-2.222433493649601, 7); // stats.t.ppf(0.05, 3.5)
    expect(studentTQuantile(0.6, 12)).toBeCloseTo(0.25903274567688733, 7); // stats.t.ppf(0.6, 12)
    expect(studentTQuantile(0.975, 250)).toBeCloseTo(1.9694983934211532, 7); // stats.t.ppf(0.975, 250)
    expect(studentTQuantile(0.975, 1e4)).toBeCloseTo(1.960201239890626, 7); // stats.t.ppf(0.975, 1e4)
    expect(studentTQuantile(0.995, 1e7)).toBeCloseTo(2.5758297952037488, 7); // stats.t.ppf(0.995, 1e7)
  });

  it('two-sided p matches scipy', () => {
    expect(twoSidedTP(2.1, 7)).toBeCloseTo(0.07387119621292265, 7); // 2*stats.t.sf(2.1, 7)
    expect(twoSidedTP(-4.5, 12.5)).toBeCloseTo(0.0006573368702429501, 9); // 2*stats.t.sf(4.5, 12.5)
    expect(twoSidedTP(1.0, 40)).toBeCloseTo(0.3233218117482911, 7); // 2*stats.t.sf(1.0, 40)
    expect(twoSidedTP(0, 5)).toBe(1);
    expect(twoSidedTP(Infinity, 5)).toBe(0);
  });

  it('rejects non-positive df', () => {
    expect(() => studentTCdf(1, 0)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, -1)).toThrow(RangeError);
    expect(() => twoSidedTP(1, NaN)).toThrow(RangeError);
  });
});
