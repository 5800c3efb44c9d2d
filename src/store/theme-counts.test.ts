// The themes' precomputed counts (theme_counts, migration 0029) stay equal to a recount of the stored texts
// and readings, done here on its own from the raw rows (responses, feedback_items, comment_analysis), after
// random sequences of live and bulk responses, feedback items, erasures (by respondent, by response id, of a
// feedback source), readings forgotten and backfilled, readings of an older model re-scored, and rebuilds — on
// both engines (fast-check, bounded).
import { expect, it } from 'vitest';
import fc from 'fast-check';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { storeResponse, storeResponses, type NewResponse } from './responses.ts';
import { eraseResponses } from './erasure.ts';
import { rebuildAggregates } from './rebuild.ts';
import { backfillCommentAnalysis } from './comment-analysis.ts';
import { storeFeedback } from './feedback.ts';
import { createFeedbackSource, deleteFeedbackSource } from './feedback-sources.ts';
import { readAllThemeCounts } from './theme-counts.ts';
import { writeTransaction } from './write-transaction.ts';
import type { Store } from './db.ts';

const RESPONDENTS = ['r1', 'r2', 'r3'];
// Texts with different readings: negative and positive, tagged or not, blank (a comment without a reading), none.
const COMMENTS = [null, '', '   ', 'great', 'The app crashed and billing charged me twice, terrible', 'Friendly staff, quick and helpful support'];

interface Item {
  month: number;
  author: string | null;
  text: string;
  review: boolean;
}

interface Draft {
  leader: boolean;
  respondent: string | null;
  month: number;
  touchpoint: string | null;
  region: string | null;
  comment: string | null;
}

const draft: fc.Arbitrary<Draft> = fc.record({
  leader: fc.boolean(),
  respondent: fc.constantFrom(null, ...RESPONDENTS),
  month: fc.integer({ min: 1, max: 3 }),
  touchpoint: fc.constantFrom(null, 'app', 'billing'),
  region: fc.constantFrom(null, 'EMEA', 'APAC'),
  comment: fc.constantFrom(...COMMENTS),
});
const item: fc.Arbitrary<Item> = fc.record({ month: fc.integer({ min: 1, max: 3 }), author: fc.constantFrom(null, ...RESPONDENTS), text: fc.constantFrom(...(COMMENTS.slice(3) as string[])), review: fc.boolean() });

type Command =
  | { kind: 'one'; d: Draft }
  | { kind: 'bulk'; ds: Draft[] }
  | { kind: 'feedback'; items: Item[] }
  | { kind: 'eraseRespondent'; who: string }
  | { kind: 'eraseIds'; picks: number[] }
  | { kind: 'dropSource' }
  | { kind: 'forget'; picks: number[] }
  | { kind: 'age'; picks: number[] }
  | { kind: 'backfill'; rescore: boolean }
  | { kind: 'rebuild' }
  | { kind: 'check' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: draft.map((d) => ({ kind: 'one' as const, d })) },
  { weight: 2, arbitrary: fc.array(draft, { minLength: 1, maxLength: 8 }).map((ds) => ({ kind: 'bulk' as const, ds })) },
  { weight: 2, arbitrary: fc.array(item, { minLength: 1, maxLength: 4 }).map((items) => ({ kind: 'feedback' as const, items })) },
  { weight: 2, arbitrary: fc.constantFrom(...RESPONDENTS).map((who) => ({ kind: 'eraseRespondent' as const, who })) },
  { weight: 2, arbitrary: fc.array(fc.nat(20), { minLength: 1, maxLength: 3 }).map((picks) => ({ kind: 'eraseIds' as const, picks })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'dropSource' as const }) },
  { weight: 1, arbitrary: fc.array(fc.nat(20), { minLength: 1, maxLength: 3 }).map((picks) => ({ kind: 'forget' as const, picks })) },
  { weight: 1, arbitrary: fc.array(fc.nat(20), { minLength: 1, maxLength: 3 }).map((picks) => ({ kind: 'age' as const, picks })) },
  { weight: 2, arbitrary: fc.boolean().map((rescore) => ({ kind: 'backfill' as const, rescore })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'rebuild' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'check' as const }) },
);

function toResponse(f: OrgFixture, d: Draft): NewResponse {
  return {
    orgId: f.org.id,
    surveyId: d.leader ? f.leaderSurvey : f.customerSurvey,
    perspective: d.leader ? 'leader' : 'customer',
    submission: {
      respondentId: d.respondent,
      submittedAt: `2025-0${d.month}-15T10:00:00.000Z`,
      touchpoint: d.touchpoint,
      segments: d.region ? { region: d.region } : {},
      answers: { excellent: 4 },
      comment: d.comment,
    },
  };
}

/** The counts as they should be, from the raw rows alone (not the store's query). */
async function recount(store: Store, orgId: string): Promise<string[]> {
  const { db } = store;
  const readings = new Map((await db.selectFrom('comment_analysis').selectAll().where('org_id', '=', orgId).execute()).map((a) => [a.response_id, a]));
  const out = new Map<string, number>();
  const add = (key: string[], id: string) => {
    const a = readings.get(id);
    const k = [...key, a?.sentiment ?? '', a?.dimensions ?? '', a?.touchpoints ?? ''].join('|');
    out.set(k, (out.get(k) ?? 0) + 1);
  };
  for (const r of await db.selectFrom('responses').selectAll().where('org_id', '=', orgId).execute())
    if (r.comment !== null && r.comment !== '') add([r.perspective, '', r.month, r.touchpoint, r.segment_key], r.id);
  for (const r of await db.selectFrom('feedback_items').selectAll().where('org_id', '=', orgId).execute()) add(['customer', r.channel, r.month, r.touchpoint, r.segment_key], r.id);
  return [...out].map(([k, n]) => `${k}|${n}`).sort();
}

async function stored(store: Store, orgId: string): Promise<string[]> {
  return (await readAllThemeCounts(store.db, orgId))
    .map((r) => [r.perspective, r.channel, r.month, r.touchpoint, r.segment_key, r.sentiment, r.dimensions, r.touchpoints, Number(r.n)].join('|'))
    .sort();
}

async function textIds(store: Store, orgId: string, respondentId?: string): Promise<string[]> {
  let q = store.db.selectFrom('responses').select('id').where('org_id', '=', orgId);
  if (respondentId !== undefined) q = q.where('respondent_id', '=', respondentId);
  const feedback = respondentId === undefined ? await store.db.selectFrom('feedback_items').select('id').where('org_id', '=', orgId).execute() : [];
  return [...(await q.execute()), ...feedback].map((r) => r.id).sort();
}

describeEngines('theme counts', (ctx) => {
  it('equal a recount from the stored texts and readings after any writes', async () => {
    const store = ctx();
    // A bystander organisation: its counts must not move.
    const other = await makeOrg(store);
    await storeResponses(store.db, [1, 2].map((m) => toResponse(other, { leader: false, respondent: 'r1', month: m, touchpoint: 'app', region: null, comment: COMMENTS[4]! })));
    const otherBefore = await stored(store, other.org.id);
    expect(otherBefore).toEqual(await recount(store, other.org.id));

    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 10 }), async (commands) => {
        const f = await makeOrg(store);
        const orgId = f.org.id;
        let source = await createFeedbackSource(store.db, orgId, 'Reviews', 'review');
        const chat = await createFeedbackSource(store.db, orgId, 'Chat', 'chat');
        const pick = async (picks: number[]) => {
          const ids = await textIds(store, orgId);
          return [...new Set(picks.filter((p) => p < ids.length).map((p) => ids[p]!))];
        };
        for (const c of commands) {
          if (c.kind === 'one') await storeResponse(store.db, toResponse(f, c.d));
          else if (c.kind === 'bulk') await storeResponses(store.db, c.ds.map((d) => toResponse(f, d)));
          else if (c.kind === 'feedback')
            await storeFeedback(store.db, orgId, c.items.map((i) => ({
              sourceId: i.review ? source.id : chat.id, channel: i.review ? 'review' : 'chat', externalId: null, text: i.text, rating: null,
              touchpoint: '', segments: {}, authorRef: i.author, occurredAt: `2025-0${i.month}-10T10:00:00.000Z`,
            })));
          else if (c.kind === 'eraseRespondent') await eraseResponses(store.db, orgId, { respondentId: c.who });
          else if (c.kind === 'eraseIds') await eraseResponses(store.db, orgId, { responseIds: await pick(c.picks) });
          else if (c.kind === 'dropSource') {
            await deleteFeedbackSource(store.db, orgId, source.id);
            source = await createFeedbackSource(store.db, orgId, 'Reviews', 'review');
          } else if (c.kind === 'forget' || c.kind === 'age') {
            // A database from before readings were stored (forget), or read by an older model with other
            // results (age): changed behind the store's back, then rebuilt, as an operator would after.
            const ids = await pick(c.picks);
            if (ids.length) {
              await writeTransaction(store.db, async (tx) => {
                if (c.kind === 'forget') await tx.deleteFrom('comment_analysis').where('org_id', '=', orgId).where('response_id', 'in', ids).execute();
                else await tx.updateTable('comment_analysis').set({ model: 'sentiment@2020-01-01T00:00:00.000Z', sentiment: 'neutral', dimensions: ',old,', touchpoints: '' }).where('org_id', '=', orgId).where('response_id', 'in', ids).execute();
              });
              await rebuildAggregates(store.db, orgId);
            }
          } else if (c.kind === 'backfill') await backfillCommentAnalysis(store.db, orgId, undefined, { rescore: c.rescore });
          else if (c.kind === 'rebuild') await rebuildAggregates(store.db, orgId);
          else expect(await stored(store, orgId)).toEqual(await recount(store, orgId));
        }
        expect(await stored(store, orgId)).toEqual(await recount(store, orgId));
        // No row left at zero.
        expect((await readAllThemeCounts(store.db, orgId)).every((r) => Number(r.n) > 0)).toBe(true);
        // A rebuild of what is left gives the same rows.
        const before = await stored(store, orgId);
        await rebuildAggregates(store.db, orgId);
        expect(await stored(store, orgId)).toEqual(before);
      }),
      { numRuns: 30, seed: 20261130, endOnFailure: true },
    );
    expect(await stored(store, other.org.id)).toEqual(otherBefore);
  });
});
