// `parallax journey` and `parallax segments` on both engines (in process: the command functions, as main.ts
// registers them): show → set → show round trip with the changes named, a bad file refused naming the same
// fields the API names with nothing written, segments declared/listed/removed, and audit entries with the
// action and target of the API's writes.
import { it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { authHeaders } from '../../test/auth-fixture.ts';
import { storeResponses } from '../store/responses.ts';
import { getJourney } from '../store/organisations.ts';
import { getSegmentDeclarations } from '../store/segments.ts';
import { listAudit } from '../store/audit-log.ts';
import { DEFAULT_JOURNEY, type Stage } from '../core/journey.ts';
import { CliError } from './cli-common.ts';
import { journeySetCommand, journeyShowCommand, segmentsDeclareCommand, segmentsListCommand, segmentsRemoveCommand, segmentsSetCommand } from './setup-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'parallax-setup-cli-'));
let n = 0;
const file = (body: unknown) => {
  const p = join(dir, `f${++n}.json`);
  writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
  return p;
};

/** Runs a command with captured output; a CliError is returned with the lines printed before it. */
async function capture<T>(fn: (out: (l: string) => void, err: (l: string) => void) => Promise<T>) {
  const out: string[] = [];
  const err: string[] = [];
  try {
    return { r: await fn((l) => out.push(l), (l) => err.push(l)), out, err, e: undefined };
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    return { r: undefined, out, err, e };
  }
}

describeEngines('parallax journey / segments', (ctx) => {
  let f: OrgFixture;
  let app: FastifyInstance;
  let headers: Record<string, string>;
  const audit = async (action: string) => (await listAudit(ctx().db, f.org.id, { limit: 20, action })).entries;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    app = await makeApp(ctx());
    headers = await authHeaders(ctx(), f.org.id, 'admin');
    await storeResponses(
      ctx().db,
      Array.from({ length: 3 }, () => ({
        orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer' as const,
        submission: { respondentId: null, submittedAt: '2025-03-10T12:00:00.000Z', touchpoint: 'billing', segments: {}, answers: { excellent: 3 }, comment: null },
      })),
    );
  });
  afterAll(async () => app.close());

  it('shows the journey as a tree and as the JSON `set` takes back, and names what a set changes', async () => {
    const tree = await capture((out) => journeyShowCommand(ctx(), { org: f.org.id }, out));
    expect(tree.out.slice(0, 3)).toEqual(['Discover [discover]', '  ├─ Advertising & social [advertising] (Marketing)', '  └─ Website [website] (Digital)']);
    const json = await capture((out) => journeyShowCommand(ctx(), { org: f.org.id, json: true }, out));
    const body = JSON.parse(json.out.join('\n')) as { stages: Stage[] };
    expect(body.stages).toEqual(DEFAULT_JOURNEY);

    // Unchanged: said, and nothing written (no audit entry).
    const same = await capture((out, err) => journeySetCommand(ctx(), file(body), { org: f.org.id }, out, err));
    expect(same.out).toEqual(['no change', 'Nothing was written.']);

    // Rename one touchpoint, move one, change a department, drop billing (3 responses carry it), add one, rename a stage.
    const next: Stage[] = structuredClone(body.stages);
    const use = next.find((s) => s.key === 'use')!;
    use.touchpoints = use.touchpoints.filter((t) => t.key !== 'billing');
    use.touchpoints[0]!.label = 'Mobile app';
    next.find((s) => s.key === 'support')!.touchpoints.push({ key: 'chatbot', label: 'Chat bot', department: 'Support' });
    const welcome = next.find((s) => s.key === 'onboard')!.touchpoints.pop()!;
    next.find((s) => s.key === 'buy')!.touchpoints.push({ ...welcome, department: 'Onboarding' });
    next[0]!.label = 'Discovery';
    const dry = await capture((out, err) => journeySetCommand(ctx(), file({ stages: next }), { org: f.org.id, dryRun: true }, out, err));
    expect(dry.out).toEqual([
      'stage renamed: discover: "Discover" → "Discovery"',
      'touchpoint added: chatbot "Chat bot" (Support) in support',
      'touchpoint removed: billing "Billing" (Finance)',
      'touchpoint renamed: app: "App & product" → "Mobile app"',
      'touchpoint moved: welcome: onboard → buy',
      'touchpoint department: welcome: Customer Success → Onboarding',
      '  3 stored response(s) keep touchpoint billing; new answers can no longer choose it',
      'Dry run: nothing was written.',
    ]);
    expect(await getJourney(ctx().db, f.org.id)).toEqual(DEFAULT_JOURNEY);
    expect(await audit('journey.replace')).toEqual([]);

    // Like the API, removing a touchpoint that responses carry is not refused.
    const real = await capture((out, err) => journeySetCommand(ctx(), file({ stages: next }), { org: f.org.id }, out, err));
    expect(real.r?.written).toBe(true);
    expect(real.out.at(-1)).toBe(`Saved the journey of ${f.org.id}: 6 stages, 10 touchpoints.`);
    expect(await getJourney(ctx().db, f.org.id)).toEqual(next);
    const shown = await capture((out) => journeyShowCommand(ctx(), { org: f.org.id, json: true }, out));
    expect(JSON.parse(shown.out.join('\n'))).toEqual({ stages: next });

    // The API's own write of the journey records the same action and target.
    const put = await app.inject({ method: 'PUT', url: `/api/v1/organisations/${f.org.id}/journey`, headers, payload: { stages: DEFAULT_JOURNEY } });
    expect(put.statusCode).toBe(200);
    const entries = await audit('journey.replace');
    expect(entries.map((e) => [e.actor.kind, e.action, e.target])).toEqual([['user', 'journey.replace', '/journey'], ['cli', 'journey.replace', '/journey']]);
    expect(entries[1]!.details).toMatchObject({ via: 'cli', fields: ['stages'], added: 1, removed: 1 });
  });

  it('refuses a bad journey file naming the fields the API names, and writes nothing', async () => {
    const before = await getJourney(ctx().db, f.org.id);
    const bad = structuredClone(before) as any[];
    bad[1].touchpoints[0].key = 'website'; // duplicate of discover's
    bad[2].touchpoints[0].colour = 'red'; // unknown field
    bad[3].label = '';
    const payload = { stages: bad };
    const r = await capture((out, err) => journeySetCommand(ctx(), file(payload), { org: f.org.id }, out, err));
    expect(r.e?.message).toMatch(/; nothing was written$/);
    const api = await app.inject({ method: 'PUT', url: `/api/v1/organisations/${f.org.id}/journey`, headers, payload });
    expect(api.statusCode).toBe(400);
    const fields = (api.json().fields as { field: string; message: string }[]).map((x) => `${x.field}: ${x.message}`);
    expect(r.err.sort()).toEqual(fields.sort());
    expect(r.err.map((l) => l.split(':')[0]).sort()).toEqual(['stages.1.touchpoints.0.key', 'stages.2.touchpoints.0.colour', 'stages.3.label'].sort());
    // A file that is not JSON, and one without the body's `stages`.
    expect((await capture((o, e) => journeySetCommand(ctx(), file('{"stages": ['), { org: f.org.id }, o, e))).e?.message).toMatch(/not JSON/);
    expect((await capture((o, e) => journeySetCommand(ctx(), file(before), { org: f.org.id }, o, e))).e?.message).toMatch(/^(body|stages):/);
    expect(await getJourney(ctx().db, f.org.id)).toEqual(before);
    expect(await audit('journey.replace')).toHaveLength(2);
  });

  it('declares, lists, replaces and removes segments, as the API stores them', async () => {
    expect((await capture((out) => segmentsListCommand(ctx(), { org: f.org.id }, out))).out).toEqual(['no declared segments (parallax segments declare <key> --values a,b,c)']);
    const d1 = await capture((out, err) => segmentsDeclareCommand(ctx(), 'region', { org: f.org.id, values: 'EMEA=Europe & Africa, APAC', label: 'Region', public: true }, out, err));
    expect(d1.out).toEqual(['Declared segment region\tRegion\tpublic\tEMEA=Europe & Africa, APAC']);
    await capture((out, err) => segmentsDeclareCommand(ctx(), 'store', { org: f.org.id, maxLength: '40' }, out, err));
    expect(await getSegmentDeclarations(ctx().db, f.org.id)).toEqual([
      { key: 'region', label: 'Region', public: true, kind: 'values', values: [{ value: 'EMEA', label: 'Europe & Africa' }, { value: 'APAC', label: 'APAC' }] },
      { key: 'store', label: 'store', public: false, kind: 'text', maxLength: 40 },
    ]);
    // The same key again replaces it in place.
    const d2 = await capture((out, err) => segmentsDeclareCommand(ctx(), 'region', { org: f.org.id, values: 'EMEA,APAC,AMER' }, out, err));
    expect(d2.out[0]).toMatch(/^Replaced segment region\tregion\ttrusted only\tEMEA, APAC, AMER$/);
    const listed = await capture((out) => segmentsListCommand(ctx(), { org: f.org.id }, out));
    expect(listed.out).toEqual(['region\tregion\ttrusted only\tEMEA, APAC, AMER', 'store\tstore\ttrusted only\tfree text up to 40 characters']);
    // The API's GET gives what `segments list --json` prints.
    const json = await capture((out) => segmentsListCommand(ctx(), { org: f.org.id, json: true }, out));
    const get = await app.inject({ method: 'GET', url: `/api/v1/organisations/${f.org.id}/segments`, headers });
    expect(JSON.parse(json.out.join('\n'))).toEqual(get.json());

    // Bad declarations name the flag; nothing changes.
    const before = await getSegmentDeclarations(ctx().db, f.org.id);
    const bad = async (key: string, opts: Record<string, unknown>) => (await capture((o, e) => segmentsDeclareCommand(ctx(), key, { org: f.org.id, ...opts }, o, e))).e?.message;
    expect(await bad('plan', { values: 'a;b' })).toMatch(/^--values \(0\.value\): must not contain ; or =/);
    expect(await bad('plan', { values: 'a,a' })).toMatch(/^--values \(1\.value\): duplicate value "a"/);
    expect(await bad('plan', { maxLength: '200' })).toMatch(/^--max-length: /);
    expect(await bad('Plan Type', { values: 'a' })).toMatch(/^<key>: /);
    expect(await bad('plan', {})).toMatch(/--values .* or --max-length/);
    expect(await bad('plan', { values: 'a', maxLength: '3' })).toMatch(/--values .* or --max-length/);
    expect(await getSegmentDeclarations(ctx().db, f.org.id)).toEqual(before);

    // set: the API's PUT body from a file (dry run first); a bad one names the field.
    const body = { segments: [{ key: 'plan', label: 'Plan', public: false, kind: 'values', values: [{ value: 'pro', label: 'Pro' }] }, ...before] };
    const dry = await capture((o, e) => segmentsSetCommand(ctx(), file(body), { org: f.org.id, dryRun: true }, o, e));
    expect(dry.out).toEqual(['declare: plan\tPlan\ttrusted only\tpro=Pro', `replace: ${listed.out[0]}`, `replace: ${listed.out[1]}`, 'Dry run: nothing was written.']);
    expect(await getSegmentDeclarations(ctx().db, f.org.id)).toEqual(before);
    const badSet = await capture((o, e) => segmentsSetCommand(ctx(), file({ segments: [{ ...body.segments[0], kind: 'text' }] }), { org: f.org.id }, o, e));
    expect(badSet.e?.message).toMatch(/^segments\.0\.maxLength: .*nothing was written$/s);
    await capture((o, e) => segmentsSetCommand(ctx(), file(body), { org: f.org.id }, o, e));
    expect((await getSegmentDeclarations(ctx().db, f.org.id)).map((d) => d.key)).toEqual(['plan', 'region', 'store']);

    const rm = await capture((out, err) => segmentsRemoveCommand(ctx(), 'region', { org: f.org.id }, out, err));
    expect(rm.out).toEqual(['Removed segment region; stored responses keep their values.']);
    expect((await capture((o, e) => segmentsRemoveCommand(ctx(), 'region', { org: f.org.id }, o, e))).e?.message).toBe('<key>: no declared segment "region" (declared: plan, store)');
    expect((await getSegmentDeclarations(ctx().db, f.org.id)).map((d) => d.key)).toEqual(['plan', 'store']);

    // One entry per write, with the API's action and target (declare ×3, set, remove; not the refusals or the dry run).
    const entries = await audit('segments.replace');
    expect(entries.map((e) => [e.actor.kind, e.target])).toEqual(Array.from({ length: 5 }, () => ['cli', '/segments']));
    expect(entries.map((e) => e.details.declared ?? e.details.removed ?? e.details.count)).toEqual(['region', 3, 'region', 'store', 'region']);
    const put = await app.inject({ method: 'PUT', url: `/api/v1/organisations/${f.org.id}/segments`, headers, payload: { segments: [] } });
    expect(put.statusCode).toBe(200);
    expect((await audit('segments.replace'))[0]).toMatchObject({ action: 'segments.replace', target: '/segments' });
  });
});
