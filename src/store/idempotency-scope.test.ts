// Idempotency keys are scoped per survey (responses.ts: storedIdempotencyKey), on both engines; keys
// stored before the change are rewritten by migration 0010, so a retry or re-import still finds them.
import { it, expect } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg } from '../../test/fixtures.ts';
import { storeResponse, storeResponses, countResponses, type NewResponse } from './responses.ts';
import { up as scopeKeys } from './migrations/0010-idempotency-per-survey.ts';
import type { ValidSubmission } from '../core/survey.ts';

const sub = (over: Partial<ValidSubmission> = {}): ValidSubmission => ({
  respondentId: null,
  submittedAt: '2025-03-10T12:00:00.000Z',
  touchpoint: null,
  segments: {},
  answers: { excellent: 4 },
  comment: null,
  ...over,
});

describeEngines('idempotency keys per survey', (ctx) => {
  it('one key on two surveys of an organisation stores two responses; on one survey, one', async () => {
    const { db } = ctx();
    const f = await makeOrg(ctx());
    const customer: NewResponse = { orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer', submission: sub(), idempotencyKey: 'token-1' };
    const leader: NewResponse = { orgId: f.org.id, surveyId: f.leaderSurvey, perspective: 'leader', submission: sub({ answers: { excellent: 5 } }), idempotencyKey: 'token-1' };
    expect((await storeResponse(db, customer)).created).toBe(true);
    expect((await storeResponse(db, leader)).created).toBe(true);
    expect((await storeResponse(db, customer)).created).toBe(false);
    expect(await storeResponses(db, [customer, leader])).toEqual({ inserted: 0, skipped: 2 });
    expect(await countResponses(db, f.org.id)).toEqual({ customer: 1, leader: 1 });
  });

  it('migration 0010 scopes the keys stored before it, so their retries are still recognised', async () => {
    const { db } = ctx();
    const f = await makeOrg(ctx());
    const r: NewResponse = { orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer', submission: sub(), idempotencyKey: 'csv:legacy' };
    const first = await storeResponse(db, r);
    // As the key was stored before 0010: unscoped.
    await db.updateTable('responses').set({ idempotency_key: 'csv:legacy' }).where('org_id', '=', f.org.id).execute();
    await db.updateTable('responses').set({ idempotency_key: null }).where('org_id', '<>', f.org.id).execute(); // other tests' rows: leave them out of the rewrite
    await scopeKeys(db);
    const row = await db.selectFrom('responses').select('idempotency_key').where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(row.idempotency_key).toBe(`${f.customerSurvey}:csv:legacy`);
    expect(await storeResponse(db, r)).toEqual({ id: first.id, created: false });
    expect(await storeResponses(db, [r])).toEqual({ inserted: 0, skipped: 1 });
    expect(await countResponses(db, f.org.id)).toEqual({ customer: 1, leader: 0 });
  });
});
