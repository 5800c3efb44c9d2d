// Hole 9: PostgreSQL answered 500 to NUL bytes in a comment, a segment, a respondent id, the survey id
// in the path, the login e-mail and the verbatim search (SQLite stored them). Replayed against the real
// server on both engines: NUL, other control characters (but tab and line breaks in free text) and lone
// surrogates are refused as 400 naming the field — by one guard over every route's path, query, headers
// and body (src/server/text-guard.ts) and by the schemas an import goes through — and nothing is written.
import { it, expect, beforeAll, afterAll } from 'vitest';
import { describeEngines } from '../engines.ts';
import type { OrgFixture } from '../fixtures.ts';
import { servedOrg, snapshot, json, form, type LiveServer } from './public-server.ts';
import { parseRow } from '../../src/core/canonical-csv.ts';
import { customerSurvey, leaderSurvey } from '../../src/core/survey.ts';
import { DEFAULT_FRAMEWORK } from '../../src/core/framework.ts';
import { DEFAULT_JOURNEY } from '../../src/core/journey.ts';

const BAD = ['a\u0000b', '\u0000', 'x\u0007y', 'lone \ud800 surrogate', 'esc\u001b[31m'];
// A lone surrogate has no UTF-8 form, so it cannot be percent-encoded into a URL or a form body.
const IN_URLS = BAD.filter((b) => !/\p{Surrogate}/u.test(b));

describeEngines('attack: NUL bytes and invalid text', (ctx) => {
  let s: LiveServer;
  let f: OrgFixture;
  let auth: Record<string, string>;
  beforeAll(async () => {
    let key: string;
    ({ f, key, s } = await servedOrg(ctx(), { segments: [{ key: 'region', label: 'Region', public: true, kind: 'text', maxLength: 80 }], key: { name: 'k', role: 'admin' } }));
    auth = { authorization: `Bearer ${key}` };
  });
  afterAll(async () => {
    await s.app.close();
  });
  const field400 = async (r: Response, field: string) => {
    expect(r.status, field).toBe(400);
    const body = await r.json();
    expect(body.fields[0].field).toBe(field);
    expect(body.message).toContain(field);
  };

  it('refuses them in every field of a response, the form, and the path, writing nothing', async () => {
    const before = await snapshot(ctx());
    const post = (body: unknown) => fetch(`${s.base}/api/v1/surveys/${f.customerSurvey}/responses`, json(body));
    for (const bad of BAD) {
      await field400(await post({ answers: { excellent: 4 }, comment: bad }), 'comment');
      await field400(await post({ answers: { excellent: 4 }, segments: { region: bad } }), 'segments.region');
      await field400(await post({ answers: { excellent: 4 }, respondentId: bad }), 'respondentId');
      await field400(await post({ answers: { excellent: 4 }, touchpoint: bad }), 'touchpoint');
    }
    for (const bad of IN_URLS) {
      const page = await fetch(`${s.base}/s/${f.customerSurvey}`, form(`excellent=4&comment=${encodeURIComponent(bad)}`));
      expect(page.status).toBe(400);
    }
    await field400(await fetch(`${s.base}/api/v1/surveys/${encodeURIComponent('ab\u0000c')}/responses`, json({ answers: { excellent: 4 } })), 'id');
    expect((await fetch(`${s.base}/s/${encodeURIComponent('ab\u0000c')}`)).status).toBe(400);
    // An organisation route: refused before the access check's first query.
    await field400(await fetch(`${s.base}/api/v1/organisations/${encodeURIComponent('x\u0000')}/reports/gap`, { headers: auth }), 'org');
    expect(await snapshot(ctx())).toEqual(before);
  });

  it('refuses them in the login e-mail and the verbatim search', async () => {
    for (const bad of BAD) await field400(await fetch(`${s.base}/api/v1/auth/login`, json({ email: `a${bad}@example.com`, password: 'correct horse battery' })), 'email');
    for (const bad of IN_URLS) {
      await field400(await fetch(`${s.base}/api/v1/organisations/${f.org.id}/verbatims?q=${encodeURIComponent(bad)}`, { headers: auth }), 'q');
      await field400(await fetch(`${s.base}/api/v1/organisations/${f.org.id}/reports/gap?where=${encodeURIComponent(`segment:region=${bad}`)}`, { headers: auth }), 'where');
    }
  });

  it('accepts tab and line breaks in free text, and any other Unicode', async () => {
    const r = await fetch(`${s.base}/api/v1/surveys/${f.customerSurvey}/responses`, json({ answers: { excellent: 4 }, comment: 'line one\r\nline\ttwo — 😀 ünïcödé', segments: { region: 'Zürich' } }));
    expect(r.status).toBe(201);
  });

  it('refuses them in an import row, naming the column', () => {
    const surveys = { customer: customerSurvey('X', DEFAULT_FRAMEWORK, DEFAULT_JOURNEY), leader: leaderSurvey('X', DEFAULT_FRAMEWORK) };
    const rules = { origin: 'trusted' as const, segments: [{ key: 'region', label: 'Region', public: true, kind: 'text' as const, maxLength: 80 }] };
    for (const [column, value] of [['comment', 'a\u0000b'], ['respondent_id', 'r\u0000'], ['segment:region', 'E\u0000']]) {
      const r = parseRow({ perspective: 'customer', submitted_at: '2025-01-01T00:00:00Z', excellent: '4', [column]: value }, 3, surveys, rules);
      expect(r).toMatchObject({ ok: false, errors: [{ row: 3, column }] });
    }
  });
});
