// Classification metrics for the text bench and the training report: per-class precision, recall and F1, and
// their unweighted mean (macro-F1), which does not let the majority class (negative tweets) hide the others.

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * Per-class metrics over `labels` (the classes that count) and macro-F1 = mean F1 over them. A class never
 * predicted has precision 0 (as scikit-learn's zero_division=0), so a degenerate classifier scores low.
 */
export function classification(truth: readonly string[], predicted: readonly string[], labels: readonly string[]) {
  if (truth.length !== predicted.length) throw new Error('truth and predicted differ in length');
  const perClass: ClassMetrics[] = labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < truth.length; i++) {
      const t = truth[i] === label;
      const p = predicted[i] === label;
      if (t && p) tp++;
      else if (p) fp++;
      else if (t) fn++;
    }
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support: tp + fn };
  });
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) correct++;
  return {
    perClass,
    macroF1: perClass.reduce((s, c) => s + c.f1, 0) / (perClass.length || 1),
    accuracy: truth.length ? correct / truth.length : 0,
    n: truth.length,
  };
}

export const macroF1 = (truth: readonly string[], predicted: readonly string[], labels: readonly string[]): number =>
  classification(truth, predicted, labels).macroF1;
