// Key-driver importance: Johnson's (2000) relative weights split the R² of the overall score across
// correlated predictors (dimensions, touchpoints), which raw regression coefficients cannot do fairly.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

export type RelativeWeights = { weights: number[]; rSquared: number };

/**
 * Johnson's relative weights from the predictor correlation matrix R and the predictor–outcome
 * correlations rxy. With R = QΛQᵀ, the predictors X relate to their closest orthogonal counterparts Z
 * through Λ* = QΛ^{1/2}Qᵀ; the outcome is regressed on Z (β = Λ*⁻¹ rxy) and each Z's share β_k² is
 * handed back to the X's in proportion to Λ*_{jk}²: weight_j = Σ_k Λ*_{jk}² β_k².
 * The weights sum to R² = rxyᵀ R⁻¹ rxy. Throws if R is not positive definite (collinear predictors):
 * no unique decomposition exists then, and the caller should drop or merge predictors.
 */
export function johnsonRelativeWeights(R: readonly number[][], rxy: readonly number[]): RelativeWeights {
  const k = rxy.length;
  if (R.length !== k || R.some((row) => row.length !== k)) {
    throw new RangeError(`R must be ${k}×${k} to match rxy`);
  }
  if (k === 0) return { weights: [], rSquared: 0 };
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (!Number.isFinite(R[i][j]) || Math.abs(R[i][j] - R[j][i]) > 1e-9) {
        throw new RangeError('R must be a finite symmetric matrix');
      }
    }
    if (!Number.isFinite(rxy[i])) throw new RangeError('rxy must be finite');
  }

  const evd = new EigenvalueDecomposition(new Matrix(R.map((row) => [...row])), { assumeSymmetric: true });
  const lambda = evd.realEigenvalues;
  const q = evd.eigenvectorMatrix;
  const maxLambda = Math.max(...lambda);
  if (!(Math.min(...lambda) > 1e-10 * maxLambda)) {
    throw new RangeError('predictor correlation matrix is singular or not positive definite');
  }
  const qt = q.transpose();
  const lambdaStar = q.mmul(Matrix.diag(lambda.map(Math.sqrt))).mmul(qt);
  const lambdaStarInv = q.mmul(Matrix.diag(lambda.map((l) => 1 / Math.sqrt(l)))).mmul(qt);
  const beta = lambdaStarInv.mmul(Matrix.columnVector([...rxy])).getColumn(0);

  const weights = Array.from({ length: k }, (_, j) => {
    let w = 0;
    for (let m = 0; m < k; m++) w += lambdaStar.get(j, m) ** 2 * beta[m] ** 2;
    return w;
  });
  return { weights, rSquared: weights.reduce((s, w) => s + w, 0) };
}

/**
 * Pearson correlation matrix from sufficient statistics over complete cases: n, Σx_i and Σx_i·x_j
 * (crossProducts[i][j]), so drivers can be computed from SQL aggregates without moving raw rows.
 * A variable with no spread has no defined correlation; it gets 0 against the others (so it carries
 * no weight as a driver) and 1 on the diagonal.
 */
export function correlationFromCrossProducts(
  n: number,
  sums: readonly number[],
  crossProducts: readonly number[][],
): number[][] {
  const k = sums.length;
  if (!(n >= 2)) throw new RangeError(`correlations need n ≥ 2, got ${n}`);
  if (crossProducts.length !== k || crossProducts.some((row) => row.length !== k)) {
    throw new RangeError(`crossProducts must be ${k}×${k} to match sums`);
  }
  const cov = (i: number, j: number): number => crossProducts[i][j] - (sums[i] * sums[j]) / n;
  // Centred sums of squares within rounding noise of 0 are taken as exactly 0 (see moments.ts).
  const spread = sums.map((_, i) => {
    const c = cov(i, i);
    return c > 1e-12 * Math.abs(crossProducts[i][i]) ? Math.sqrt(c) : 0;
  });
  return sums.map((_, i) =>
    sums.map((__, j) => {
      if (i === j) return 1;
      if (spread[i] === 0 || spread[j] === 0) return 0;
      return Math.min(1, Math.max(-1, cov(i, j) / (spread[i] * spread[j])));
    }),
  );
}
