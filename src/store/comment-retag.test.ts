// Re-tagging stored readings after a framework or journey change, on both engines: only the readings whose
// tags the current set-up gives differently are rewritten (survey comments and feedback items), sentiment and
// redaction stay as they were, a rerun finds nothing; `parallax text backfill --retag` does the same, and the
// server re-tags in the background after PUT …/journey and …/framework.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { authHeaders } from '../../test/auth-fixture.ts';
import { cli } from '../../test/cli.ts';
import { storeResponses, type NewResponse } from './responses.ts';
import { getFramework, getJourney, replaceJourney } from './organisations.ts';
import { splitTags } from './comment-analysis.ts';
import { retagCommentAnalysis } from './comment-retag.ts';
import { createFeedbackSource } from './feedback-sources.ts';
import { storeFeedback } from './feedback.ts';
import type { Stage } from '../core/journey.ts';

const LOCKER = 'The parcel locker was jammed and nobody answered, call me on 07700 900123';
const LOCKER_TOO = 'Parcel lockers are a great idea, collected mine in a minute';
const OTHER = 'Terrible service, I was charged twice on my bill';

const withTouchpoint = (journey: Stage[], key: string, label: string): Stage[] =>
  journey.map((s, i) => (i === 0 ? { ...s, touchpoints: [...s.touchpoints, { key, label, department: 'Logistics' }] } : s));

describeEngines('comment re-tagging after a set-up change', (ctx) => {
  let f: OrgFixture;
  const rowsOf = async () =>
    ctx().db.selectFrom('comment_analysis').selectAll().where('org_id', '=', f.org.id).orderBy('response_id').execute();
  const taggedWith = async (key: string) => (await rowsOf()).filter((r) => splitTags(r.touchpoints).includes(key) || splitTags(r.dimensions).includes(key)).length;

  beforeAll(async () => {
    f = await makeOrg(ctx());
    const rows: NewResponse[] = [LOCKER, LOCKER_TOO, OTHER].map((comment, i) => ({
      orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer', submission: {
        respondentId: `r${i}`, submittedAt: '2025-03-10T12:00:00.000Z', touchpoint: 'billing', segments: {}, answers: { excellent: 2 }, comment,
      },
    }));
    await storeResponses(ctx().db, rows);
    const source = await createFeedbackSource(ctx().db, f.org.id, 'Reviews', 'review');
    await storeFeedback(ctx().db, f.org.id, [
      { sourceId: source.id, channel: 'review', externalId: 'x1', text: LOCKER, rating: null, touchpoint: '', segments: {}, authorRef: null, occurredAt: '2025-03-01T10:00:00.000Z' },
    ]);
  });

  it('rewrites only the readings whose tags the new journey changes, once — survey comments and feedback items', async () => {
    expect(await taggedWith('parcel_lockers')).toBe(0);
    expect(await retagCommentAnalysis(ctx().db, f.org.id)).toBe(0); // nothing changed yet
    const before = await rowsOf();
    await replaceJourney(ctx().db, f.org.id, withTouchpoint(await getJourney(ctx().db, f.org.id), 'parcel_lockers', 'Parcel lockers'));
    const seen: number[] = [];
    expect(await retagCommentAnalysis(ctx().db, f.org.id, (_changed, n) => seen.push(n))).toBe(3); // two comments and the item
    expect(seen.at(-1)).toBe(4);
    expect(await retagCommentAnalysis(ctx().db, f.org.id)).toBe(0);
    const after = await rowsOf();
    expect(await taggedWith('parcel_lockers')).toBe(3);
    // Only the tags moved: sentiment, score, redaction and model are those of the same model on the same text.
    const keep = (r: (typeof after)[number]) => [r.response_id, r.sentiment, Number(r.score), r.redacted, r.model, r.dimensions];
    expect(after.map(keep)).toEqual(before.map(keep));
    expect(after.filter((r) => r.redacted.includes('[phone]'))).toHaveLength(2);
    // The touchpoint leaves the journey: its tag leaves the readings.
    await replaceJourney(ctx().db, f.org.id, (await getJourney(ctx().db, f.org.id)).map((s) => ({ ...s, touchpoints: s.touchpoints.filter((t) => t.key !== 'parcel_lockers') })));
    expect(await retagCommentAnalysis(ctx().db, f.org.id)).toBe(3);
    expect(await taggedWith('parcel_lockers')).toBe(0);
  });

  it('`parallax text backfill --retag` does the same from the command line', async () => {
    await replaceJourney(ctx().db, f.org.id, withTouchpoint(await getJourney(ctx().db, f.org.id), 'parcel_lockers', 'Parcel lockers'));
    expect(await taggedWith('parcel_lockers')).toBe(0); // until re-tagged, tags stay as they were
    const r = await cli(ctx().location, ['text', 'backfill', '--org', f.org.id, '--retag']);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${f.org.id}: 0 comments analysed\n${f.org.id}: 3 comments retagged\n`);
    expect(await taggedWith('parcel_lockers')).toBe(3);
    const again = await cli(ctx().location, ['text', 'backfill', '--org', f.org.id, '--retag']);
    expect(again.stdout).toBe(`${f.org.id}: 0 comments analysed\n${f.org.id}: 0 comments retagged\n`);
  }, 180_000);

  describeServer();

  function describeServer() {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await makeApp(ctx());
    });
    afterAll(async () => {
      await app.close();
    });

    it('the server re-tags in the background after PUT …/journey and …/framework', async () => {
      const admin = await authHeaders(ctx(), f.org.id, 'admin');
      const journey = (await getJourney(ctx().db, f.org.id)).map((s) => ({ ...s, touchpoints: s.touchpoints.filter((t) => t.key !== 'parcel_lockers') }));
      const put = await app.inject({ method: 'PUT', url: `/api/v1/organisations/${f.org.id}/journey`, headers: admin, payload: { stages: journey } });
      expect(put.statusCode).toBe(200);
      await app.retags.settled();
      expect(await taggedWith('parcel_lockers')).toBe(0);
      // A custom dimension is seeded from its label's words ("charg*", "twice*" from "Charged twice").
      expect(await taggedWith('double_charges')).toBe(0);
      const dimensions = [...(await getFramework(ctx().db, f.org.id)), { key: 'double_charges', label: 'Charged twice', customerItem: 'Were you charged what you expected?', leaderItem: 'How would customers rate our charging?', source: 'custom' as const }];
      const fw = await app.inject({ method: 'PUT', url: `/api/v1/organisations/${f.org.id}/framework`, headers: admin, payload: { dimensions } });
      expect(fw.statusCode).toBe(200);
      await app.retags.settled();
      expect(await taggedWith('double_charges')).toBe(1); // "charged twice on my bill"
      // A refused change starts nothing.
      const bad = await app.inject({ method: 'PUT', url: `/api/v1/organisations/${f.org.id}/framework`, headers: admin, payload: { dimensions: [] } });
      expect(bad.statusCode).toBe(400);
      await app.retags.settled();
      expect(await retagCommentAnalysis(ctx().db, f.org.id)).toBe(0); // the background run left nothing stale
    });
  }
});
