// GET /organisations/:org/verbatims (open comments, searchable, filtered like the reports) and
// GET /organisations/:org/filter-options (months and segment values the dashboard's filters offer).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { COUNT_UP_TO, listVerbatims, SEARCH_COUNTED, VerbatimQueryError } from '../../reports/verbatims.ts';
import { parseSearchQuery } from '../../core/text/search-query.ts';
import { filterOptions } from '../../store/filter-options.ts';
import { dimensionKey } from '../../core/framework.ts';
import { machineKey } from '../../core/keys.ts';
import { SENTIMENT_LABELS } from '../../core/text/sentiment.ts';
import { FeedbackChannel } from '../../core/feedback.ts';
import { ApiError } from '../errors.ts';
import { ReportQuery, filtersFromQuery } from './reports.ts';
import { requireOrg } from './setup.ts';

const OrgParams = z.object({ org: z.string().max(60) });

export const VerbatimQueryString = ReportQuery.extend({
  q: z
    .string()
    .max(200)
    .optional()
    .describe(
      'full-text search of the comment (English stemming, case and accents folded): words (all must match), "a phrase", a prefix bill*, ' +
        'an exclusion -refund or -"call back", and OR between two terms (crash OR froze). At most 16 terms.',
    ),
  sort: z.enum(['relevance', 'newest']).optional().describe('relevance (the default with q; needs q) or newest month first (the default without)'),
  cursor: z.string().max(1000).optional().describe('the `nextCursor` of the previous page of the same query'),
  perspective: z.enum(['customer', 'leader']).optional(),
  dimension: dimensionKey.optional().describe('only responses that rated this dimension, each with its rating'),
  sentiment: z.enum(SENTIMENT_LABELS).optional().describe('only comments read as this sentiment'),
  tag: machineKey.optional().describe('only comments tagged with this dimension or touchpoint key'),
  channel: FeedbackChannel.optional().describe('only this channel: survey (the survey comments) or a feedback channel (review, ticket…); default every channel'),
  original: z
    .enum(['true', 'false'])
    .default('false')
    .describe('admins only: the original comment instead of the redacted one (audited like every verbatims view)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('deprecated (an OFFSET scan): page with `cursor`'),
});

const Verbatim = z.object({
  id: z.string().describe('opaque and new on every request: not the response id, not stable between queries'),
  perspective: z.enum(['customer', 'leader']),
  submittedAt: z.string().nullable().describe('the month only (YYYY-MM), and only when the cut allows a breakdown by month; else null'),
  touchpoint: z.string().nullable().describe('only when the cut allows a breakdown by touchpoint; else null'),
  excellent: z.number().int().nullable().describe('answer to "the experience is excellent", 1–5; null unless at least the minimum in the cut answered it'),
  dimensionRating: z.number().int().optional().describe('with `dimension`: the rating (customers) or predicted rating (leaders), 1–5'),
  comment: z.string().describe('the comment with personal data replaced by "[email]", "[phone]", "[name]"…; the original only with `original=true` (admins)'),
  sentiment: z
    .object({
      label: z.enum(SENTIMENT_LABELS),
      score: z.number().min(-1).max(1).describe('P(positive) − P(negative)'),
    })
    .describe("the comment's sentiment, from the shipped model (read at ingest)"),
  tags: z
    .object({ dimensions: z.array(z.string()), touchpoints: z.array(z.string()) })
    .describe('the gap dimensions and journey touchpoints the comment speaks about'),
  highlights: z
    .array(z.tuple([z.number().int(), z.number().int()]))
    .optional()
    .describe('with q: the matched words of `comment`, as [start, end) offsets in UTF-16 code units'),
  channel: z.string().describe('survey, or the feedback item\'s channel (review, ticket, social, chat, email, interview, focus_group)'),
  source: z.string().nullable().describe("the feedback item's source (its name); null for a survey comment"),
});

export const VerbatimPage = z.object({
  total: z
    .number()
    .int()
    .describe(
      `how many comments match; when \`totalIsEstimate\`, at least this many (counting stops at ${COUNT_UP_TO.toLocaleString('en')}), or with \`totalIsApproximate\` about this many (a search past ${SEARCH_COUNTED.toLocaleString('en')} matches, estimated from a random sample of them, two figures)`,
    ),
  totalIsEstimate: z.boolean(),
  totalIsApproximate: z.boolean(),
  nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last'),
  items: z.array(Verbatim),
  suppressed: z
    .object({ customer: z.string().optional(), leader: z.string().optional(), feedback: z.string().optional() })
    .describe('perspectives (and `feedback`, the items of other channels) left out because their cut may not be shown (the reports\' anonymity rule), with why'),
});

/** The answer of GET …/verbatims as the dashboard reads it (type only). */
export type VerbatimPageView = z.infer<typeof VerbatimPage>;
export type VerbatimView = VerbatimPageView['items'][number];

export const FilterOptions = z.object({
  months: z.array(z.string()),
  segments: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
});

export async function verbatimRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/organisations/:org/verbatims',
    {
      config: { audit: 'verbatims.view' }, // individual-level data: who read which cut is audited
      schema: {
        tags: ['reports'],
        description:
          'Open comments: with `q` a full-text search ranked by relevance, else newest month first (when the month may be shown), a page at a time ' +
          '(`nextCursor`). Touchpoint and segment filters apply to customers (leaders answer about the whole experience). ' +
          "The reports' anonymity rule applies exactly: rare values withheld, a perspective whose cut the gap report would refuse (or with fewer than the " +
          'minimum respondents, or with a dimension: fewer than the minimum who rated it) is left out (`suppressed`). A quote carries its touchpoint and month ' +
          'only when the cut allows a breakdown by them, never the respondent, segment values or time; ids change on every request.',
        params: OrgParams,
        querystring: VerbatimQueryString,
        response: { 200: VerbatimPage },
      },
    },
    async (req) => {
      const org = await requireOrg(store, req.params.org);
      const { q, sort, cursor, perspective, dimension, sentiment, tag, channel, original, limit, offset, ...report } = req.query;
      const parsed = q?.trim() ? parseSearchQuery(q) : undefined;
      if (parsed && !parsed.ok) throw new ApiError(400, `q: ${parsed.message}`, [{ field: 'q', message: parsed.message }]);
      // The original text may hold what redaction hides (names, e-mail addresses): admins only.
      if (original === 'true' && req.access?.role !== 'admin')
        throw new ApiError(403, 'original: only admins may see comments unredacted', [{ field: 'original', message: 'admins only' }]);
      try {
        return await listVerbatims(store.db, org.id, org.minResponses, {
          filters: filtersFromQuery(report, req), search: parsed?.query, sort, cursor, perspective, dimension, sentiment, tag, channel,
          original: original === 'true', limit, offset,
        });
      } catch (e) {
        if (e instanceof VerbatimQueryError) throw new ApiError(400, `${e.field}: ${e.message}`, [{ field: e.field, message: e.message }]);
        throw e;
      }
    },
  );
  r.get(
    '/organisations/:org/filter-options',
    {
      schema: {
        tags: ['reports'],
        description: 'Months with responses, and customer segment names with the values held by at least the minimum number of customers.',
        params: OrgParams,
        response: { 200: FilterOptions },
      },
    },
    async (req) => {
      const org = await requireOrg(store, req.params.org);
      return filterOptions(store.db, org.id, org.minResponses);
    },
  );
}
