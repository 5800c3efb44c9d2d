// Open comments of stored responses, as the verbatims report (src/reports/verbatims.ts) lists them: within
// each perspective's scope (the cells its anonymity cut allows), optionally containing some text, optionally
// only from responses that answered one item (with that answer), a page at a time. What a quote may show is
// the report's business; this reads the rows.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from './schema.ts';
import type { Perspective } from '../core/survey.ts';
import type { CellScope } from '../core/anonymity.ts';
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
}

export async function readComments(db: Kysely<Database>, orgId: string, { scopes, q, item, newestMonthFirst, limit, offset }: CommentQuery): Promise<{ total: number; rows: CommentRow[] }> {
  let base = db
    .selectFrom('responses as r')
    .where('r.org_id', '=', orgId)
    .where('r.comment', 'is not', null)
    .where('r.comment', '<>', '');
  // Each perspective's cells exactly as its cut selects them (withheld values left out); [] is none.
  base = base.where((eb) =>
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
  );
  const text = q?.trim();
  // lower() on both sides: SQLite's LIKE folds ASCII only and PostgreSQL's LIKE folds nothing.
  if (text) base = base.where(sql<boolean>`lower(r.comment) like lower(${likePattern(text)}) escape '!'`);
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
    .$if(item !== undefined, (qb) => qb.select(rating.as('rating')))
    .$if(newestMonthFirst, (qb) => qb.orderBy('r.month', 'desc'))
    .orderBy('r.comment')
    .orderBy('r.id')
    .limit(limit)
    .offset(offset)
    .execute();

  return { total: Number(totalRow?.n ?? 0), rows: rows as CommentRow[] };
}
