import { describe, it, expect } from 'vitest';
import { johnsonRelativeWeights, correlationFromCrossProducts } from './relative-weights.ts';

// Fixed data: columns reliability, responsiveness, empathy (predictors), overall (outcome).
const D = [
  [4, 3, 5, 4], [2, 2, 3, 2], [5, 4, 4, 5], [3, 3, 2, 3], [4, 5, 4, 5], [1, 2, 2, 1],
  [3, 4, 3, 4], [5, 5, 5, 5], [2, 3, 4, 3], [4, 4, 3, 4], [3, 2, 3, 2], [5, 3, 4, 4],
];

// numpy 2.4: C = np.corrcoef(D, rowvar=False)
const C_REF = [
  [1.0, 0.6675548608412529, 0.6585745702329152, 0.870331772329002],
  [0.6675548608412529, 1.0, 0.5083042452524145, 0.9024435894464341],
  [0.6585745702329152, 0.5083042452524145, 1.0, 0.6917144638660747],
  [0.870331772329002, 0.9024435894464342, 0.6917144638660747, 1.0],
];

function sufficientStats(rows: number[][]): { n: number; sums: number[]; cross: number[][] } {
  const k = rows[0].length;
  const sums = Array.from({ length: k }, (_, i) => rows.reduce((s, r) => s + r[i], 0));
  const cross = Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (__, j) => rows.reduce((s, r) => s + r[i] * r[j], 0)),
  );
  return { n: rows.length, sums, cross };
}

describe('correlationFromCrossProducts', () => {
  it('matches np.corrcoef', () => {
    const { n, sums, cross } = sufficientStats(D);
    // numpy: D.sum(0) -> [41, 40, 42, 42]; (D.T @ D)[0] -> [159, 147, 153, 160]
    expect(sums).toEqual([41, 40, 42, 42]);
    expect(cross[0]).toEqual([159, 147, 153, 160]);
    const C = correlationFromCrossProducts(n, sums, cross);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(C[i][j]).toBeCloseTo(C_REF[i][j], 12);
  });

  it('a constant variable gets 0 correlations, not NaN; n < 2 throws', () => {
    const { n, sums, cross } = sufficientStats([[1, 3], [2, 3], [4, 3]]);
    expect(correlationFromCrossProducts(n, sums, cross)).toEqual([[1, 0], [0, 1]]);
    expect(() => correlationFromCrossProducts(1, [1], [[1]])).toThrow(RangeError);
  });
});

describe('johnsonRelativeWeights', () => {
  it('matches a numpy eigendecomposition and sums to the regression R²', () => {
    // numpy 2.4: R = C[:3,:3]; rxy = C[:3,3]; lam, Q = np.linalg.eigh(R)
    //   L = Q @ np.diag(np.sqrt(lam)) @ Q.T; beta = np.linalg.solve(L, rxy); w = (L**2) @ (beta**2)
    //   -> w = [0.33755665633875176, 0.43471890879512365, 0.1827023705027619], w.sum() 0.9549779356366372
    // R² independently, by least squares on standardised data:
    //   Z = (D - D.mean(0)) / D.std(0, ddof=1); b = np.linalg.lstsq(Z[:,:3], Z[:,3])[0]
    //   1 - ((Z[:,3] - Z[:,:3] @ b)**2).sum() / (Z[:,3]**2).sum() -> 0.9549779356366376
    const R = C_REF.slice(0, 3).map((row) => row.slice(0, 3));
    const rxy = C_REF.slice(0, 3).map((row) => row[3]);
    const { weights, rSquared } = johnsonRelativeWeights(R, rxy);
    expect(weights[0]).toBeCloseTo(0.33755665633875176, 10);
    expect(weights[1]).toBeCloseTo(0.43471890879512365, 10);
    expect(weights[2]).toBeCloseTo(0.1827023705027619, 10);
    expect(rSquared).toBeCloseTo(0.9549779356366376, 10);
  });

  it('works end to end from sufficient statistics', () => {
    const { n, sums, cross } = sufficientStats(D);
    const C = correlationFromCrossProducts(n, sums, cross);
    const { rSquared } = johnsonRelativeWeights(C.slice(0, 3).map((r) => r.slice(0, 3)), C.slice(0, 3).map((r) => r[3]));
    expect(rSquared).toBeCloseTo(0.9549779356366376, 10); // numpy lstsq R² above
  });

  it('uncorrelated predictors get their squared correlations', () => {
    // With R = I the weights are rxy² by definition (Johnson 2000): 0.3² = 0.09, 0.5² = 0.25.
    const { weights, rSquared } = johnsonRelativeWeights([[1, 0], [0, 1]], [0.3, 0.5]);
    expect(weights[0]).toBeCloseTo(0.09, 12);
    expect(weights[1]).toBeCloseTo(0.25, 12);
    expect(rSquared).toBeCloseTo(0.34, 12);
  });

  it('handles empty input and rejects singular or malformed matrices', () => {
    expect(johnsonRelativeWeights([], [])).toEqual({ weights: [], rSquared: 0 });
    expect(() => johnsonRelativeWeights([[1, 1], [1, 1]], [0.5, 0.5])).toThrow(RangeError);
    expect(() => johnsonRelativeWeights([[1, 0.2], [0.3, 1]], [0.5, 0.5])).toThrow(RangeError);
    expect(() => johnsonRelativeWeights([[1]], [0.5, 0.5])).toThrow(RangeError);
  });
});
