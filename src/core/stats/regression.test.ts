import { describe, it, expect } from 'vitest';
import { weightedLinearTrend, type TrendPoint } from './regression.ts';

// References: numpy 2.4 / scipy 1.17.1, for each case (x, y, var as float arrays):
//   w = 1/var; Z = stats.norm.ppf(0.975)
//   (slope, intercept), cov = np.polyfit(x, y, 1, w=np.sqrt(w), cov='unscaled')
//   X = np.column_stack([x, np.ones_like(x)]); se = np.sqrt(np.linalg.inv(X.T @ np.diag(w) @ X)[0, 0])
//   ci = (slope - Z*se, slope + Z*se); z = slope/se; p = 2*stats.norm.sf(abs(z))
// (np.sqrt(cov[0,0]) from polyfit agrees with se to 1e-16.)
const pts = (x: number[], y: number[], v: number[]): TrendPoint[] => x.map((xi, i) => ({ x: xi, y: y[i], variance: v[i] }));

describe('weightedLinearTrend', () => {
  it('detects a widening gap', () => {
    // x=[0,1,2,3,4,5], y=[5,6.5,6,8,9.5,9], var=[1,0.5,2,1,0.8,1.5]
    //   -> slope 0.8947755702722591, intercept 5.306475349521707, se 0.23803215815292156,
    //      ci (0.42824111313019064, 1.3613100274143275), z 3.759053302778605, p 0.0001705575017110247
    const r = weightedLinearTrend(pts([0, 1, 2, 3, 4, 5], [5, 6.5, 6, 8, 9.5, 9], [1, 0.5, 2, 1, 0.8, 1.5]));
    expect(r.n).toBe(6);
    expect(r.slope!).toBeCloseTo(0.8947755702722591, 12);
    expect(r.intercept!).toBeCloseTo(5.306475349521707, 12);
    expect(r.se!).toBeCloseTo(0.23803215815292156, 12);
    expect(r.ci95![0]).toBeCloseTo(0.42824111313019064, 10);
    expect(r.ci95![1]).toBeCloseTo(1.3613100274143275, 10);
    expect(r.z!).toBeCloseTo(3.759053302778605, 10);
    expect(r.pValue!).toBeCloseTo(0.0001705575017110247, 12);
    expect(r.direction).toBe('widening');
  });

  it('detects a narrowing gap', () => {
    // x=[1,2,3,4], y=[10,8.2,7.9,5.1], var=[0.5,0.4,0.6,0.5]
    //   -> slope -1.507739307535642, intercept 11.512830957230147, se 0.3159055776845668,
    //      ci (-2.126902862312713, -0.8885757527585709), z -4.772753044079288, p 1.817245675329879e-06
    const r = weightedLinearTrend(pts([1, 2, 3, 4], [10, 8.2, 7.9, 5.1], [0.5, 0.4, 0.6, 0.5]));
    expect(r.slope!).toBeCloseTo(-1.507739307535642, 12);
    expect(r.intercept!).toBeCloseTo(11.512830957230147, 12);
    expect(r.se!).toBeCloseTo(0.3159055776845668, 12);
    expect(r.ci95![0]).toBeCloseTo(-2.126902862312713, 10);
    expect(r.ci95![1]).toBeCloseTo(-0.8885757527585709, 10);
    expect(r.z!).toBeCloseTo(-4.772753044079288, 10);
    expect(r.pValue!).toBeCloseTo(1.817245675329879e-6, 14);
    expect(r.direction).toBe('narrowing');
  });

  it('reports no evidence when the interval straddles 0', () => {
    // x=[0,1,2,3,4], y=[3,2,4,2.5,3.5], var all 1
    //   -> slope 0.1499999999999998, intercept 2.7, se 0.3162277660168379,
    //      ci (-0.46979503230456165, 0.7697950323045613), p 0.6352562959972486
    const r = weightedLinearTrend(pts([0, 1, 2, 3, 4], [3, 2, 4, 2.5, 3.5], [1, 1, 1, 1, 1]));
    expect(r.slope!).toBeCloseTo(0.15, 12);
    expect(r.intercept!).toBeCloseTo(2.7, 12);
    expect(r.se!).toBeCloseTo(0.3162277660168379, 12);
    expect(r.ci95![0]).toBeCloseTo(-0.46979503230456165, 10);
    expect(r.ci95![1]).toBeCloseTo(0.7697950323045613, 10);
    expect(r.pValue!).toBeCloseTo(0.6352562959972486, 10);
    expect(r.direction).toBe('no evidence');
  });

  it('is unaffected by a large offset in x (e.g. timestamps)', () => {
    const shifted = weightedLinearTrend(pts([1e9, 1e9 + 1, 1e9 + 2, 1e9 + 3], [10, 8.2, 7.9, 5.1], [0.5, 0.4, 0.6, 0.5]));
    expect(shifted.slope!).toBeCloseTo(-1.507739307535642, 8);
    expect(shifted.se!).toBeCloseTo(0.3159055776845668, 8);
  });

  it('fewer than 3 points or constant x: no evidence and no NaN', () => {
    expect(weightedLinearTrend([])).toEqual({
      n: 0, slope: null, intercept: null, se: null, ci95: null, z: null, pValue: null, direction: 'no evidence',
    });
    expect(weightedLinearTrend(pts([1], [2], [1])).slope).toBeNull();
    const two = weightedLinearTrend(pts([0, 1], [1, 3], [1, 1]));
    expect(two.slope).toBeCloseTo(2, 14);
    expect(two.intercept).toBeCloseTo(1, 14);
    expect(two).toMatchObject({ se: null, ci95: null, z: null, pValue: null, direction: 'no evidence' });
    const flatX = weightedLinearTrend(pts([2, 2, 2], [1, 3, 5], [1, 1, 1]));
    expect(flatX).toMatchObject({ slope: null, se: null, direction: 'no evidence' });
  });

  it('rejects non-positive variances', () => {
    expect(() => weightedLinearTrend(pts([0, 1, 2], [1, 2, 3], [1, 0, 1]))).toThrow(RangeError);
    expect(() => weightedLinearTrend(pts([0, 1, 2], [1, NaN, 3], [1, 1, 1]))).toThrow(RangeError);
  });
});
