// Hole 6: a segment named `constructor` (or any Object.prototype name) was stored by the public route;
// then `parallax export` failed, `where=segment:constructor=x` answered 500 on gap, trend, drivers,
// verbatims and breakdowns, and the CLI crashed. Replayed against the real server with every such name
// sent to every route that takes names: reserved names are refused as names (one key schema,
// core/keys.ts) with a clear 4xx, never a 500; as VALUES they are plain data and work everywhere; and
// the CLI's import and export handle both.
import { it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEngines } from '../engines.ts';
import { cli } from '../cli.ts';
import type { OrgFixture } from '../fixtures.ts';
import { servedOrg, snapshot, json, form, type LiveServer } from './public-server.ts';

const NAMES = ['constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'tostring'];
const REPORTS = ['reports/gap', 'reports/trend', 'reports/drivers', 'reports/breakdown?by=touchpoint', 'verbatims'];

describeEngines('attack: Object.prototype names as segment, dimension, touchpoint and filter names', (ctx) => {
  let s: LiveServer;
  let f: OrgFixture;
  let auth: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'parallax-proto-'));
  beforeAll(async () => {
    let key: string;
    ({ f, key, s } = await servedOrg(ctx(), {
      segments: [
        { key: 'note', label: 'Note', public: true, kind: 'text', maxLength: 80 },
        { key: 'region', label: 'Region', public: true, kind: 'values', values: [{ value: 'EMEA', label: 'EMEA' }, { value: 'constructor', label: 'A value, not a name' }] },
      ],
      key: { name: 'admin', role: 'admin' },
    }));
    auth = { authorization: `Bearer ${key}` };
  });
  afterAll(async () => {
    await s.app.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const url = (path: string) => `${s.base}/api/v1/${path}`;
  const expect4xx = async (r: Response, what: string) => {
    expect(r.status, `${what}: ${r.status}`).toBeGreaterThanOrEqual(400);
    expect(r.status, `${what}: ${r.status}`).toBeLessThan(500);
    return r;
  };

  it('refuses them as names in responses and the survey form, and writes nothing', async () => {
    const before = await snapshot(ctx());
    for (const name of NAMES) {
      // A raw body, so that __proto__ really is a key on the wire.
      const raw = (obj: string) => fetch(url(`surveys/${f.customerSurvey}/responses`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: obj });
      await expect4xx(await raw(`{"answers":{"excellent":4},"segments":{"${name}":"x"}}`), `segment ${name}`);
      await expect4xx(await raw(`{"answers":{"excellent":4,"${name}":3}}`), `answer ${name}`);
      await expect4xx(await raw(`{"answers":{"excellent":4},"touchpoint":"${name}"}`), `touchpoint ${name}`);
      await expect4xx(await raw(`{"answers":{"excellent":4},"${name}":1}`), `field ${name}`);
      const page = await fetch(`${s.base}/s/${f.customerSurvey}`, form(`excellent=4&segment.${name}=x`));
      expect(page.status, `form segment.${name}`).toBe(422);
      expect(await page.text()).toContain(`segments.${name}`);
    }
    expect(await snapshot(ctx())).toEqual(before);
  });

  it('stores them as values, which every report, filter and breakdown then handles', async () => {
    for (const [i, name] of NAMES.entries()) {
      const r = await fetch(url(`surveys/${f.customerSurvey}/responses`), json({ answers: { excellent: 1 + (i % 5) }, touchpoint: 'app', segments: { note: name, region: i % 2 ? 'constructor' : 'EMEA' } }));
      expect(r.status, name).toBe(201);
    }
    for (const report of REPORTS) {
      const sep = report.includes('?') ? '&' : '?';
      for (const name of NAMES) {
        const asValue = await fetch(url(`organisations/${f.org.id}/${report}${sep}where=${encodeURIComponent(`segment:note=${name}`)}`), { headers: auth });
        expect(asValue.status, `${report} note=${name}`).toBe(200);
        const asName = await fetch(url(`organisations/${f.org.id}/${report}${sep}where=${encodeURIComponent(`segment:${name}=x`)}`), { headers: auth });
        await expect4xx(asName, `${report} segment:${name}`);
        expect((await asName.json()).fields[0].field).toBeTruthy();
        await expect4xx(await fetch(url(`organisations/${f.org.id}/${report}${sep}where=${encodeURIComponent(`${name}=x`)}`), { headers: auth }), `${report} ${name}=x`);
        for (const q of [`touchpoint=${encodeURIComponent(name)}`, `stage=${encodeURIComponent(name)}`]) {
          const r = await fetch(url(`organisations/${f.org.id}/${report}${sep}${q}`), { headers: auth });
          expect(r.status, `${report} ${q}`).toBeLessThan(500);
        }
      }
    }
    for (const name of NAMES) {
      await expect4xx(await fetch(url(`organisations/${f.org.id}/reports/breakdown?by=segment:${encodeURIComponent(name)}`), { headers: auth }), `breakdown by ${name}`);
      await expect4xx(await fetch(url(`organisations/${f.org.id}/reports/calibration?group=${encodeURIComponent(name)}`), { headers: auth }), `calibration group ${name}`);
    }
    expect((await fetch(url(`organisations/${f.org.id}/reports/breakdown?by=segment:note`), { headers: auth })).status).toBe(200);
    expect((await fetch(url(`organisations/${f.org.id}/filter-options`), { headers: auth })).status).toBe(200);
  });

  it('refuses them as keys of the framework, the journey and the declared segments', async () => {
    const put = (path: string, body: unknown) => fetch(url(`organisations/${f.org.id}/${path}`), { method: 'PUT', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) });
    const { dimensions } = await (await fetch(url(`organisations/${f.org.id}/framework`), { headers: auth })).json();
    const { stages } = await (await fetch(url(`organisations/${f.org.id}/journey`), { headers: auth })).json();
    for (const name of NAMES) {
      const d = await expect4xx(await put('framework', { dimensions: [{ ...dimensions[0], key: name }, ...dimensions.slice(1)] }), `dimension ${name}`);
      expect((await d.json()).fields[0].field).toBe('dimensions.0.key');
      await expect4xx(await put('journey', { stages: [{ ...stages[0], key: name }, ...stages.slice(1)] }), `stage ${name}`);
      const tps = [{ ...stages[0].touchpoints[0], key: name }, ...stages[0].touchpoints.slice(1)];
      await expect4xx(await put('journey', { stages: [{ ...stages[0], touchpoints: tps }, ...stages.slice(1)] }), `touchpoint ${name}`);
      await expect4xx(await put('segments', { segments: [{ key: name, label: 'x', public: true, kind: 'text', maxLength: 10 }] }), `segment key ${name}`);
    }
    // The framework and journey are unchanged.
    expect((await (await fetch(url(`organisations/${f.org.id}/framework`), { headers: auth })).json()).dimensions).toEqual(dimensions);
  });

  it('exports such values and refuses such names in an import, without a crash', async () => {
    const out = join(dir, 'export.csv');
    const exported = await cli(ctx().location, ['export', '--org', f.org.id, '--out', out]);
    expect(exported.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('segment:note');
    expect(text).toContain('constructor');
    // Re-importing our own export stores nothing new (the rows are known) and does not fail.
    const again = await cli(ctx().location, ['import', out, '--org', f.org.id]);
    expect(again.code, again.stderr).toBe(0);
    // The CLI's report filters: a reserved name is a one-line error, a reserved value a filter like any other.
    const report = await cli(ctx().location, ['report', '--json', '--org', f.org.id, '--where', 'segment:constructor=x']);
    expect(report.code).not.toBe(0);
    expect(report.stderr).toContain('constructor');
    expect(report.stderr).not.toMatch(/\n\s+at /);
    expect((await cli(ctx().location, ['report', '--json', '--org', f.org.id, '--where', 'segment:note=constructor'])).code).toBe(0);
    for (const name of ['constructor', 'prototype', 'toString']) {
      const bad = join(dir, `bad-${name}.csv`);
      writeFileSync(bad, `perspective,submitted_at,excellent,segment:${name}\ncustomer,2025-01-01T00:00:00Z,4,x\n`);
      const r = await cli(ctx().location, ['import', bad, '--org', f.org.id]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`segment:${name}`);
      expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    }
  });
});
