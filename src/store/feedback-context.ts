// What an organisation declared that every feedback item (core/feedback.ts checkFeedbackItem) is checked
// against: its sources and their channels, its journey's touchpoints and its segments. One reading for the API,
// the inbound webhook and the file import (src/imports/feedback-import.ts).
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { FeedbackContext } from '../core/feedback.ts';
import { listFeedbackSources } from './feedback-sources.ts';
import { getJourney } from './organisations.ts';
import { getSegmentDeclarations } from './segments.ts';

export async function feedbackContext(db: Kysely<Database>, orgId: string, now = new Date()): Promise<FeedbackContext> {
  const [sources, journey, segments] = await Promise.all([listFeedbackSources(db, orgId), getJourney(db, orgId), getSegmentDeclarations(db, orgId)]);
  return {
    sources: new Map(sources.map((s) => [s.id, { channel: s.channel }])),
    touchpoints: new Set(journey.flatMap((s) => s.touchpoints.map((t) => t.key))),
    // Only the organisation's members, keys, signed sources and its operators send items: any declared segment.
    rules: { origin: 'trusted', segments },
    now,
  };
}
