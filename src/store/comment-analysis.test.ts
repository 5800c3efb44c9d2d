// The stored reading of comments on both engines: written with the response (single and bulk), tags from
// the organisation's own framework and journey, redacted text stored, erased with the response, and the
// backfill for responses stored before the table existed.
import { beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { storeResponse, storeResponses, type NewResponse } from './responses.ts';
import { eraseResponses } from './erasure.ts';
import { getJourney, replaceJourney } from './organisations.ts';
import { backfillCommentAnalysis, joinTags, prepareCommentAnalysis, splitTags } from './comment-analysis.ts';
import { writeTransaction } from './write-transaction.ts';
import { createFeedbackSource } from './feedback-sources.ts';
import { storeFeedback } from './feedback.ts';
import { cli } from '../../test/cli.ts';
import type { ValidSubmission } from '../core/survey.ts';

const sub = (over: Partial<ValidSubmission>): ValidSubmission => ({
  respondentId: null,
  submittedAt: '2025-03-10T12:34:56.000Z',
  touchpoint: 'billing',
  segments: {},
  answers: { excellent: 2 },
  comment: null,
  ...over,
});

const ANGRY = 'Terrible service, I was charged twice on my bill and nobody called back. Email me at jo.bloggs@example.com';
const HAPPY = 'Brilliant engineer, thank you so much, the setup was quick and easy!';

describeEngines('comment analysis store', (ctx) => {
  let f: OrgFixture;
  const rowsOf = async () =>
    ctx().db.selectFrom('comment_analysis').selectAll().where('org_id', '=', f.org.id).orderBy('response_id').execute();

  beforeAll(async () => {
    f = await makeOrg(ctx());
  });

  it('stores sentiment, tags and the redacted text with each response that has a comment', async () => {
    const one = await storeResponse(ctx().db, { orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer', submission: sub({ respondentId: 'a', comment: ANGRY }) });
    const rows: NewResponse[] = [HAPPY, null, ''].map((comment, i) => ({
      orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer', submission: sub({ respondentId: `b${i}`, comment }),
    }));
    await storeResponses(ctx().db, rows);
    const stored = await rowsOf();
    expect(stored).toHaveLength(2); // no comment, no row
    const angry = stored.find((r) => r.response_id === one.id)!;
    expect(angry.sentiment).toBe('negative');
    expect(Number(angry.score)).toBeLessThan(-0.3);
    expect(angry.redacted).toBe('Terrible service, I was charged twice on my bill and nobody called back. Email me at [email]');
    expect(splitTags(angry.touchpoints)).toContain('billing');
    expect(splitTags(angry.dimensions)).toContain('responsiveness'); // "called back"
    expect(angry.model).toMatch(/^sentiment@\d{4}-/);
    const happy = stored.find((r) => r.response_id !== one.id)!;
    expect(happy.sentiment).toBe('positive');
    expect(Number(happy.score)).toBeGreaterThan(0.3);
    expect(splitTags(happy.touchpoints)).toContain('welcome'); // engineer, setup
    expect(happy.redacted).toBe(HAPPY);
  });

  it("tags with the organisation's own journey: a custom touchpoint is seeded from its label", async () => {
    const journey = await getJourney(ctx().db, f.org.id);
    journey[0]!.touchpoints.push({ key: 'parcel_lockers', label: 'Parcel lockers', department: 'Logistics' });
    await replaceJourney(ctx().db, f.org.id, journey);
    const r = await storeResponse(ctx().db, { orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer', submission: sub({ respondentId: 'c', comment: 'The parcel locker was jammed' }) });
    const row = (await rowsOf()).find((x) => x.response_id === r.id)!;
    expect(splitTags(row.touchpoints)).toContain('parcel_lockers');
  });

  it('uses an analysis prepared before the transaction for the same organisation and text only', async () => {
    const journey = await getJourney(ctx().db, f.org.id);
    const withoutKiosks = journey.map((st) => ({ ...st, touchpoints: st.touchpoints.filter((t) => t.key !== 'kiosks') }));
    await replaceJourney(ctx().db, f.org.id, withoutKiosks);
    const a = sub({ respondentId: 'k1', comment: 'The kiosks at the station were broken' });
    const b = sub({ respondentId: 'k2', comment: 'The kiosks at the station were broken' });
    const changed = sub({ respondentId: 'k3', comment: 'placeholder' });
    await prepareCommentAnalysis(ctx().db, [a, b, changed].map((submission) => ({ orgId: f.org.id, submission })));
    // The journey gains a touchpoint the prepared analyses could not know: what is stored shows which was used.
    withoutKiosks[0]!.touchpoints.push({ key: 'kiosks', label: 'Kiosks', department: 'Stores' });
    await replaceJourney(ctx().db, f.org.id, withoutKiosks);
    changed.comment = 'The kiosks at the station were broken';
    const store = (s: ValidSubmission) => storeResponse(ctx().db, { orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer', submission: s });
    const [ra, rb, rc] = [await store(a), await store({ ...b }), await store(changed)];
    const tps = async (id: string) => splitTags((await rowsOf()).find((x) => x.response_id === id)!.touchpoints);
    expect(await tps(ra.id)).not.toContain('kiosks'); // prepared: used
    expect(await tps(rb.id)).toContain('kiosks'); // another object: analysed in the transaction
    expect(await tps(rc.id)).toContain('kiosks'); // the text changed since: analysed again
    await eraseResponses(ctx().db, f.org.id, { responseIds: [ra.id, rb.id, rc.id] });
  });

  it('erases the analysis with the response', async () => {
    const before = (await rowsOf()).length;
    const erased = await eraseResponses(ctx().db, f.org.id, { respondentId: 'a' });
    expect(erased).toBe(1);
    const after = await rowsOf();
    expect(after).toHaveLength(before - 1);
    expect(after.some((r) => r.redacted.includes('charged twice'))).toBe(false);
  });

  it('backfills responses stored without an analysis, once', async () => {
    const r = await storeResponse(ctx().db, { orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer', submission: sub({ respondentId: 'd', comment: 'Call me on 07700 900123, the app keeps crashing' }) });
    // As if stored before migration 0015.
    await writeTransaction(ctx().db, (tx) => tx.deleteFrom('comment_analysis').where('org_id', '=', f.org.id).where('response_id', '=', r.id).execute());
    const total = (await rowsOf()).length;
    expect(await backfillCommentAnalysis(ctx().db, f.org.id)).toBe(1);
    expect(await backfillCommentAnalysis(ctx().db, f.org.id)).toBe(0);
    const rows = await rowsOf();
    expect(rows).toHaveLength(total + 1);
    expect(rows.find((x) => x.response_id === r.id)!.redacted).toBe('Call me on [phone], the app keeps crashing');
  });

  it('`parallax text backfill` does the same from the command line', async () => {
    await writeTransaction(ctx().db, (tx) => tx.deleteFrom('comment_analysis').where('org_id', '=', f.org.id).execute());
    const r = await cli(ctx().location, ['text', 'backfill', '--org', f.org.id]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${f.org.id}: 3 comments analysed\n`);
    expect(await rowsOf()).toHaveLength(3);
    const bad = await cli(ctx().location, ['text', 'backfill', '--org', 'nobody']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no organisation "nobody"');
  });
});

describeEngines('comment analysis rescoring after a new model', (ctx) => {
  let f: OrgFixture;
  const rowsOf = async () =>
    ctx().db.selectFrom('comment_analysis').selectAll().where('org_id', '=', f.org.id).orderBy('response_id').execute();
  // As if scored by an earlier model: another version and a wrong reading.
  const ageAll = () =>
    writeTransaction(ctx().db, (tx) => tx.updateTable('comment_analysis').set({ model: 'sentiment@2020-01-01T00:00:00.000Z', sentiment: 'neutral', score: 0 }).where('org_id', '=', f.org.id).execute());

  beforeAll(async () => {
    f = await makeOrg(ctx());
    const rows: NewResponse[] = [ANGRY, HAPPY, null].map((comment, i) => ({
      orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer', submission: sub({ respondentId: `r${i}`, comment }),
    }));
    await storeResponses(ctx().db, rows);
    // A feedback item (issue 9): its reading is kept in the same table, so it is re-scored too.
    const source = await createFeedbackSource(ctx().db, f.org.id, 'Reviews', 'review');
    await storeFeedback(ctx().db, f.org.id, [
      { sourceId: source.id, channel: 'review', externalId: 'x1', text: ANGRY, rating: null, touchpoint: '', segments: {}, authorRef: null, occurredAt: '2025-03-01T10:00:00.000Z' },
    ]);
  });

  it('re-analyses only the rows of an older model, once, with --rescore — survey comments and feedback items', async () => {
    const fresh = await rowsOf();
    expect(fresh).toHaveLength(3);
    await ageAll();
    expect(await backfillCommentAnalysis(ctx().db, f.org.id)).toBe(0); // without rescore: every comment has a reading
    expect(await backfillCommentAnalysis(ctx().db, f.org.id, undefined, { rescore: true })).toBe(3);
    expect(await backfillCommentAnalysis(ctx().db, f.org.id, undefined, { rescore: true })).toBe(0);
    const after = await rowsOf();
    expect(after.map((r) => [r.response_id, r.model, r.sentiment, r.score])).toEqual(fresh.map((r) => [r.response_id, r.model, r.sentiment, r.score]));
    expect(after.map((r) => r.sentiment).sort()).toEqual(['negative', 'negative', 'positive']);
  });

  it('`parallax text backfill --rescore` does the same from the command line', async () => {
    await ageAll();
    const plain = await cli(ctx().location, ['text', 'backfill', '--org', f.org.id]);
    expect(plain.stdout).toBe(`${f.org.id}: 0 comments analysed\n`);
    const r = await cli(ctx().location, ['text', 'backfill', '--org', f.org.id, '--rescore']);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${f.org.id}: 3 comments analysed\n`);
    expect((await rowsOf()).every((x) => x.model !== 'sentiment@2020-01-01T00:00:00.000Z' && x.sentiment !== 'neutral')).toBe(true);
  });
});

it('tag lists are comma-wrapped so that one key never matches inside another', () => {
  expect(joinTags(['app', 'billing'])).toBe(',app,billing,');
  expect(joinTags([])).toBe('');
  expect(splitTags(',app,billing,')).toEqual(['app', 'billing']);
  expect(splitTags('')).toEqual([]);
});
