// Group commit on both engines: concurrent submissions share one transaction, each stored once with
// storeResponse's idempotency semantics, a bad submission fails only its caller, a database error in the
// batch acknowledges nothing, and every aggregate still equals a recomputation from the raw answers.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { expectSame, recompute, stored } from '../../test/aggregates.ts';
import { GroupCommitter } from './group-commit.ts';
import { countResponses, IdempotencyConflict, storeResponse, type NewResponse } from './responses.ts';
import { replaceSegmentDeclarations } from './segments.ts';
import { claimLeaderLink, createLeaderLinks, LeaderLinkUsed } from './leader-links.ts';
import { getSurvey } from './surveys.ts';
import type { Store } from './db.ts';
import type { ValidSubmission } from '../core/survey.ts';

const DIMS = ['service', 'understanding', 'integration', 'communication', 'reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'];

/** A complete customer response: 13 answers, a touchpoint, two segments, a comment. */
function complete(i: number): ValidSubmission {
  const answers: Record<string, number> = { nps: i % 11, excellent: 1 + (i % 5), csat: 1 + ((i * 3) % 5), ces: 1 + (i % 7) };
  DIMS.forEach((d, j) => (answers[`dim:${d}`] = 1 + ((i + j) % 5)));
  return {
    respondentId: null,
    submittedAt: `2025-0${1 + (i % 3)}-10T12:00:00.000Z`,
    touchpoint: i % 2 ? 'app' : null,
    segments: { region: i % 2 ? 'EMEA' : 'APAC', plan: 'pro' },
    answers,
    comment: `comment ${i}`,
  };
}

/** The organisation's cell version: one more per transaction that wrote its cells. */
async function cellVersion(store: Store, orgId: string): Promise<number> {
  const row = await store.db.selectFrom('cell_versions').select('version').where('org_id', '=', orgId).executeTakeFirst();
  return Number(row?.version ?? 0);
}

/** Responses of the organisation waiting to be folded into its aggregates (fold-queue.ts). */
async function queued(store: Store, orgId: string): Promise<number> {
  const row = await store.db.selectFrom('fold_queue').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** An error of the kind db-errors.ts calls "the database is unavailable" (503). */
const ioError = () => Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });

describeEngines('group commit', (ctx) => {
  let f: OrgFixture;
  const response = (i: number, key?: string | null, submission = complete(i)): NewResponse => ({
    orgId: f.org.id,
    surveyId: f.customerSurvey,
    perspective: 'customer',
    submission,
    idempotencyKey: key === undefined ? `k-${i}` : key,
  });
  beforeAll(async () => {
    f = await makeOrg(ctx());
  });

  it('writes 50 concurrent submissions in one transaction, each once, aggregates equal to a recomputation', async () => {
    const commits = new GroupCommitter(ctx().db);
    const before = await cellVersion(ctx(), f.org.id);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => commits.submit(response(i, `fifty-${i}`))));
    expect(results.every((r) => r.created)).toBe(true);
    expect(new Set(results.map((r) => r.id)).size).toBe(50);
    expect(commits.transactions).toBe(1);
    // The batch took no organisation lock (the version is untouched) and queued each response for folding.
    expect((await cellVersion(ctx(), f.org.id)) - before).toBe(0);
    expect(await queued(ctx(), f.org.id)).toBe(50);
    expect((await countResponses(ctx().db, f.org.id)).customer).toBe(50);
    expectSame(await stored(ctx(), f.org.id), await recompute(ctx(), f.org.id));
    // Retries after the commit: the stored ids, nothing written.
    const again = await Promise.all(Array.from({ length: 50 }, (_, i) => commits.submit(response(i, `fifty-${i}`))));
    expect(again).toEqual(results.map((r) => ({ id: r.id, created: false })));
    expect((await countResponses(ctx().db, f.org.id)).customer).toBe(50);
  });

  it('bounds a batch: 450 submissions at once take three transactions of at most 200', async () => {
    const sizes: number[] = [];
    const spy = new GroupCommitter(ctx().db, { beforeCommit: async (_tx, n) => void sizes.push(n) });
    const before = (await countResponses(ctx().db, f.org.id)).customer;
    await Promise.all(Array.from({ length: 450 }, (_, i) => spy.submit(response(i, `many-${i}`))));
    expect(sizes).toEqual([200, 200, 50]);
    expect((await countResponses(ctx().db, f.org.id)).customer).toBe(before + 450);
    expectSame(await stored(ctx(), f.org.id), await recompute(ctx(), f.org.id));
  });

  it('stores a key sent twice in one batch once, both callers get its id; another body with it is a conflict for that caller only', async () => {
    const commits = new GroupCommitter(ctx().db);
    const before = (await countResponses(ctx().db, f.org.id)).customer;
    const [a, b, c, d] = await Promise.allSettled([
      commits.submit(response(1, 'dup')),
      commits.submit(response(1, 'dup')),
      commits.submit(response(2, 'dup')),
      commits.submit(response(3, 'other')),
    ]);
    expect(commits.transactions).toBe(1);
    expect(a.status === 'fulfilled' && a.value.created).toBe(true);
    expect(b).toEqual({ status: 'fulfilled', value: { id: (a as PromiseFulfilledResult<{ id: string }>).value.id, created: false } });
    expect(c.status === 'rejected' && c.reason).toBeInstanceOf(IdempotencyConflict);
    expect(d.status).toBe('fulfilled');
    expect((await countResponses(ctx().db, f.org.id)).customer).toBe(before + 2);
  });

  it('a key already stored with another body fails only its caller; the rest of the batch is stored', async () => {
    const commits = new GroupCommitter(ctx().db);
    const first = await storeResponse(ctx().db, response(5, 'taken'));
    const before = (await countResponses(ctx().db, f.org.id)).customer;
    const out = await Promise.allSettled([
      commits.submit(response(6, 'free-1')),
      commits.submit(response(6, 'taken')), // another body
      commits.submit(response(5, 'taken')), // a retry of the stored one
      commits.submit(response(7, null)),
    ]);
    expect(commits.transactions).toBe(1);
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((out[1] as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyConflict);
    expect((out[2] as PromiseFulfilledResult<unknown>).value).toEqual({ id: first.id, created: false });
    expect((await countResponses(ctx().db, f.org.id)).customer).toBe(before + 2);
    expectSame(await stored(ctx(), f.org.id), await recompute(ctx(), f.org.id));
  });

  it('a submission whose in-transaction step fails (a used leader link) fails alone, in the same transaction as the others', async () => {
    const commits = new GroupCommitter(ctx().db);
    const before = (await countResponses(ctx().db, f.org.id)).customer;
    const refuse = async () => {
      throw new Error('link used');
    };
    const out = await Promise.allSettled([commits.submit(response(8, 'ok-1')), commits.submit(response(9, 'bad'), refuse), commits.submit(response(10, 'ok-2'))]);
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(commits.transactions).toBe(1);
    expect((await countResponses(ctx().db, f.org.id)).customer).toBe(before + 2);
    // The failed one was not stored under its key: sent again without the failing step, it is new.
    expect((await storeResponse(ctx().db, response(9, 'bad'))).created).toBe(true);
  });

  it('one leader link claimed by three submissions of one batch: one stored, two LeaderLinkUsed, one transaction', async () => {
    const commits = new GroupCommitter(ctx().db);
    const [link] = await createLeaderLinks(ctx().db, { orgId: f.org.id, createdBy: 'test', count: 1 });
    const before = await countResponses(ctx().db, f.org.id);
    const claim = (tx: Parameters<typeof claimLeaderLink>[0], id: string) => claimLeaderLink(tx, f.org.id, link!.id, id);
    const leader = (i: number): NewResponse => ({ ...response(i, `leader-${i}`), surveyId: f.leaderSurvey, perspective: 'leader', submission: { ...complete(i), touchpoint: null, segments: {} } });
    const out = await Promise.allSettled([commits.submit(leader(1), claim), commits.submit(response(2, 'with-leaders')), commits.submit(leader(3), claim), commits.submit(leader(4), claim)]);
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect((out[2] as PromiseRejectedResult).reason).toBeInstanceOf(LeaderLinkUsed);
    expect(commits.transactions).toBe(1);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: before.customer + 1, leader: before.leader + 1 });
    const row = await ctx().db.selectFrom('leader_links').select('response_id').where('id', '=', link!.id).executeTakeFirstOrThrow();
    expect(row.response_id).toBe((out[0] as PromiseFulfilledResult<{ id: string }>).value.id);
  });

  it('a database error in the batch acknowledges nothing and writes nothing', async () => {
    const commits = new GroupCommitter(ctx().db, {
      beforeCommit: async () => {
        throw ioError();
      },
    });
    const before = (await countResponses(ctx().db, f.org.id)).customer;
    const version = await cellVersion(ctx(), f.org.id);
    const out = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => commits.submit(response(i, `lost-${i}`))));
    expect(out.every((o) => o.status === 'rejected' && (o.reason as { code?: string }).code === 'SQLITE_IOERR')).toBe(true);
    expect(commits.transactions).toBe(0);
    expect((await countResponses(ctx().db, f.org.id)).customer).toBe(before);
    expect(await cellVersion(ctx(), f.org.id)).toBe(version);
  });

  it('any other error in the batch re-runs each submission alone: all stored once', async () => {
    let failed = false;
    const commits = new GroupCommitter(ctx().db, {
      beforeCommit: async () => {
        if (failed) return;
        failed = true;
        throw new Error('a bug in one submission');
      },
    });
    const before = (await countResponses(ctx().db, f.org.id)).customer;
    const out = await Promise.all(Array.from({ length: 5 }, (_, i) => commits.submit(response(i, `rerun-${i}`))));
    expect(out.every((r) => r.created)).toBe(true);
    expect((await countResponses(ctx().db, f.org.id)).customer).toBe(before + 5);
    expectSame(await stored(ctx(), f.org.id), await recompute(ctx(), f.org.id));
  });

  it('close() writes what is queued before it resolves; later submissions are still stored', async () => {
    const commits = new GroupCommitter(ctx().db);
    const before = (await countResponses(ctx().db, f.org.id)).customer;
    const pending = Array.from({ length: 20 }, (_, i) => commits.submit(response(i, `closing-${i}`)));
    await commits.close();
    expect((await countResponses(ctx().db, f.org.id)).customer).toBe(before + 20);
    expect((await Promise.all(pending)).every((r) => r.created)).toBe(true);
    expect((await commits.submit(response(1, 'after-close'))).created).toBe(true);
  });
});

describeEngines('group commit through the public routes', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let touchpoint: string;
  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx());
    await replaceSegmentDeclarations(ctx().db, f.org.id, [
      { key: 'region', label: 'Region', public: true, kind: 'values', values: [{ value: 'EMEA', label: 'EMEA' }, { value: 'APAC', label: 'APAC' }] },
      { key: 'plan', label: 'Plan', public: true, kind: 'values', values: [{ value: 'pro', label: 'Pro' }] },
    ]);
    const survey = await getSurvey(ctx().db, f.customerSurvey);
    touchpoint = survey!.definition.questions.find((q) => q.kind === 'touchpoint')!.options![0]!.value;
  });
  afterAll(() => app.close());

  it('50 concurrent API submissions share transactions; each stored once; aggregates equal a recomputation', async () => {
    const body = (i: number) => {
      const s = complete(i);
      return { answers: s.answers, touchpoint, segments: s.segments, comment: s.comment };
    };
    const post = (i: number) =>
      app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses`, payload: body(i), headers: { 'idempotency-key': `api-${i}` } });
    const first = await Promise.all(Array.from({ length: 50 }, (_, i) => post(i)));
    expect(first.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
    // A batch stamps its responses with one created_at: distinct stamps count transactions (or fewer).
    const stamps = await ctx().db.selectFrom('responses').select('created_at').distinct().where('org_id', '=', f.org.id).execute();
    const transactions = stamps.length;
    expect(transactions).toBeGreaterThanOrEqual(1);
    expect(transactions).toBeLessThan(50);
    // Retries, concurrent with new submissions and a conflicting reuse of a key.
    const second = await Promise.all([post(0), post(1), post(50), app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses`, payload: body(7), headers: { 'idempotency-key': 'api-2' } })]);
    expect(second.map((r) => r.statusCode)).toEqual([200, 200, 201, 409]);
    expect(second[0]!.json().id).toBe(first[0]!.json().id);
    expect((await countResponses(ctx().db, f.org.id)).customer).toBe(51);
    expectSame(await stored(ctx(), f.org.id), await recompute(ctx(), f.org.id));
  });

  it('one leader link sent five times at once, among customer submissions: one leader response, four 403s, every customer stored', async () => {
    const before = await countResponses(ctx().db, f.org.id);
    const [link] = await createLeaderLinks(ctx().db, { orgId: f.org.id, createdBy: 'test', count: 1 });
    const leader = { answers: { excellent: 5, 'predict:excellent_share': 70, 'dim:ai_readiness': 2 } };
    const out = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) =>
        app.inject({ method: 'POST', url: `/api/v1/surveys/${f.leaderSurvey}/responses`, payload: leader, headers: { 'x-leader-token': link!.token, 'idempotency-key': `leader-${i}` } }),
      ),
      ...Array.from({ length: 5 }, (_, i) =>
        app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses`, payload: { answers: { excellent: 1 + i }, touchpoint }, headers: { 'idempotency-key': `among-${i}` } }),
      ),
    ]);
    const leaderCodes = out.slice(0, 5).map((r) => r.statusCode).sort();
    expect(leaderCodes).toEqual([201, 403, 403, 403, 403]);
    expect(out.slice(5).map((r) => r.statusCode)).toEqual(Array(5).fill(201));
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: before.customer + 5, leader: before.leader + 1 });
    expectSame(await stored(ctx(), f.org.id), await recompute(ctx(), f.org.id));
  });

  it('concurrent form posts, one sent twice, are stored once each', async () => {
    const before = (await countResponses(ctx().db, f.org.id)).customer;
    const form = (i: number) => {
      const s = complete(i);
      const fields = new URLSearchParams({ _token: `form-token-${i}`, touchpoint, comment: s.comment! });
      for (const [k, v] of Object.entries(s.answers)) fields.set(k, String(v));
      for (const [k, v] of Object.entries(s.segments)) fields.set(`segment.${k}`, v);
      return app.inject({ method: 'POST', url: `/s/${f.customerSurvey}`, payload: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    };
    const out = await Promise.all([...Array.from({ length: 10 }, (_, i) => form(i)), form(0)]);
    expect(out.map((r) => r.statusCode)).toEqual(Array(11).fill(303));
    expect((await countResponses(ctx().db, f.org.id)).customer).toBe(before + 10);
    expectSame(await stored(ctx(), f.org.id), await recompute(ctx(), f.org.id));
  });
});
