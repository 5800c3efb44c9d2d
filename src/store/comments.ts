// Open comments of stored responses, as the verbatims report (src/reports/verbatims.ts) lists them: within
// each perspective's scope (the cells its anonymity cut allows), optionally matching a full-text search (the
// index of migration 0018, through the engine: engines/), optionally only from responses that answered one
// item (with that answer), of one sentiment or tag, ranked or newest first, a keyset page at a time, each
// with its stored analysis (comment_analysis: store/comment-analysis.ts). Also the counts and quotes the
// themes report (src/reports/themes.ts) is built from. What a quote may show is the reports' business; this
// reads the rows. Counts without a search or an item (the themes', a list's total) are read from the precomputed
// theme_counts (migration 0029, store/theme-counts.ts), not from the texts.
// Feedback items from other channels (issue 9, table feedback_items: store/feedback.ts) are read beside the
// survey comments when a query asks for them (`feedback`, with the cells of their own anonymity cut): the same
// columns (`r` is then the item, `ca` its reading in comment_analysis), the same order, merged page by page.
import { sql, type Expression, type ExpressionBuilder, type JoinBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database } from './schema.ts';
import type { Perspective } from '../core/survey.ts';
import type { CellScope } from '../core/anonymity.ts';
import type { SentimentLabel } from '../core/text/sentiment.ts';
import { answerValueSql, readItemDictionary } from './answers.ts';
import { engineOf } from './bulk.ts';
import { dialectOf, MARK_END, MARK_START, type TextSearchSql } from './engines/engine.ts';
import { toFts5, type SearchQuery } from '../core/text/search-query.ts';

export type CommentSort = 'relevance' | 'newest';

/**
 * Where a page starts: just after this row of the order (keyset pagination: no OFFSET scan, and rows stored
 * between two pages neither repeat nor shift the next one).
 */
export interface CommentKey {
  /** The row's relevance (sort=relevance). */
  rank?: number;
  /** The row's month (newest month first). */
  month?: string;
  id: string;
}

/** Feedback items to list beside the survey comments: the cells their cut allows, optionally some channels only. */
export interface FeedbackScope {
  scope: CellScope;
  channels?: readonly string[];
}

export interface CommentQuery {
  /** Each perspective listed, with the cells it may list from ([]: no survey comment). */
  scopes: readonly { perspective: Perspective; scope: CellScope }[];
  /** Feedback items too (never with `item`: they answer no survey item). */
  feedback?: FeedbackScope;
  /** Full-text search (core/text/search-query.ts) over the text the reader is shown. */
  search?: SearchQuery;
  /** Only responses that answered this item; each row then carries the answer as `rating`. */
  item?: string;
  /** Only comments read as this sentiment. */
  sentiment?: SentimentLabel;
  /** Only comments tagged with this dimension or touchpoint key. */
  tag?: string;
  /**
   * Search the original comment (admins who asked for it); otherwise the redacted text, so that a search for
   * a redacted e-mail address or name finds nothing.
   */
  original?: boolean;
  /** Relevance (with a search) or newest month first. */
  sort: CommentSort;
  /**
   * Whether months may order the rows (every perspective's quotes show their month). Within a month, or
   * without months, rows come in an order drawn from the random bits of their ids: stable from page to page,
   * and never submission time, which would rank respondents.
   */
  newestMonthFirst: boolean;
  after?: CommentKey;
  limit: number;
  /** Old clients' paging (an OFFSET scan, slower the deeper it goes); with `after`, counted from there. */
  offset?: number;
  /**
   * Counted exactly up to this many; past it `total` is this bound and `totalIsEstimate` is set. A search over the
   * redacted text is counted up to SEARCH_COUNTED and then estimated (`totalIsApproximate`).
   */
  countUpTo: number;
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
  /** With sort=relevance: the row's rank (for the next page's key). */
  rank?: number;
  /** 'survey' for a response's comment, else the feedback item's channel. */
  channel: string;
  /** The feedback item's source id; null for a survey comment. */
  source: string | null;
}

type Scopes = CommentQuery['scopes'];

/**
 * A search over the redacted text is counted exactly up to this many matches; past it, its total is estimated from
 * a random sample of about SAMPLE of the organisation's matches (`totalIsApproximate`), rounded to two figures.
 */
export const SEARCH_COUNTED = 1_000;
const SAMPLE = 2_000;
const roundedEstimate = (n: number) => {
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.round(n / unit) * unit;
};

/** The most candidates of a ranked search joined at once (each is a bound parameter; SQLite allows 32,766). */
const MAX_BATCH = 10_000;

/**
 * Responses joined to their stored analysis and, searching, to the index. The analysis is a left join (a
 * missing one is null) except when the redacted text is searched, which needs it: then every join is inner,
 * so that the planner may start from the index's matches (FTS5 → analysis by rowid → response by key) rather
 * than from every response.
 */
function responsesWithText(db: Kysely<Database>, search: TextSearchSql | undefined, original: boolean, analysed = true, byIds = false) {
  const from = db.selectFrom('responses as r');
  return withReading<ReturnType<typeof from.leftJoin<'comment_analysis as ca', 'ca.org_id', 'r.org_id'>>>(from, search, original, analysed, byIds);
}

/**
 * `from` (responses or feedback items, as `r`) joined to the stored reading and, searching, to the index — both
 * tables' texts are read the same way; the caller names the resulting query's type.
 */
function withReading<Q>(from: SelectQueryBuilder<any, any, object>, search: TextSearchSql | undefined, original: boolean, analysed: boolean, byIds = false): Q {
  // Counting, with nothing asked of the analysis: no join to it at all (the planners may keep a left join).
  if (!analysed && !search) return from as unknown as Q;
  if (byIds && search) {
    // A few rows asked for by id (the highlights of a page): read from the ids outward — the row, its reading,
    // the index entry by rowid — rather than from every match of the search, which SQLite's planner would
    // otherwise start from (it keeps the order of a CROSS JOIN; PostgreSQL plans as it likes). 62 ms → under 1
    // for a page of 20 among 100,000 matches.
    const inner = !original;
    const withAnalysis = inner
      ? from.crossJoin('comment_analysis as ca').whereRef('ca.org_id', '=', 'r.org_id').whereRef('ca.response_id', '=', 'r.id')
      : from.leftJoin('comment_analysis as ca', (j) => j.onRef('ca.org_id', '=', 'r.org_id').onRef('ca.response_id', '=', 'r.id'));
    const joined = search.join ? withAnalysis.crossJoin(sql.table(search.join.table).as(search.join.table)).where(search.join.on) : withAnalysis;
    return joined.where(search.match) as unknown as Q;
  }
  const analysis = (j: JoinBuilder<any, any>) => j.onRef('ca.org_id', '=', 'r.org_id').onRef('ca.response_id', '=', 'r.id');
  const withAnalysis = search && !original ? from.innerJoin('comment_analysis as ca', analysis) : from.leftJoin('comment_analysis as ca', analysis);
  // SQLite: the FTS5 table, its MATCH driving the join (a rowid look-up or two per match).
  const joined = search?.join ? withAnalysis.innerJoin(sql.table(search.join.table).as(search.join.table), (j) => j.on(search.join!.on)) : withAnalysis;
  return joined.$if(search !== undefined, (qb) => qb.where(search!.match)) as unknown as Q;
}

/** The comments within the scopes (and matching the search). */
function commentsIn(db: Kysely<Database>, orgId: string, scopes: Scopes, search?: TextSearchSql, original = false, analysed = true) {
  return (
    responsesWithText(db, search, original, analysed)
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

/**
 * The search over feedback items: the engine's (the redacted text is comment_analysis's, indexed whoever wrote
 * it; PostgreSQL's original-text expression reads `r.comment`, a column of both tables), except SQLite's
 * original text, which has its own FTS5 table over feedback_items (migration 0027).
 */
export function feedbackTextSearch(db: Kysely<Database>, search: SearchQuery, original: boolean): TextSearchSql {
  if (!original || dialectOf(db) === 'postgres') return engineOf(db).textSearch(search, original);
  const t = sql.table('feedback_search_original');
  return {
    join: { table: 'feedback_search_original', on: sql<boolean>`${t}.rowid = r.rowid` },
    match: sql<boolean>`${t} match ${toFts5(search)}`,
    rank: sql<number>`bm25(${t})`,
    highlight: sql<string>`highlight(${t}, 0, ${MARK_START}, ${MARK_END})`,
  };
}

/** Feedback items joined to their reading (and the index), as responsesWithText joins responses. */
function feedbackWithText(db: Kysely<Database>, search: TextSearchSql | undefined, original: boolean, analysed = true) {
  const from = db.selectFrom('feedback_items as r');
  return withReading<ReturnType<typeof from.leftJoin<'comment_analysis as ca', 'ca.org_id', 'r.org_id'>>>(from, search, original, analysed);
}

/** The feedback items within their cut's cells (and channels, and matching the search). */
function feedbackIn(db: Kysely<Database>, orgId: string, f: FeedbackScope, search?: TextSearchSql, original = false, analysed = true) {
  const within = <Q extends { where: (...a: any[]) => Q }>(q: Q, col: string, values: readonly string[] | undefined): Q =>
    values === undefined ? q : values.length ? q.where(col, 'in', values) : q.where(sql<boolean>`1 = 0`);
  let q = feedbackWithText(db, search, original, analysed).where('r.org_id', '=', orgId);
  q = within(q, 'r.month', f.scope.months);
  q = within(q, 'r.touchpoint', f.scope.touchpoints);
  q = within(q, 'r.segment_key', f.scope.segmentKeys);
  q = within(q, 'r.channel', f.channels);
  return q;
}

/** A tag key as the ','-wrapped lists hold it (keys are [a-z0-9_], so only '_' needs escaping for LIKE). */
const tagPattern = (tag: string) => `%,${tag.replace(/[!%_]/g, (c) => `!${c}`)},%`;
const hasTag = (tag: string) =>
  sql<boolean>`(ca.dimensions like ${tagPattern(tag)} escape '!' or ca.touchpoints like ${tagPattern(tag)} escape '!')`;

// The order within a month: the random bits of the id (after the UUIDv7 time: responses.ts newResponseId),
// then the id for the (astronomically rare) tie. The same expression in SQL and here.
const shuffleSql = (id: RawBuilder<string>) => sql<string>`substr(${id}, 15)`;
const SHUFFLE = shuffleSql(sql`r.id`);
const shuffleOf = (id: string) => id.slice(14);

/** The rows after `key` in the order the query sorts by (`id`: the response id's column, r.id unless told). */
function afterKey(key: CommentKey, rank: RawBuilder<number> | undefined, byMonth: boolean, id: RawBuilder<string> = sql`r.id`): RawBuilder<boolean> {
  const k = shuffleOf(key.id);
  const shuffle = shuffleSql(id);
  const tail = sql<boolean>`(${shuffle} > ${k} or (${shuffle} = ${k} and ${id} > ${key.id}))`;
  if (rank) return sql<boolean>`(${rank} > ${key.rank ?? 0} or (${rank} = ${key.rank ?? 0} and ${tail}))`;
  if (byMonth) return sql<boolean>`(r.month < ${key.month ?? ''} or (r.month = ${key.month ?? ''} and ${tail}))`;
  return tail;
}

export async function readComments(
  db: Kysely<Database>,
  orgId: string,
  { scopes, feedback: feedbackQuery, search, item, sentiment, tag, original = false, sort, newestMonthFirst, after, limit, offset = 0, countUpTo }: CommentQuery,
): Promise<{ total: number; totalIsEstimate: boolean; totalIsApproximate: boolean; rows: CommentRow[] }> {
  // Feedback items rate no survey item: a query by item lists survey comments only.
  const feedback = item === undefined ? feedbackQuery : undefined;
  // What the reader is shown is what is searched: the redacted text unless the original was asked for. A
  // comment not analysed yet (`parallax text backfill`) has no redacted text: a search without the original
  // skips it rather than match words the reader will not see.
  const fts = search ? engineOf(db).textSearch(search, original) : undefined;
  // `searched` false: the part's comments whatever the search (rows known to match, read by id).
  const base = (part: Scopes, analysed = true, searched = true) =>
    commentsIn(db, orgId, part, searched ? fts : undefined, original, analysed)
      .$if(!!sentiment, (qb) => qb.where('ca.sentiment', '=', sentiment!))
      .$if(!!tag, (qb) => qb.where(hasTag(tag!)));
  // The answers are packed one row per response (answers.ts): the rating and the excellence answer are
  // picked out of the joined row by their item codes.
  const { codeOf } = await readItemDictionary(db, orgId);
  const rating = answerValueSql(db, 'a.items', item === undefined ? undefined : codeOf.get(item));
  const excellent = answerValueSql(db, 'a.items', codeOf.get('excellent'));
  const withDim = (part: Scopes, analysed = true, searched = true) =>
    item
      ? base(part, analysed, searched).innerJoin('answers as a', (j) => j.onRef('a.org_id', '=', 'r.org_id').onRef('a.response_id', '=', 'r.id')).where(sql<boolean>`${rating} is not null`)
      : base(part, analysed, searched).leftJoin('answers as a', (j) => j.onRef('a.org_id', '=', 'r.org_id').onRef('a.response_id', '=', 'r.id'));

  // Counted up to a bound: past it, counting every match would cost more than the page itself. The answers
  // are one row per response: joined only when they filter (an item), not to count.
  // Without a search ranking them, the rows come a perspective at a time (below), and are counted so too.
  const rank = fts && sort === 'relevance' ? fts.rank : undefined;
  const parts = scopes.length === 0 ? [] : rank || scopes.length < 2 ? [scopes] : scopes.map((s) => [s]);
  const needsAnalysis = !!sentiment || !!tag;
  const ffts = feedback && search ? feedbackTextSearch(db, search, original) : undefined;
  const feedbackBase = (analysed = true) =>
    feedbackIn(db, orgId, feedback!, ffts, original, analysed)
      .$if(!!sentiment, (qb) => qb.where('ca.sentiment', '=', sentiment!))
      .$if(!!tag, (qb) => qb.where(hasTag(tag!)));
  let n = 0;
  // Without a search or an item, the precomputed counts know the number (sentiment and tags included).
  const counted = !search && item === undefined;
  if (counted) n = await countFromThemeCounts(db, orgId, scopes, feedback, sentiment, tag);
  // A query's rows counted (up to `upTo` and one more).
  const countOf = async (q: SelectQueryBuilder<any, any, any>, upTo?: number) =>
    Number((await db.selectFrom(q.select(sql<number>`1`.as('one')).$if(upTo !== undefined, (qb) => qb.limit(upTo! + 1)).as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  if (feedback && !counted) n += await countOf(feedbackBase(needsAnalysis) as unknown as SelectQueryBuilder<any, any, any>, countUpTo);
  // The organisation's readings that match the search (and the sentiment and tag asked for), from the index and
  // comment_analysis alone — no response read: survey comments and feedback items, whatever their cell.
  const orgMatches = () =>
    db
      .selectFrom('comment_analysis as ca')
      .$if(fts?.join !== undefined, (qb) => qb.innerJoin(sql.table(fts!.join!.table).as(fts!.join!.table), (j) => j.on(fts!.join!.on)))
      .where(fts!.match)
      .where('ca.org_id', '=', orgId)
      .$if(!!sentiment, (qb) => qb.where('ca.sentiment', '=', sentiment!))
      .$if(!!tag, (qb) => qb.where(hasTag(tag!)));
  // A search over the redacted text is counted exactly up to SEARCH_COUNTED; past it, estimated (estimatedMatches).
  const estimable = fts !== undefined && !original;
  let approximate = false;
  const partQuery = (part: Scopes) => (item ? withDim(part, needsAnalysis) : base(part, needsAnalysis)) as unknown as SelectQueryBuilder<any, any, any>;

  /**
   * About how many of the organisation's matches fall within a part's scope and filters, from a random sample of
   * its matches: every match is counted from the index and the readings alone (milliseconds), and only about
   * SAMPLE of them — those whose id's random bits (after the UUIDv7 time: responses.ts newResponseId) fall below a
   * threshold — are joined to their responses to see which the part takes. The share taken, times the matches.
   */
  const estimatedMatches = async (part: Scopes): Promise<number> => {
    // The matches per value of two random hex digits of their ids, in one pass: all of them, and the lowest
    // values holding at least SAMPLE (the sample).
    const bucket = sql<string>`substr(ca.response_id, 16, 2)`;
    const buckets = await orgMatches().select([bucket.as('b'), (eb) => eb.fn.countAll<number>().as('n')]).groupBy(bucket).orderBy(bucket).execute();
    const all = buckets.reduce((a, b) => a + Number(b.n), 0);
    if (all <= SAMPLE) return countOf(partQuery(part)); // few enough to count them all
    let sampled = 0;
    let upTo = '';
    for (const b of buckets) {
      sampled += Number(b.n);
      upTo = b.b;
      if (sampled >= SAMPLE) break;
    }
    const taken = await countOf(partQuery(part).where(sql<SqlBool>`${bucket} <= ${upTo}`)); // sampled before any response is read
    return sampled === 0 ? 0 : (all * taken) / sampled;
  };
  let matchesNone = false; // the one part counted nothing: no page to look for
  for (const part of counted ? [] : parts) {
    const exact = await countOf(partQuery(part), estimable ? SEARCH_COUNTED : countUpTo);
    matchesNone = parts.length === 1 && exact === 0;
    if (estimable && exact > SEARCH_COUNTED) {
      // Never below what was counted: the sample's error is a few percent of the matches.
      n += Math.max(SEARCH_COUNTED + 1, await estimatedMatches(part));
      approximate = true;
    } else n += exact;
  }

  const byMonth = !rank && newestMonthFirst;
  // A survey comment's row as a page lists it, its columns in the feedback page's order (a union pairs them by
  // position); with the search's rank when `ranked`.
  const surveyRow = (q: ReturnType<typeof withDim>, ranked: boolean) =>
    q
      .select(['r.id', 'r.perspective', 'r.month', 'r.touchpoint', 'r.comment', excellent.as('excellent')])
      .select(['ca.sentiment', 'ca.score', 'ca.dimensions', 'ca.touchpoints', 'ca.redacted'])
      .$if(item !== undefined, (qb) => qb.select(rating.as('rating')))
      .$if(ranked, (qb) => qb.select(rank!.as('rank')).orderBy(rank!))
      .select([sql<string>`'survey'`.as('channel'), sql<string | null>`cast(null as text)`.as('source')]);
  // `ids`: only these, checked on the reading's id as each match is read (before its response is). Reading from
  // the ids outward instead (withReading's byIds) costs more here: SQLite's FTS5 then ranks row by row.
  const page = (part: Scopes, take: number, ids?: readonly string[]) =>
    surveyRow(
      withDim(part).$if(ids !== undefined, (qb) => qb.where(ids!.length ? sql<boolean>`ca.response_id in (${sql.join(ids!)})` : sql<boolean>`1 = 0`)),
      rank !== undefined,
    )
      .$if(after !== undefined, (qb) => qb.where(afterKey(after!, rank, byMonth)))
      .$if(byMonth, (qb) => qb.orderBy('r.month', 'desc'))
      .orderBy(SHUFFLE)
      .orderBy('r.id')
      .limit(take);
  // A relevance search over the redacted text: the survey comments' page is looked for among the organisation's
  // best-ranked matches first, so that only those are joined to their responses (rankedSurveyRows); merged with
  // the feedback items' page in SQL, by their ids.
  const ranked = fts && rank && !original && parts.length === 1 ? (matchesNone ? [] : await rankedSurveyRows(parts[0]!, limit + offset)) : undefined;
  const surveyIds = ranked?.map((r) => String(r.id));
  const surveyPage = (part: Scopes, take: number) => page(part, take, surveyIds);

  /**
   * The first `take` survey comments of a relevance search, in its order. The index and the readings alone rank
   * every match of the organisation (milliseconds at a million responses); the best `batch` of them are then
   * read by id from their responses — no search needed, they match — for the scope and the filters, kept in the
   * candidates' order, and a batch that leaves the page short is followed by the next (four times larger): instead
   * of every match joined first and then sorted.
   */
  async function rankedSurveyRows(part: Scopes, take: number): Promise<Record<string, unknown>[]> {
    const id = sql<string>`ca.response_id`;
    const candidates = (from: CommentKey | undefined, batch: number) =>
      orgMatches()
        .$if(from !== undefined, (qb) => qb.where(afterKey(from!, rank, false, id)))
        .select([id.as('id'), rank!.as('rank')])
        .orderBy(rank!)
        .orderBy(shuffleSql(id))
        .orderBy(id)
        .limit(batch)
        .execute();
    const out: Record<string, unknown>[] = [];
    let from = after;
    for (let batch = Math.max(200, 4 * take); ; batch = Math.min(4 * batch, MAX_BATCH)) {
      const found = await candidates(from, batch);
      if (found.length === 0) return out;
      const listed = await surveyRow(withDim(part, true, false).where(sql<boolean>`r.id in (${sql.join(found.map((f) => f.id))})`), false).execute();
      const byId = new Map(listed.map((r) => [r.id, r]));
      for (const f of found) {
        const row = byId.get(f.id);
        if (row) out.push({ ...row, rank: f.rank });
        if (out.length >= take) return out;
      }
      if (found.length < batch) return out;
      const last = found[found.length - 1]!;
      from = { id: last.id, rank: Number(last.rank) };
    }
  }

  // The feedback items' page: the same columns in the same order (a union needs them so), the same order.
  const frank = ffts && sort === 'relevance' ? ffts.rank : undefined;
  const feedbackPage = (take: number) =>
    feedbackBase()
      .select(['r.id', sql<Perspective>`'customer'`.as('perspective'), 'r.month', 'r.touchpoint', 'r.comment', sql<number | null>`cast(null as integer)`.as('excellent')])
      .select(['ca.sentiment', 'ca.score', 'ca.dimensions', 'ca.touchpoints', 'ca.redacted'])
      .$if(frank !== undefined, (qb) => qb.select(frank!.as('rank')).orderBy(frank!))
      .select(['r.channel', 'r.source_id as source'])
      .$if(after !== undefined, (qb) => qb.where(afterKey(after!, frank, byMonth)))
      .$if(byMonth, (qb) => qb.orderBy('r.month', 'desc'))
      .orderBy(SHUFFLE)
      .orderBy('r.id')
      .limit(take);
  // One perspective's rows walk its index (migration 0024: responses_comment_order) in this very order and
  // stop after the page; an OR of perspectives would sort every comment first. So several perspectives (and
  // the feedback items) are read a page each, and the pages merged in the same order (the database's: its
  // collation orders the ids).
  const pages = [
    ...parts.map((part) => db.selectFrom(surveyPage(part, limit + offset).select(SHUFFLE.as('shuffle')).as('p')).selectAll()),
    ...(feedback ? [db.selectFrom(feedbackPage(limit + offset).select(SHUFFLE.as('shuffle')).as('p')).selectAll()] : []),
  ] as unknown as SelectQueryBuilder<any, any, any>[];
  const rows: Record<string, unknown>[] =
    pages.length === 0
      ? []
      : parts.length === 1 && !feedback
        ? (ranked?.slice(offset, offset + limit) ?? (await page(scopes, limit).$if(offset > 0, (qb) => qb.offset(offset)).execute()))
        : parts.length === 0
          ? await feedbackPage(limit).$if(offset > 0, (qb) => qb.offset(offset)).execute()
          : await db
              .selectFrom(pages.reduce((all, next) => all.unionAll(next)).as('u'))
              .selectAll()
              .$if(rank !== undefined, (qb) => qb.orderBy('rank'))
              .$if(byMonth, (qb) => qb.orderBy('month', 'desc'))
              .orderBy('shuffle')
              .orderBy('id')
              .limit(limit)
              .$if(offset > 0, (qb) => qb.offset(offset))
              .execute();

  return {
    total: approximate ? roundedEstimate(n) : Math.min(n, countUpTo),
    totalIsEstimate: approximate || n > countUpTo,
    totalIsApproximate: approximate,
    rows: rows.map(({ shuffle: _, ...r }: Record<string, unknown>) => ({
      ...r,
      score: r.score === null || r.score === undefined ? null : Number(r.score),
      ...('rank' in r ? { rank: Number(r.rank) } : {}),
    })) as CommentRow[],
  };
}

/**
 * The matches of a search in the given rows' text, as that text with MARK_START/MARK_END around each (on
 * PostgreSQL the accent-folded text, one character for one: store/comment-search.ts maps it back).
 */
export async function readMarkedText(
  db: Kysely<Database>,
  orgId: string,
  search: SearchQuery,
  original: boolean,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const fts = engineOf(db).textSearch(search, original);
  const rows = await responsesWithText(db, fts, original, true, true)
    .where('r.org_id', '=', orgId)
    .where('r.id', 'in', ids)
    .select(['r.id', fts.highlight.as('marked')])
    .execute();
  const out = new Map(rows.map((r) => [r.id, String(r.marked)]));
  // The rest are feedback items' (or none): their text is found through their own table.
  const rest = ids.filter((id) => !out.has(id));
  if (rest.length) {
    const ffts = feedbackTextSearch(db, search, original);
    const more = await feedbackWithText(db, ffts, original).where('r.org_id', '=', orgId).where('r.id', 'in', rest).select(['r.id', ffts.highlight.as('marked')]).execute();
    for (const r of more) out.set(r.id, String(r.marked));
  }
  return out;
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
 * The comments within the scopes counted by month, sentiment and tag set, read from the precomputed counts
 * (theme_counts, migration 0029: store/theme-counts.ts) rather than from the comments: the same figures, at
 * the cost of the organisation's count rows. Comments without a stored analysis count with nulls.
 */
export async function readThemeCounts(db: Kysely<Database>, orgId: string, scopes: Scopes, feedback?: FeedbackScope): Promise<ThemeCountRow[]> {
  const grouped = (q: ReturnType<typeof themeCountsIn>['survey']) =>
    q.select(['month', 'sentiment', 'dimensions', 'touchpoints', (eb) => eb.fn.sum<number>('n').as('n')]).groupBy(['month', 'sentiment', 'dimensions', 'touchpoints']).execute();
  const { survey, feedback: items } = themeCountsIn(db, orgId, scopes, feedback);
  // Feedback items' rows beside the survey comments': the themes count every text once, whichever channel brought it.
  const rows = [...(scopes.length ? await grouped(survey) : []), ...(feedback ? await grouped(items) : [])];
  return rows
    .map((r) => ({ ...r, n: Number(r.n) }))
    .filter((r) => r.n > 0)
    .map((r) => (r.sentiment === '' ? { month: r.month, sentiment: null, dimensions: null, touchpoints: null, n: r.n } : r)) as ThemeCountRow[];
}

/**
 * The precomputed counts' rows (theme_counts) of the same cells as commentsIn (survey comments) and feedbackIn
 * (feedback items) select: a count of those texts read from the counts, not from the texts.
 */
function themeCountsIn(db: Kysely<Database>, orgId: string, scopes: Scopes, feedback?: FeedbackScope) {
  const counts = () => db.selectFrom('theme_counts').where('org_id', '=', orgId);
  type Eb = ExpressionBuilder<Database, 'theme_counts'>;
  // [] is none, as in commentsIn.
  const within = (eb: Eb, and: Expression<SqlBool>[], scope: CellScope) => {
    const add = (col: 'month' | 'touchpoint' | 'segment_key', values: readonly string[] | undefined) => {
      if (values) and.push(values.length ? eb(col, 'in', values) : eb.val(false));
    };
    add('month', scope.months);
    add('touchpoint', scope.touchpoints);
    add('segment_key', scope.segmentKeys);
    return eb.and(and);
  };
  return {
    survey: counts()
      .where('channel', '=', '')
      .where((eb) => eb.or(scopes.map((p) => within(eb, [eb('perspective', '=', p.perspective)], p.scope)))),
    feedback: counts()
      .where('channel', '<>', '')
      .where((eb) => within(eb, feedback?.channels ? [feedback.channels.length ? eb('channel', 'in', feedback.channels) : eb.val(false)] : [], feedback?.scope ?? {})),
  };
}

/**
 * How many texts a list without a search or an item holds, from the precomputed counts (an index range of
 * theme_counts) rather than by reading each matching row: the same number, exactly, whatever its size.
 */
async function countFromThemeCounts(db: Kysely<Database>, orgId: string, scopes: Scopes, feedback: FeedbackScope | undefined, sentiment?: SentimentLabel, tag?: string): Promise<number> {
  const { survey, feedback: items } = themeCountsIn(db, orgId, scopes, feedback);
  const total = async (q: typeof survey) => {
    const r = await q
      .$if(!!sentiment, (qb) => qb.where('sentiment', '=', sentiment!))
      .$if(!!tag, (qb) => qb.where(sql<boolean>`(dimensions like ${tagPattern(tag!)} escape '!' or touchpoints like ${tagPattern(tag!)} escape '!')`))
      .select((eb) => eb.fn.sum<number>('n').as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  };
  return (scopes.length ? await total(survey) : 0) + (feedback ? await total(items) : 0);
}

/**
 * The quotes' order, clearest first: |score| descending, but ascending for neutral ones. One ascending key,
 * so that the index of migration 0024 (comment_analysis_quotes, the same expression) yields it together
 * with the text's order after it; the planners match the expression as written here.
 */
const CLARITY = sql`(case when ca.sentiment = 'neutral' then abs(ca.score) else -abs(ca.score) end)`;

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
  feedback?: FeedbackScope,
): Promise<string[]> {
  const list = kind === 'dimension' ? sql.ref('ca.dimensions') : sql.ref('ca.touchpoints');
  const rows = scopes.length === 0 ? [] : await commentsIn(db, orgId, scopes)
    .select(['ca.redacted', CLARITY.as('clarity')])
    .where(sql<boolean>`${list} like ${tagPattern(tag)} escape '!'`)
    .where('ca.sentiment', '=', sentiment)
    .orderBy(CLARITY)
    .orderBy('ca.redacted')
    .limit(limit * 20) // the same words often come many times: read a few more and keep distinct texts
    .execute();
  if (feedback) {
    // The feedback items' clearest quotes too, merged in the same order.
    const more = await feedbackIn(db, orgId, feedback)
      .select(['ca.redacted', CLARITY.as('clarity')])
      .where(sql<boolean>`${list} like ${tagPattern(tag)} escape '!'`)
      .where('ca.sentiment', '=', sentiment)
      .orderBy(CLARITY)
      .orderBy('ca.redacted')
      .limit(limit * 20)
      .execute();
    rows.push(...(more as typeof rows));
    rows.sort((a, b) => Number(a.clarity) - Number(b.clarity) || (String(a.redacted) < String(b.redacted) ? -1 : String(a.redacted) > String(b.redacted) ? 1 : 0));
  }
  return [...new Set(rows.map((r) => r.redacted).filter((t): t is string => typeof t === 'string'))].slice(0, limit);
}
