// Text → sparse hashed feature vector for the sentiment model: word unigrams and bigrams plus character
// 3–4- or 3–5-grams of each word (the model file says which; they carry misspellings, "soooo" and word
// stems), hashed into a fixed number of buckets ("feature hashing") so that the model needs no vocabulary;
// plus the AFINN-165 score of each lexicon word (flipped after a negator) as features "afinn:+3"…, so that
// sentiment words never seen in training (another domain's vocabulary) still count. Each family is L2-normalised on its own, so a long
// review's hundreds of character n-grams do not drown its words. Training (scripts/) and scoring
// (sentiment.ts) must use exactly this code, so any change here needs a retrained model (FEATURES_VERSION).

import { createRequire } from 'node:module';

// The AFINN-165 word list of the `sentiment` package (the lexicon baseline), read once at load: a JSON import
// would be nicer, but tsx's transform mangles JSON module imports of that file.
const afinnLabels = createRequire(import.meta.url)('sentiment/languages/en/labels.json') as Record<string, number>;

export const FEATURES_VERSION = 2;

const AFINN = new Map<string, number>(Object.entries(afinnLabels));
const NEGATORS = new Set(['not', 'no', 'never', 'cant', 'cannot', 'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'wont', 'nothing', 'nobody', 'without', 'hardly']);

export interface FeatureOptions {
  /** Number of hash buckets, a power of two. */
  buckets: number;
  /** Weight of each family after its normalisation: words, characters, lexicon (default 1 each). */
  familyWeights?: readonly [number, number, number];
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

/**
 * Lower-cased word tokens with the noise of social and survey text folded: links, @handles and digits become
 * one token each, HTML entities are decoded, "n't" is split off so "don't" and "do not" meet, and the
 * replacement character (lost apostrophes in some exports) is read as an apostrophe.
 */
export function tokenize(text: string): string[] {
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
  // Words (with inner apostrophes), runs of ! or ?, and the emoticons that carry sentiment.
  return t.match(/[a-z_][a-z'_]*[a-z_]|[a-z]|0|!+|\?+|[:;=]-?[()dp]|<3|#[a-z]+/g) ?? [];
}

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

/** Hashed features of a text: per family counts → 1 + ln(tf) → L2-normalised; families summed per bucket. */
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
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i]!;
    bump(0, fnv1a(w, SEED_WORD));
    if (i > 0) bump(0, fnv1a(tokens[i - 1] + ' ' + w, SEED_BIGRAM));
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
    const a = AFINN.get(w.startsWith('#') ? w.slice(1) : w);
    if (a !== undefined) {
      const negated = (i > 0 && NEGATORS.has(tokens[i - 1]!)) || (i > 1 && NEGATORS.has(tokens[i - 2]!));
      const v = negated ? -a : a;
      bump(2, fnv1a(`afinn:${v}`, SEED_LEXICON));
      bump(2, fnv1a(v > 0 ? 'afinn:pos' : 'afinn:neg', SEED_LEXICON));
    }
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
  const index = Int32Array.from(all).sort();
  const value = new Float32Array(index.length);
  for (let k = 0; k < index.length; k++) value[k] = s.merged[index[k]!]!;
  // Reset only what was touched, so the next call starts from zero.
  for (let f = 0; f < 3; f++) for (let k = 0; k < used[f]!; k++) s.counts[f]![s.touched[f]![k]!] = 0;
  for (const b of all) s.merged[b] = 0;
  return { index, value };
}
