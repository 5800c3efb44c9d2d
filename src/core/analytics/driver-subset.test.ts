// Choosing the dimensions of a driver model from the sums per answered set: the complete cases of a
// subset are the sets that miss none of it; a dimension is left out only when that gains cases, one at a
// time, ties to the first key; when no subset meets the minimum nothing is left out.
import { describe, expect, it } from 'vitest';
import { chooseDriverSubset, completeCaseSums, type AnsweredSet } from './driver-subset.ts';
import { pairKey } from './drivers.ts';

/** An answered set of `n` identical responses `x` (item → value); `missing` are the predictors left unanswered. */
function set(n: number, x: Record<string, number>, missing: string[] = []): AnsweredSet {
  const vars = Object.keys(x);
  const sums = new Map(vars.map((v) => [v, n * x[v]!]));
  const cross = new Map<string, number>();
  vars.forEach((a, i) => vars.slice(i).forEach((b) => cross.set(pairKey(a, b), n * x[a]! * x[b]!)));
  return { missing, sums: { n, sums, cross } };
}

const P = ['a', 'b', 'c', 'd'];
const min = (k: number) => (p: number) => Math.max(k, p + 2);

describe('chooseDriverSubset', () => {
  it('sums exactly the sets that miss none of the predictors', () => {
    const sets = [set(3, { a: 1, b: 2, c: 3, d: 4, y: 5 }), set(2, { a: 2, b: 1, c: 1, y: 3 }, ['d']), set(4, { a: 5, b: 5, y: 1 }, ['c', 'd'])];
    const s = completeCaseSums(sets, ['a', 'b'], 'y');
    expect(s.n).toBe(9);
    expect(s.sums.get('a')).toBe(3 * 1 + 2 * 2 + 4 * 5);
    expect(s.cross.get(pairKey('a', 'y'))).toBe(3 * 5 + 2 * 6 + 4 * 5);
    expect(s.sums.has('c')).toBe(false);
    expect(completeCaseSums(sets, ['a', 'c'], 'y').n).toBe(5);
  });

  it('keeps every predictor when the complete cases meet the minimum', () => {
    const sets = [set(10, { a: 1, b: 1, c: 1, d: 1, y: 1 }), set(50, { a: 1, b: 1, c: 1, y: 1 }, ['d'])];
    const r = chooseDriverSubset(sets, P, 'y', min(10));
    expect(r.predictors).toEqual(P);
    expect(r.leftOut).toEqual([]);
    expect(r.sums.n).toBe(10);
  });

  it('leaves out the predictor whose omission gains most, ties to the first key, and says why', () => {
    // c and d each cost 20 cases: c goes first (the first key), then d would be needed no more.
    const sets = [set(5, { a: 1, b: 1, c: 1, d: 1, y: 1 }), set(20, { a: 1, b: 1, d: 1, y: 1 }, ['c']), set(20, { a: 1, b: 1, c: 1, y: 1 }, ['d'])];
    const r = chooseDriverSubset(sets, P, 'y', min(20));
    expect(r.predictors).toEqual(['a', 'b', 'd']);
    expect(r.sums.n).toBe(25);
    expect(r.leftOut).toEqual([
      {
        item: 'c',
        answeredBy: 25,
        reason: 'rated by 25 of the 45 customers who answered the outcome and at least two dimensions; keeping it would leave 5 complete cases where the model needs at least 20 (without it: 25)',
      },
    ]);
  });

  it('never leaves a predictor out just to lower the minimum, nor goes below two', () => {
    // Every response complete: no omission gains a case, so nothing is left out (and the model is refused as before).
    const complete = [set(7, { a: 1, b: 2, c: 3, d: 4, y: 5 })];
    expect(chooseDriverSubset(complete, P, 'y', min(10))).toMatchObject({ predictors: P, leftOut: [], sums: { n: 7 } });
    // Leaving out c and d gains cases but still too few: nothing is left out, n is that of all four.
    const sparse = [set(2, { a: 1, b: 1, c: 1, d: 1, y: 1 }), set(3, { a: 1, b: 1, y: 1 }, ['c', 'd'])];
    expect(chooseDriverSubset(sparse, P, 'y', min(10))).toMatchObject({ predictors: P, leftOut: [], sums: { n: 2 } });
  });
});
