// Hole 7: the survey form skipped the API's segment validation — `segment.region=EMEA%3Bplan%3Dpremium`
// was stored and corrupted the segment key (the export of that data could no longer be imported) — and
// a JSON body or a repeated field (`excellent=4&excellent=5`) posted to the form answered 500. Replayed
// against the real server: the form goes through the API's one validation path (formToInput, then
// checkSubmission: the API's schema and validator), so it refuses what the API refuses, naming the same
// field; a repeated field is an error on that field; a JSON body is 415. Nothing is written.
import { it, expect, beforeAll, afterAll } from 'vitest';
import { describeEngines } from '../engines.ts';
import type { OrgFixture } from '../fixtures.ts';
import { servedOrg, snapshot, json, form, type LiveServer } from './public-server.ts';

describeEngines('attack: the survey form bypassing the API validation', (ctx) => {
  let s: LiveServer;
  let f: OrgFixture;
  beforeAll(async () => {
    ({ f, s } = await servedOrg(ctx(), {
      segments: [
        { key: 'region', label: 'Region', public: true, kind: 'text', maxLength: 80 },
        { key: 'plan', label: 'Plan', public: true, kind: 'values', values: [{ value: 'basic', label: 'Basic' }, { value: 'premium', label: 'Premium' }] },
      ],
    }));
  });
  afterAll(async () => {
    await s.app.close();
  });
  const page = (body: string) => fetch(`${s.base}/s/${f.customerSurvey}`, form(body));
  const api = (body: unknown) => fetch(`${s.base}/api/v1/surveys/${f.customerSurvey}/responses`, json(body));

  it('refuses a segment value with ; or = (the original key corruption) in the form and the API alike', async () => {
    const before = await snapshot(ctx());
    for (const value of ['EMEA;plan=premium', 'EMEA=1', ';']) {
      const r = await page(`excellent=4&segment.region=${encodeURIComponent(value)}`);
      expect(r.status).toBe(422);
      const html = await r.text();
      expect(html).toContain('segments.region');
      expect(html).toContain('must not contain ; or =');
      const a = await api({ answers: { excellent: 4 }, segments: { region: value } });
      expect(a.status).toBeGreaterThanOrEqual(400);
      expect(a.status).toBeLessThan(500);
      expect((await a.json()).fields[0].field).toBe('segments.region');
    }
    expect(await snapshot(ctx())).toEqual(before);
  });

  it('refuses what the API refuses, naming the same fields (one validation path)', async () => {
    const before = await snapshot(ctx());
    const cases: [string, Record<string, unknown>, string][] = [
      ['excellent=4&segment.plan=gold', { answers: { excellent: 4 }, segments: { plan: 'gold' } }, 'segments.plan'],
      ['excellent=4&segment.invented=x', { answers: { excellent: 4 }, segments: { invented: 'x' } }, 'segments.invented'],
      [`excellent=4&segment.region=${'r'.repeat(81)}`, { answers: { excellent: 4 }, segments: { region: 'r'.repeat(81) } }, 'segments.region'],
      [`excellent=4&comment=${'c'.repeat(5001)}`, { answers: { excellent: 4 }, comment: 'c'.repeat(5001) }, 'comment'],
      ['excellent=9', { answers: { excellent: 9 } }, 'answers.excellent'],
      ['excellent=4&touchpoint=moon', { answers: { excellent: 4 }, touchpoint: 'moon' }, 'touchpoint'],
    ];
    for (const [formBody, apiBody, field] of cases) {
      const r = await page(formBody);
      expect(r.status, formBody.slice(0, 60)).toBe(422);
      expect(await r.text()).toContain(field.startsWith('answers.') ? 'must be a whole number from 1 to 5' : field);
      const a = await api(apiBody);
      expect(a.status).toBeGreaterThanOrEqual(400);
      expect(a.status).toBeLessThan(500);
      expect((await a.json()).fields.map((x: { field: string }) => x.field)).toContain(field);
    }
    expect(await snapshot(ctx())).toEqual(before);
  });

  it('answers a repeated field with an error on that field, not a 500', async () => {
    const before = await snapshot(ctx());
    const r = await page('excellent=4&excellent=5&nps=9');
    expect(r.status).toBe(422);
    const html = await r.text();
    expect(html).toContain('was sent more than once');
    expect(html).toMatch(/<fieldset id="q\d+" class="invalid"[^>]*>\s*<legend>The experience I received/); // shown at the question
    const seg = await page('excellent=4&segment.plan=basic&segment.plan=premium');
    expect(seg.status).toBe(422);
    expect(await seg.text()).toContain('segments.plan');
    expect(await snapshot(ctx())).toEqual(before);
  });

  it('answers a JSON (or text) body posted to the form with 415, not a 500', async () => {
    const before = await snapshot(ctx());
    const r = await fetch(`${s.base}/s/${f.customerSurvey}`, json({ excellent: '4' }));
    expect(r.status).toBe(415);
    const t = await fetch(`${s.base}/s/${f.customerSurvey}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'excellent=4' });
    expect(t.status).toBe(415);
    expect(await snapshot(ctx())).toEqual(before);
  });

  it('still stores a good form, and the stored segment key stays well-formed', async () => {
    const r = await page('excellent=4&segment.region=North%20America&segment.plan=premium&_token=form-ok-0001');
    expect(r.status).toBe(303);
    const row = await ctx().db.selectFrom('responses').select('segment_key').where('org_id', '=', f.org.id).executeTakeFirstOrThrow();
    expect(row.segment_key).toBe('plan=premium;region=North America');
  });
});
