// Reads stored responses back, page by page, in the shape the canonical CSV export writes.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { foldQueued } from './cell-cache.ts';
import { readAnswers } from './answers.ts';

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

export async function* exportResponses(db: Kysely<Database>, orgId: string, pageSize = 2000): AsyncGenerator<ExportedResponse> {
  let after: { at: string; id: string } | undefined;
  for (;;) {
    let q = db
      .selectFrom('responses')
      .select(['id', 'perspective', 'respondent_id', 'submitted_at', 'touchpoint', 'segments', 'comment'])
      .where('org_id', '=', orgId);
    if (after) {
      const a = after;
      q = q.where((eb) => eb.or([eb('submitted_at', '>', a.at), eb.and([eb('submitted_at', '=', a.at), eb('id', '>', a.id)])]));
    }
    const page = await q.orderBy('submitted_at').orderBy('id').limit(pageSize).execute();
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
        comment: r.comment,
      };
    }
    const last = page[page.length - 1]!;
    after = { at: last.submitted_at, id: last.id };
  }
}
