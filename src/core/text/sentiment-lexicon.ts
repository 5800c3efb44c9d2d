// The lexicon baseline: AFINN-165 word scores (npm `sentiment`, MIT) averaged over the text's tokens
// ("comparative"), cut into negative / neutral / positive at two thresholds. Kept beside the trained model
// so that every evaluation shows what the model adds over a word list.
import Sentiment from 'sentiment';
import type { SentimentLabel } from './sentiment.ts';

export interface LexiconThresholds {
  /** comparative < negativeBelow → negative */
  negativeBelow: number;
  /** comparative > positiveAbove → positive; in between → neutral */
  positiveAbove: number;
}

/**
 * Chosen by scripts/train-sentiment.ts on the training splits only (grid search for the best macro-F1 over
 * the pooled three-class training texts: airline tweets and telecom verbatims); recorded in the model header.
 */
export const LEXICON_THRESHOLDS: LexiconThresholds = { negativeBelow: 0, positiveAbove: 0.15 };

const afinn = new Sentiment();

export interface LexiconResult {
  label: SentimentLabel;
  /** AFINN comparative score: sum of word scores (−5…+5) over the number of tokens. */
  score: number;
}

/** The raw AFINN comparative score of a text (cut to 5,000 characters like the model's input). */
export const lexiconScore = (text: string): number => afinn.analyze(text.slice(0, 5_000)).comparative;

export function labelFromLexiconScore(score: number, t: LexiconThresholds = LEXICON_THRESHOLDS): SentimentLabel {
  return score < t.negativeBelow ? 'negative' : score > t.positiveAbove ? 'positive' : 'neutral';
}

export function lexiconSentiment(text: string, t: LexiconThresholds = LEXICON_THRESHOLDS): LexiconResult {
  const score = lexiconScore(text);
  return { label: labelFromLexiconScore(score, t), score };
}

/** Two-class reading for positive/negative-only sets: the middle of the neutral band decides. */
export const lexiconBinaryLabel = (score: number, t: LexiconThresholds = LEXICON_THRESHOLDS): 'negative' | 'positive' =>
  score > (t.negativeBelow + t.positiveAbove) / 2 ? 'positive' : 'negative';
