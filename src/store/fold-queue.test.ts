// The fold queue (fold-queue.ts): live submissions reach the aggregates through it, exactly once, and
// every read of the aggregates counts every response acknowledged before it — also when several
// processes (here: two stores, two connection pools, on one database) store and fold at the same time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { expectSame, recompute, stored } from '../../test/aggregates.ts';
import { openStore, type Store } from './db.ts';
import { storeResponse, type NewResponse } from './responses.ts';
import { GroupCommitter } from './group-commit.ts';
import { foldAll, foldPending } from './fold-queue.ts';
import { loadAggregates } from './report-data.ts';
import { eraseResponses } from './erasure.ts';
import { rebuildAggregates } from './rebuild.ts';

const queued = async (store: Store, orgId: string) =>
  Number((await store.db.selectFrom('fold_queue').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirst())?.n ?? 0);

const cellRows = async (store: Store, orgId: string) =>
  Number((await store.db.selectFrom('answer_cells').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirst())?.n ?? 0);

function response(f: OrgFixture, i: number, respondentId: string | null = null): NewResponse {
  return {
    orgId: f.org.id,
    surveyId: f.customerSurvey,
    perspective: 'customer',
    idempotencyKey: `fold-${i}`,
    submission: {
      respondentId,
      submittedAt: `2025-0${1 + (i % 3)}-10T10:00:00.000Z`,
      touchpoint: i % 2 ? 'app' : 'billing',
      segments: i % 4 ? { region: 'EMEA' } : {},
      answers: { excellent: 1 + (i % 5), nps: i % 11 },
      comment: null,
    },
  };
}

for (const engine of ENGINES) {
  describe(`fold queue [${engine}]`, () => {
    let tdb: TestDatabase;
    let a: Store;
    let b: Store;
    beforeAll(async () => {
      tdb = await createTestDatabase(engine);
      a = await openStore(tdb.url);
      // A second process on the same database: PostgreSQL. Two SQLite connections in one thread would
      // wait for each other's write lock synchronously (one process per SQLite file: README); there the
      // two "stores" are one, and the test is of concurrent submitters and folds within it.
      b = engine === 'postgres' ? await openStore(tdb.url) : a;
    });
    afterAll(async () => {
      await a?.close();
      if (b !== a) await b?.close();
      await tdb?.drop();
    });

    it('queues a stored response, leaves the aggregates alone, and a report read counts it', async () => {
      const f = await makeOrg(a);
      await storeResponse(a.db, response(f, 1));
      expect(await queued(a, f.org.id)).toBe(1);
      expect(await cellRows(a, f.org.id)).toBe(0);
      // The other store reads: it folds what the first one queued before it reads.
      const agg = await loadAggregates(b.db, f.org.id, {});
      expect(agg.customers.respondents).toBe(1);
      expect(agg.customers.items.excellent).toEqual({ 2: 1 });
      expect(await queued(a, f.org.id)).toBe(0);
      expectSame(await stored(a, f.org.id), await recompute(a, f.org.id));
    });

    it('folds each response exactly once while two stores submit and fold at the same time', async () => {
      const f = await makeOrg(a);
      const commitsA = new GroupCommitter(a.db);
      const commitsB = new GroupCommitter(b.db);
      const submissions: Promise<unknown>[] = [];
      const folds: Promise<unknown>[] = [];
      for (let i = 0; i < 200; i++) {
        submissions.push((i % 2 ? commitsA : commitsB).submit(response(f, i)));
        // Small batches, so that folds of the two stores overlap and contend for the same queue rows.
        if (i % 20 === 0) folds.push(foldPending(a.db, f.org.id, 7), foldPending(b.db, f.org.id, 7));
      }
      await Promise.all(submissions);
      await Promise.all(folds);
      await Promise.all([foldAll(a.db, 13), foldAll(b.db, 13)]);
      expect(await queued(a, f.org.id)).toBe(0);
      const agg = await loadAggregates(a.db, f.org.id, {});
      expect(agg.customers.respondents).toBe(200);
      expectSame(await stored(a, f.org.id), await recompute(a, f.org.id));
    });

    it('erases a queued response without touching the aggregates, and a folded one out of them', async () => {
      const f = await makeOrg(a);
      await storeResponse(a.db, response(f, 1, 'folded'));
      await foldPending(a.db, f.org.id);
      await storeResponse(a.db, response(f, 2, 'queued'));
      expect(await queued(a, f.org.id)).toBe(1);
      const cells = await cellRows(a, f.org.id);
      expect(await eraseResponses(a.db, f.org.id, { respondentId: 'queued' })).toBe(1);
      expect(await queued(a, f.org.id)).toBe(0);
      expect(await cellRows(a, f.org.id)).toBe(cells);
      expect(await eraseResponses(a.db, f.org.id, { respondentId: 'folded' })).toBe(1);
      expect(await cellRows(a, f.org.id)).toBe(0);
      expectSame(await stored(a, f.org.id), await recompute(a, f.org.id));
    });

    it('rebuilds with responses queued: each counted once, the queue emptied', async () => {
      const f = await makeOrg(a);
      for (let i = 0; i < 6; i++) await storeResponse(a.db, response(f, i));
      await foldPending(a.db, f.org.id);
      for (let i = 6; i < 10; i++) await storeResponse(a.db, response(f, i));
      expect(await rebuildAggregates(a.db, f.org.id)).toEqual([{ orgId: f.org.id, responses: 10 }]);
      expect(await queued(a, f.org.id)).toBe(0);
      expect((await loadAggregates(b.db, f.org.id, {})).customers.respondents).toBe(10);
      expectSame(await stored(a, f.org.id), await recompute(a, f.org.id));
    });
  });
}
