// Storage of responses on both engines: durable, complete, stored once per idempotency key, and
// the answer-count cells agree with the raw answers.
import { describe, it, expect } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg } from '../../test/fixtures.ts';
import { storeResponse, storeResponses, IdempotencyConflict, countResponses } from './responses.ts';
import { loadAggregates } from './report-data.ts';
import type { ValidSubmission } from '../core/survey.ts';

const sub = (over: Partial<ValidSubmission> = {}): ValidSubmission => ({
  respondentId: null,
  submittedAt: '2025-03-10T12:00:00.000Z',
  touchpoint: 'app',
  segments: { region: 'EMEA' },
  answers: { excellent: 4, nps: 9, 'dim:reliability': 3 },
  comment: null,
  ...over,
});

describeEngines('responses store', (ctx) => {
  it('stores a response once per idempotency key and rejects a reused key with another body', async () => {
    const { db } = ctx();
    const f = await makeOrg(ctx());
    const r = { orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer' as const, submission: sub(), idempotencyKey: 'k-1' };
    const first = await storeResponse(db, r);
    const again = await storeResponse(db, r);
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    await expect(storeResponse(db, { ...r, submission: sub({ answers: { excellent: 1 } }) })).rejects.toBeInstanceOf(IdempotencyConflict);
    expect(await countResponses(db, f.org.id)).toEqual({ customer: 1, leader: 0 });
  });

  it('stores concurrent retries with one key exactly once', async () => {
    const { db } = ctx();
    const f = await makeOrg(ctx());
    const r = { orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer' as const, submission: sub(), idempotencyKey: 'race' };
    const results = await Promise.all(Array.from({ length: 8 }, () => storeResponse(db, r)));
    expect(new Set(results.map((x) => x.id)).size).toBe(1);
    expect(results.filter((x) => x.created)).toHaveLength(1);
    expect(await countResponses(db, f.org.id)).toEqual({ customer: 1, leader: 0 });
  });

  it('keeps the answer-count cells equal to the raw answers, under filters', async () => {
    const { db } = ctx();
    const f = await makeOrg(ctx());
    const rows = [
      sub({ answers: { excellent: 5, nps: 10 } }),
      sub({ answers: { excellent: 2, nps: 3 }, segments: { region: 'APAC' } }),
      sub({ answers: { excellent: 4 }, touchpoint: 'billing', submittedAt: '2025-04-02T00:00:00.000Z' }),
    ];
    await storeResponses(db, rows.map((s, i) => ({ orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer' as const, submission: s, idempotencyKey: `b${i}` })));
    // A leader, to check that customer-only filters leave leaders in.
    await storeResponse(db, { orgId: f.org.id, surveyId: f.leaderSurvey, perspective: 'leader', submission: sub({ touchpoint: null, segments: {}, answers: { excellent: 5 } }) });
    const all = await loadAggregates(db, f.org.id, {});
    expect(all.customers.respondents).toBe(3);
    expect(all.customers.items.excellent).toEqual({ 5: 1, 2: 1, 4: 1 });
    expect(all.customers.items.nps).toEqual({ 10: 1, 3: 1 });
    expect(all.leaders.respondents).toBe(1);
    const emea = await loadAggregates(db, f.org.id, { segments: { region: ['EMEA'] } });
    expect(emea.customers.items.excellent).toEqual({ 5: 1, 4: 1 });
    expect(emea.leaders.respondents).toBe(1);
    const march = await loadAggregates(db, f.org.id, { from: '2025-03', to: '2025-03' });
    expect(march.customers.respondents).toBe(2);
    const billing = await loadAggregates(db, f.org.id, { touchpoints: ['billing'] });
    expect(billing.customers.items.excellent).toEqual({ 4: 1 });
    const nobody = await loadAggregates(db, f.org.id, { segments: { region: ['Mars'] } });
    expect(nobody.customers.respondents).toBe(0);
    expect(nobody.leaders.respondents).toBe(1);
  });

  it('writes nothing when a batch fails half-way', async () => {
    const { db } = ctx();
    const f = await makeOrg(ctx());
    const good = { orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer' as const, submission: sub() };
    // The second row violates the answers primary key only if written twice: force a failure with an unknown org instead.
    const bad = { ...good, orgId: 'no-such-org' };
    await expect(storeResponses(db, [good, bad])).rejects.toThrow();
    expect(await countResponses(db, f.org.id)).toEqual({ customer: 0, leader: 0 });
    const cells = await loadAggregates(db, f.org.id, {});
    expect(cells.customers.respondents).toBe(0);
  });
});

describe('monthOf', () => {
  it('takes the UTC month of an ISO time', async () => {
    const { monthOf } = await import('./responses.ts');
    expect(monthOf('2025-12-31T23:59:59.000Z')).toBe('2025-12');
  });
});
