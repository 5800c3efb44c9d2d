// The report cache's freshness when another process writes (store/cell-cache.ts): a report asked for after
// a write was acknowledged — by this process or another one on the same database — counts that write,
// even while a read of the organisation's version, begun before the write, is still under way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { respondentCells } from './cell-cache.ts';
import { openStore, type Store } from './db.ts';
import { storeResponse } from './responses.ts';

/**
 * Holds the answers of reads of cell_versions (after the database has answered them) while closed: a
 * read "under way" for as long as a test needs, without timing.
 */
class VersionReadGate implements KyselyPlugin {
  #versionReads = new WeakSet<object>();
  #open = true;
  #release: () => void = () => {};
  #released: Promise<void> = Promise.resolve();
  #answered: (() => void)[] = [];
  close(): void {
    this.#open = false;
    this.#released = new Promise((r) => (this.#release = r));
  }
  open(): void {
    this.#open = true;
    this.#release();
  }
  /** Resolves once a read of the version has been answered by the database (and is being held). */
  answered(): Promise<void> {
    return new Promise((r) => this.#answered.push(r));
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node).includes('"cell_versions"')) this.#versionReads.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#versionReads.has(args.queryId) && !this.#open) {
      for (const r of this.#answered.splice(0)) r();
      await this.#released;
    }
    return args.result;
  }
}

const total = (cells: readonly { n: number }[]) => cells.reduce((s, c) => s + c.n, 0);

for (const engine of ENGINES) {
  describe(`cell cache across processes [${engine}]`, () => {
    let tdb: TestDatabase;
    // Two stores on one database stand for two server processes.
    let a: Store;
    let b: Store;
    let f: OrgFixture;
    beforeAll(async () => {
      tdb = await createTestDatabase(engine);
      a = await openStore(tdb.url);
      b = await openStore(tdb.url);
      f = await makeOrg(a);
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await tdb?.drop();
    });
    const respond = (store: Store, nps: number) =>
      storeResponse(store.db, {
        orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer', submission: { respondentId: null, submittedAt: new Date().toISOString(), touchpoint: null, segments: {}, answers: { nps, excellent: 4 }, comment: null },
      });

    it("counts another process's write at once", async () => {
      await respond(a, 9);
      expect(total(await respondentCells(a.db, f.org.id, 'customer'))).toBe(1);
      expect(total(await respondentCells(b.db, f.org.id, 'customer'))).toBe(1);
      await respond(b, 3);
      expect(total(await respondentCells(a.db, f.org.id, 'customer'))).toBe(2);
      await respond(a, 5);
      expect(total(await respondentCells(b.db, f.org.id, 'customer'))).toBe(3);
    });

    it('a report asked for after a write does not share a read of the version begun before it', async () => {
      const gate = new VersionReadGate();
      const gated = a.db.withPlugin(gate);
      const before = total(await respondentCells(gated, f.org.id, 'customer')); // cached at the current version
      gate.close();
      const answered = gate.answered();
      const early = respondentCells(gated, f.org.id, 'customer'); // its version read is answered, then held
      await answered;
      await respond(b, 7); // acknowledged by the other process
      const late = respondentCells(gated, f.org.id, 'customer'); // asked for after the acknowledgement
      gate.open();
      expect(total(await early)).toBeGreaterThanOrEqual(before); // either: it began before the write
      expect(total(await late)).toBe(before + 1);
    });
  });
}
