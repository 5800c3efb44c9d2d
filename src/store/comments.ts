// Open comments of stored responses, as the verbatims report (src/reports/verbatims.ts) lists them: within
// each perspective's scope (the cells its anonymity cut allows), optionally containing some text, optionally
// only from responses that answered one item (with that answer), of one sentiment or tag, a page at a time,
// each with its stored analysis (comment_analysis: store/comment-analysis.ts). Also the counts and quotes the
// themes report (src/reports/themes.ts) is built from. What a quote may show is the reports' business; this
// reads the rows.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from './schema.ts';
import type { Perspective } from '../core/survey.ts';
import type { CellScope } from '../core/anonymity.ts';
import type { SentimentLabel } from '../core/text/sentiment.ts';
import { answerValueSql, readItemDictionary } from './answers.ts';

/** LIKE pattern for a substring, with the pattern characters escaped by '!'. */
export const likePattern = (q: string) => `%${q.replace(/[!%_]/g, (c) => `!${c}`)}%`;

export interface CommentQuery {
  /** Each perspective listed, with the cells it may list from. */
  scopes: readonly { perspective: Perspective; scope: CellScope }[];
  /** Text the comment contains (case-insensitive substring). */
  q?: string;
  /** Only responses that answered this item; each row then carries the answer as `rating`. */
  item?: string;
  /** Only comments read as this sentiment. */
  sentiment?: SentimentLabel;
  /** Only comments tagged with this dimension or touchpoint key. */
  tag?: string;
  /**
   * Search and order on the original comment (admins who asked for it); otherwise on the redacted text, so
   * that a search for a redacted e-mail address or name finds nothing.
   */
  original?: boolean;
  /** Newest month first (else comment text order only: never submission time, which would rank respondents). */
  newestMonthFirst: boolean;
  limit: number;
  offset: number;
}

export interface CommentRow {
  id: string;
  perspective: Perspective;
  month: string;
  touchpoint: string;
  comment: string | null;
  /** The response's answer to `excellent`, when it gave one. */
  excellent: number | null;
  rating?: number | null;
  /** The stored analysis; null for a response stored before migration 0015 and not yet backfilled. */
  sentiment: SentimentLabel | null;
  score: number | null;
  dimensions: string | null;
  touchpoints: string | null;
  redacted: string | null;
}

type Scopes = CommentQuery['scopes'];

/** The comments within the scopes, each joined to its stored analysis (left join: a missing one is null). */
function commentsIn(db: Kysely<Database>, orgId: string, scopes: Scopes) {
  return (
    db
      .selectFrom('responses as r')
      .leftJoin('comment_analysis as ca', (j) => j.onRef('ca.org_id', '=', 'r.org_id').onRef('ca.response_id', '=', 'r.id'))
      .where('r.org_id', '=', orgId)
      .where('r.comment', 'is not', null)
      .where('r.comment', '<>', '')
      // Each perspective's cells exactly as its cut selects them (withheld values left out); [] is none.
      .where((eb) =>
        eb.or(
          scopes.map((p) => {
            const and: Expression<SqlBool>[] = [eb('r.perspective', '=', p.perspective)];
            const within = (col: 'r.month' | 'r.touchpoint' | 'r.segment_key', values: string[] | undefined) => {
              if (values) and.push(values.length ? eb(col, 'in', values) : eb.val(false));
            };
            within('r.month', p.scope.months);
            within('r.touchpoint', p.scope.touchpoints);
            within('r.segment_key', p.scope.segmentKeys);
            return eb.and(and);
          }),
        ),
      )
  );
}

/** A tag key as the ','-wrapped lists hold it (keys are [a-z0-9_], so only '_' needs escaping for LIKE). */
const tagPattern = (tag: string) => `%,${tag.replace(/[!%_]/g, (c) => `!${c}`)},%`;
const hasTag = (tag: string) =>
  sql<boolean>`(ca.dimensions like ${tagPattern(tag)} escape '!' or ca.touchpoints like ${tagPattern(tag)} escape '!')`;

export async function readComments(
  db: Kysely<Database>,
  orgId: string,
  { scopes, q, item, sentiment, tag, original = false, newestMonthFirst, limit, offset }: CommentQuery,
): Promise<{ total: number; rows: CommentRow[] }> {
  let base = commentsIn(db, orgId, scopes);
  // What the reader is shown is what is searched and ordered: the redacted text unless the original was asked for.
  const shown = original ? sql<string>`r.comment` : sql<string>`coalesce(ca.redacted, r.comment)`;
  const text = q?.trim();
  // lower() on both sides: SQLite's LIKE folds ASCII only and PostgreSQL's LIKE folds nothing.
  // A comment not analysed yet (`parallax text backfill`) has no redacted text to search: a search without the
  // original skips it rather than match words the reader will not see.
  const searched = original ? sql<string>`r.comment` : sql<string>`ca.redacted`;
  if (text) base = base.where(sql<boolean>`lower(${searched}) like lower(${likePattern(text)}) escape '!'`);
  if (sentiment) base = base.where('ca.sentiment', '=', sentiment);
  if (tag) base = base.where(hasTag(tag));
  // The answers are packed one row per response (answers.ts): the rating and the excellence answer are
  // picked out of the joined row by their item codes.
  const { codeOf } = await readItemDictionary(db, orgId);
  const rating = answerValueSql(db, 'a.items', item === undefined ? undefined : codeOf.get(item));
  const excellent = answerValueSql(db, 'a.items', codeOf.get('excellent'));
  const withDim = item
    ? base.innerJoin('answers as a', (j) => j.onRef('a.org_id', '=', 'r.org_id').onRef('a.response_id', '=', 'r.id')).where(sql<boolean>`${rating} is not null`)
    : base.leftJoin('answers as a', (j) => j.onRef('a.org_id', '=', 'r.org_id').onRef('a.response_id', '=', 'r.id'));

  const totalRow = await withDim.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await withDim
    .select(['r.id', 'r.perspective', 'r.month', 'r.touchpoint', 'r.comment', excellent.as('excellent')])
    .select(['ca.sentiment', 'ca.score', 'ca.dimensions', 'ca.touchpoints', 'ca.redacted'])
    .$if(item !== undefined, (qb) => qb.select(rating.as('rating')))
    .$if(newestMonthFirst, (qb) => qb.orderBy('r.month', 'desc'))
    .orderBy(shown)
    .orderBy('r.id')
    .limit(limit)
    .offset(offset)
    .execute();

  return {
    total: Number(totalRow?.n ?? 0),
    rows: rows.map((r) => ({ ...r, score: r.score === null || r.score === undefined ? null : Number(r.score) })) as CommentRow[],
  };
}

/** Comments of one month, sentiment and tag set, counted: what the themes report folds per tag. */
export interface ThemeCountRow {
  month: string;
  sentiment: SentimentLabel | null;
  dimensions: string | null;
  touchpoints: string | null;
  n: number;
}

/**
 * The comments within the scopes counted by month, sentiment and tag set (distinct tag sets are few, so
 * this stays small however many comments there are). Comments without a stored analysis count with nulls.
 */
export async function readThemeCounts(db: Kysely<Database>, orgId: string, scopes: Scopes): Promise<ThemeCountRow[]> {
  const rows = await commentsIn(db, orgId, scopes)
    .select(['r.month', 'ca.sentiment', 'ca.dimensions', 'ca.touchpoints', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['r.month', 'ca.sentiment', 'ca.dimensions', 'ca.touchpoints'])
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/**
 * Up to `limit` distinct redacted quotes of one tag and sentiment, the clearest first (largest |score|; for neutral the
 * smallest), then by text: the ones that say most plainly what the theme is. Never the original text.
 */
export async function readThemeQuotes(
  db: Kysely<Database>,
  orgId: string,
  scopes: Scopes,
  kind: 'dimension' | 'touchpoint',
  tag: string,
  sentiment: SentimentLabel,
  limit: number,
): Promise<string[]> {
  const list = kind === 'dimension' ? sql.ref('ca.dimensions') : sql.ref('ca.touchpoints');
  const rows = await commentsIn(db, orgId, scopes)
    .select('ca.redacted')
    .where(sql<boolean>`${list} like ${tagPattern(tag)} escape '!'`)
    .where('ca.sentiment', '=', sentiment)
    .orderBy(sql`abs(ca.score)`, sentiment === 'neutral' ? 'asc' : 'desc')
    .orderBy('ca.redacted')
    .limit(limit * 20) // the same words often come many times: read a few more and keep distinct texts
    .execute();
  return [...new Set(rows.map((r) => r.redacted).filter((t): t is string => typeof t === 'string'))].slice(0, limit);
}
