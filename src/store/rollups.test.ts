// The cells and roll-ups kept at ingest (answer_cells, answer_rollups, driver_cells, driver_rollups)
// must equal what the raw answers say, after single and bulk ingest mixed (with an idempotent retry),
// on both engines; the migration's backfill must give the same; the readers pick the right grain.
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg } from '../../test/fixtures.ts';
import { demoHistory } from '../sample-data/demo-history.ts';
import { getFramework, getJourney, replaceFramework, replaceJourney, updateOrganisation } from './organisations.ts';
import { reportContext } from '../reports/report-context.ts';
import { countResponses, storeResponse, storeResponses, monthOf, newResponseId, type NewResponse } from './responses.ts';
import { memoCut, respondentCells } from './cell-cache.ts';
import { loadHistograms } from './analytics-data.ts';
import { ANSWER_GRAINS, DRIVER_GRAINS, pickGrain, readDriverSetTotals, readDriverTotals, readHistograms, readRespondentCells } from './rollups.ts';
import { driverSignature, predictorItems } from './driver-cells.ts';
import { up as rollupMigration } from './migrations/0004-answer-rollups.ts';
import { up as segmentValueMigration } from './migrations/0005-segment-value-rollups.ts';
import { keyByMissing } from './migrations/0028-driver-answered-sets.ts';
import { up as packMigration } from './migrations/0030-packed-driver-cells.ts';
import { rebuildAggregates } from './rebuild.ts';
import { expectSame, recompute, stored, unpacked } from '../../test/aggregates.ts';

describeEngines('cell roll-ups', (ctx) => {
  let orgId = '';

  it('equal a recomputation from the raw answers after mixed single and bulk ingest', async () => {
    const store = ctx();
    const f = await makeOrg(store);
    orgId = f.org.id;
    const [framework, journey] = await Promise.all([getFramework(store.db, orgId), getJourney(store.db, orgId)]);
    const history = demoHistory({ framework, journey, customers: 2150, leaders: 30, months: 2, seed: 7, now: new Date('2025-06-15T00:00:00Z') });
    const rows: NewResponse[] = history.map((h, i) => ({
      orgId,
      surveyId: h.perspective === 'customer' ? f.customerSurvey : f.leaderSurvey,
      perspective: h.perspective,
      // Some without a touchpoint or segments, to cover the '' cells.
      submission: i % 97 === 0 ? { ...h.submission, touchpoint: null, segments: {} } : h.submission,
      idempotencyKey: `k${i}`,
    }));
    // Bulk: more rows than one internal batch (2,000), so cells gather across batches.
    expect((await storeResponses(store.db, rows.slice(0, 2050))).inserted).toBe(2050);
    // Single responses, one with a retry of the same key.
    for (const r of rows.slice(2050, 2080)) expect((await storeResponse(store.db, r)).created).toBe(true);
    expect((await storeResponse(store.db, rows[2050]!)).created).toBe(false);
    // A second bulk load overlapping the first: the stored keys are skipped, not counted twice.
    expect(await storeResponses(store.db, rows.slice(1950))).toEqual({ inserted: rows.length - 2080, skipped: 130 });
    // A response with a single answer (no complete driver case) and one into a new month.
    await storeResponse(store.db, { ...rows[0]!, idempotencyKey: null, submission: { ...rows[0]!.submission, answers: { excellent: 2 } } });
    await storeResponse(store.db, { ...rows[1]!, idempotencyKey: null, submission: { ...rows[1]!.submission, submittedAt: '2025-07-01T00:00:00.000Z' } });

    const expected = await recompute(store, orgId);
    expect(expected.drivers.length).toBeGreaterThan(0);
    expectSame(await stored(store, orgId), expected);
    // The demo's customers skip a dimension now and then: every answered set is a cell of its own (migration
    // 0028), several times the driver rows of complete cases alone; a longer limit on a shared machine.
  }, 240_000);

  it('are rebuilt identically by the migrations from existing cells', async () => {
    const { db } = ctx();
    // The driver cells as 0004 met them, before answered sets (migration 0028): complete cases only, one row
    // per item pair (before 0030 packed them).
    await db.deleteFrom('driver_cells').where('org_id', '=', orgId).where('missing', '<>', '').execute();
    const before = await stored(ctx(), orgId);
    const complete = (rows: (string | number)[][], at: number) => rows.filter((r) => r[at] === '');
    await sql`DROP TABLE driver_cells`.execute(db);
    await sql`CREATE TABLE driver_cells (org_id text NOT NULL, model text NOT NULL, signature text NOT NULL, month text NOT NULL, touchpoint text NOT NULL,
      segment_key text NOT NULL, missing text NOT NULL DEFAULT '', item_a text NOT NULL, item_b text NOT NULL, total bigint NOT NULL,
      CONSTRAINT driver_cells_pk PRIMARY KEY (org_id, model, signature, month, touchpoint, segment_key, missing, item_a, item_b))`.execute(db);
    for (let i = 0; i < before.drivers.length; i += 500) {
      const rows = before.drivers.slice(i, i + 500).map((row) => sql`(${sql.join(row)})`);
      await sql`INSERT INTO driver_cells (org_id, model, signature, month, touchpoint, segment_key, missing, item_a, item_b, total) VALUES ${sql.join(rows)}`.execute(db);
    }
    await sql`DROP TABLE answer_rollups`.execute(db);
    await sql`DROP TABLE driver_rollups`.execute(db);
    await sql`DROP TABLE cell_versions`.execute(db);
    await sql`DROP INDEX responses_leaders`.execute(db);
    await rollupMigration(db);
    await segmentValueMigration(db);
    await keyByMissing(db, 'driver_rollups');
    await packMigration(db);
    expectSame(await stored(ctx(), orgId), { ...before, driverRollups: complete(before.driverRollups, 7) });
    // `parallax rebuild` then adds the responses that rated only some dimensions.
    await rebuildAggregates(db, orgId);
    expectSame(await stored(ctx(), orgId), await recompute(ctx(), orgId));
  }, 240_000);

  it('answer any cut from the smallest grain, as the full cube does', async () => {
    const { db } = ctx();
    expect(pickGrain(ANSWER_GRAINS, '')).toBe('');
    expect(pickGrain(ANSWER_GRAINS, 'm')).toBe('m');
    expect(pickGrain(ANSWER_GRAINS, 'sm')).toBe('ms');
    expect(pickGrain(ANSWER_GRAINS, 'mv')).toBe('mv');
    expect(pickGrain(ANSWER_GRAINS, 's')).toBe('s');
    expect(pickGrain(DRIVER_GRAINS, 'mt')).toBeUndefined();
    const cube = await readHistograms(db, orgId, 'customer', {}, ['month', 'touchpoint', 'segment_key']);
    const months = [...new Set(cube.map((c) => c.month))].sort();
    const someSegments = [...new Set(cube.map((c) => c.segment_key))].slice(0, 2);
    // Every combination holding one value: read from the segment-value grains.
    const emea = [...new Set(cube.map((c) => c.segment_key))].filter((k) => k.split(';').includes('region=EMEA'));
    expect(emea.length).toBeGreaterThan(1);
    const scopes = [
      {},
      { from: months[1], to: months[3] },
      { months: [months[0]!, months[2]!] },
      { touchpoints: ['app', 'billing'] },
      { segmentKeys: someSegments },
      { touchpoints: ['app'], segmentKeys: someSegments, from: months[2] },
      { touchpoints: [] },
      { segmentKeys: emea },
      { segmentKeys: emea, from: months[1] },
      { segmentKeys: emea.slice(1) },
    ];
    for (const scope of scopes) {
      for (const groupBy of [[], ['month'], ['segment_key'], ['touchpoint', 'month']] as const) {
        const want = new Map<string, number>();
        for (const c of cube) {
          if (scope.months && !scope.months.includes(c.month)) continue;
          if (scope.from && c.month < scope.from) continue;
          if (scope.to && c.month > scope.to) continue;
          if (scope.touchpoints && !scope.touchpoints.includes(c.touchpoint)) continue;
          if (scope.segmentKeys && !scope.segmentKeys.includes(c.segment_key)) continue;
          const k = [...groupBy.map((g) => c[g]), c.item, c.value].join('|');
          want.set(k, (want.get(k) ?? 0) + c.n);
        }
        const got = await readHistograms(db, orgId, 'customer', scope, groupBy);
        expect(new Map(got.map((c) => [[...groupBy.map((g) => c[g]), c.item, c.value].join('|'), c.n]))).toEqual(want);
      }
    }
    const respondents = await readRespondentCells(db, orgId, 'customer');
    expect(respondents.reduce((s, c) => s + c.n, 0)).toBe(cube.filter((c) => c.item === '*').reduce((s, c) => s + c.n, 0));
  });

  it('give the same driver sums from a roll-up as from the driver cells', async () => {
    const { db } = ctx();
    const dims = (await getFramework(db, orgId)).filter((d) => d.customerItem !== null).map((d) => d.key);
    const signature = driverSignature(predictorItems(dims));
    const months = (await readHistograms(db, orgId, 'customer', {}, ['month'], ['*'])).map((r) => r.month).sort();
    // The finest cut reads driver_cells itself; coarser ones read roll-ups; sums must agree.
    const fine = await readDriverTotals(db, orgId, 'nps', signature, { touchpoints: ['app'], from: months[1] });
    const viaCells = new Map<string, { missing: string; item_a: string; item_b: string; t: number }>();
    const cells = await db.selectFrom('driver_cells').selectAll().where('org_id', '=', orgId).where('model', '=', 'nps').where('touchpoint', '=', 'app').where('month', '>=', months[1]!).execute();
    for (const [missing, item_a, item_b, t] of unpacked(cells, ['missing'])) {
      const k = `${missing}|${item_a}|${item_b}`;
      const seen = viaCells.get(k);
      if (seen) seen.t += Number(t);
      else viaCells.set(k, { missing: String(missing), item_a: String(item_a), item_b: String(item_b), t: Number(t) });
    }
    const asMap = (rows: { missing?: string; item_a: string; item_b: string; total?: number; t?: number }[], bySet = false) =>
      new Map(rows.map((r) => [`${bySet ? r.missing : ''}|${r.item_a}|${r.item_b}`, Number(r.total ?? r.t)]));
    // Complete cases alone, and every answered set (migration 0028; the demo's customers skip some dimensions).
    expect(asMap(fine)).toEqual(asMap([...viaCells.values()].filter((r) => r.missing === '')));
    expect([...viaCells.values()].some((r) => r.missing !== '')).toBe(true);
    const sets = await readDriverSetTotals(db, orgId, 'nps', signature, { touchpoints: ['app'], from: months[1] });
    expect(asMap(sets, true)).toEqual(asMap([...viaCells.values()], true));
    expect(asMap(await readDriverSetTotals(db, orgId, 'nps', signature, {}), true)).toEqual(asMap(await readDriverSetTotals(db, orgId, 'nps', signature, { from: months[0] }), true));
    const all = await readDriverTotals(db, orgId, 'nps', signature, {});
    const byMonth = await readDriverTotals(db, orgId, 'nps', signature, { from: months[0] });
    expect(asMap(byMonth)).toEqual(asMap(all));
    expect(all.find((r) => r.item_a === '' && r.item_b === '')!.total).toBeGreaterThan(100);
  });
});

describeEngines('cell cache', (ctx) => {
  it('keeps respondent counts and cuts while the cells are unchanged, and drops them when a response arrives', async () => {
    const store = ctx();
    const f = await makeOrg(store);
    const [framework, journey] = await Promise.all([getFramework(store.db, f.org.id), getJourney(store.db, f.org.id)]);
    const history = demoHistory({ framework, journey, customers: 300, leaders: 10, months: 3, seed: 3, now: new Date('2025-06-15T00:00:00Z') });
    const rows = history.map((h) => ({ orgId: f.org.id, surveyId: h.perspective === 'customer' ? f.customerSurvey : f.leaderSurvey, perspective: h.perspective, submission: h.submission }));
    await storeResponses(store.db, rows.slice(1));
    const first = await respondentCells(store.db, f.org.id, 'customer');
    expect(await respondentCells(store.db, f.org.id, 'customer')).toBe(first);
    const opts = { k: 5, stageOf: () => '', withholdRare: true };
    const c1 = memoCut(first, { segments: { region: ['EMEA'] } }, opts);
    expect(memoCut(first, { segments: { region: ['EMEA'] } }, { ...opts, stageOf: () => '' })).toBe(c1);
    expect(memoCut(first, { segments: { region: ['APAC'] } }, opts)).not.toBe(c1);
    // The journey enters the key: another stage for a touchpoint is another cut.
    expect(memoCut(first, { stage: 'use' }, { ...opts, stageOf: (t: string) => (t === 'app' ? 'use' : '') })).not.toBe(memoCut(first, { stage: 'use' }, opts));
    expect(() => (first as { n: number }[]).push({ n: 1 })).toThrow();

    const before = await loadHistograms(store.db, f.org.id, 'customer', {}, [], ['*']);
    expect(await loadHistograms(store.db, f.org.id, 'customer', {}, [], ['*'])).toEqual(before);

    await storeResponse(store.db, rows[0]!);
    // Reads are shared only while the cells are unchanged.
    const after = await loadHistograms(store.db, f.org.id, 'customer', {}, [], ['*']);
    expect(after[0]!.n).toBe(before[0]!.n + (rows[0]!.perspective === 'customer' ? 1 : 0));
    const second = await respondentCells(store.db, f.org.id, 'customer');
    expect(second).not.toBe(first);
    const total = (cells: readonly { n: number }[]) => cells.reduce((s, c) => s + c.n, 0);
    expect(total(second)).toBe(total(first) + (rows[0]!.perspective === 'customer' ? 1 : 0));
    expect(total(second)).toBe((await countResponses(store.db, f.org.id)).customer);
  });

  it('keeps a report context per version and drops it when settings, framework or journey change', async () => {
    const store = ctx();
    const f = await makeOrg(store);
    const first = await reportContext(store.db, f.org.id);
    expect(await reportContext(store.db, f.org.id)).toBe(first);
    await updateOrganisation(store.db, f.org.id, { minResponses: 7 });
    expect((await reportContext(store.db, f.org.id))!.org.minResponses).toBe(7);
    const framework = (await getFramework(store.db, f.org.id)).slice(0, 3);
    await replaceFramework(store.db, f.org.id, framework);
    expect((await reportContext(store.db, f.org.id))!.framework.map((d) => d.key)).toEqual(framework.map((d) => d.key));
    const journey = (await getJourney(store.db, f.org.id)).slice(0, 2);
    await replaceJourney(store.db, f.org.id, journey);
    expect([...(await reportContext(store.db, f.org.id))!.stages.keys()]).toEqual(journey.map((s) => s.key));
    expect(await reportContext(store.db, 'no-such-org')).toBeUndefined();
  });
});

it('gives time-ordered response ids', () => {
  const a = newResponseId(Date.UTC(2025, 0, 1));
  const b = newResponseId(Date.UTC(2025, 0, 1) + 1);
  expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(a < b).toBe(true);
  expect(monthOf('2025-01-31T23:59:59Z')).toBe('2025-01');
});
