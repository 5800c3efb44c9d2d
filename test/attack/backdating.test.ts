// Hole 4: 320 anonymous responses, each with an invented segment value and its own month far in the past
// (`submittedAt` was taken from anyone), exhausted the anonymity rule's 5% withholding cap, after which
// every filtered report and breakdown was refused for everyone. Replayed against the real server: the
// public may not send `submittedAt` (422 naming it; the server's clock dates the response) nor invent
// segment values; API keys and imports may backdate within limits (2000-01-01 up to 5 minutes ahead);
// and even junk a trusted caller backdates no longer switches period or segment filters off: the rule
// pools the rare values instead (core/anonymity.ts).
import { it, expect, beforeAll, afterAll } from 'vitest';
import { describeEngines } from '../engines.ts';
import type { OrgFixture } from '../fixtures.ts';
import { servedOrg, snapshot, json, form, type LiveServer } from './public-server.ts';
import { storeResponses } from '../../src/store/responses.ts';
import { customerSurvey } from '../../src/core/survey.ts';
import { DEFAULT_FRAMEWORK } from '../../src/core/framework.ts';
import { DEFAULT_JOURNEY } from '../../src/core/journey.ts';
import { parseRow } from '../../src/core/canonical-csv.ts';
import { leaderSurvey } from '../../src/core/survey.ts';

const monthsAgo = (n: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 10, 12)).toISOString();
};

describeEngines('attack: backdated anonymous responses deny filtered reports', (ctx) => {
  let s: LiveServer;
  let f: OrgFixture;
  let key: string;
  beforeAll(async () => {
    ({ f, key, s } = await servedOrg(ctx(), {
      segments: [
        { key: 'region', label: 'Region', public: true, kind: 'values', values: [{ value: 'EMEA', label: 'EMEA' }, { value: 'APAC', label: 'APAC' }] },
        { key: 'team', label: 'Team', public: true, kind: 'text', maxLength: 40 },
      ],
    }));
    // 240 real customers over the last three months, in two regions.
    await storeResponses(
      ctx().db,
      Array.from({ length: 240 }, (_, i) => ({
        orgId: f.org.id,
        surveyId: f.customerSurvey,
        perspective: 'customer' as const,
        submission: { respondentId: null, submittedAt: monthsAgo(i % 3), touchpoint: 'app', segments: { region: i % 2 ? 'EMEA' : 'APAC' }, answers: { excellent: 1 + (i % 5) }, comment: null },
      })),
    );
  });
  afterAll(async () => {
    await s.app.close();
  });
  const post = (body: unknown, headers: Record<string, string> = {}) => fetch(`${s.base}/api/v1/surveys/${f.customerSurvey}/responses`, json(body, headers));
  const gap = (query: string) => fetch(`${s.base}/api/v1/organisations/${f.org.id}/reports/gap?${query}`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.json());

  it('refuses submittedAt from the public, naming it and storing nothing; a forged form field cannot date a response', async () => {
    const before = await snapshot(ctx());
    for (let i = 0; i < 20; i++) {
      const r = await post({ answers: { excellent: 5 }, submittedAt: `${1990 + i}-01-15T00:00:00Z`, segments: { team: `junk-${i}` } });
      expect(r.status).toBe(422);
      expect((await r.json()).fields.map((x: { field: string }) => x.field)).toContain('submittedAt');
    }
    // The form has no such field: a forged one is not a question and cannot date the response either.
    const page = await fetch(`${s.base}/s/${f.customerSurvey}`, form('excellent=4&submittedAt=1990-01-01T00:00:00Z&_token=backdate-form-1'));
    expect(page.status).toBe(303);
    expect(await snapshot(ctx())).not.toEqual(before); // that one response was stored…
    const month = await ctx().db.selectFrom('responses').select('month').where('idempotency_key', 'like', '%backdate-form-1').executeTakeFirstOrThrow();
    expect(month.month).toBe(new Date().toISOString().slice(0, 7)); // …dated by the server's clock
  });

  it('lets an API key backdate within the documented limits', async () => {
    const ok = await post({ answers: { excellent: 4 }, submittedAt: '2024-03-01T09:00:00Z' }, { authorization: `Bearer ${key}` });
    expect(ok.status).toBe(201);
    const future = await post({ answers: { excellent: 4 }, submittedAt: new Date(Date.now() + 3_600_000).toISOString() }, { authorization: `Bearer ${key}` });
    expect(future.status).toBe(422);
    expect((await future.json()).fields[0].field).toBe('submittedAt');
    const ancient = await post({ answers: { excellent: 4 }, submittedAt: '1999-12-31T23:59:59Z' }, { authorization: `Bearer ${key}` });
    expect(ancient.status).toBe(422);
    expect((await ancient.json()).fields[0].message).toContain('2000-01-01');
    // An import holds to the same limits, naming the column.
    const surveys = { customer: customerSurvey('X', DEFAULT_FRAMEWORK, DEFAULT_JOURNEY), leader: leaderSurvey('X', DEFAULT_FRAMEWORK) };
    const old = parseRow({ perspective: 'customer', submitted_at: '1999-01-01T00:00:00Z', excellent: '4' }, 1, surveys, { origin: 'trusted', segments: [] });
    expect(old).toMatchObject({ ok: false, errors: [{ row: 1, column: 'submitted_at' }] });
    expect(parseRow({ perspective: 'customer', submitted_at: '2024-01-01T00:00:00Z', excellent: '4' }, 1, surveys, { origin: 'trusted', segments: [] }).ok).toBe(true);
  });

  it('keeps period and segment filters working when rare months and values pile up past the cap', async () => {
    // The junk, now through a trusted key (the only caller left who could): 40 responses, each in its own
    // month years ago with its own team — 16% of the customers, far beyond the 5% the rule may withhold.
    for (let i = 0; i < 40; i++) {
      const r = await post({ answers: { excellent: 5 }, submittedAt: `${2001 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-15T00:00:00Z`, segments: { team: `junk-${i}` } }, { authorization: `Bearer ${key}` });
      expect(r.status).toBe(201);
    }
    const from = monthsAgo(2).slice(0, 7);
    const period = await gap(`from=${from}`);
    expect(period.headline.customers.suppressed).toBeUndefined();
    expect(period.headline.customers.n).toBeGreaterThanOrEqual(160);
    const region = await gap('where=segment:region=EMEA');
    expect(region.headline.customers.suppressed).toBeUndefined();
    // A junk value cannot be singled out: filtering on it selects nobody.
    const junk = await gap('where=segment:team=junk-7');
    expect(junk.headline.customers.suppressed).toBe(true);
  });
});
