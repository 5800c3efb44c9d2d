import { describe, it, expect } from 'vitest';
import { averageRanks, kendall, kendallTauB, spearman, spearmanRho } from './rank-correlation.ts';

// Reference values: scipy 1.17.1 (stats.spearmanr, stats.kendalltau — tau-b, stats.rankdata) and the
// Bonett–Wright Fisher-z intervals computed in numpy:
//   z = stats.norm.ppf(.975); se_rho = np.sqrt((1 + r**2/2)/(n - 3)); se_tau = np.sqrt(0.437/(n - 4))
//   np.tanh(np.arctanh(r) ∓ z*se); p = 2*stats.norm.sf(abs(np.arctanh(r))/se)
describe('rank correlation', () => {
  it('average ranks ties as scipy.stats.rankdata', () => {
    expect(averageRanks([3, 1, 3, 2, 3])).toEqual([4, 1, 4, 2, 4]); // rankdata([3,1,3,2,3]) -> [4, 1, 4, 2, 4]
  });

  it('six dimensions with a tie: rho, tau-b and their intervals', () => {
    const x = [30, 25, 20, 10, 10, 5];
    const y = [12.5, 40.1, 20.3, 15.0, 7.2, 4.9];
    expect(spearmanRho(x, y)).toBeCloseTo(0.6087595874350709, 12); // spearmanr(x, y).statistic
    expect(kendallTauB(x, y)).toBeCloseTo(0.5520524474738834, 12); // kendalltau(x, y).statistic
    const s = spearman(x, y);
    expect(s.ci95![0]).toBeCloseTo(-0.481567374205091, 9);
    expect(s.ci95![1]).toBeCloseTo(0.9594482283933299, 9);
    expect(s.pValue!).toBeCloseTo(0.2607178440215674, 9);
    const k = kendall(x, y);
    expect(k.ci95![0]).toBeCloseTo(-0.28658029407303165, 9);
    expect(k.ci95![1]).toBeCloseTo(0.9116982912106751, 9);
  });

  it('ties on both sides (n = 10)', () => {
    const x = [1, 2, 2, 3, 4, 5, 5, 5, 6, 7];
    const y = [2, 1, 3, 3, 5, 4, 6, 6, 8, 7];
    expect(spearmanRho(x, y)).toBeCloseTo(0.9257365248800182, 12);
    expect(kendallTauB(x, y)).toBeCloseTo(0.8097533639902196, 12);
    const s = spearman(x, y);
    expect(s.ci95![0]).toBeCloseTo(0.6305476802686454, 9);
    expect(s.ci95![1]).toBeCloseTo(0.986958704161907, 9);
    const k = kendall(x, y);
    expect(k.ci95![0]).toBeCloseTo(0.5351712068207141, 9);
    expect(k.ci95![1]).toBeCloseTo(0.9295759716058847, 9);
    expect(k.pValue!).toBeCloseTo(3.0004043330809375e-5, 12);
  });

  it('says nothing it cannot: too few items, a constant side, perfect agreement', () => {
    expect(kendall([1, 2, 3, 4], [1, 2, 3, 4]).ci95).toBeNull(); // tau needs n ≥ 5
    expect(spearman([1, 2, 3], [3, 2, 1]).ci95).toBeNull();
    expect(Number.isNaN(spearman([1, 1, 1, 1], [1, 2, 3, 4]).estimate)).toBe(true);
    const perfect = spearman([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
    expect(perfect.estimate).toBeCloseTo(1, 12);
    expect(perfect.ci95![1]).toBeLessThanOrEqual(1);
    expect(() => spearman([1, 2], [1])).toThrow(RangeError);
  });
});
