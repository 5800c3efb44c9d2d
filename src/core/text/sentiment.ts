// Sentiment of a text (negative / neutral / positive, with a score) from the trained hashed-n-gram
// multinomial logistic regression. Pure: the model object is passed in (src/text/sentiment-model.ts reads
// models/sentiment.json once); the file format is checked here because a model file is input like any other.
import { z } from 'zod';
import { featurize, FEATURES_VERSION, type SparseVector } from './features.ts';

export const SENTIMENT_LABELS = ['negative', 'neutral', 'positive'] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

export interface SentimentResult {
  label: SentimentLabel;
  /** P(positive) − P(negative), in [−1, 1]: a signed strength that averages sensibly. */
  score: number;
  probabilities: Record<SentimentLabel, number>;
}

/**
 * The model as used for scoring: int8 weights, bucket-major (weights[b * 3 + c]), and one scale per class.
 * Kept quantised in memory too: 0.8 MB instead of 3 MB, so the scattered reads stay in cache.
 */
export interface SentimentModel {
  buckets: number;
  familyWeights: [number, number, number, number];
  charMax: number;
  bias: Float64Array;
  weights: Int8Array;
  scales: Float64Array;
  header: Record<string, unknown>;
}

const MAX_BUCKETS = 1 << 22;

const FamilyWeight = z.number().positive().max(100);

/** models/sentiment.json: weights quantised to int8 per class with one scale each, base64. */
export const SentimentModelFile = z
  .object({
    format: z.literal('parallax-sentiment'),
    featuresVersion: z.literal(FEATURES_VERSION),
    classes: z.tuple([z.literal('negative'), z.literal('neutral'), z.literal('positive')]),
    buckets: z
      .number()
      .int()
      .min(2)
      .max(MAX_BUCKETS)
      .refine((n) => (n & (n - 1)) === 0, 'must be a power of two'),
    /** Feature family weights (words, characters, lexicon, dense lexicon summaries) the model was trained with. */
    familyWeights: z.tuple([FamilyWeight, FamilyWeight, FamilyWeight, FamilyWeight]).default([1, 1, 1, 1]),
    /** Longest character n-gram the model was trained with. */
    charMax: z.number().int().min(3).max(5).default(5),
    bias: z.array(z.number().finite()).length(3),
    /** Per-class dequantisation scale: weight = int8 × scale. */
    scales: z.array(z.number().finite().positive()).length(3),
    /** base64 of Int8Array(buckets × 3), bucket-major. */
    weights: z.string().max(Math.ceil((MAX_BUCKETS * 3 * 4) / 3) + 4),
    header: z.record(z.string(), z.unknown()),
  })
  .strict();
export type SentimentModelFile = z.infer<typeof SentimentModelFile>;

/** Check and decode a parsed model file; throws with the field at fault. */
export function decodeModel(json: unknown): SentimentModel {
  const parsed = SentimentModelFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`sentiment model: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const f = parsed.data;
  const bytes = Buffer.from(f.weights, 'base64');
  if (bytes.length !== f.buckets * 3) throw new Error(`sentiment model: weights: expected ${f.buckets * 3} bytes, got ${bytes.length}`);
  const weights = new Int8Array(bytes.length);
  weights.set(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  return { buckets: f.buckets, familyWeights: f.familyWeights, charMax: f.charMax, bias: Float64Array.from(f.bias), weights, scales: Float64Array.from(f.scales), header: f.header };
}

/** Softmax class probabilities for an already featurised text (used by training checks and the bench). */
export function probabilitiesOf(model: SentimentModel, x: SparseVector): [number, number, number] {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  const w = model.weights;
  for (let k = 0; k < x.index.length; k++) {
    const b = x.index[k]! * 3;
    const v = x.value[k]!;
    s0 += w[b]! * v;
    s1 += w[b + 1]! * v;
    s2 += w[b + 2]! * v;
  }
  const z = [model.bias[0]! + s0 * model.scales[0]!, model.bias[1]! + s1 * model.scales[1]!, model.bias[2]! + s2 * model.scales[2]!];
  const m = Math.max(z[0], z[1], z[2]);
  const e0 = Math.exp(z[0] - m);
  const e1 = Math.exp(z[1] - m);
  const e2 = Math.exp(z[2] - m);
  const s = e0 + e1 + e2;
  return [e0 / s, e1 / s, e2 / s];
}

export function scoreSentiment(model: SentimentModel, text: string): SentimentResult {
  const p = probabilitiesOf(model, featurize(text, { buckets: model.buckets, familyWeights: model.familyWeights, charMax: model.charMax }));
  const best = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[2] >= p[1] ? 2 : 1;
  return {
    label: SENTIMENT_LABELS[best]!,
    score: p[2] - p[0],
    probabilities: { negative: p[0], neutral: p[1], positive: p[2] },
  };
}

/**
 * Two-class reading of a three-class result, for sets labelled only positive/negative (SST-2, Skytrax
 * `recommended`): neutral is not an answer there, so the larger of P(positive) and P(negative) decides.
 */
export const binaryLabel = (r: SentimentResult): 'negative' | 'positive' =>
  r.probabilities.positive >= r.probabilities.negative ? 'positive' : 'negative';
