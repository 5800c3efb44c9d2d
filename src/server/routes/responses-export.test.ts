// The responses' CSV export on both engines with real telecom NPS verbatims that hold personal data
// (test/fixtures/nps-verbatims-telecom): an analyst's export and an admin's by default carry the redacted
// comments, an admin's with original=true (or `parallax export --original`) the comments as written, nobody
// else may ask for them, and the audit log records which was exported.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../../test/fixtures.ts';
import { authHeaders } from '../../../test/auth-fixture.ts';
import { cli } from '../../../test/cli.ts';
import { storeResponses } from '../../store/responses.ts';
import { writeTransaction } from '../../store/write-transaction.ts';

const TELECOM: string[][] = parse(readFileSync(join(import.meta.dirname, '../../../test/fixtures/nps-verbatims-telecom/verbatim.csv'), 'utf8'), { from_line: 2 });
const verbatim = (needle: string) => TELECOM.find((r) => r[4]!.includes(needle))![4]!;
// Four real verbatims, and what redaction leaves of them.
const CASES = [
  { text: verbatim('Carolyn.irwin@company.com'), redacted: 'Please refer to my complaint to CEO and to  [email]' },
  { text: verbatim('01736 810570'), redacted: '[phone] and you still owe me money!' },
  { text: verbatim('spoke to Brian in sales'), placeholder: 'spoke to [name] in sales' },
  { text: verbatim('online called Kate'), placeholder: 'online called [name] who was very helpful' },
];

describeEngines('GET /api/v1/organisations/:org/responses.csv and `parallax export`: redacted comments', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  const url = () => `/api/v1/organisations/${f.org.id}/responses.csv`;
  const comments = (csv: string): string[] => {
    const rows: Record<string, string>[] = parse(csv, { columns: true });
    return rows.map((r) => r.comment!).filter(Boolean).sort();
  };
  const originals = () => CASES.map((c) => c.text).sort();
  const audits = async () =>
    (await ctx().db.selectFrom('audit_log').select(['action', 'details']).where('org_id', '=', f.org.id).where('action', '=', 'responses.export').orderBy('at').execute())
      .map((a) => (typeof a.details === 'string' ? JSON.parse(a.details) : a.details));

  beforeAll(async () => {
    app = await makeApp(ctx());
    f = await makeOrg(ctx());
    await storeResponses(
      ctx().db,
      CASES.map((c, i) => ({
        orgId: f.org.id,
        surveyId: f.customerSurvey,
        perspective: 'customer' as const,
        submission: { respondentId: `t${i}`, submittedAt: `2025-03-1${i}T10:00:00.000Z`, touchpoint: 'billing', segments: {}, answers: { excellent: 2 }, comment: c.text },
      })),
    );
    const phone = await ctx().db.selectFrom('responses').select('id').where('org_id', '=', f.org.id).where('respondent_id', '=', 't1').executeTakeFirstOrThrow();
    // One as if stored before its reading was (no comment_analysis row): it must not come out unredacted.
    await writeTransaction(ctx().db, (tx) => tx.deleteFrom('comment_analysis').where('org_id', '=', f.org.id).where('response_id', '=', phone.id).execute());
  });
  afterAll(async () => {
    await app.close();
  });

  const expectRedacted = (got: string[]) => {
    expect(got).toHaveLength(4);
    expect(got).toContain(CASES[0]!.redacted);
    expect(got).toContain(CASES[1]!.redacted);
    expect(got.some((c) => c.includes(CASES[2]!.placeholder!))).toBe(true);
    expect(got.some((c) => c.includes(CASES[3]!.placeholder!))).toBe(true);
    expect(got.join('\n')).not.toMatch(/Carolyn|irwin|01736|810570|Brian|Kate/);
  };

  it("an analyst's export carries the redacted comments, and the analyst may not ask for the originals", async () => {
    const analyst = await authHeaders(ctx(), f.org.id, 'analyst');
    const r = await app.inject({ method: 'GET', url: url(), headers: analyst });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="${f.org.id}-responses.csv"`);
    expectRedacted(comments(r.body));
    const refused = await app.inject({ method: 'GET', url: `${url()}?original=true`, headers: analyst });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().fields).toEqual([{ field: 'original', message: 'admins only' }]);
    for (const role of ['viewer', 'owner'] as const) {
      const other = await app.inject({ method: 'GET', url: `${url()}?original=true`, headers: await authHeaders(ctx(), f.org.id, role) });
      expect(other.statusCode).toBe(403);
      expect(other.body).not.toMatch(/Carolyn/);
    }
    expect(Object.keys((await app.inject('/api/v1/openapi.json')).json().paths)).toContain('/api/v1/organisations/{org}/responses.csv');
    const bad = await app.inject({ method: 'GET', url: `${url()}?original=yes`, headers: analyst });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('original');
  });

  it("an admin's export is redacted too unless original=true, and the audit log says which", async () => {
    const admin = await authHeaders(ctx(), f.org.id, 'admin');
    const before = (await audits()).length;
    expectRedacted(comments((await app.inject({ method: 'GET', url: url(), headers: admin })).body));
    const r = await app.inject({ method: 'GET', url: `${url()}?original=true`, headers: admin });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="${f.org.id}-responses-original.csv"`);
    expect(comments(r.body)).toEqual(originals());
    const logged = (await audits()).slice(before);
    expect(logged.map((d) => d.query?.original ?? null)).toEqual([null, 'true']);
  });

  it('`parallax export` writes the redacted comments, and with --original the comments as written, audited', async () => {
    const plain = await cli(ctx().location, ['export', '--org', f.org.id]);
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
    expectRedacted(comments(plain.stdout));
    const original = await cli(ctx().location, ['export', '--org', f.org.id, '--original']);
    expect(original.code).toBe(0);
    expect(comments(original.stdout)).toEqual(originals());
    const logged = (await audits()).filter((d) => d.via === 'cli');
    expect(logged.map((d) => d.original)).toEqual([false, true]);
  }, 180_000);
});
