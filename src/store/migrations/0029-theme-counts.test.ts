// Migration 0029 on both engines: a database built at migration 0027 holding survey comments (analysed, not
// analysed, blank, empty, none) and feedback items is migrated in place. Its theme_counts then hold, per cell,
// sentiment and tag set, the number of texts: the figures below are counted by hand from the rows inserted.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINES } from '../../../test/engines.ts';
import { bareDatabase, migrate, migrationsUpTo } from '../../../test/migration-db.ts';
import * as m0029 from './0029-theme-counts.ts';

const AT_0027 = await migrationsUpTo('0027');

const NOW = '2025-01-01T00:00:00.000Z';

for (const engine of ENGINES) {
  describe(`migration 0029 (theme counts) [${engine}]`, () => {
    const database = bareDatabase(engine);

    it('counts the stored texts by cell, sentiment and tag set', async () => {
      const db = database();
      await migrate(db, AT_0027);
      await db.insertInto('organisations').values({ id: 'o1', name: 'O', industry: 'retail', min_responses: 5, created_at: NOW }).execute();
      await db.insertInto('surveys').values([{ org_id: 'o1', id: 's1', perspective: 'customer', active: 1, created_at: NOW }, { org_id: 'o1', id: 's2', perspective: 'leader', active: 1, created_at: NOW }]).execute();
      const response = (id: string, comment: string | null, o: { perspective?: string; month?: string; segment?: string } = {}) => ({
        org_id: 'o1', id, survey_id: o.perspective === 'leader' ? 's2' : 's1', perspective: o.perspective ?? 'customer', respondent_id: null, submitted_at: NOW,
        month: o.month ?? '2025-01', touchpoint: 'app', segment_key: o.segment ?? '', segments: '{}', comment, idempotency_key: null, request_hash: null, created_at: NOW,
      });
      await db.insertInto('responses').values([
        response('a', 'bad app'), response('b', 'bad app again'), response('c', 'fine'), response('d', 'not analysed yet'), response('e', '   '),
        response('f', ''), response('g', null), response('h', 'bad app', { month: '2025-02', segment: 'region=EMEA' }), response('i', 'bad app', { perspective: 'leader' }),
      ]).execute();
      await db.insertInto('feedback_items').values(['x', 'y'].map((id) => ({
        org_id: 'o1', id, source_id: 'src', channel: 'review', external_id: null, author_ref: null, occurred_at: NOW, month: '2025-01', touchpoint: '', segment_key: '',
        segments: '{}', comment: 'bad app', rating_value: null, rating_min: null, rating_max: null, rating: null, request_hash: 'h', created_at: NOW,
      }))).execute();
      const reading = (id: string, sentiment: string, dimensions: string) => ({ org_id: 'o1', response_id: id, sentiment, score: sentiment === 'negative' ? -0.8 : 0.1, dimensions, touchpoints: ',app,', redacted: 'r', model: 'm' });
      await db.insertInto('comment_analysis').values([
        reading('a', 'negative', ',ease,'), reading('b', 'negative', ',ease,'), reading('c', 'neutral', ''), reading('h', 'negative', ',ease,'),
        reading('i', 'negative', ',ease,'), reading('x', 'negative', ',ease,'),
      ]).execute();

      await migrate(db, { ...AT_0027, '0029_theme_counts': m0029 });
      const rows = await sql<any>`SELECT * FROM theme_counts ORDER BY channel, perspective, month, segment_key, sentiment, dimensions`.execute(db);
      expect(rows.rows.map((r) => [r.perspective, r.channel, r.month, r.touchpoint, r.segment_key, r.sentiment, r.dimensions, r.touchpoints, Number(r.n)])).toEqual([
        // d and e: comments without a reading (blank e counts as a comment, as the report counted it); f, g: none.
        ['customer', '', '2025-01', 'app', '', '', '', '', 2],
        ['customer', '', '2025-01', 'app', '', 'negative', ',ease,', ',app,', 2],
        ['customer', '', '2025-01', 'app', '', 'neutral', '', ',app,', 1],
        ['customer', '', '2025-02', 'app', 'region=EMEA', 'negative', ',ease,', ',app,', 1],
        ['leader', '', '2025-01', 'app', '', 'negative', ',ease,', ',app,', 1],
        // Feedback items: y has no reading.
        ['customer', 'review', '2025-01', '', '', '', '', '', 1],
        ['customer', 'review', '2025-01', '', '', 'negative', ',ease,', ',app,', 1],
      ]);
    });
  });
}
