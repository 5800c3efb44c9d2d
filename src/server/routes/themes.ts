// GET /organisations/:org/reports/themes: what customers' comments speak about, per dimension and
// touchpoint (src/reports/themes.ts), filtered like the reports and under their anonymity rule.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { themesReport } from '../../reports/themes.ts';
import { ReportQuery, filtersFromQuery } from './reports.ts';
import { FeedbackChannel } from '../../core/feedback.ts';
import { requireOrg } from './setup.ts';

const OrgParams = z.object({ org: z.string().max(60) });

export const ThemesQueryString = ReportQuery.extend({
  perspective: z.enum(['customer', 'leader']).default('customer').describe("whose comments (default customers')"),
  channel: FeedbackChannel.optional().describe("customers' texts of one channel only: survey (the survey comments) or a feedback channel (review, ticket…); default every channel"),
});

const Share = z.object({ share: z.number(), interval: z.tuple([z.number(), z.number()]).describe('Wilson 95 % interval') });

const Theme = z.object({
  kind: z.enum(['dimension', 'touchpoint']),
  key: z.string(),
  label: z.string(),
  comments: z.number().int().describe('comments carrying this tag (at least the minimum, or the theme is withheld)'),
  negative: Share,
  neutral: Share,
  positive: Share,
  trend: z
    .array(z.object({ month: z.string(), comments: z.number().int().nullable(), share: z.number().nullable() }))
    .nullable()
    .describe("by month: comments with the tag and their share of the month's comments; null counts are groups under the minimum; null when the cut may not be broken down by month"),
  quotes: z.array(z.string()).max(3).describe('up to three redacted quotes of the theme\'s most common sentiment'),
  emerging: z
    .object({
      month: z.string(),
      share: z.number(),
      historyShare: z.number(),
      z: z.number(),
      pValue: z.number().describe('one-sided pooled two-proportion z-test, last month vs every earlier month'),
      pAdjusted: z.number().describe('Holm-adjusted over the themes tested'),
      emerging: z.boolean().describe('pAdjusted < 0.05'),
    })
    .nullable(),
});

export const ThemesReportSchema = z.object({
  perspective: z.enum(['customer', 'leader']),
  comments: z.number().int(),
  analysed: z.number().int().describe('comments with a stored analysis (the rest: `parallax text backfill`)'),
  lastMonth: z.string().nullable(),
  themes: z.array(Theme),
  withheld: z.number().int().describe('themes left out because fewer than the minimum comments carry them'),
  suppressed: z.string().optional().describe('why the report is empty when its cut may not be shown'),
});

/** The answer of GET …/reports/themes as the dashboard reads it (type only). */
export type ThemesReportView = z.infer<typeof ThemesReportSchema>;
export type ThemeView = ThemesReportView['themes'][number];

export async function themeRoutes(app: FastifyInstance, store: Store): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/organisations/:org/reports/themes',
    {
      config: { audit: 'themes.view' }, // carries customers' (redacted) words: audited like the verbatims
      schema: {
        tags: ['reports'],
        description:
          'Themes of the comments per dimension and touchpoint tag: counts, sentiment shares (Wilson 95 %), monthly trend, representative redacted quotes, ' +
          "and emerging themes (last month's share above the earlier months', one-sided two-proportion z-test, Holm-adjusted, p < 0.05). " +
          "The verbatims' anonymity rule applies: a refused cut is `suppressed`, a theme with fewer than the minimum comments is withheld.",
        params: OrgParams,
        querystring: ThemesQueryString,
        response: { 200: ThemesReportSchema },
      },
    },
    async (req) => {
      const org = await requireOrg(store, req.params.org);
      const { perspective, channel, ...report } = req.query;
      return themesReport(store.db, org.id, { filters: filtersFromQuery(report, req), perspective, ...(channel ? { channel } : {}) });
    },
  );
}
