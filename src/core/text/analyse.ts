// One text through the whole text pipeline: sentiment, dimension/touchpoint tags and PII redaction. The
// single code path that ingest and `parallax text score` share, so a CLI check shows what ingest stores.
// Pure: the model and the vocabulary are passed in.
import { redact, type PiiSpan } from './redact.ts';
import { scoreSentiment, type SentimentModel, type SentimentResult } from './sentiment.ts';
import { tagText, type TagVocabulary, type TextTags } from './tags.ts';

export interface TextContext {
  model: SentimentModel;
  vocab: TagVocabulary;
}

export interface TextAnalysis {
  sentiment: SentimentResult;
  tags: TextTags;
  /** The text with PII replaced by typed placeholders ("[email]", "[name]"…): what non-admins see. */
  redacted: string;
  pii: PiiSpan[];
}

/**
 * Sentiment and tags are read from the original text (a name or a number carries no sentiment, and the
 * placeholders would be words the model never saw); redaction only changes what is shown.
 */
export function analyseText(ctx: TextContext, text: string): TextAnalysis {
  const { text: redacted, spans } = redact(text);
  return { sentiment: scoreSentiment(ctx.model, text), tags: tagText(ctx.vocab, text), redacted, pii: spans };
}
