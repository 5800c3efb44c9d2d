// Erasure and rebuild keep every derived table equal to a recomputation from the raw answers
// (test/aggregates.ts): random sequences of single responses, bulk imports, erasures by respondent and by
// response id and rebuilds, with live responses queued for folding in between, on both engines
// (fast-check, bounded: a few dozen short sequences).
import { expect, it } from 'vitest';
import fc from 'fast-check';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { expectSame, recompute, stored } from '../../test/aggregates.ts';
import { foldPending } from './fold-queue.ts';
import { getFramework, replaceFramework } from './organisations.ts';
import { storeResponse, storeResponses, type NewResponse } from './responses.ts';
import { eraseResponses } from './erasure.ts';
import { rebuildAggregates, UnknownOrganisation } from './rebuild.ts';
import { claimLeaderLink, createLeaderLinks, findLeaderLink, linkRespondentId } from './leader-links.ts';
import type { Store } from './db.ts';

const RESPONDENTS = ['r1', 'r2', 'r3'];

interface Draft {
  leader: boolean;
  respondent: string | null;
  month: number;
  touchpoint: string | null;
  segments: Record<string, string>;
  complete: boolean;
  values: number[];
  skip: boolean[];
  comment: string | null;
}

const draft: fc.Arbitrary<Draft> = fc.record({
  leader: fc.boolean(),
  respondent: fc.constantFrom(null, ...RESPONDENTS),
  month: fc.integer({ min: 1, max: 3 }),
  touchpoint: fc.constantFrom(null, 'app', 'billing'),
  segments: fc.record({ region: fc.constantFrom('EMEA', 'APAC'), plan: fc.constantFrom('basic', 'pro') }, { requiredKeys: [] }),
  complete: fc.boolean(),
  // Values 0..10 (nps's scale): zeros make driver sums of 0 that must stay while n > 0.
  values: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 20, maxLength: 20 }),
  skip: fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
  comment: fc.constantFrom(null, 'great'),
});

type Command =
  | { kind: 'one'; d: Draft }
  | { kind: 'bulk'; ds: Draft[] }
  | { kind: 'eraseRespondent'; who: string }
  | { kind: 'eraseIds'; picks: number[] }
  | { kind: 'rebuild' }
  | { kind: 'check' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: draft.map((d) => ({ kind: 'one' as const, d })) },
  { weight: 2, arbitrary: fc.array(draft, { minLength: 1, maxLength: 8 }).map((ds) => ({ kind: 'bulk' as const, ds })) },
  { weight: 2, arbitrary: fc.constantFrom(...RESPONDENTS).map((who) => ({ kind: 'eraseRespondent' as const, who })) },
  { weight: 2, arbitrary: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }).map((picks) => ({ kind: 'eraseIds' as const, picks })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'rebuild' as const }) },
  // Checking folds the queue (test/aggregates.ts): between checks, single responses stay queued, so
  // erasures and rebuilds meet queued and folded responses alike.
  { weight: 2, arbitrary: fc.constant({ kind: 'check' as const }) },
);

function toResponse(f: OrgFixture, items: string[], d: Draft): NewResponse {
  const answers: Record<string, number> = {};
  items.forEach((item, i) => {
    if (d.complete || !d.skip[i]) answers[item] = d.values[i]!;
  });
  return {
    orgId: f.org.id,
    surveyId: d.leader ? f.leaderSurvey : f.customerSurvey,
    perspective: d.leader ? 'leader' : 'customer',
    submission: { respondentId: d.respondent, submittedAt: `2025-0${d.month}-15T10:00:00.000Z`, touchpoint: d.touchpoint, segments: d.segments, answers, comment: d.comment },
  };
}

async function responseIds(store: Store, orgId: string, respondentId?: string): Promise<string[]> {
  let q = store.db.selectFrom('responses').select('id').where('org_id', '=', orgId);
  if (respondentId !== undefined) q = q.where('respondent_id', '=', respondentId);
  return (await q.orderBy('id').execute()).map((r) => r.id);
}

describeEngines('erasure and rebuild', (ctx) => {
  it('keep every aggregate equal to a recomputation from the raw answers', async () => {
    const store = ctx();
    // A bystander organisation, never erased: its aggregates must not move.
    const other = await makeOrg(store);
    const otherItems = (await getFramework(store.db, other.org.id)).filter((d) => d.customerItem !== null).map((d) => `dim:${d.key}`);
    await storeResponses(store.db, [1, 2, 3].map((m) => toResponse(other, [...otherItems, 'excellent', 'nps'], { leader: false, respondent: 'r1', month: m, touchpoint: 'app', segments: {}, complete: true, values: Array(20).fill(m), skip: [], comment: null })));
    const otherBefore = await stored(store, other.org.id);

    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 9 }), async (commands) => {
        const f = await makeOrg(store);
        const orgId = f.org.id;
        const items = [...(await getFramework(store.db, orgId)).filter((d) => d.customerItem !== null).map((d) => `dim:${d.key}`), 'excellent', 'nps'];
        for (const c of commands) {
          if (c.kind === 'one') await storeResponse(store.db, toResponse(f, items, c.d));
          else if (c.kind === 'bulk') await storeResponses(store.db, c.ds.map((d) => toResponse(f, items, d)));
          else if (c.kind === 'rebuild') expect(await rebuildAggregates(store.db, orgId)).toEqual([{ orgId, responses: (await responseIds(store, orgId)).length }]);
          else if (c.kind === 'eraseRespondent') {
            const expected = (await responseIds(store, orgId, c.who)).length;
            expect(await eraseResponses(store.db, orgId, { respondentId: c.who })).toBe(expected);
            expect(await responseIds(store, orgId, c.who)).toEqual([]);
          } else if (c.kind === 'eraseIds') {
            const ids = await responseIds(store, orgId);
            // Picks past the end name ids that do not exist (or another organisation's): not erased.
            const chosen = c.picks.map((p) => (p < ids.length ? ids[p]! : p % 2 ? `missing-${p}` : other.org.id));
            const expected = new Set(chosen.filter((id) => ids.includes(id))).size;
            expect(await eraseResponses(store.db, orgId, { responseIds: chosen })).toBe(expected);
          } else expectSame(await stored(store, orgId), await recompute(store, orgId));
        }
        expectSame(await stored(store, orgId), await recompute(store, orgId));
        const answers = await store.db.selectFrom('answers').select('response_id').where('org_id', '=', orgId).execute();
        const ids = new Set(await responseIds(store, orgId));
        expect(answers.every((a) => ids.has(a.response_id))).toBe(true);
        // And a rebuild of what is left gives the same tables.
        const before = await stored(store, orgId);
        await rebuildAggregates(store.db, orgId);
        expectSame(await stored(store, orgId), { ...before });
      }),
      { numRuns: 40, seed: 20251130, endOnFailure: true },
    );
    expectSame(await stored(store, other.org.id), { ...otherBefore });
    // Rebuilding every organisation changes nothing that is right already.
    await rebuildAggregates(store.db);
    expectSame(await stored(store, other.org.id), { ...otherBefore });
    await expect(rebuildAggregates(store.db, 'no-such-org')).rejects.toBeInstanceOf(UnknownOrganisation);
    // Half the answers skipped at random: nearly every response is an answered set of its own (driver-cells.ts),
    // so the driver tables hold many more rows than with complete cases alone; a longer limit on a shared machine.
  }, 240_000);

  it('rebuilds derived tables that went wrong, and erases a whole cell down to no rows', async () => {
    const store = ctx();
    const f = await makeOrg(store);
    const items = [...(await getFramework(store.db, f.org.id)).filter((d) => d.customerItem !== null).map((d) => `dim:${d.key}`), 'excellent', 'nps'];
    const d: Draft = { leader: false, respondent: 'gone', month: 4, touchpoint: 'app', segments: { region: 'EMEA' }, complete: true, values: Array(20).fill(0), skip: [], comment: 'delete me' };
    await storeResponses(store.db, [toResponse(f, items, d), toResponse(f, items, { ...d, respondent: 'stays', values: Array(20).fill(7) })]);
    // A bug's damage: a roll-up count off by one, a stray cell.
    await store.db.updateTable('answer_rollups').set({ count: 999 }).where('org_id', '=', f.org.id).where('grain', '=', '').where('item', '=', '*').execute();
    await store.db.deleteFrom('driver_cells').where('org_id', '=', f.org.id).where('missing', '=', '').execute();
    await rebuildAggregates(store.db, f.org.id);
    expectSame(await stored(store, f.org.id), await recompute(store, f.org.id));

    expect(await eraseResponses(store.db, f.org.id, { respondentId: 'gone' })).toBe(1);
    expect(await eraseResponses(store.db, f.org.id, { respondentId: 'gone' })).toBe(0);
    expectSame(await stored(store, f.org.id), await recompute(store, f.org.id));
    // The erased respondent's comment went with the response; the other respondent's stays.
    expect(await store.db.selectFrom('responses').select(['respondent_id', 'comment']).where('org_id', '=', f.org.id).execute()).toEqual([{ respondent_id: 'stays', comment: 'delete me' }]);
    expect(await eraseResponses(store.db, f.org.id, { respondentId: 'stays' })).toBe(1);
    for (const table of ['answer_cells', 'answer_rollups', 'driver_cells', 'driver_rollups', 'answers', 'responses'] as const) {
      expect(await store.db.selectFrom(table).select('org_id').where('org_id', '=', f.org.id).execute()).toEqual([]);
    }
  });

  it('takes a response out of the driver cells of the predictor set it was stored under', async () => {
    const store = ctx();
    const f = await makeOrg(store);
    const framework = await getFramework(store.db, f.org.id);
    const dims = (fw: typeof framework) => fw.filter((d) => d.customerItem !== null).map((d) => `dim:${d.key}`);
    const before: Draft = { leader: false, respondent: 'old', month: 5, touchpoint: 'app', segments: {}, complete: true, values: Array(20).fill(4), skip: [], comment: null };
    await storeResponse(store.db, toResponse(f, [...dims(framework), 'excellent', 'nps'], before));
    await replaceFramework(store.db, f.org.id, framework.slice(1));
    // Same cell, new predictor set: the old response completes it too, but was not stored under it.
    await storeResponse(store.db, toResponse(f, [...dims(framework.slice(1)), 'excellent', 'nps'], { ...before, respondent: 'new', values: Array(20).fill(9) }));
    await foldPending(store.db, f.org.id);
    expect(new Set((await store.db.selectFrom('driver_cells').select('signature').where('org_id', '=', f.org.id).execute()).map((r) => r.signature)).size).toBe(2);
    expect(await eraseResponses(store.db, f.org.id, { respondentId: 'old' })).toBe(1);
    // Only the new response is left, under the set in force: exactly the recomputation.
    expectSame(await stored(store, f.org.id), await recompute(store, f.org.id));
  });

  it('erases consistently while responses arrive and another erasure runs (one pool, concurrent transactions)', async () => {
    const store = ctx();
    const f = await makeOrg(store);
    const items = [...(await getFramework(store.db, f.org.id)).filter((d) => d.customerItem !== null).map((d) => `dim:${d.key}`), 'excellent', 'nps'];
    const d = (i: number): Draft => ({ leader: false, respondent: i % 2 ? 'twice' : 'other', month: 1 + (i % 3), touchpoint: 'app', segments: { plan: 'pro' }, complete: true, values: Array(20).fill(i % 11), skip: [], comment: null });
    await storeResponses(store.db, Array.from({ length: 10 }, (_, i) => toResponse(f, items, d(i))));
    const results = await Promise.all([
      eraseResponses(store.db, f.org.id, { respondentId: 'twice' }),
      ...Array.from({ length: 6 }, (_, i) => storeResponse(store.db, toResponse(f, items, d(i + 10))).then(() => 0)),
      eraseResponses(store.db, f.org.id, { respondentId: 'twice' }),
    ]);
    // Each stored response of the respondent is erased by exactly one of the two erasures.
    const left = (await responseIds(store, f.org.id, 'twice')).length;
    expect(results[0]! + results[7]! + left).toBe(5 + 3);
    expectSame(await stored(store, f.org.id), await recompute(store, f.org.id));
  });

  it('leaves no leader link pointing at an erased response, and the link stays used', async () => {
    const store = ctx();
    const f = await makeOrg(store);
    const [link] = await createLeaderLinks(store.db, { orgId: f.org.id, createdBy: 'test', count: 1 });
    const leader: NewResponse = {
      orgId: f.org.id,
      surveyId: f.leaderSurvey,
      perspective: 'leader',
      submission: { respondentId: linkRespondentId(f.org.id, link!.id), submittedAt: '2025-05-01T00:00:00.000Z', touchpoint: null, segments: {}, answers: { excellent: 3 }, comment: null },
    };
    const { id } = await storeResponse(store.db, leader, (tx, responseId) => claimLeaderLink(tx, f.org.id, link!.id, responseId));
    expect((await store.db.selectFrom('leader_links').select('response_id').where('id', '=', link!.id).executeTakeFirst())!.response_id).toBe(id);
    expect(await eraseResponses(store.db, f.org.id, { responseIds: [id] })).toBe(1);
    const row = await store.db.selectFrom('leader_links').select(['response_id', 'used_at']).where('id', '=', link!.id).executeTakeFirst();
    expect(row!.response_id).toBeNull();
    expect(row!.used_at).not.toBeNull();
    expect((await findLeaderLink(store.db, f.org.id, link!.token)).ok).toBe(false);
  });
});
