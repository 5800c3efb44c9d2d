// Text → sparse hashed feature vector for the sentiment model: word unigrams (marked NOT_ inside a negation's
// scope) and bigrams plus character 3–4- or 3–5-grams of each word (the model file says which; they carry
// misspellings, "soooo" and word stems), hashed into a fixed number of buckets ("feature hashing") so that the
// model needs no vocabulary; plus the AFINN-165 score of each lexicon word read in context (negation, intensifiers,
// "but") as features "afinn:+3"…, and a few dense summaries of those scores (positive and negative totals, their
// balance, the last clause), so that sentiment words never seen in training (another domain's vocabulary) still
// count. Each sparse family is L2-normalised on its own, so a long review's hundreds of character n-grams do not
// drown its words. Training (scripts/) and scoring
// (sentiment.ts) must use exactly this code, so any change here needs a retrained model (FEATURES_VERSION).

import { createRequire } from 'node:module';

// The AFINN-165 word list of the `sentiment` package (the lexicon baseline), read once at load: a JSON import
// would be nicer, but tsx's transform mangles JSON module imports of that file.
const afinnLabels = createRequire(import.meta.url)('sentiment/languages/en/labels.json') as Record<string, number>;

export const FEATURES_VERSION = 3;

const AFINN = new Map<string, number>(Object.entries(afinnLabels));
const NEGATORS = new Set(['not', 'no', 'never', 'cant', 'cannot', 'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'wont', 'nothing', 'nobody', 'without', 'hardly']);

export interface FeatureOptions {
  /** Number of hash buckets, a power of two. */
  buckets: number;
  /** Weight of each family: words, characters, lexicon (after their normalisation), dense lexicon summaries (default 1 each). */
  familyWeights?: readonly [number, number, number, number];
  /** Longest character n-gram (3 to 5; default 5): shorter is faster. */
  charMax?: number;
}

export interface SparseVector {
  /** Bucket indices, ascending, unique. */
  index: Int32Array;
  /** Sublinear term frequencies (1 + ln tf), L2-normalised per feature family. */
  value: Float32Array;
}

/** Texts are cut to this many characters before featurising: long reviews say what they mean early on. */
export const MAX_FEATURE_CHARS = 5_000;

/** FNV-1a 32-bit over UTF-16 code units, from a seed (distinct seeds keep feature families apart). */
export function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const SEED_WORD = 0x811c9dc5;
const SEED_BIGRAM = 0x2c9277b5;
const SEED_CHAR = 0x5bd1e995;
const SEED_LEXICON = 0x27d4eb2f;
const SEED_DENSE = 0x165667b1;

/**
 * Lower-cased word tokens with the noise of social and survey text folded: links, @handles and digits become
 * one token each, HTML entities are decoded, "n't" is split off so "don't" and "do not" meet, and the
 * replacement character (lost apostrophes in some exports) is read as an apostrophe. With `breaks`, clause
 * punctuation is kept as tokens too.
 */
export function tokenize(text: string, breaks = false): string[] {
  const t = text
    .slice(0, MAX_FEATURE_CHARS)
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\uFFFD/g, "'")
    .replace(/[’‘]/g, "'")
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' _url ')
    .replace(/@\w+/g, ' _user ')
    .replace(/\d+(?:[.,]\d+)?/g, ' 0 ')
    .replace(/n't\b/g, ' not');
  // Words (with inner apostrophes), runs of ! or ?, and the emoticons that carry sentiment; with `breaks`, also
  // runs of the clause punctuation . , ; : (which end a negation's scope).
  return t.match(breaks ? TOKEN_WITH_BREAKS : TOKEN) ?? [];
}
const TOKEN = /[a-z_][a-z'_]*[a-z_]|[a-z]|0|!+|\?+|[:;=]-?[()dp]|<3|#[a-z]+/g;
const TOKEN_WITH_BREAKS = /[a-z_][a-z'_]*[a-z_]|[a-z]|0|!+|\?+|[:;=]-?[()dp]|<3|#[a-z]+|[.,;:]+/g;
const BREAK = /^[.,;:]+$/;
/** A token that ends a clause: punctuation, ! or ?. */
const endsClause = (t: string) => BREAK.test(t) || t[0] === '!' || t[0] === '?';

// Scratch counters reused across calls (one set per bucket count): a Map per text was the bottleneck.
interface Scratch {
  counts: Uint16Array[]; // per family, indexed by bucket (a text is cut to 5,000 characters: no count reaches 65,535)
  touched: Int32Array[]; // per family, buckets in first-touch order
  merged: Float64Array;
}
const scratches = new Map<number, Scratch>();
function scratchFor(buckets: number): Scratch {
  let s = scratches.get(buckets);
  if (!s) {
    s = {
      counts: [0, 1, 2].map(() => new Uint16Array(buckets)),
      touched: [0, 1, 2].map(() => new Int32Array(1024)),
      merged: new Float64Array(buckets),
    };
    scratches.set(buckets, s);
  }
  return s;
}

// Words that strengthen or soften the lexicon word after them, and words after which what follows weighs more
// ("ok, but the seats were awful"). Multipliers in the spirit of VADER's booster list, rounded.
const INTENSIFIERS = new Map<string, number>([
  ['very', 1.5], ['really', 1.5], ['so', 1.3], ['extremely', 1.8], ['absolutely', 1.8], ['totally', 1.5], ['incredibly', 1.8],
  ['super', 1.5], ['most', 1.3], ['too', 1.3], ['truly', 1.5], ['highly', 1.5], ['completely', 1.5], ['utterly', 1.8],
  ['quite', 1.2], ['slightly', 0.5], ['somewhat', 0.6], ['fairly', 0.7], ['bit', 0.6], ['little', 0.7], ['kinda', 0.6], ['rather', 0.8],
]);
// Only words whose second half is the point: "although" leads the weaker clause, and "though" often ends one.
const CONTRAST = new Set(['but', 'however']);

export interface LexiconSummary {
  /** Sum of the positive AFINN scores, read in context (negation, intensifiers, contrast). */
  pos: number;
  /** Sum of the magnitudes of the negative ones. */
  neg: number;
  /** Raw AFINN sums of the words read inside a negation's scope, by their own sign (magnitudes). */
  negatedPos: number;
  negatedNeg: number;
  /** Score of the last clause that has a lexicon word: what a review ends on. */
  last: number;
  /** Each lexicon word's score in context, in text order. */
  scores: number[];
}

/**
 * AFINN read in context: a negator turns the words after it to the end of the clause into half their
 * opposite ("not good" is mildly bad, not as bad as "bad"; VADER uses −0.74), an intensifier multiplies the next
 * word ("very good" 1.5 × good), and a contrast word ("but", "however") halves what came before and weighs
 * what follows 1.5 times, as VADER does. Takes tokenize(text, true).
 */
export function lexiconSummary(tokens: readonly string[]): LexiconSummary {
  const scores: number[] = [];
  const clauses: number[] = [];
  let negated = false;
  let clause = 0;
  let afterContrast = false;
  let negatedPos = 0;
  let negatedNeg = 0;
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i]!;
    if (endsClause(w)) {
      negated = false;
      clause++;
    } else if (NEGATORS.has(w)) negated = true;
    else if (CONTRAST.has(w)) {
      negated = false;
      clause++;
      afterContrast = true;
      for (let k = 0; k < scores.length; k++) scores[k]! *= 0.5;
    } else {
      const a = AFINN.get(w.startsWith('#') ? w.slice(1) : w);
      if (a === undefined) continue;
      let v = a * (INTENSIFIERS.get(tokens[i - 1] ?? '') ?? 1);
      if (negated) {
        if (a > 0) negatedPos += a;
        else negatedNeg -= a;
        v *= -0.5;
      }
      scores.push(afterContrast ? v * 1.5 : v);
      clauses.push(clause);
    }
  }
  let pos = 0;
  let neg = 0;
  let last = 0;
  for (let k = 0; k < scores.length; k++) {
    const v = scores[k]!;
    if (v > 0) pos += v;
    else neg -= v;
    if (clauses[k] === clauses[clauses.length - 1]) last += v;
  }
  return { pos, neg, negatedPos, negatedNeg, last, scores };
}

/**
 * The dense summaries (family 3), each in [−1, 1]: they carry the lexicon's verdict on any text, of any length and
 * any domain, which the sparse families learnt from three sources cannot. Names are hashed like any feature.
 */
export function denseFeatures(tokens: readonly string[], lex: LexiconSummary): number[] {
  let exclaim = 0;
  for (const t of tokens) if (t[0] === '!') exclaim++;
  const n = lex.scores.length;
  return [
    Math.tanh(lex.pos / 6),
    Math.tanh(lex.neg / 6),
    (lex.pos - lex.neg) / (lex.pos + lex.neg + 1),
    Math.tanh(lex.negatedPos / 3),
    Math.tanh(lex.negatedNeg / 3),
    Math.tanh(lex.last / 3),
    n ? Math.tanh((lex.pos - lex.neg) / n / 2) : 0,
    n ? 0 : 1,
    Math.tanh(exclaim / 2),
  ];
}
export const DENSE_NAMES = ['pos', 'neg', 'balance', 'negatedPos', 'negatedNeg', 'last', 'mean', 'none', 'exclaim'] as const;
const DENSE_HASH = DENSE_NAMES.map((n) => fnv1a(`dense:${n}`, SEED_DENSE));
/** Buckets of the dense features (training leaves them out of L2: they are few and present in every text). */
export const denseBuckets = (buckets: number): number[] => DENSE_HASH.map((h) => h & (buckets - 1));

/**
 * The unigram names of tokenize(text, true): a word after a negator, up to the end of its clause (punctuation,
 * ! or ?, or a contrast word), is prefixed NOT_, since "not recommend" is not "recommend" (Das & Chen 2001).
 */
export function negationMarked(tokens: readonly string[]): string[] {
  let negated = false;
  return tokens.map((w) => {
    if (endsClause(w) || CONTRAST.has(w)) {
      negated = false;
      return w;
    }
    const name = negated ? 'NOT_' + w : w;
    if (NEGATORS.has(w)) negated = true;
    return name;
  });
}

/** Hashed features of a text: per family counts → 1 + ln(tf) → L2-normalised; families summed per bucket; dense summaries added. */
export function featurize(text: string, opts: FeatureOptions): SparseVector {
  const mask = opts.buckets - 1;
  const s = scratchFor(opts.buckets);
  const used = [0, 0, 0];
  const bump = (family: number, h: number) => {
    const b = h & mask;
    const counts = s.counts[family]!;
    if (counts[b] === 0) {
      let list = s.touched[family]!;
      if (used[family] === list.length) {
        const grown = new Int32Array(list.length * 2);
        grown.set(list);
        s.touched[family] = list = grown;
      }
      list[used[family]!++] = b;
    }
    counts[b]++;
  };
  const charMax = Math.min(5, Math.max(3, opts.charMax ?? 5));
  const tokens = tokenize(text, true);
  const marked = negationMarked(tokens);
  let prev = '';
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i]!;
    if (BREAK.test(w)) {
      // Punctuation ends a clause: no unigram of its own, and no bigram across it.
      prev = '';
      continue;
    }
    bump(0, fnv1a(marked[i]!, SEED_WORD));
    if (prev) bump(0, fnv1a(prev + ' ' + w, SEED_BIGRAM));
    prev = w;
    const c0 = w.charCodeAt(0);
    if (w.length >= 2 && c0 >= 97 && c0 <= 122) {
      // Character 3–charMax-grams of " word ": FNV-1a runs on from each start, so every n-gram is hashed in one pass
      // (the same values as fnv1a(slice, SEED_CHAR)).
      const padded = ' ' + w + ' ';
      const len = padded.length;
      for (let j = 0; j + 3 <= len; j++) {
        let h = SEED_CHAR >>> 0;
        for (let n = 1; n <= charMax && j + n <= len; n++) {
          h ^= padded.charCodeAt(j + n - 1);
          h = Math.imul(h, 0x01000193);
          if (n >= 3) bump(1, h >>> 0);
        }
      }
    }
  }
  const lex = lexiconSummary(tokens);
  for (const score of lex.scores) {
    const v = Math.max(-5, Math.min(5, Math.round(score)));
    if (v === 0) continue;
    bump(2, fnv1a(`afinn:${v}`, SEED_LEXICON));
    bump(2, fnv1a(v > 0 ? 'afinn:pos' : 'afinn:neg', SEED_LEXICON));
  }
  // Buckets of all families, each once; merged values summed family by family.
  const all: number[] = [];
  for (let f = 0; f < 3; f++) {
    const counts = s.counts[f]!;
    const list = s.touched[f]!;
    let norm = 0;
    for (let k = 0; k < used[f]!; k++) norm += (1 + Math.log(counts[list[k]!]!)) ** 2;
    norm = (Math.sqrt(norm) || 1) / (opts.familyWeights?.[f] ?? 1);
    for (let k = 0; k < used[f]!; k++) {
      const b = list[k]!;
      if (s.merged[b] === 0) all.push(b);
      s.merged[b] += (1 + Math.log(counts[b]!)) / norm;
    }
  }
  const weight = opts.familyWeights?.[3] ?? 1;
  if (tokens.length && weight > 0) {
    const dense = denseFeatures(tokens, lex);
    for (let k = 0; k < dense.length; k++) {
      if (dense[k] === 0) continue;
      const b = DENSE_HASH[k]! & mask;
      if (s.merged[b] === 0) all.push(b);
      s.merged[b] += dense[k]! * weight;
    }
  }
  const index = Int32Array.from(all).sort();
  const value = new Float32Array(index.length);
  for (let k = 0; k < index.length; k++) value[k] = s.merged[index[k]!]!;
  // Reset only what was touched, so the next call starts from zero.
  for (let f = 0; f < 3; f++) for (let k = 0; k < used[f]!; k++) s.counts[f]![s.touched[f]![k]!] = 0;
  for (const b of all) s.merged[b] = 0;
  return { index, value };
}
