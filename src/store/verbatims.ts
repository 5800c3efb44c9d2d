// Open comments ("verbatims") for the dashboard: searchable, filtered like the reports, and
// anonymous — a quote comes with its month, touchpoint and scores only, never with the respondent
// or segment values, and a perspective whose cut has fewer respondents than the minimum shows none.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { Perspective } from '../core/survey.ts';
import { customerScope } from './report-data.ts';

export interface VerbatimQuery {
  filters: ReportFilters;
  /** Words to find in the comment (case-insensitive substring). */
  q?: string;
  perspective?: Perspective;
  /** A dimension key: only responses that rated it, each with its rating. */
  dimension?: string;
  limit: number;
  offset: number;
}

export interface Verbatim {
  /** Opaque and stable; not the response id, so a quote cannot be joined back to its response. */
  id: string;
  perspective: Perspective;
  /** The month only (YYYY-MM): a timestamp could single a respondent out. */
  submittedAt: string;
  touchpoint: string | null;
  /** The respondent's answer to "the experience is excellent" (1–5), if given. */
  excellent: number | null;
  /** With a dimension: the customer's rating of it, or the leader's prediction of customers' rating (1–5). */
  dimensionRating?: number;
  comment: string;
}

export interface VerbatimPage {
  total: number;
  items: Verbatim[];
  /** Perspectives left out because their cut has fewer respondents than the minimum, with why. */
  suppressed: Partial<Record<Perspective, string>>;
}

/** LIKE pattern for a substring, with the pattern characters escaped by '!'. */
export const likePattern = (q: string) => `%${q.replace(/[!%_]/g, (c) => `!${c}`)}%`;

const opaqueId = (orgId: string, responseId: string) =>
  createHash('sha256').update(`verbatim:${orgId}:${responseId}`).digest('base64url').slice(0, 16);

/** Respondents per perspective in a cut, from the answer-count cells (item '*' counts responses). */
async function respondentsInCut(
  db: Kysely<Database>,
  orgId: string,
  f: ReportFilters,
  scope: { touchpoints?: string[]; segments?: string[] },
): Promise<Record<Perspective, number>> {
  let q = db
    .selectFrom('answer_cells')
    .select(['perspective', (eb) => eb.fn.sum<number>('count').as('n')])
    .where('org_id', '=', orgId)
    .where('item', '=', '*');
  if (f.from) q = q.where('month', '>=', f.from);
  if (f.to) q = q.where('month', '<=', f.to);
  q = q.where((eb) => {
    const customer = [eb('perspective', '=', 'customer')];
    if (scope.touchpoints) customer.push(scope.touchpoints.length ? eb('touchpoint', 'in', scope.touchpoints) : eb.val(false));
    if (scope.segments) customer.push(scope.segments.length ? eb('segment_key', 'in', scope.segments) : eb.val(false));
    return eb.or([eb('perspective', '=', 'leader'), eb.and(customer)]);
  });
  const rows = await q.groupBy('perspective').execute();
  const get = (p: Perspective) => Number(rows.find((r) => r.perspective === p)?.n ?? 0);
  return { customer: get('customer'), leader: get('leader') };
}

export async function listVerbatims(
  db: Kysely<Database>,
  orgId: string,
  minResponses: number,
  query: VerbatimQuery,
): Promise<VerbatimPage> {
  const f = query.filters;
  const scope = await customerScope(db, orgId, f);
  const counts = await respondentsInCut(db, orgId, f, scope);
  const suppressed: VerbatimPage['suppressed'] = {};
  const perspectives: Perspective[] = query.perspective ? [query.perspective] : ['customer', 'leader'];
  const shown = perspectives.filter((p) => {
    if (counts[p] >= minResponses) return true;
    suppressed[p] = `fewer than ${minResponses} respondents`;
    return false;
  });
  if (shown.length === 0) return { total: 0, items: [], suppressed };

  let base = db
    .selectFrom('responses as r')
    .where('r.org_id', '=', orgId)
    .where('r.comment', 'is not', null)
    .where('r.comment', '<>', '')
    .where('r.perspective', 'in', shown);
  if (f.from) base = base.where('r.month', '>=', f.from);
  if (f.to) base = base.where('r.month', '<=', f.to);
  // Touchpoint and segment filters describe customers; leaders answer about the whole experience.
  if (scope.touchpoints || scope.segments) {
    base = base.where((eb) => {
      const customer = [eb('r.perspective', '=', 'customer')];
      if (scope.touchpoints) customer.push(scope.touchpoints.length ? eb('r.touchpoint', 'in', scope.touchpoints) : eb.val(false));
      if (scope.segments) customer.push(scope.segments.length ? eb('r.segment_key', 'in', scope.segments) : eb.val(false));
      return eb.or([eb('r.perspective', '=', 'leader'), eb.and(customer)]);
    });
  }
  const text = query.q?.trim();
  // lower() on both sides: SQLite's LIKE folds ASCII only and PostgreSQL's LIKE folds nothing.
  if (text) base = base.where(sql<boolean>`lower(r.comment) like lower(${likePattern(text)}) escape '!'`);
  const dimItem = query.dimension ? `dim:${query.dimension}` : undefined;
  const withDim = dimItem
    ? base.innerJoin('answers as d', (j) =>
        j.onRef('d.org_id', '=', 'r.org_id').onRef('d.response_id', '=', 'r.id').on('d.item', '=', dimItem),
      )
    : base;

  const totalRow = await withDim.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await withDim
    .leftJoin('answers as x', (j) => j.onRef('x.org_id', '=', 'r.org_id').onRef('x.response_id', '=', 'r.id').on('x.item', '=', 'excellent'))
    .select(['r.id', 'r.perspective', 'r.month', 'r.touchpoint', 'r.comment', 'x.value as excellent'])
    .$if(dimItem !== undefined, (q) => q.select(sql<number>`d.value`.as('rating')))
    .orderBy('r.submitted_at', 'desc')
    .orderBy('r.id')
    .limit(query.limit)
    .offset(query.offset)
    .execute();

  return {
    total: Number(totalRow?.n ?? 0),
    items: rows.map((r) => {
      const v: Verbatim = {
        id: opaqueId(orgId, r.id),
        perspective: r.perspective,
        submittedAt: r.month,
        touchpoint: r.touchpoint || null,
        excellent: r.excellent === null || r.excellent === undefined ? null : Number(r.excellent),
        comment: r.comment!,
      };
      if (dimItem) v.dimensionRating = Number((r as { rating?: number }).rating);
      return v;
    }),
    suppressed,
  };
}
