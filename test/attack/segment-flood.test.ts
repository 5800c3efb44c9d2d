// Hole 2: one anonymous 851 KB request with 7,000 segment names answered 201, grew the SQLite file by
// 329 MB and held the database for seconds. Replayed against the real server: the flood is refused
// before it is parsed (413, public bodies are capped at 32 KB), and what fits in 32 KB is held to the
// organisation's declared segments — public ones only, at most 10, allowed values or short free text —
// with a 422 naming `segments.<name>`. Nothing is written by any refused request.
import { it, expect, beforeAll, afterAll } from 'vitest';
import { describeEngines } from '../engines.ts';
import type { OrgFixture } from '../fixtures.ts';
import { servedOrg, snapshot, json, form, type LiveServer } from './public-server.ts';
import { createApiKey } from '../../src/store/api-keys.ts';
import { countResponses } from '../../src/store/responses.ts';
import { getSegmentDeclarations } from '../../src/store/segments.ts';
import { parseRow } from '../../src/core/canonical-csv.ts';
import { customerSurvey, leaderSurvey } from '../../src/core/survey.ts';
import { DEFAULT_FRAMEWORK } from '../../src/core/framework.ts';
import { DEFAULT_JOURNEY } from '../../src/core/journey.ts';

describeEngines('attack: segment flood on the public response route', (ctx) => {
  let s: LiveServer;
  let f: OrgFixture;
  let key: string;
  beforeAll(async () => {
    ({ f, key, s } = await servedOrg(ctx(), {
      segments: [
        { key: 'region', label: 'Region', public: true, kind: 'values', values: [{ value: 'EMEA', label: 'Europe' }, { value: 'APAC', label: 'Asia-Pacific' }] },
        { key: 'team', label: 'Team', public: true, kind: 'text', maxLength: 20 },
        { key: 'account', label: 'Account', public: false, kind: 'text', maxLength: 40 },
      ],
    }));
  });
  afterAll(async () => {
    await s.app.close();
  });
  const post = (body: unknown, headers: Record<string, string> = {}) => fetch(`${s.base}/api/v1/surveys/${f.customerSurvey}/responses`, json(body, headers));

  it('refuses the original 7,000-segment request (851 KB) with 413, writing nothing', async () => {
    const segments: Record<string, string> = {};
    for (let i = 0; i < 7000; i++) segments[`seg_${i}_${'x'.repeat(30)}`] = `value-${i}-${'y'.repeat(62)}`;
    const body = { answers: { excellent: 4 }, segments };
    expect(JSON.stringify(body).length).toBeGreaterThan(800_000);
    const before = await snapshot(ctx());
    const r = await post(body);
    expect(r.status).toBe(413);
    const formBody = Object.entries(segments).map(([k, v]) => `segment.${k}=${encodeURIComponent(v)}`).join('&') + '&excellent=4';
    expect((await fetch(`${s.base}/s/${f.customerSurvey}`, form(formBody))).status).toBe(413);
    expect(await snapshot(ctx())).toEqual(before);
  });

  it('refuses what fits in 32 KB unless it is declared, public, allowed and at most 10 segments (422 naming segments.<name>)', async () => {
    const before = await snapshot(ctx());
    const cases: [Record<string, string>, string][] = [
      [{ invented: 'x' }, 'segments.invented'], // undeclared
      [{ region: 'Antarctica' }, 'segments.region'], // not an allowed value
      [{ team: 'z'.repeat(21) }, 'segments.team'], // free text over its maxLength
      [{ account: 'ACME-42' }, 'segments.account'], // declared, but not public
      [Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`s${i}`, 'x'])), 'segments'], // more than 10
    ];
    for (const [segments, field] of cases) {
      const r = await post({ answers: { excellent: 4 }, segments });
      expect(r.status, JSON.stringify(segments)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      const body = await r.json();
      expect(body.fields.map((x: { field: string }) => x.field)).toContain(field);
      // The form takes the same path and names the same field.
      const qs = Object.entries(segments).map(([k, v]) => `segment.${k}=${encodeURIComponent(v)}`).join('&');
      const page = await fetch(`${s.base}/s/${f.customerSurvey}`, form(`excellent=4&${qs}`));
      expect(page.status).toBe(422);
      expect(await page.text()).toContain(field);
    }
    expect(await snapshot(ctx())).toEqual(before);
  });

  it('still takes declared public segments from anyone, and non-public ones from an API key of the organisation', async () => {
    expect((await post({ answers: { excellent: 4 }, segments: { region: 'EMEA', team: 'night shift' } })).status).toBe(201);
    const withKey = await post({ answers: { excellent: 5 }, segments: { region: 'APAC', account: 'ACME-42' } }, { authorization: `Bearer ${key}` });
    expect(withKey.status).toBe(201);
    // A key may not invent segments either.
    const invented = await post({ answers: { excellent: 5 }, segments: { invented: 'x' } }, { authorization: `Bearer ${key}` });
    expect(invented.status).toBe(422);
    expect((await invented.json()).fields[0].field).toBe('segments.invented');
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: 2, leader: 0 });
    // An import likewise: non-public declared segments yes, undeclared ones a row error naming the column.
    const surveys = { customer: customerSurvey('X', DEFAULT_FRAMEWORK, DEFAULT_JOURNEY), leader: leaderSurvey('X', DEFAULT_FRAMEWORK) };
    const rules = { origin: 'trusted' as const, segments: await getSegmentDeclarations(ctx().db, f.org.id) };
    const row = (extra: Record<string, string>) => parseRow({ perspective: 'customer', submitted_at: '2025-01-01T00:00:00Z', excellent: '4', ...extra }, 7, surveys, rules);
    expect(row({ 'segment:account': 'ACME-42', 'segment:region': 'EMEA' }).ok).toBe(true);
    expect(row({ 'segment:invented': 'x' })).toMatchObject({ ok: false, errors: [{ row: 7, column: 'segment:invented' }] });
  });

  it('lets members read the declarations and admins/analysts replace them; bad declarations are 400 naming the field', async () => {
    const auth = { authorization: `Bearer ${key}` };
    const got = await fetch(`${s.base}/api/v1/organisations/${f.org.id}/segments`, { headers: auth });
    expect(got.status).toBe(200);
    expect((await got.json()).segments.map((d: { key: string }) => d.key)).toEqual(['region', 'team', 'account']);
    const bad = await fetch(`${s.base}/api/v1/organisations/${f.org.id}/segments`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ segments: [{ key: 'team', label: 'Team', public: true, kind: 'text', maxLength: 500 }] }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fields[0].field).toBe('segments.0.maxLength');
    const viewerKey = (await createApiKey(ctx().db, { orgId: f.org.id, name: 'bi', role: 'viewer' })).secret;
    const denied = await fetch(`${s.base}/api/v1/organisations/${f.org.id}/segments`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${viewerKey}` },
      body: JSON.stringify({ segments: [] }),
    });
    expect(denied.status).toBe(403);
  });
});
