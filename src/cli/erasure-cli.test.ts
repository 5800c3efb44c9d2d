// `parallax erase` and `parallax rebuild` as a user runs them (the CLI program, test/cli.ts) on both engines:
// a dry run erases nothing, an erasure prints what it erased (responses and feedback items) and is audited, a rebuild restores damaged
// aggregates, bad options are a one-line error.
import { beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { cli } from '../../test/cli.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { expectSame, recompute, stored } from '../../test/aggregates.ts';
import { storeResponses } from '../store/responses.ts';
import { listAudit } from '../store/audit-log.ts';
import { createFeedbackSource } from '../store/feedback-sources.ts';
import { storeFeedback } from '../store/feedback.ts';
import { feedbackContext } from '../store/feedback-context.ts';
import { checkFeedbackItem } from '../core/feedback.ts';

describeEngines('parallax erase / rebuild', (ctx) => {
  let f: OrgFixture;
  const count = async () => (await ctx().db.selectFrom('responses').select('id').where('org_id', '=', f.org.id).execute()).length;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    await storeResponses(
      ctx().db,
      Array.from({ length: 6 }, (_, i) => ({
        orgId: f.org.id,
        surveyId: f.customerSurvey,
        perspective: 'customer' as const,
        submission: { respondentId: i < 2 ? 'person-9' : null, submittedAt: '2025-03-01T00:00:00.000Z', touchpoint: 'app', segments: { region: 'EMEA' }, answers: { excellent: 1 + i, nps: i }, comment: null },
      })),
    );
  });

  it('counts on a dry run, then erases a respondent and audits it', async () => {
    const dry = await cli(ctx().location, ['erase', '--org', f.org.id, '--respondent', 'person-9', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Would erase 2 responses and 0 feedback items of respondent "person-9"');
    expect(await count()).toBe(6);
    const r = await cli(ctx().location, ['erase', '--org', f.org.id, '--respondent', 'person-9']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Erased 2 responses and 0 feedback items of respondent "person-9"');
    expect(await count()).toBe(4);
    expectSame(await stored(ctx(), f.org.id), await recompute(ctx(), f.org.id));
    const audit = await listAudit(ctx().db, f.org.id, { limit: 10, action: 'respondents.delete' });
    expect(audit.entries.map((e) => [e.actor.kind, e.target, e.details.erased])).toEqual([['cli', '/respondents/person-9', 2]]);
  });

  it('erases given response ids', async () => {
    const ids = (await ctx().db.selectFrom('responses').select('id').where('org_id', '=', f.org.id).orderBy('id').execute()).map((r) => r.id);
    const r = await cli(ctx().location, ['erase', '--org', f.org.id, '--response', ids[0]!, 'no-such-id']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Erased 1 response of the 2 response id(s) given');
    expect(await count()).toBe(3);
  });

  it('rebuilds damaged aggregates', async () => {
    await ctx().db.deleteFrom('answer_rollups').where('org_id', '=', f.org.id).execute();
    const r = await cli(ctx().location, ['rebuild', '--org', f.org.id]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Rebuilt the aggregates of ${f.org.id} from 3 responses`);
    expectSame(await stored(ctx(), f.org.id), await recompute(ctx(), f.org.id));
    expect((await listAudit(ctx().db, f.org.id, { limit: 10, action: 'aggregates.rebuild' })).entries).toHaveLength(1);
  });

  it('names the feedback items a respondent id erases as well (their authorRef)', async () => {
    await storeResponses(ctx().db, [{
      orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer',
      submission: { respondentId: 'writer-3', submittedAt: '2025-03-01T00:00:00.000Z', touchpoint: 'app', segments: { region: 'EMEA' }, answers: { excellent: 4, nps: 9 }, comment: null },
    }]);
    const source = await createFeedbackSource(ctx().db, f.org.id, 'Zendesk', 'ticket');
    const fctx = await feedbackContext(ctx().db, f.org.id);
    const items = ['Refund still missing', 'Second reminder about the refund'].map((text) => {
      const c = checkFeedbackItem({ source: source.id, text, authorRef: 'writer-3' }, fctx);
      if (!c.ok) throw new Error(JSON.stringify(c.errors));
      return c.value;
    });
    await storeFeedback(ctx().db, f.org.id, items);
    const dry = await cli(ctx().location, ['erase', '--org', f.org.id, '--respondent', 'writer-3', '--dry-run']);
    expect(dry.stdout).toContain('Would erase 1 response and 2 feedback items of respondent "writer-3"');
    const r = await cli(ctx().location, ['erase', '--org', f.org.id, '--respondent', 'writer-3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Erased 1 response and 2 feedback items of respondent "writer-3"');
    expect(await ctx().db.selectFrom('feedback_items').select('id').where('org_id', '=', f.org.id).execute()).toEqual([]);
    const audit = await listAudit(ctx().db, f.org.id, { limit: 10, action: 'respondents.delete' });
    expect(audit.entries[0]!.details).toMatchObject({ erased: 3, responses: 1, feedbackItems: 2 });
  });

  it('refuses ambiguous or unknown input in one line', async () => {
    for (const args of [['erase', '--org', f.org.id], ['erase', '--org', f.org.id, '--respondent', 'x', '--response', 'y'], ['rebuild', '--org', 'no-such-org']]) {
      const r = await cli(ctx().location, args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^parallax: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
