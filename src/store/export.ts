// Reads stored responses back, page by page, in the shape the canonical CSV export writes. The comment is
// the redacted text (comment_analysis, as the verbatims show it) unless the caller asks for the original,
// which only admins may (the route and the CLI decide and audit that).
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { foldQueued } from './cell-cache.ts';
import { readAnswers } from './answers.ts';
import { analyseComment, textContextFor } from './comment-analysis.ts';
import type { TextContext } from '../core/text/analyse.ts';

export interface ExportedResponse {
  id: string;
  perspective: string;
  respondentId: string | null;
  submittedAt: string;
  touchpoint: string;
  segments: Record<string, string>;
  answers: Record<string, number>;
  comment: string | null;
}

export async function segmentNames(db: Kysely<Database>, orgId: string): Promise<string[]> {
  await foldQueued(db, orgId); // a response still queued may name a segment no cell holds yet
  const keys = await db.selectFrom('answer_cells').select('segment_key').distinct().where('org_id', '=', orgId).execute();
  const names = new Set<string>();
  for (const { segment_key } of keys) for (const part of segment_key.split(';')) if (part) names.add(part.split('=')[0]!);
  return [...names].sort();
}

export interface ExportOptions {
  /** Rows per query. */
  pageSize?: number;
  /** The comments as written instead of redacted: for admins who asked for them, never by default. */
  original?: boolean;
}

export async function* exportResponses(db: Kysely<Database>, orgId: string, opts: ExportOptions = {}): AsyncGenerator<ExportedResponse> {
  const pageSize = opts.pageSize ?? 2000;
  let after: { at: string; id: string } | undefined;
  // A comment stored before its reading was (no comment_analysis row until `text backfill`) is redacted
  // here, as the verbatims do: never exported unredacted for want of a row.
  let text: TextContext | undefined;
  const redacted = async (comment: string | null, stored: string | null): Promise<string | null> => {
    if (opts.original || comment === null || stored !== null) return opts.original || comment === null ? comment : stored;
    text ??= await textContextFor(db, orgId);
    return analyseComment(text, comment).redacted;
  };
  for (;;) {
    let q = db
      .selectFrom('responses as r')
      .leftJoin('comment_analysis as ca', (j) => j.onRef('ca.org_id', '=', 'r.org_id').onRef('ca.response_id', '=', 'r.id'))
      .select(['r.id', 'r.perspective', 'r.respondent_id', 'r.submitted_at', 'r.touchpoint', 'r.segments', 'r.comment', 'ca.redacted'])
      .where('r.org_id', '=', orgId);
    if (after) {
      const a = after;
      q = q.where((eb) => eb.or([eb('r.submitted_at', '>', a.at), eb.and([eb('r.submitted_at', '=', a.at), eb('r.id', '>', a.id)])]));
    }
    const page = await q.orderBy('r.submitted_at').orderBy('r.id').limit(pageSize).execute();
    if (page.length === 0) return;
    const byResponse = await readAnswers(db, orgId, page.map((r) => r.id));
    for (const r of page) {
      yield {
        id: r.id,
        perspective: r.perspective,
        respondentId: r.respondent_id,
        submittedAt: r.submitted_at,
        touchpoint: r.touchpoint,
        segments: JSON.parse(r.segments),
        answers: byResponse.get(r.id) ?? {},
        comment: await redacted(r.comment, r.redacted),
      };
    }
    const last = page[page.length - 1]!;
    after = { at: last.submitted_at, id: last.id };
  }
}
