// POST …/feedback/import on both engines (issue 9): the Skytrax fixtures (test/fixtures/feedback/SOURCE.md) sent
// raw (text/csv, application/x-ndjson) and as base64 JSON; a dry run answers what would be stored and writes
// nothing; a second import stores nothing again; a bad format is a 400 naming `format`, bad rows a 422 naming
// row and column (nothing written) or, in a dry run, the problems listed; skipInvalid stores the valid rows;
// analysts are refused; each import leaves an audit entry with its counts.
import { readFileSync } from 'node:fs';
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { type OrgFixture } from '../../../test/fixtures.ts';
import { adminApp, authHeaders } from '../../../test/auth-fixture.ts';

const SEATS = readFileSync(new URL('../../../test/fixtures/feedback/skytrax-seat-reviews.csv', import.meta.url));
const LOUNGES = readFileSync(new URL('../../../test/fixtures/feedback/skytrax-lounge-reviews.jsonl', import.meta.url));

describeEngines('feedback file import API', (ctx) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  let seats = '';
  let lounges = '';
  const url = (q: string) => `/api/v1/organisations/${f.org.id}/feedback/import?${q}`;
  const raw = (q: string, type: string, payload: Buffer | string, headers = admin) => app.inject({ method: 'POST', url: url(q), headers: { ...headers, 'content-type': type }, payload });
  const json = (q: string, payload: object) => app.inject({ method: 'POST', url: url(q), headers: admin, payload });
  const count = async (source: string) =>
    Number((await ctx().db.selectFrom('feedback_items').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', f.org.id).where('source_id', '=', source).executeTakeFirst())?.n ?? 0);

  beforeAll(async () => {
    ({ app, f, admin } = await adminApp(ctx()));
    const make = async (name: string) => (await app.inject({ method: 'POST', url: `/api/v1/organisations/${f.org.id}/feedback-sources`, headers: admin, payload: { name, channel: 'review' } })).json().id as string;
    seats = await make('Skytrax seats');
    lounges = await make('Skytrax lounges');
  });
  afterAll(() => app.close());

  it('dry-runs the CSV fixture (writes nothing), imports it once, and a second import stores nothing', async () => {
    const dry = await raw(`source=${seats}&dryRun=true`, 'text/csv', SEATS);
    expect(dry.statusCode, dry.body).toBe(200);
    const d = dry.json();
    expect(d).toMatchObject({ dryRun: true, format: 'csv', rows: 30, validRows: 30, invalidRows: 0, created: 30, duplicates: 0, problems: [], problemCount: 0 });
    // Every seat review carries a rating and no touchpoint.
    expect(d.counts.rated).toBe(30);
    expect(d.counts.touchpoints).toEqual({ '': 30 });
    expect(Object.values(d.counts.months as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(30);
    expect(await count(seats)).toBe(0);

    const first = await json(`source=${seats}`, { file: SEATS.toString('base64') });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ dryRun: false, rows: 30, created: 30, duplicates: 0 });
    expect(await count(seats)).toBe(30);
    const again = await raw(`source=${seats}`, 'text/csv', SEATS);
    expect(again.json()).toMatchObject({ created: 0, duplicates: 30 });
    expect((await raw(`source=${seats}&dryRun=true`, 'text/csv', SEATS)).json()).toMatchObject({ created: 0, duplicates: 30 });
    expect(await count(seats)).toBe(30);

    const audit = await ctx().db.selectFrom('audit_log').select(['action', 'target', 'details']).where('org_id', '=', f.org.id).where('action', 'like', 'feedback.import%').orderBy('at').execute();
    expect(audit.map((a) => a.action)).toEqual(['feedback.import-preview', 'feedback.import', 'feedback.import', 'feedback.import-preview']);
    expect(audit[1]!.target).toBe(`feedback-sources/${seats}`);
    expect(JSON.parse(audit[1]!.details as unknown as string)).toMatchObject({ via: 'api', rows: 30, created: 30 });
  });

  it('imports JSON Lines sent raw, the format taken from the Content-Type', async () => {
    const r = await raw(`source=${lounges}`, 'application/x-ndjson', LOUNGES);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ format: 'jsonl', rows: 30, created: 30, duplicates: 0 });
    expect(await count(lounges)).toBe(30);
  });

  it('refuses a bad format, an unknown source, an unknown column and an empty file with a 400 naming the field', async () => {
    const format = await raw(`source=${seats}&format=xlsx`, 'text/csv', SEATS);
    expect(format.statusCode).toBe(400);
    expect(format.json().fields.map((x: { field: string }) => x.field)).toEqual(['format']);
    const source = await raw('source=fsrc_nope', 'text/csv', SEATS);
    expect(source.statusCode).toBe(400);
    expect(source.json().fields[0].field).toBe('source');
    const column = await raw(`source=${seats}`, 'text/csv', 'text,stars\nFine,4\n');
    expect(column.statusCode).toBe(400);
    expect(column.json().fields[0]).toMatchObject({ field: 'file', message: expect.stringMatching(/^unknown column\(s\): stars/) });
    const notBase64 = await json(`source=${seats}`, { file: 'not base64!' });
    expect([notBase64.statusCode, notBase64.json().fields[0].field]).toEqual([400, 'file']);
    const latin1 = await raw(`source=${seats}`, 'application/octet-stream', Buffer.from([0x74, 0x65, 0x78, 0x74, 0x0a, 0xe9, 0x74, 0xe9, 0x0a]));
    expect([latin1.statusCode, latin1.json().fields[0].field]).toEqual([400, 'file']);
    expect(await count(seats)).toBe(30);
  });

  it('bad rows: 422 naming row and column with nothing written; a dry run lists them; skipInvalid stores the rest', async () => {
    const bad = 'external_id,text,rating,rating_min,rating_max,touchpoint\nb1,Fine,4,1,5,billing\nb2,Bad,7,1,5,billing\nb3,,3,1,5,billing\nb4,Odd,3,1,5,moon\n';
    const before = await count(seats);
    const r = await raw(`source=${seats}`, 'text/csv', bad);
    expect(r.statusCode).toBe(422);
    expect(r.json().fields).toEqual([
      { field: 'row 2, column rating', message: 'must be between min (1) and max (5)' },
      { field: 'row 3, column text', message: 'is required' },
      { field: 'row 4, column touchpoint', message: '"moon" is not a touchpoint of the journey' },
    ]);
    expect(await count(seats)).toBe(before);

    const dry = (await raw(`source=${seats}&dryRun=true`, 'text/csv', bad)).json();
    expect(dry).toMatchObject({ rows: 4, validRows: 1, invalidRows: 3, created: 1, duplicates: 0, problemCount: 3, counts: { touchpoints: { billing: 1 } } });
    expect(dry.problems[0]).toEqual({ row: 2, column: 'rating', reason: 'must be between min (1) and max (5)' });
    expect(await count(seats)).toBe(before);

    const skip = await raw(`source=${seats}&skipInvalid=true`, 'text/csv', bad);
    expect(skip.statusCode, skip.body).toBe(200);
    expect(skip.json()).toMatchObject({ rows: 4, validRows: 1, invalidRows: 3, created: 1, problemCount: 3 });
    expect(await count(seats)).toBe(before + 1);

    // A JSON Lines file with a line that is not JSON is refused by line.
    const lines = await raw(`source=${lounges}&dryRun=true`, 'application/x-ndjson', '{"text":"ok"}\nnot json\n');
    expect(lines.statusCode).toBe(422);
    expect(lines.json().fields).toEqual([{ field: 'row 2, column (line)', message: 'is not JSON' }]);
  });

  it('is in the OpenAPI document with its query, body and answer', async () => {
    const doc = (await app.inject('/api/v1/openapi.json')).json();
    const op = doc.paths['/api/v1/organisations/{org}/feedback/import'].post;
    const params = Object.fromEntries(op.parameters.map((p: { name: string; schema: unknown }) => [p.name, p.schema]));
    expect(params.format).toMatchObject({ enum: ['csv', 'jsonl'] });
    expect(Object.keys(params).sort()).toEqual(['dryRun', 'format', 'org', 'skipInvalid', 'source']);
    expect(Object.keys(op.responses['200'].content['application/json'].schema.properties)).toEqual(expect.arrayContaining(['created', 'duplicates', 'problems', 'problemCount']));
  });

  it('is for admins: an analyst is refused and nothing is written', async () => {
    const analyst = await authHeaders(ctx(), f.org.id, 'analyst');
    const r = await raw(`source=${lounges}`, 'text/csv', 'text\nHello\n', analyst);
    expect(r.statusCode).toBe(403);
    expect(await count(lounges)).toBe(30);
  });
});
