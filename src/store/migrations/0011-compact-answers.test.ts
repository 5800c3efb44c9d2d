// Migration 0011 on both engines: a database built at migration 0010, with responses and answers written
// the way main wrote them then (raw rows in the old one-row-per-answer table), migrated to the latest
// schema in place. Every answer must read back identical (readAnswers, the export), and the two other
// readers of the answers — verbatims with a dimension filter, leaders' answers — must give what the raw
// data says. A second part runs the conversion with tiny batches (a response split across batches, and
// responses larger than a batch) and checks the packed rows against an encoding computed here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import { ENGINES, createTestDatabase, type TestDatabase } from '../../../test/engines.ts';
import type { Engine, Store } from '../db.ts';
import { openStore } from '../db.ts';
import type { Database } from '../schema.ts';
import * as m0001 from './0001-core.ts';
import * as m0002 from './0002-accounts.ts';
import * as m0003 from './0003-driver-cells.ts';
import * as m0004 from './0004-answer-rollups.ts';
import * as m0005 from './0005-segment-value-rollups.ts';
import * as m0006 from './0006-invitations.ts';
import * as m0007 from './0007-segment-declarations.ts';
import * as m0008 from './0008-leader-links.ts';
import * as m0009 from './0009-audit-log.ts';
import * as m0010 from './0010-idempotency-per-survey.ts';
import { compactAnswers } from './0011-compact-answers.ts';
import { createOrganisation } from '../organisations.ts';
import { readAnswers, writeAnswers } from '../answers.ts';
import { exportResponses } from '../export.ts';
import { listVerbatims } from '../../reports/verbatims.ts';
import { loadLeaderAnswers } from '../analytics-data.ts';
import { rebuildAggregates } from '../rebuild.ts';
import { writeTransaction } from '../write-transaction.ts';
import { segmentKey } from '../../core/survey.ts';

/** The migrations as main had them at 0010, under the names migrations.ts records. */
const AT_0010: Record<string, Migration> = {
  '0001_core': m0001,
  '0002_accounts': m0002,
  '0003_driver_cells': m0003,
  '0004_answer_rollups': m0004,
  '0005_segment_value_rollups': m0005,
  '0006_invitations': m0006,
  '0007_segment_declarations': m0007,
  '0008_leader_links': m0008,
  '0009_audit_log': m0009,
  '0010_idempotency_per_survey': m0010,
};

function rawKysely(engine: Engine, url: string): Kysely<any> {
  if (engine === 'sqlite') return new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(url) }) });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // A closing client may still hear the DROP DATABASE … WITH (FORCE) that ends the test: not an error of the test.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
}

async function migrateTo0010(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => AT_0010 }, allowUnorderedMigrations: true });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

interface Raw {
  id: string;
  perspective: 'customer' | 'leader';
  respondentId: string | null;
  submittedAt: string;
  touchpoint: string;
  segments: Record<string, string>;
  comment: string | null;
  answers: Record<string, number>;
}

/** A small seeded generator (mulberry32), so a failure reproduces. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DIMS = ['service', 'understanding', 'integration', 'communication', 'reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'];

/** Organisation A: customers (some without answers, some commented) and leaders (some twice, one anonymous). */
function historyA(): Raw[] {
  const r = rng(11);
  const out: Raw[] = [];
  const pick = (n: number) => Math.floor(r() * n);
  for (let i = 0; i < 80; i++) {
    const answers: Record<string, number> = {};
    if (i % 13 !== 5) {
      for (const d of DIMS) if (r() > 0.3) answers[`dim:${d}`] = 1 + pick(5);
      if (r() > 0.2) answers.excellent = 1 + pick(5);
      if (r() > 0.2) answers.nps = pick(11);
      if (r() > 0.5) answers.ces = 1 + pick(7);
    }
    const month = 1 + (i % 6);
    out.push({
      id: `c-${String(i).padStart(3, '0')}-${pick(1e6)}`,
      perspective: 'customer',
      respondentId: null,
      submittedAt: `2025-0${month}-1${i % 10}T10:00:00.000Z`,
      touchpoint: ['app', 'billing', 'website'][i % 3]!,
      segments: { region: ['EMEA', 'APAC'][i % 2]! },
      comment: i % 4 === 0 ? `comment ${i}` : i % 4 === 1 ? '' : null,
      answers,
    });
  }
  for (let i = 0; i < 12; i++) {
    const answers: Record<string, number> = { 'predict:excellent_share': pick(101) };
    for (const d of DIMS) if (r() > 0.1) answers[`dim:${d}`] = 1 + pick(5);
    if (i !== 3) answers.excellent = 1 + pick(5);
    out.push({
      id: `l-${String(i).padStart(3, '0')}`,
      perspective: 'leader',
      // Leaders 0..4 answer twice (i and i + 5), 10 is anonymous, 11 has a response without answers.
      respondentId: i === 10 ? null : `leader-${i % 5 === i - 5 ? i - 5 : i}`,
      submittedAt: `2025-0${1 + (i % 6)}-0${1 + (i % 9)}T09:00:00.000Z`,
      touchpoint: '',
      segments: { function: 'Exec' },
      comment: i === 2 ? 'a leader comment' : null,
      answers: i === 11 ? {} : answers,
    });
  }
  return out;
}

/** Organisation B: other items (one only it has), values outside today's scales, which the old table kept. */
function historyB(): Raw[] {
  return Array.from({ length: 7 }, (_, i) => ({
    id: `b-${i}`,
    perspective: 'customer' as const,
    respondentId: null,
    submittedAt: `2025-02-0${i + 1}T00:00:00.000Z`,
    touchpoint: 'app',
    segments: {},
    comment: null,
    answers: { 'dim:zeta': i - 3, excellent: 1 + (i % 5), aaa: 123_456 * (i + 1), 'dim:reliability': 2 },
  }));
}

/** Writes a history the way main wrote it at migration 0010: response rows and one answers row per answer. */
async function insertRaw(db: Kysely<any>, orgId: string, rows: Raw[]): Promise<void> {
  // The survey ids straight from the table: the store's readers expect today's schema, not 0010's.
  const surveyId = async (perspective: string) =>
    (await db.selectFrom('surveys').select('id').where('org_id', '=', orgId).where('perspective', '=', perspective).orderBy('created_at').executeTakeFirstOrThrow()).id as string;
  const customer = await surveyId('customer');
  const leader = await surveyId('leader');
  const now = '2025-07-01T00:00:00.000Z';
  for (const r of rows) {
    await db
      .insertInto('responses')
      .values({
        org_id: orgId,
        id: r.id,
        survey_id: r.perspective === 'customer' ? customer : leader,
        perspective: r.perspective,
        respondent_id: r.respondentId,
        submitted_at: r.submittedAt,
        month: r.submittedAt.slice(0, 7),
        touchpoint: r.touchpoint,
        segment_key: segmentKey(r.segments),
        segments: JSON.stringify(r.segments),
        comment: r.comment,
        idempotency_key: null,
        request_hash: null,
        created_at: now,
      })
      .execute();
    const answers = Object.entries(r.answers).map(([item, value]) => ({ org_id: orgId, response_id: r.id, item, value }));
    if (answers.length) await db.insertInto('answers').values(answers).execute();
  }
}

/** Builds a database at 0010 holding both histories; returns the organisations' ids. */
async function build0010(engine: Engine, url: string): Promise<{ a: string; b: string }> {
  const raw = rawKysely(engine, url);
  try {
    await migrateTo0010(raw);
    const a = (await createOrganisation(raw as Kysely<Database>, { name: 'Before', industry: 'digital_entertainment_streaming', id: 'org-a' })).id;
    const b = (await createOrganisation(raw as Kysely<Database>, { name: 'Other', industry: 'digital_entertainment_streaming', id: 'org-b' })).id;
    await insertRaw(raw, a, historyA());
    await insertRaw(raw, b, historyB());
    return { a, b };
  } finally {
    await raw.destroy();
  }
}

const plain = (r: Record<string, number> | undefined) => ({ ...r });

/** The packed rows an organisation's history should become: codes in item order, pairs in code order. */
function expectedPacked(rows: Raw[]): Map<string, string> {
  const items = [...new Set(rows.flatMap((r) => Object.keys(r.answers)))].sort();
  const out = new Map<string, string>();
  for (const r of rows) {
    const pairs = Object.entries(r.answers).map(([item, v]) => [items.indexOf(item), v] as const).sort((x, y) => x[0] - y[0]);
    if (pairs.length) out.set(r.id, pairs.map(([c, v]) => `${c}=${v}`).join(','));
  }
  return out;
}

for (const engine of ENGINES) {
  describe(`migration 0011: compact answers, from a database made at 0010 [${engine}]`, () => {
    let tdb: TestDatabase;
    let store: Store;
    let ids: { a: string; b: string };
    const A = historyA();
    const B = historyB();

    beforeAll(async () => {
      tdb = await createTestDatabase(engine);
      ids = await build0010(engine, tdb.url);
      store = await openStore(tdb.url); // runs 0011 (and whatever comes after) on the 0010 database
      await rebuildAggregates(store.db, ids.a); // the raw inserts wrote no cells: verbatims' rule reads them
    });
    afterAll(async () => {
      await store?.close();
      await tdb?.drop();
    });

    it('replaced the row per answer with one packed row per answered response, and coded each organisation apart', async () => {
      const rows = await store.db.selectFrom('answers').selectAll().execute();
      expect(Object.keys(rows[0]!).sort()).toEqual(['items', 'org_id', 'response_id']);
      const got = new Map(rows.map((r) => [`${r.org_id}|${r.response_id}`, r.items]));
      const want = new Map([...[...expectedPacked(A)].map(([id, p]) => [`org-a|${id}`, p] as const), ...[...expectedPacked(B)].map(([id, p]) => [`org-b|${id}`, p] as const)]);
      expect(got).toEqual(want);
      const dictB = await store.db.selectFrom('answer_items').select(['code', 'item']).where('org_id', '=', ids.b).orderBy('code').execute();
      expect(dictB.map((d) => [Number(d.code), d.item])).toEqual([[0, 'aaa'], [1, 'dim:reliability'], [2, 'dim:zeta'], [3, 'excellent']]);
    });

    it('reads every answer back identical through readAnswers and the export', async () => {
      for (const [orgId, hist] of [[ids.a, A], [ids.b, B]] as const) {
        const back = await readAnswers(store.db, orgId, hist.map((r) => r.id));
        for (const r of hist) expect(plain(back.get(r.id)), r.id).toEqual(r.answers);
        const exported = new Map<string, Record<string, number>>();
        for await (const e of exportResponses(store.db, orgId, { pageSize: 7 })) exported.set(e.id, plain(e.answers));
        expect(exported).toEqual(new Map(hist.map((r) => [r.id, r.answers])));
      }
    });

    it('lists the same verbatims, with and without a dimension filter', async () => {
      const withComment = A.filter((r) => r.perspective === 'customer' && r.comment);
      const list = async (dimension?: string) => {
        const page = await listVerbatims(store.db, ids.a, 1, { filters: {}, perspective: 'customer', dimension, limit: 1000, offset: 0 });
        return { total: page.total, items: page.items.map((v) => ({ comment: v.comment, excellent: v.excellent, rating: v.dimensionRating })).sort((x, y) => x.comment.localeCompare(y.comment)) };
      };
      const want = (rows: Raw[], dim?: string) => ({
        total: rows.length,
        items: rows
          .map((r) => ({ comment: r.comment!, excellent: r.answers.excellent ?? null, rating: dim ? r.answers[`dim:${dim}`] : undefined }))
          .sort((x, y) => x.comment.localeCompare(y.comment)),
      });
      expect((await list()).total).toBeGreaterThan(10);
      expect(await list()).toEqual(want(withComment));
      for (const dim of ['reliability', 'empathy']) {
        const rated = withComment.filter((r) => r.answers[`dim:${dim}`] !== undefined);
        expect(rated.length).toBeLessThan(withComment.length); // the filter has something to leave out
        expect(await list(dim)).toEqual(want(rated, dim));
      }
    });

    it("loads each identified leader's latest answers", async () => {
      const latest = new Map<string, Raw>();
      for (const r of A) {
        if (r.perspective !== 'leader' || r.respondentId === null || Object.keys(r.answers).length === 0) continue;
        const cur = latest.get(r.respondentId);
        if (!cur || r.submittedAt > cur.submittedAt || (r.submittedAt === cur.submittedAt && r.id > cur.id)) latest.set(r.respondentId, r);
      }
      const got = (await loadLeaderAnswers(store.db, ids.a)).map((l) => ({ ...l, answers: plain(l.answers) })).sort((x, y) => x.respondentId.localeCompare(y.respondentId));
      const want = [...latest.values()].map((r) => ({ respondentId: r.respondentId!, submittedAt: r.submittedAt, answers: r.answers })).sort((x, y) => x.respondentId.localeCompare(y.respondentId));
      expect(want.length).toBe(5); // leaders 0–4 (each twice); the anonymous one and the one without answers are left out
      expect(got).toEqual(want);
      const months = ['2025-02', '2025-03'];
      const inMonths = (await loadLeaderAnswers(store.db, ids.a, months)).map((l) => l.respondentId).sort();
      const wantIn = new Set(A.filter((r) => r.perspective === 'leader' && r.respondentId && Object.keys(r.answers).length && months.includes(r.submittedAt.slice(0, 7))).map((r) => r.respondentId!));
      expect(inMonths).toEqual([...wantIn].sort());
    });

    it('takes new answers after the migration, coding a new item after the existing ones', async () => {
      await writeTransaction(store.db, (tx) => writeAnswers(tx, [{ orgId: ids.b, responseId: 'b-new', answers: { 'dim:brand_new': 4, excellent: 5 } }]));
      expect(plain((await readAnswers(store.db, ids.b, ['b-new'])).get('b-new'))).toEqual({ 'dim:brand_new': 4, excellent: 5 });
      const row = await store.db.selectFrom('answer_items').select('code').where('org_id', '=', ids.b).where('item', '=', 'dim:brand_new').executeTakeFirst();
      expect(Number(row?.code)).toBe(4);
    });
  });

  describe(`migration 0011 in tiny batches [${engine}]`, () => {
    for (const batchRows of [1, 6]) {
      it(`packs every response whole with batches of ${batchRows} old rows`, async () => {
        const tdb = await createTestDatabase(engine);
        try {
          await build0010(engine, tdb.url);
          const raw = rawKysely(engine, tdb.url);
          try {
            await compactAnswers(raw, batchRows);
            const rows = await raw.selectFrom('answers').selectAll().orderBy('org_id').orderBy('response_id').execute();
            const got = new Map(rows.map((r) => [`${r.org_id}|${r.response_id}`, r.items as string]));
            const want = new Map([...[...expectedPacked(historyA())].map(([id, p]) => [`org-a|${id}`, p] as const), ...[...expectedPacked(historyB())].map(([id, p]) => [`org-b|${id}`, p] as const)]);
            expect(got).toEqual(want);
          } finally {
            await raw.destroy();
          }
        } finally {
          await tdb.drop();
        }
      });
    }
  });
}
