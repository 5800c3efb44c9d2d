// Open comments ("verbatims") for the dashboard: searchable, filtered like the reports, and under
// exactly the reports' anonymity rule (core/anonymity.ts, through the same cuts as every report in
// report-context.ts): rare values withheld, a filter whose table has a group under k refused as a whole
// (so `region=EMEA OR region=Antarctica` returns no Antarctican's comment: issue 7, hole 3), and every
// group shown — each perspective's cut, the responses that rated a dimension — at least k.
// A quote carries only what its cut allows: its touchpoint and its month only when the table of the
// filters plus that attribute is safe, its ratings only when at least k in the cut gave that rating;
// never a respondent, segment value or timestamp. Quote ids are per request (random, changing between
// queries), so successive queries cannot be joined on them; no role sees individual responses here.
// Order: with a search, relevance (or newest month first); else newest month first (when the month is shown);
// within a month an order drawn from the ids' random bits, never submission time, which would rank
// respondents. Pages are keyset pages (store/comments.ts) behind a sealed cursor (store/comment-search.ts):
// the last row's id inside it is never readable. Totals are exact up to COUNT_UP_TO, then flagged as a bound.
// Each quote carries the stored reading of its text (store/comment-analysis.ts): sentiment and the
// dimension/touchpoint tags, and its text is the REDACTED one unless the caller asked for the original
// (the route allows that to admins only, audited); search and order use the text the caller is shown.
// Feedback items of other channels (issue 9: reviews, tickets…) are listed beside the survey comments, with
// their channel and source, under the same rule applied to their own cells (feedbackPlanFor): their cut is
// shown only when every table it touches holds groups of at least k distinct authors (an item without an author
// reference counts as one; store/feedback.ts loadFeedbackCells); their author is never shown.
import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { Perspective } from '../core/survey.ts';
import type { Attribute, CellScope, Cut } from '../core/anonymity.ts';
import { customerCut, leaderCut, reportContext, type ReportContext } from './report-context.ts';
import { foldHistograms, loadHistograms } from '../store/analytics-data.ts';
import { readComments, readMarkedText, type CommentRow, type CommentSort } from '../store/comments.ts';
import { markedRanges, openCursor, queryFingerprint, sealCursor, CursorError } from '../store/comment-search.ts';
import { searchKey, type SearchQuery } from '../core/text/search-query.ts';
import { analyseComment, splitTags, textContextFor } from '../store/comment-analysis.ts';
import type { TextContext } from '../core/text/analyse.ts';
import type { SentimentLabel } from '../core/text/sentiment.ts';
import { cut as anonymityCut } from '../core/anonymity.ts';
import type { FeedbackChannel } from '../core/feedback.ts';
import { authorsReason, loadFeedbackCells } from '../store/feedback.ts';
import { listFeedbackSources } from '../store/feedback-sources.ts';

/** A query the report cannot answer (the field it is about, and why): a 400 at the route. */
export class VerbatimQueryError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface VerbatimQuery {
  filters: ReportFilters;
  /** Full-text search (core/text/search-query.ts), over the text the caller is shown. */
  search?: SearchQuery;
  /** Relevance (the default with a search; needs one) or newest month first (the default without). */
  sort?: CommentSort;
  /** The `nextCursor` of the previous page of the same query. */
  cursor?: string;
  perspective?: Perspective;
  /** A dimension key: only responses that rated it, each with its rating. */
  dimension?: string;
  /** Only comments read as this sentiment. */
  sentiment?: SentimentLabel;
  /** Only comments tagged with this dimension or touchpoint key. */
  tag?: string;
  /** The original comment instead of the redacted one: the route allows it to admins only. */
  original?: boolean;
  /** Only this channel: 'survey' (the survey comments) or a feedback channel. Default: every channel. */
  channel?: FeedbackChannel;
  limit: number;
  /** Old clients' paging: rows skipped (an OFFSET scan). */
  offset?: number;
}

/** Past this many matches a total is not counted further: it is then a lower bound, flagged as an estimate. */
/** A search's total is counted exactly up to this many, then estimated (store/comments.ts). */
export { SEARCH_COUNTED } from '../store/comments.ts';

export const COUNT_UP_TO = 10_000;

export interface QuoteTags {
  dimensions: string[];
  touchpoints: string[];
}

export interface Verbatim {
  /** Opaque and new on every request: not the response id, and not the same in the next query. */
  id: string;
  perspective: Perspective;
  /** The month only (YYYY-MM), and only when the cut allows it; null otherwise. */
  submittedAt: string | null;
  /** Only when the cut allows it (and never for leaders, who answer about the whole experience). */
  touchpoint: string | null;
  /** The respondent's answer to "the experience is excellent" (1–5), when given and the cut allows it. */
  excellent: number | null;
  /** With a dimension: the customer's rating of it, or the leader's prediction of customers' rating (1–5). */
  dimensionRating?: number;
  /** The redacted text (PII as "[email]", "[name]"…), or the original when asked for by an admin. */
  comment: string;
  sentiment: { label: SentimentLabel; score: number };
  tags: QuoteTags;
  /** With a search: the matched words of `comment`, [start, end) in UTF-16 units, in order. */
  highlights?: [number, number][];
  /** 'survey', or the feedback item's channel (review, ticket…). */
  channel: string;
  /** The feedback item's source (its declared name); null for a survey comment. */
  source: string | null;
}

export interface VerbatimPage {
  /**
   * Exact, unless `totalIsEstimate`: then at least this many (counting stops at COUNT_UP_TO), or, with
   * `totalIsApproximate`, about this many (a search past SEARCH_COUNTED matches, estimated: store/comments.ts).
   */
  total: number;
  totalIsEstimate: boolean;
  totalIsApproximate: boolean;
  /** The next page's `cursor`; null on the last page. */
  nextCursor: string | null;
  items: Verbatim[];
  /** Perspectives (and `feedback`: the other channels' items) left out because their cut may not be shown, with why. */
  suppressed: Partial<Record<Perspective | 'feedback', string>>;
}

/** What one perspective may list, and what its quotes may show (also the themes report's cut: themes.ts). */
export interface Plan {
  perspective: Perspective;
  scope: CellScope;
  showMonth: boolean;
  showTouchpoint: boolean;
  showExcellent: boolean;
}

/**
 * Applies the reports' rule to one perspective: its cut (refused as the gap report refuses it), the
 * attributes its quotes may carry, and the ratings (groups of ≥ k that answered). Null when suppressed.
 */
export async function planFor(
  db: Kysely<Database>,
  ctx: ReportContext,
  perspective: Perspective,
  f: ReportFilters,
  dimItem: string | undefined,
  suppressed: VerbatimPage['suppressed'],
  /** The attributes a quote may carry, tried in this order (themes ask for the month alone: themes.ts). */
  candidates: Attribute[] = perspective === 'customer' ? ['touchpoint', 'month'] : ['month'],
): Promise<Plan | null> {
  const k = ctx.org.minResponses;
  const cutOf = (breakdown: Attribute[]): Cut => (perspective === 'customer' ? customerCut(ctx, f, breakdown) : leaderCut(ctx, f, breakdown));
  const c = cutOf([]);
  if (!c.visible) {
    suppressed[perspective] = c.reason ?? `fewer than ${k} respondents`;
    return null;
  }
  // An attribute on a quote is a breakdown of the cut by it: shown only when that report could be.
  const shown: Attribute[] = [];
  for (const a of candidates) if (cutOf([...shown, a]).visible) shown.push(a);
  const items = ['excellent', ...(dimItem ? [dimItem] : [])];
  const side = foldHistograms(await loadHistograms(db, ctx.org.id, perspective, c.scope, [], items)).get('');
  const answered = (item: string) => Object.values(side?.items[item] ?? {}).reduce((s, n) => s + n, 0);
  if (dimItem && answered(dimItem) < k) {
    suppressed[perspective] = `fewer than ${k} respondents rated this dimension`;
    return null;
  }
  return { perspective, scope: c.scope, showMonth: shown.includes('month'), showTouchpoint: shown.includes('touchpoint'), showExcellent: answered('excellent') >= k };
}

/**
 * The rule applied to the feedback items (of one channel, or all): the cut of the filters over their own cells,
 * counted in distinct authors (rare values withheld, a table with a group under k authors refused as a whole), and the attributes a quote may carry.
 * Null when suppressed. Items hold no survey answer, so none carries a rating of the experience.
 */
export async function feedbackPlanFor(
  db: Kysely<Database>,
  ctx: ReportContext,
  f: ReportFilters,
  channel: FeedbackChannel | undefined,
  suppressed: VerbatimPage['suppressed'],
  candidates: Attribute[] = ['touchpoint', 'month'],
): Promise<(Plan & { channels?: string[] }) | null> {
  const k = ctx.org.minResponses;
  const cells = await loadFeedbackCells(db, ctx.org.id, channel ? [channel] : undefined);
  if (cells.length === 0) return null; // none stored: nothing to list, nothing to explain
  const cutOf = (breakdown: Attribute[]): Cut => anonymityCut(cells, f, { k, stageOf: ctx.stageOf, withholdRare: true }, breakdown);
  const c = cutOf([]);
  if (!c.visible) {
    suppressed.feedback = authorsReason(c.reason ?? `fewer than ${k} respondents`);
    return null;
  }
  const shown: Attribute[] = [];
  for (const a of candidates) if (cutOf([...shown, a]).visible) shown.push(a);
  return { perspective: 'customer', scope: c.scope, showMonth: shown.includes('month'), showTouchpoint: shown.includes('touchpoint'), showExcellent: false, ...(channel ? { channels: [channel] } : {}) };
}

export async function listVerbatims(
  db: Kysely<Database>,
  orgId: string,
  minResponses: number,
  query: VerbatimQuery,
): Promise<VerbatimPage> {
  const found = await reportContext(db, orgId);
  if (!found) return { total: 0, totalIsEstimate: false, totalIsApproximate: false, nextCursor: null, items: [], suppressed: {} };
  const sort: CommentSort = query.sort ?? (query.search ? 'relevance' : 'newest');
  if (sort === 'relevance' && !query.search) throw new VerbatimQueryError('sort', 'relevance needs a search (q)');
  if (query.cursor && query.offset) throw new VerbatimQueryError('offset', 'use either cursor or offset, not both');
  const ctx = found.org.minResponses === minResponses ? found : { ...found, org: { ...found.org, minResponses } };
  const f = query.filters;
  const dimItem = query.dimension ? `dim:${query.dimension}` : undefined;
  const suppressed: VerbatimPage['suppressed'] = {};
  const perspectives: Perspective[] = query.channel && query.channel !== 'survey' ? [] : query.perspective ? [query.perspective] : ['customer', 'leader'];
  const plans: Plan[] = [];
  for (const p of perspectives) {
    const plan = await planFor(db, ctx, p, f, dimItem, suppressed);
    if (plan) plans.push(plan);
  }
  // Feedback items are customers' words and rate no dimension: not with a leader perspective or a dimension.
  const withFeedback = query.channel !== 'survey' && query.perspective !== 'leader' && !dimItem;
  const feedbackPlan = withFeedback ? await feedbackPlanFor(db, ctx, f, query.channel === 'survey' ? undefined : query.channel, suppressed) : null;
  if (plans.length === 0 && !feedbackPlan) return { total: 0, totalIsEstimate: false, totalIsApproximate: false, nextCursor: null, items: [], suppressed };

  const byMonth = plans.every((p) => p.showMonth) && (!feedbackPlan || feedbackPlan.showMonth);
  const original = query.original === true;
  // Everything that decides the rows and their order: a cursor opens only for the same again.
  const fingerprint = queryFingerprint([
    f, query.search ? searchKey(query.search) : null, query.perspective, query.dimension, query.sentiment, query.tag, original, sort,
    plans.map((p) => [p.perspective, p.showMonth]),
    ...(feedbackPlan || query.channel ? [query.channel ?? null, feedbackPlan?.showMonth ?? null] : []), // unchanged for a query without feedback
  ]);
  let after;
  if (query.cursor) {
    try {
      after = (await openCursor(db, orgId, fingerprint, query.cursor)).key;
    } catch (e) {
      throw e instanceof CursorError ? new VerbatimQueryError('cursor', e.message) : e;
    }
  }
  const { total, totalIsEstimate, totalIsApproximate, rows: read } = await readComments(db, orgId, {
    scopes: plans, search: query.search, item: dimItem, sentiment: query.sentiment, tag: query.tag, original,
    ...(feedbackPlan ? { feedback: { scope: feedbackPlan.scope, ...(feedbackPlan.channels ? { channels: feedbackPlan.channels } : {}) } } : {}),
    sort, newestMonthFirst: byMonth, after, limit: query.limit + 1, offset: query.offset, countUpTo: COUNT_UP_TO,
  });
  // One row more than the page tells whether there is a next one.
  const rows = read.slice(0, query.limit);
  const last = read.length > query.limit ? rows[rows.length - 1] : undefined;
  const nextCursor = last
    ? await sealCursor(db, orgId, fingerprint, { sort, key: { id: last.id, ...(last.rank === undefined ? {} : { rank: last.rank }), ...(byMonth ? { month: last.month } : {}) } })
    : null;
  const marked = query.search ? await readMarkedText(db, orgId, query.search, original, rows.map((r) => r.id)) : undefined;
  // A response stored before migration 0015 and not yet backfilled (`parallax text backfill`) is read now:
  // its text is never shown unredacted for want of a stored row.
  let text: TextContext | undefined;
  const readingOf = async (r: CommentRow) => {
    if (r.sentiment !== null && r.redacted !== null && r.score !== null)
      return { label: r.sentiment, score: r.score, redacted: r.redacted, tags: { dimensions: splitTags(r.dimensions), touchpoints: splitTags(r.touchpoints) } };
    text ??= await textContextFor(db, orgId);
    const a = analyseComment(text, r.comment!);
    return { label: a.sentiment.label, score: a.sentiment.score, redacted: a.redacted, tags: a.tags };
  };
  const readings: Awaited<ReturnType<typeof readingOf>>[] = [];
  for (const r of rows) readings.push(await readingOf(r));

  // Per-request ids: unique within the answer, unrelated to the next one's.
  const nonce = randomBytes(16);
  const opaqueId = (responseId: string) => createHmac('sha256', nonce).update(responseId).digest('base64url').slice(0, 16);
  const planOf = new Map(plans.map((p) => [p.perspective, p]));
  const sourceNames = feedbackPlan ? new Map((await listFeedbackSources(db, orgId)).map((s) => [s.id, s.name])) : new Map<string, string>();
  return {
    total,
    totalIsEstimate,
    totalIsApproximate,
    nextCursor,
    items: rows.map((r, i) => {
      const isFeedback = r.channel !== 'survey';
      const p = isFeedback ? feedbackPlan! : planOf.get(r.perspective)!;
      const reading = readings[i]!;
      const v: Verbatim = {
        id: opaqueId(r.id),
        perspective: r.perspective,
        submittedAt: p.showMonth ? r.month : null,
        touchpoint: p.showTouchpoint && r.touchpoint ? r.touchpoint : null,
        excellent: !p.showExcellent || r.excellent === null || r.excellent === undefined ? null : Number(r.excellent),
        comment: original ? r.comment! : reading.redacted,
        sentiment: { label: reading.label, score: Number(reading.score.toFixed(4)) },
        tags: reading.tags,
        channel: r.channel ?? 'survey',
        source: isFeedback && r.source ? (sourceNames.get(r.source) ?? null) : null,
      };
      if (dimItem) v.dimensionRating = Number(r.rating);
      if (marked) {
        const m = marked.get(r.id);
        v.highlights = m === undefined ? [] : markedRanges(m, v.comment);
      }
      return v;
    }),
    suppressed,
  };
}
