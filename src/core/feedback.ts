// Feedback items from every channel (issue 9), the pure part: the channels, the one zod schema that the API,
// the inbound webhook and the file import all validate an item with, and the checks against what the
// organisation declared (its sources, touchpoints and segments). A rating is kept as given (value and scale)
// and normalised to 0–1 beside it; it is never an answer to a survey item, so never part of NPS or any
// survey figure (store/feedback.ts keeps the items out of the survey tables altogether).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { cleanText } from './text.ts';
import { machineKey } from './keys.ts';
import { checkSegments, MAX_SEGMENTS_PER_RESPONSE, SegmentValue, type SubmissionRules } from './segments.ts';
import { BACKDATE_LIMIT, segmentKey, type FieldError } from './survey.ts';

export const FEEDBACK_CHANNELS = ['survey', 'review', 'ticket', 'social', 'chat', 'email', 'interview', 'focus_group'] as const;
export const FeedbackChannel = z.enum(FEEDBACK_CHANNELS);
export type FeedbackChannel = z.infer<typeof FeedbackChannel>;

/** Interview and focus-group notes hold several speakers and run long; everything else is a message. */
export const LONG_TEXT_CHANNELS: readonly FeedbackChannel[] = ['interview', 'focus_group'];
export const MAX_LONG_TEXT = 50_000;
export const MAX_TEXT = 10_000;
/** Items per request (API batch, one webhook delivery). */
export const MAX_FEEDBACK_BATCH = 500;

export const FeedbackRating = z
  .object({ value: z.number().finite(), min: z.number().finite(), max: z.number().finite() })
  .strict()
  .superRefine((r, ctx) => {
    if (!(r.min < r.max)) ctx.addIssue({ code: 'custom', path: ['max'], message: 'must be greater than min' });
    else if (r.value < r.min || r.value > r.max) ctx.addIssue({ code: 'custom', path: ['value'], message: `must be between min (${r.min}) and max (${r.max})` });
  })
  .describe('as given, e.g. {"value": 4, "min": 1, "max": 5}; stored with its scale and normalised to 0–1');

export const FeedbackItemInput = z
  .object({
    source: z.string().min(1).max(40).optional().describe('a feedback source of the organisation (GET …/feedback-sources); the webhook takes it from its URL'),
    channel: FeedbackChannel.optional().describe("defaults to the source's channel; when given, must be it"),
    externalId: cleanText().trim().min(1).max(200).optional().describe('the sender’s id, unique per source: an item sent again is stored once'),
    text: cleanText()
      .max(MAX_LONG_TEXT, `must be at most ${MAX_LONG_TEXT} characters`)
      .refine((t) => t.trim().length > 0, { message: 'must not be empty' })
      .describe(`at most ${MAX_TEXT} characters (${MAX_LONG_TEXT} for interview and focus_group notes); line breaks are kept`),
    rating: FeedbackRating.optional(),
    touchpoint: cleanText().min(1).max(40).optional().describe('a touchpoint of the journey'),
    segments: z.record(machineKey, SegmentValue).refine((s) => Object.keys(s).length <= MAX_SEGMENTS_PER_RESPONSE, { message: `at most ${MAX_SEGMENTS_PER_RESPONSE} segments` }).optional(),
    authorRef: cleanText().trim().min(1).max(100).optional().describe('who wrote it, treated like a respondent id: erasable, never shown'),
    occurredAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2025-06-01T10:00:00Z' }).optional().describe('defaults to now'),
  })
  .strict();
export type FeedbackItemInput = z.infer<typeof FeedbackItemInput>;

export const FeedbackBatch = z.object({ items: z.array(FeedbackItemInput).min(1, 'must hold at least one item').max(MAX_FEEDBACK_BATCH, `at most ${MAX_FEEDBACK_BATCH} items per request`) }).strict();

export interface ValidFeedbackItem {
  sourceId: string;
  channel: FeedbackChannel;
  externalId: string | null;
  text: string;
  rating: { value: number; min: number; max: number; normalised: number } | null;
  touchpoint: string;
  segments: Record<string, string>;
  authorRef: string | null;
  occurredAt: string;
}

/** What an organisation declared that an item is checked against. */
export interface FeedbackContext {
  sources: ReadonlyMap<string, { channel: FeedbackChannel }>;
  touchpoints: ReadonlySet<string>;
  rules: SubmissionRules;
  now: Date;
}

/** A zod failure as fields named the API's way ("items.3.rating.value"), under `prefix`. */
export function zodFields(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((i) => {
    const keys = i.code === 'unrecognized_keys' ? i.keys : [];
    const path = [...(prefix ? [prefix] : []), ...i.path.map(String), ...(keys.length === 1 ? keys : [])];
    // "Invalid input: expected string, received undefined" says less than this.
    const missing = i.code === 'invalid_type' && /received undefined$/.test(i.message);
    return { field: path.join('.') || 'body', message: missing ? 'is required' : i.message };
  });
}

/** A request body as items: one item, or `{items: […]}`. */
export function parseFeedbackBody(body: unknown): { ok: true; items: FeedbackItemInput[]; batch: boolean } | { ok: false; errors: FieldError[] } {
  const batch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'items' in body;
  const parsed = batch ? FeedbackBatch.safeParse(body) : FeedbackItemInput.safeParse(body);
  if (!parsed.success) return { ok: false, errors: zodFields(parsed.error) };
  return { ok: true, items: batch ? (parsed.data as z.infer<typeof FeedbackBatch>).items : [parsed.data as FeedbackItemInput], batch };
}

/** Checks one shaped item against the organisation's declarations; `field` names its fields (e.g. "items.2."). */
export function checkFeedbackItem(
  input: FeedbackItemInput,
  ctx: FeedbackContext,
  field: (name: string) => string = (n) => n,
): { ok: true; value: ValidFeedbackItem } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const source = input.source === undefined ? undefined : ctx.sources.get(input.source);
  if (input.source === undefined) errors.push({ field: field('source'), message: 'is required' });
  else if (!source) errors.push({ field: field('source'), message: `"${input.source}" is not a feedback source of this organisation` });
  const channel = input.channel ?? source?.channel;
  if (source && input.channel !== undefined && input.channel !== source.channel)
    errors.push({ field: field('channel'), message: `must be the source's channel ("${source.channel}")` });
  if (channel && !LONG_TEXT_CHANNELS.includes(channel) && input.text.length > MAX_TEXT)
    errors.push({ field: field('text'), message: `must be at most ${MAX_TEXT} characters (${MAX_LONG_TEXT} for interview and focus_group notes)` });
  if (input.touchpoint !== undefined && !ctx.touchpoints.has(input.touchpoint))
    errors.push({ field: field('touchpoint'), message: `"${input.touchpoint}" is not a touchpoint of the journey` });
  const segments: Record<string, string> = Object.assign(Object.create(null), input.segments ?? {});
  for (const e of checkSegments(segments, ctx.rules)) errors.push({ field: field(e.field), message: e.message });
  let occurredAt = ctx.now.toISOString();
  if (input.occurredAt !== undefined) {
    const t = Date.parse(input.occurredAt);
    if (t < Date.parse(BACKDATE_LIMIT.earliest) || t > ctx.now.getTime() + BACKDATE_LIMIT.futureSkewMs)
      errors.push({ field: field('occurredAt'), message: `must be between ${BACKDATE_LIMIT.earliest.slice(0, 10)} and now` });
    else occurredAt = new Date(t).toISOString();
  }
  if (errors.length) return { ok: false, errors };
  const r = input.rating;
  return {
    ok: true,
    value: {
      sourceId: input.source!,
      channel: channel!,
      externalId: input.externalId ?? null,
      text: input.text.replace(/\r\n?/g, '\n'), // line breaks kept, one kind of them
      rating: r ? { ...r, normalised: (r.value - r.min) / (r.max - r.min) } : null,
      touchpoint: input.touchpoint ?? '',
      segments,
      authorRef: input.authorRef ?? null,
      occurredAt,
    },
  };
}

/** A stable fingerprint of what an item says, to tell a re-sent item from a different one with the same id. */
export function feedbackItemHash(v: ValidFeedbackItem): string {
  return createHash('sha256')
    .update(JSON.stringify([v.sourceId, v.channel, v.externalId, v.text, v.rating, v.touchpoint, segmentKey(v.segments), v.authorRef, v.occurredAt]))
    .digest('base64url');
}

/** A fingerprint of a whole request body, for its Idempotency-Key. */
export const requestHash = (body: unknown): string => createHash('sha256').update(JSON.stringify(body)).digest('base64url');
