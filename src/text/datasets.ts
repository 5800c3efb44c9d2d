// The labelled text sets in ../shared/data, read the same way by the training script and the text bench, with
// the fixed held-out split. The split is by a seeded hash of the normalised text, not by row position, so that
// duplicated texts (retweets, copied reviews) always fall on the same side and nothing held out is ever seen
// in training. These files are test data, never shipped: this module is for scripts/ and bench/ only.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { fnv1a } from '../core/text/features.ts';
import type { SentimentLabel } from '../core/text/sentiment.ts';

export const DATA_DIR = process.env.PARALLAX_TEXT_DATA ?? fileURLToPath(new URL('../../../shared/data', import.meta.url));

/** Seed of the held-out split; changing it changes what is held out, so the model must be retrained. */
export const SPLIT_SEED = 20261130;
/** One text in five is held out. */
export const HELD_OUT_SHARE = 0.2;

export interface LabelledText {
  text: string;
  label: SentimentLabel;
  /** Extra per-row facts a set carries (e.g. the airline complaint reason). */
  meta?: Record<string, string>;
}

export interface TextSet {
  name: string;
  /** 'three' = negative/neutral/positive labels; 'binary' = negative/positive only. */
  kind: 'three' | 'binary';
  train: LabelledText[];
  heldOut: LabelledText[];
  description: string;
}

const normalise = (t: string) => t.toLowerCase().replace(/\s+/g, ' ').trim();
export const isHeldOut = (text: string): boolean => fnv1a(normalise(text), SPLIT_SEED) % 1000 < HELD_OUT_SHARE * 1000;

function split(name: string, kind: TextSet['kind'], rows: LabelledText[], description: string): TextSet {
  const train: LabelledText[] = [];
  const heldOut: LabelledText[] = [];
  for (const r of rows) (isHeldOut(r.text) ? heldOut : train).push(r);
  return { name, kind, train, heldOut, description };
}

const readCsv = (path: string, opts: Record<string, unknown> = {}) =>
  parse(readFileSync(path), { columns: true, bom: true, relax_column_count: true, ...opts }) as Record<string, string>[];

export const dataAvailable = (): boolean => existsSync(`${DATA_DIR}/twitter-airline-sentiment/Tweets.csv`);

/** Airline tweets, three crowd labels; the complaint reason kept for the tagger's evaluation. */
export function twitterAirline(): TextSet {
  const rows = readCsv(`${DATA_DIR}/twitter-airline-sentiment/Tweets.csv`)
    .filter((r) => r.text && ['negative', 'neutral', 'positive'].includes(r.airline_sentiment!))
    .map((r) => ({
      text: r.text!,
      label: r.airline_sentiment as SentimentLabel,
      meta: { negativereason: r.negativereason ?? '', confidence: r.airline_sentiment_confidence ?? '' },
    }));
  return split('twitter-airline', 'three', rows, 'airline tweets, crowd-labelled negative/neutral/positive');
}

/** Skytrax lounge and seat reviews: `recommended` 1 → positive, 0 → negative (the reliable outcome there). */
export function skytrax(): TextSet {
  const rows: LabelledText[] = [];
  for (const file of ['lounge', 'seat'])
    for (const r of readCsv(`${DATA_DIR}/skytrax-reviews/${file}.csv`)) {
      if (!r.content?.trim() || (r.recommended !== '0' && r.recommended !== '1')) continue;
      rows.push({ text: r.content, label: r.recommended === '1' ? 'positive' : 'negative', meta: { file, date: r.date ?? '', overall: r.overall_rating ?? '' } });
    }
  return split('skytrax', 'binary', rows, 'Skytrax lounge+seat reviews, recommended 1/0 → positive/negative');
}

/**
 * Whether a Skytrax review's `recommended` was really given. Lounge reviews before November 2011 carry 0
 * whatever they say (705 of those 717 are 0, 308 of which rate the lounge 4 or 5 of 5; from November 2011 on
 * 804 of 1,547 are 1): the field did not exist yet. Their "negative" is no label, so the bench reports the
 * Skytrax figures without them too. Seat reviews have it throughout.
 */
export const skytraxLabelRecorded = (r: LabelledText): boolean => r.meta?.file !== 'lounge' || (r.meta?.date ?? '') >= '2011-11';

/**
 * Telecom NPS verbatims, the score as a weak label: 0–6 negative, 7–8 neutral, 9–10 positive (the NPS bands).
 * Weak because a "6" often comes with a mildly positive comment: the label is about the score, not the words.
 */
export function telecomNps(): TextSet {
  const rows: LabelledText[] = [];
  for (const r of readCsv(`${DATA_DIR}/nps-verbatims-telecom/verbatim.csv`)) {
    const s = Number(r.NPS_SCORE);
    if (!r.text?.trim() || r.NPS_SCORE === '' || !Number.isInteger(s) || s < 0 || s > 10) continue;
    rows.push({ text: r.text, label: s <= 6 ? 'negative' : s <= 8 ? 'neutral' : 'positive', meta: { score: String(s) } });
  }
  return split('telecom-nps', 'three', rows, 'telecom NPS verbatims, score 0–6/7–8/9–10 → negative/neutral/positive');
}

/** SST-2 dev: movie-review sentences, a different source from every training set. Never trained on. */
export function sst2Dev(): LabelledText[] {
  const lines = readFileSync(`${DATA_DIR}/sst2-dev/sst2_dev.tsv`, 'utf8').split('\n').slice(1);
  const out: LabelledText[] = [];
  for (const line of lines) {
    const tab = line.lastIndexOf('\t');
    if (tab < 0) continue;
    const label = line.slice(tab + 1).trim();
    if (label !== '0' && label !== '1') continue;
    out.push({ text: line.slice(0, tab).trim(), label: label === '1' ? 'positive' : 'negative' });
  }
  return out;
}
