// Leader calibration: how far leaders' predictions of the customer view are from what customers
// actually said, and in which direction (leaders over- or under-estimating the experience).

export type ConfidenceDirection = 'over-confident' | 'under-confident' | 'calibrated';

function checkNonEmpty(values: readonly number[], what: string): void {
  if (values.length === 0) throw new RangeError(`${what} must not be empty`);
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError(`${what} must be finite, got ${v}`);
}

function checkShare(v: number, what: string): void {
  if (!(v >= 0 && v <= 1)) throw new RangeError(`${what} must be in [0, 1], got ${v}`);
}

/** Mean |prediction − actual| over a leader's (or the team's) predictions of one actual value. */
export function meanAbsoluteError(predictions: readonly number[], actual: number): number {
  checkNonEmpty(predictions, 'predictions');
  return predictions.reduce((s, p) => s + Math.abs(p - actual), 0) / predictions.length;
}

/** Mean (prediction − actual): positive when leaders think the experience is better than customers do. */
export function meanSignedError(predictions: readonly number[], actual: number): number {
  checkNonEmpty(predictions, 'predictions');
  return predictions.reduce((s, p) => s + (p - actual), 0) / predictions.length;
}

/** Brier score: mean (probability − outcome)² over 0/1 outcomes; 0 is perfect, 0.25 is a constant ½. */
export function brierScore(probabilities: readonly number[], outcomes: readonly (0 | 1)[]): number {
  checkNonEmpty(probabilities, 'probabilities');
  if (probabilities.length !== outcomes.length) throw new RangeError('probabilities and outcomes differ in length');
  let total = 0;
  probabilities.forEach((p, i) => {
    checkShare(p, 'probability');
    const o = outcomes[i];
    if (o !== 0 && o !== 1) throw new RangeError(`outcomes must be 0 or 1, got ${String(o)}`);
    total += (p - o) ** 2;
  });
  return total / probabilities.length;
}

/**
 * Brier-type score for the headline prediction "what share of customers would call us excellent?":
 * the mean squared error of the predicted shares (0..1) against the observed share. It is the Brier
 * score with the 0/1 outcome replaced by the observed share, so 0 is perfect and lower is better;
 * unlike brierScore it has no irreducible outcome noise, so the two are not on the same baseline.
 */
export function excellenceBrier(predictedShares: readonly number[], actualShare: number): number {
  checkNonEmpty(predictedShares, 'predictedShares');
  checkShare(actualShare, 'actualShare');
  predictedShares.forEach((s) => checkShare(s, 'predicted share'));
  return predictedShares.reduce((sum, s) => sum + (s - actualShare) ** 2, 0) / predictedShares.length;
}

/**
 * Direction of a mean signed error (prediction − actual): above +tolerance leaders are over-confident
 * (they rate the experience better than customers do), below −tolerance under-confident, otherwise
 * calibrated. tolerance is in the units of the error (e.g. 0.05 for shares, 0.25 for a 1–5 scale).
 */
export function confidenceDirection(meanError: number, tolerance: number): ConfidenceDirection {
  if (!(tolerance >= 0)) throw new RangeError(`tolerance must be ≥ 0, got ${tolerance}`);
  if (Number.isNaN(meanError)) throw new RangeError('mean signed error is NaN');
  if (meanError > tolerance) return 'over-confident';
  if (meanError < -tolerance) return 'under-confident';
  return 'calibrated';
}
