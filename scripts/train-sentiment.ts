// Trains the sentiment model shipped in models/sentiment.json: a multinomial logistic regression over hashed
// word 1–2-grams (negation-marked), character 3–4-grams, AFINN lexicon features read in context and dense lexicon
// summaries (src/core/text/features.ts), fitted by AdaGrad SGD with L2 on the
// training splits of the airline tweets, the Skytrax reviews and the telecom NPS verbatims
// (src/text/datasets.ts). Held-out splits and SST-2 dev are never trained on, and hyper-parameters are
// chosen on a validation slice of the training data, never on them. Also picks the lexicon baseline's
// thresholds on the training data. Deterministic for a given seed.
//   npx tsx scripts/train-sentiment.ts [--out models/sentiment.json] [--select]
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { denseBuckets, featurize, fnv1a, FEATURES_VERSION, type SparseVector } from '../src/core/text/features.ts';
import { binaryLabel, decodeModel, scoreSentiment, SENTIMENT_LABELS, type SentimentLabel } from '../src/core/text/sentiment.ts';
import { labelFromLexiconScore, lexiconBinaryLabel, lexiconScore, type LexiconThresholds } from '../src/core/text/sentiment-lexicon.ts';
import { classification } from '../src/core/text/metrics.ts';
import { rng } from '../src/sample-data/random.ts'; // seeded shuffles: a run is reproducible
import { dataAvailable, DATA_DIR, HELD_OUT_SHARE, skytrax, SPLIT_SEED, sst2Dev, telecomNps, twitterAirline, type LabelledText, type TextSet } from '../src/text/datasets.ts';

const SEED = 42;
const BUCKETS = 1 << 18;

interface Hyper {
  epochs: number;
  l2: number;
  lr: number;
  /** Feature family weights: words, characters, lexicon, dense lexicon summaries (src/core/text/features.ts). */
  familyWeights: [number, number, number, number];
  /** Longest character n-gram (src/core/text/features.ts). */
  charMax: number;
}
// Chosen on training data only: first l2 1e-6…1e-2 × epochs 3/5/8 on the validation slice (stronger L2 and few
// epochs won, as expected for many sparse features and ~16k texts), then `--select` (below) over family weights
// and l2, which kept equal family weights and l2 = 0.01 (other settings within ±0.009 of its score); last,
// character n-grams up to 4 instead of 5 on the validation slice: mean macro-F1 0.741 vs 0.737, and faster.
// Features version 3 (negation scope, lexicon in context, dense summaries), scored the same way as `--select`
// (mean of in-domain and other-source validation macro-F1; SST-2 never looked at): dense summaries left out of
// L2 0.778 vs 0.764 with it (frequent features are shrunk at every example by the lazy L2); 5 epochs at lr 0.1
// 0.778 vs 3 at 0.2 0.764 and 8 at 0.1 0.774; without the dense family 0.770, without the negation scope
// 0.774; dense weight 2, character weight 0.5, l2 0.03, equal source totals: 0.768–0.775 (figures of the
// development version; the shipped features score 0.780 with these defaults, and `--select` keeps them).
export const DEFAULT_HYPER: Hyper = { epochs: 5, l2: 1e-2, lr: 0.1, familyWeights: [1, 1, 1, 1], charMax: 4 };

interface Example {
  x: SparseVector;
  y: number;
  weight: number;
  source: string;
}

/**
 * Sample weights: classes balanced within each source (macro-F1 counts the rare neutral and positive as much
 * as the common negative), then each source brought to the same total weight, so the 11k tweets do not drown
 * the reviews and survey comments the product will mostly score.
 */
export function examplesOf(sets: { name: string; rows: LabelledText[] }[], familyWeights: Hyper['familyWeights'], charMax = 5): Example[] {
  const out: Example[] = [];
  for (const { name, rows } of sets) {
    const count = new Map<string, number>();
    for (const r of rows) count.set(r.label, (count.get(r.label) ?? 0) + 1);
    const classes = count.size;
    for (const r of rows) {
      const w = rows.length / (classes * count.get(r.label)!); // balanced within the source (mean 1)
      out.push({ x: featurize(r.text, { buckets: BUCKETS, familyWeights, charMax }), y: SENTIMENT_LABELS.indexOf(r.label), weight: w, source: name });
    }
  }
  const perSource = new Map<string, number>();
  for (const e of out) perSource.set(e.source, (perSource.get(e.source) ?? 0) + e.weight);
  const target = out.length / perSource.size;
  for (const e of out) e.weight *= Math.sqrt(target / perSource.get(e.source)!); // halfway to equal: sqrt
  return out;
}

export function train(examples: Example[], h: Hyper, seed: number) {
  const W = new Float64Array(BUCKETS * 3);
  const G = new Float64Array(BUCKETS * 3).fill(1e-8);
  const bias = new Float64Array(3);
  const Gb = new Float64Array(3).fill(1e-8);
  // The dense summaries sit in every example, so the per-touch L2 below would shrink them thousands of times an
  // epoch while a rare word is shrunk a few times; they are nine weights per class, with no need of it.
  const l2 = new Float64Array(BUCKETS).fill(h.l2);
  for (const b of denseBuckets(BUCKETS)) l2[b] = 0;
  const random = rng(seed);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < h.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let loss = 0;
    for (const idx of order) {
      const { x, y, weight } = examples[idx]!;
      const z = [bias[0]!, bias[1]!, bias[2]!];
      for (let k = 0; k < x.index.length; k++) {
        const b = x.index[k]! * 3;
        const v = x.value[k]!;
        z[0] += W[b]! * v;
        z[1] += W[b + 1]! * v;
        z[2] += W[b + 2]! * v;
      }
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e[0]! + e[1]! + e[2]!;
      loss -= weight * Math.log(e[y]! / s);
      for (let c = 0; c < 3; c++) {
        const g = weight * (e[c]! / s - (c === y ? 1 : 0));
        Gb[c] += g * g;
        bias[c] -= (h.lr * g) / Math.sqrt(Gb[c]!);
        for (let k = 0; k < x.index.length; k++) {
          const b = x.index[k]! * 3 + c;
          // L2 applied lazily, to the weights this example touches (the usual sparse-SGD shortcut).
          const gw = g * x.value[k]! + l2[x.index[k]!]! * W[b]!;
          G[b] += gw * gw;
          W[b] -= (h.lr * gw) / Math.sqrt(G[b]!);
        }
      }
    }
    console.error(`  epoch ${epoch + 1}/${h.epochs}: weighted log-loss ${(loss / examples.length).toFixed(4)}`);
  }
  return { W, bias };
}

/** int8 per class: scale = max |w| / 127; small weights round to 0, which is the pruning. */
export function quantise(W: Float64Array, bias: Float64Array, familyWeights: Hyper['familyWeights'], header: Record<string, unknown>, charMax = 5) {
  const scales = [0, 1, 2].map((c) => {
    let max = 0;
    for (let i = c; i < W.length; i += 3) max = Math.max(max, Math.abs(W[i]!));
    return max / 127 || 1;
  });
  const q = new Int8Array(W.length);
  let zeros = 0;
  for (let i = 0; i < W.length; i++) {
    q[i] = Math.max(-127, Math.min(127, Math.round(W[i]! / scales[i % 3]!)));
    if (q[i] === 0) zeros++;
  }
  return {
    // The header first, so that `head -c 3000 models/sentiment.json` shows how the model was made.
    file: {
      header,
      format: 'parallax-sentiment' as const,
      featuresVersion: FEATURES_VERSION,
      classes: ['negative', 'neutral', 'positive'],
      buckets: BUCKETS,
      familyWeights,
      charMax,
      bias: Array.from(bias, (b) => Number(b.toFixed(6))),
      scales: scales.map((s) => Number(s.toPrecision(8))),
      weights: Buffer.from(q.buffer).toString('base64'),
    },
    zeroShare: zeros / q.length,
  };
}

export function evaluate(model: ReturnType<typeof decodeModel>, rows: LabelledText[], kind: TextSet['kind']) {
  const truth = rows.map((r) => r.label);
  const results = rows.map((r) => scoreSentiment(model, r.text));
  const pred = kind === 'binary' ? results.map(binaryLabel) : results.map((r) => r.label);
  return classification(truth, pred, kind === 'binary' ? ['negative', 'positive'] : SENTIMENT_LABELS);
}

/** Lexicon thresholds: grid search for the best macro-F1 over the pooled three-class training texts. */
export function chooseLexiconThresholds(rows: LabelledText[]): LexiconThresholds & { trainMacroF1: number } {
  const scores = rows.map((r) => lexiconScore(r.text));
  const truth = rows.map((r) => r.label);
  let best = { negativeBelow: 0, positiveAbove: 0, trainMacroF1: -1 };
  for (let lo = -0.5; lo <= 0.2 + 1e-9; lo += 0.01)
    for (let hi = lo; hi <= 0.6 + 1e-9; hi += 0.01) {
      const t = { negativeBelow: Number(lo.toFixed(2)), positiveAbove: Number(hi.toFixed(2)) };
      const f = classification(truth, scores.map((s) => labelFromLexiconScore(s, t)), SENTIMENT_LABELS).macroF1;
      if (f > best.trainMacroF1) best = { ...t, trainMacroF1: f };
    }
  return best;
}

export function toModel(W: Float64Array, bias: Float64Array, familyWeights: Hyper['familyWeights'], charMax = 5) {
  const { file } = quantise(W, bias, familyWeights, {}, charMax);
  return decodeModel(file);
}

async function main() {
  const args = process.argv.slice(2);
  const outPath = args.includes('--out') ? args[args.indexOf('--out') + 1]! : fileURLToPath(new URL('../models/sentiment.json', import.meta.url));
  if (!dataAvailable()) {
    console.error(`no labelled data at ${DATA_DIR} (set PARALLAX_TEXT_DATA): nothing to train on`);
    process.exit(2);
  }
  const t0 = Date.now();
  const sets = [twitterAirline(), skytrax(), telecomNps()];
  for (const s of sets) console.error(`${s.name}: ${s.train.length} train, ${s.heldOut.length} held out`);

  let hyper = DEFAULT_HYPER;
  if (args.includes('--select')) hyper = select(sets);
  const examples = examplesOf(sets.map((s) => ({ name: s.name, rows: s.train })), hyper.familyWeights, hyper.charMax);
  const { W, bias } = train(examples, hyper, SEED);

  const lexicon = chooseLexiconThresholds(sets.filter((s) => s.kind === 'three').flatMap((s) => s.train));
  console.error(`lexicon thresholds (training data): ${JSON.stringify(lexicon)}`);

  // Metrics of the shipped (quantised) model on data it never saw; reported, not used for any choice.
  const shipped = toModel(W, bias, hyper.familyWeights, hyper.charMax);
  const metrics: Record<string, unknown> = {};
  for (const s of sets) metrics[`${s.name} held-out`] = summary(evaluate(shipped, s.heldOut, s.kind));
  metrics['sst2-dev'] = summary(evaluate(shipped, sst2Dev(), 'binary'));
  const lexiconThree = (rows: LabelledText[], kind: TextSet['kind']) => {
    const sc = rows.map((r) => lexiconScore(r.text));
    const pred = kind === 'binary' ? sc.map((x) => lexiconBinaryLabel(x, lexicon)) : sc.map((x) => labelFromLexiconScore(x, lexicon));
    return summary(classification(rows.map((r) => r.label), pred, kind === 'binary' ? ['negative', 'positive'] : SENTIMENT_LABELS));
  };
  const baseline: Record<string, unknown> = {};
  for (const s of sets) baseline[`${s.name} held-out`] = lexiconThree(s.heldOut, s.kind);
  baseline['sst2-dev'] = lexiconThree(sst2Dev(), 'binary');

  const header = {
    model: `multinomial logistic regression, hashed word 1-2-grams (NOT_ in a negation's scope) + char 3-${hyper.charMax}-grams + AFINN lexicon in context + dense lexicon summaries`,
    trainedAt: new Date().toISOString(),
    seed: SEED,
    split: { seed: SPLIT_SEED, heldOutShare: HELD_OUT_SHARE, by: 'FNV-1a of the normalised text (duplicates stay together)' },
    hyper,
    trainingSets: sets.map((s) => ({ name: s.name, description: s.description, trainRows: s.train.length, heldOutRows: s.heldOut.length })),
    neverTrainedOn: ['all held-out splits', 'sst2-dev (different-source evaluation)'],
    sampleWeights: 'classes balanced within each source; sources weighted towards equal totals (square root)',
    lexiconThresholds: { negativeBelow: lexicon.negativeBelow, positiveAbove: lexicon.positiveAbove, chosenOn: 'pooled three-class training texts' },
    binaryMapping: 'for positive/negative-only sets the model answers positive when P(positive) ≥ P(negative) (neutral is not an answer there; classes were balanced in training, so no prior shift is applied), the lexicon when its score is above the middle of its neutral band; fixed rules, not tuned on any evaluation set',
    metrics: { model: metrics, lexicon: baseline },
  };
  const { file, zeroShare } = quantise(W, bias, hyper.familyWeights, header, hyper.charMax);
  const json = JSON.stringify(file);
  writeFileSync(outPath, json + '\n');
  console.error(`wrote ${outPath}: ${(json.length / 1e6).toFixed(2)} MB, ${(zeroShare * 100).toFixed(1)}% of weights 0, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  console.log(JSON.stringify(header.metrics, null, 1));
}

/**
 * Hyper-parameter choice on TRAINING data only. Validation = a second hashed slice of each training split (one
 * in eight). Two scores, averaged: in-domain (train on the rest of all three sources, validate on each) and
 * other-source (train on two sources' rest, validate on the third's slice) — the latter stands in for text
 * from a source the model never saw, since SST-2 must not be used for choices.
 */
function select(sets: TextSet[]): Hyper {
  const isVal = (t: string) => fnv1a(t.toLowerCase(), SEED) % 8 === 0;
  const grid: Hyper[] = [];
  for (const familyWeights of [[1, 1, 1, 1], [1, 0.5, 1, 1], [1, 1, 1, 2]] as Hyper['familyWeights'][])
    for (const l2 of [1e-2, 3e-2]) grid.push({ ...DEFAULT_HYPER, familyWeights, l2 });
  let best = DEFAULT_HYPER;
  let bestScore = -1;
  for (const h of grid) {
    const rest = (s: TextSet) => ({ name: s.name, rows: s.train.filter((r) => !isVal(r.text)) });
    const val = (s: TextSet) => s.train.filter((r) => isVal(r.text));
    const all = train(examplesOf(sets.map(rest), h.familyWeights, h.charMax), h, SEED);
    const inDomain = sets.map((s) => evaluate(toModel(all.W, all.bias, h.familyWeights, h.charMax), val(s), s.kind).macroF1);
    const otherSource = sets.map((s) => {
      const m = train(examplesOf(sets.filter((o) => o !== s).map(rest), h.familyWeights, h.charMax), h, SEED);
      // A two-source model may never have seen a neutral label: score other sources as two-class.
      return evaluate(toModel(m.W, m.bias, h.familyWeights, h.charMax), val(s).filter((r) => r.label !== 'neutral'), 'binary').macroF1;
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const score = (mean(inDomain) + mean(otherSource)) / 2;
    console.error(
      `  ${JSON.stringify({ l2: h.l2, familyWeights: h.familyWeights })}: in-domain ${inDomain.map((x) => x.toFixed(3)).join('/')}, other-source ${otherSource.map((x) => x.toFixed(3)).join('/')} → ${score.toFixed(4)}`,
    );
    if (score > bestScore) [best, bestScore] = [h, score];
  }
  console.error(`chosen: ${JSON.stringify(best)}`);
  return best;
}

function summary(c: ReturnType<typeof classification>) {
  return { n: c.n, macroF1: Number(c.macroF1.toFixed(4)), accuracy: Number(c.accuracy.toFixed(4)) };
}

// Run when executed, not when imported (experiments import the pieces).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
