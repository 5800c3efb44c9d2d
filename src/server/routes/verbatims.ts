// GET /organisations/:org/verbatims (open comments, searchable, filtered like the reports) and
// GET /organisations/:org/filter-options (months and segment values the dashboard's filters offer).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { listVerbatims } from '../../store/verbatims.ts';
import { filterOptions } from '../../store/filter-options.ts';
import { dimensionKey } from '../../core/framework.ts';
import { ReportQuery, filtersFromQuery } from './reports.ts';
import { requireOrg } from './setup.ts';

const OrgParams = z.object({ org: z.string().max(60) });

export const VerbatimQueryString = ReportQuery.extend({
  q: z.string().max(200).optional().describe('words to find in the comment (case-insensitive)'),
  perspective: z.enum(['customer', 'leader']).optional(),
  dimension: dimensionKey.optional().describe('only responses that rated this dimension, each with its rating'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const Verbatim = z.object({
  id: z.string().describe('opaque; not the response id'),
  perspective: z.enum(['customer', 'leader']),
  submittedAt: z.string().describe('the month only (YYYY-MM), for anonymity'),
  touchpoint: z.string().nullable(),
  excellent: z.number().int().nullable().describe('answer to "the experience is excellent", 1–5'),
  dimensionRating: z.number().int().optional().describe('with `dimension`: the rating (customers) or predicted rating (leaders), 1–5'),
  comment: z.string(),
});

export const VerbatimPage = z.object({
  total: z.number().int(),
  items: z.array(Verbatim),
  suppressed: z
    .object({ customer: z.string().optional(), leader: z.string().optional() })
    .describe('perspectives left out because the cut has too few respondents, with why'),
});

export const FilterOptions = z.object({
  months: z.array(z.string()),
  segments: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
});

export async function verbatimRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/organisations/:org/verbatims',
    {
      schema: {
        tags: ['reports'],
        description:
          'Open comments, newest first. Touchpoint and segment filters apply to customers (leaders answer about the whole experience). ' +
          'A perspective whose cut has fewer respondents than the minimum is left out (`suppressed`). Quotes carry the month only, never the respondent or segment values.',
        params: OrgParams,
        querystring: VerbatimQueryString,
        response: { 200: VerbatimPage },
      },
    },
    async (req) => {
      const org = await requireOrg(store, req.params.org);
      const { q, perspective, dimension, limit, offset, ...report } = req.query;
      return listVerbatims(store.db, org.id, org.minResponses, { filters: filtersFromQuery(report, req), q, perspective, dimension, limit, offset });
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
