import { describe, expect, it } from 'vitest';
import { analyseText } from './analyse.ts';
import { buildVocabulary } from './tags.ts';
import { scoreSentiment } from './sentiment.ts';
import { redact } from './redact.ts';
import { DEFAULT_FRAMEWORK } from '../framework.ts';
import { DEFAULT_JOURNEY } from '../journey.ts';
import { loadSentimentModel } from '../../text/sentiment-model.ts';

describe('analyseText: the one path for ingest and the CLI', () => {
  const ctx = { model: loadSentimentModel(), vocab: buildVocabulary(DEFAULT_FRAMEWORK, DEFAULT_JOURNEY) };
  it('scores and tags the original text, and redacts what is shown', () => {
    const text = 'Mr Patel in billing was rude and I was charged twice, call me on 07700 900123';
    const a = analyseText(ctx, text);
    expect(a.sentiment).toEqual(scoreSentiment(ctx.model, text));
    expect(a.redacted).toBe('Mr [name] in billing was rude and I was charged twice, call me on [phone]');
    expect(a.pii).toEqual(redact(text).spans);
    expect(a.sentiment.label).toBe('negative');
    expect(a.tags.dimensions).toContain('empathy');
    expect(a.tags.touchpoints).toEqual(expect.arrayContaining(['billing', 'contact_centre']));
  });
});
