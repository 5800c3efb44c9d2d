// Which customer dimensions a key-driver model can use when customers rate only some of them (issue 11).
//
// The driver cells keep each response's sums under its answered set (store/driver-cells.ts): the
// predictors it left unanswered (`missing`). The complete cases of a predictor subset T are exactly the
// responses of the sets whose `missing` shares nothing with T, and their n, Σx and Σx·x over T's
// variables are those sets' sums — listwise deletion on T, with its honest n and positive semi-definite
// correlation matrix, only on fewer dimensions.
//
// Choosing T: all predictors while their complete cases meet the model's minimum (`required`, the rule of
// drivers.ts). Below it, the dimension whose omission gains the most complete cases is left out (ties: the
// first key), again until the minimum is met. A dimension is left out only when that gains cases, never
// just to lower the minimum, and never below two predictors. When no such subset meets the minimum, no
// dimension is left out and the report says, as before, how few complete cases there are. So whenever
// every response rates every dimension the model is exactly the listwise one on all of them.
import { count } from '../number-format.ts';
import { pairKey, type DriverSumsInput } from './drivers.ts';

/** One answered set's sums: over its answered predictors and the outcome. */
export interface AnsweredSet {
  /** The predictors its responses left unanswered (empty: complete cases). */
  missing: readonly string[];
  sums: DriverSumsInput;
}

export interface LeftOutDimension {
  /** The predictor item (dim:<key>). */
  item: string;
  /** Customers in the sets (answered the outcome and at least two dimensions) who rated it. */
  answeredBy: number;
  reason: string;
}

export interface DriverSubset {
  /** The predictors the model uses, in the order given. */
  predictors: string[];
  /** Their complete cases' sums. */
  sums: DriverSumsInput;
  leftOut: LeftOutDimension[];
}

/** Complete cases of `predictors`: the sets that miss none of them. */
const completeSets = (sets: readonly AnsweredSet[], predictors: readonly string[]) => sets.filter((s) => !s.missing.some((m) => predictors.includes(m)));

/** n, Σx and Σx·x of the complete cases of `predictors` over their variables and the outcome. */
export function completeCaseSums(sets: readonly AnsweredSet[], predictors: readonly string[], outcome: string): DriverSumsInput {
  const vars = [...predictors, outcome];
  const out: DriverSumsInput = { n: 0, sums: new Map(), cross: new Map() };
  for (const s of completeSets(sets, predictors)) {
    out.n += s.sums.n;
    vars.forEach((a, i) => {
      out.sums.set(a, (out.sums.get(a) ?? 0) + (s.sums.sums.get(a) ?? 0));
      for (const b of vars.slice(i)) {
        const k = pairKey(a, b);
        out.cross.set(k, (out.cross.get(k) ?? 0) + (s.sums.cross.get(k) ?? 0));
      }
    });
  }
  return out;
}

/**
 * The predictors to model (see the module comment). `required(p)` is the fewest complete cases a model
 * on p predictors needs.
 */
export function chooseDriverSubset(sets: readonly AnsweredSet[], predictors: readonly string[], outcome: string, required: (p: number) => number): DriverSubset {
  const n = (ps: readonly string[]) => completeSets(sets, ps).reduce((t, s) => t + s.sums.n, 0);
  const everyone = sets.reduce((t, s) => t + s.sums.n, 0);
  let kept = [...predictors];
  const leftOut: LeftOutDimension[] = [];
  while (kept.length > 2 && n(kept) < required(kept.length)) {
    const now = n(kept);
    let best: { item: string; gain: number } | undefined;
    for (const item of kept) {
      const gain = n(kept.filter((p) => p !== item));
      if (!best || gain > best.gain || (gain === best.gain && item < best.item)) best = { item, gain };
    }
    if (best!.gain <= now) break;
    const answeredBy = sets.filter((s) => !s.missing.includes(best!.item)).reduce((t, s) => t + s.sums.n, 0);
    leftOut.push({
      item: best!.item,
      answeredBy,
      reason:
        `rated by ${count(answeredBy)} of the ${count(everyone)} customers who answered the outcome and at least two dimensions; ` +
        `keeping it would leave ${count(now)} complete cases where the model needs at least ${count(required(kept.length))} (without it: ${count(best!.gain)})`,
    });
    kept = kept.filter((p) => p !== best!.item);
  }
  // No subset that meets the minimum: nothing is left out, and the model is refused as it always was.
  if (leftOut.length && n(kept) < required(kept.length)) return { predictors: [...predictors], sums: completeCaseSums(sets, predictors, outcome), leftOut: [] };
  return { predictors: kept, sums: completeCaseSums(sets, kept, outcome), leftOut };
}
