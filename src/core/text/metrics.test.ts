import { describe, expect, it } from 'vitest';
import { classification, macroF1 } from './metrics.ts';

describe('classification metrics', () => {
  // Reference: per-class tp/fp/fn counted by hand and with numpy (python3: precision = tp/(tp+fp), recall =
  // tp/(tp+fn), F1 = 2PR/(P+R); mean over classes) on truth "nnnpppuuuu" vs predicted "npupppuunn":
  // n: P 1/3 R 1/3 F 1/3; p: P 3/4 R 1 F 6/7; u: P 2/3 R 1/2 F 4/7; macro-F1 0.5873015873; accuracy 0.6.
  const truth = [...'nnnpppuuuu'];
  const pred = [...'npupppuunn'];
  it('matches the hand/numpy reference', () => {
    const c = classification(truth, pred, ['n', 'p', 'u']);
    expect(c.perClass.map((x) => [x.label, x.precision, x.recall, x.f1, x.support])).toEqual([
      ['n', 1 / 3, 1 / 3, expect.closeTo(1 / 3, 12), 3],
      ['p', 0.75, 1, expect.closeTo(6 / 7, 12), 3],
      ['u', 2 / 3, 0.5, expect.closeTo(4 / 7, 12), 4],
    ]);
    expect(c.macroF1).toBeCloseTo(0.5873015873015873, 12);
    expect(c.accuracy).toBe(0.6);
  });
  it('a class never predicted scores 0, so always answering the majority is punished', () => {
    expect(macroF1(['a', 'a', 'a', 'b'], ['a', 'a', 'a', 'a'], ['a', 'b'])).toBeCloseTo((2 * 0.75) / 1.75 / 2, 12);
  });
  it('refuses mismatched lengths', () => {
    expect(() => classification(['a'], [], ['a'])).toThrow();
  });
});
