// `parallax feedback import` on both engines (in process: the command's function, as main.ts registers it):
// the Skytrax fixtures (test/fixtures/feedback/SOURCE.md) as CSV and JSON Lines, a dry run that writes nothing,
// a second import that stores nothing again, and a bad file refused whole with `row N, column C: reason`.
import { it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { createFeedbackSource } from '../store/feedback-sources.ts';
import { feedbackImportCommand } from './feedback-cli.ts';
import { CliError } from './cli-common.ts';
import { listVerbatims } from '../reports/verbatims.ts';
import { verbatimsCommand } from './verbatims-cli.ts';

const FIXTURES = new URL('../../test/fixtures/feedback/', import.meta.url).pathname;

describeEngines('parallax feedback import', (ctx) => {
  let f: OrgFixture;
  let seats: string;
  let lounges: string;
  const count = async (source: string) =>
    Number((await ctx().db.selectFrom('feedback_items').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', f.org.id).where('source_id', '=', source).executeTakeFirst())?.n ?? 0);
  const run = async (file: string, opts: Record<string, unknown>) => {
    const out: string[] = [];
    const err: string[] = [];
    try {
      const r = await feedbackImportCommand(ctx(), file, { org: f.org.id, ...opts }, (l) => out.push(l), (l) => err.push(l));
      return { r, out, err };
    } catch (e) {
      return { e, out, err };
    }
  };
  beforeAll(async () => {
    f = await makeOrg(ctx());
    seats = (await createFeedbackSource(ctx().db, f.org.id, 'Skytrax seats', 'review')).id;
    lounges = (await createFeedbackSource(ctx().db, f.org.id, 'Skytrax lounges', 'review')).id;
  });

  it('imports the CSV fixture (a dry run first), once', async () => {
    const dry = await run(join(FIXTURES, 'skytrax-seat-reviews.csv'), { source: seats, dryRun: true });
    expect(dry.r).toEqual({ rows: 30, created: 30, duplicates: 0, dryRun: true });
    expect(await count(seats)).toBe(0);
    const real = await run(join(FIXTURES, 'skytrax-seat-reviews.csv'), { source: seats });
    expect(real.r).toEqual({ rows: 30, created: 30, duplicates: 0, dryRun: false });
    expect(real.out[0]).toMatch(/^Stored 30 of 30 items \(csv\)/);
    const again = await run(join(FIXTURES, 'skytrax-seat-reviews.csv'), { source: seats });
    expect(again.r).toMatchObject({ created: 0, duplicates: 30 });
    expect(await count(seats)).toBe(30);
    // "10.0" on 1–10 → 1; the first review of the file.
    const first = await ctx().db.selectFrom('feedback_items').selectAll().where('org_id', '=', f.org.id).where('external_id', '=', 'seat-aegean-airlines-1').executeTakeFirstOrThrow();
    expect([Number(first.rating_value), Number(first.rating), first.occurred_at, first.author_ref]).toEqual([10, 1, '2015-07-20T00:00:00.000Z', 'Jay Simpson']);
  });

  it('imports the JSON Lines fixture, each item with its own scale, and lists it in the verbatims', async () => {
    const r = await run(join(FIXTURES, 'skytrax-lounge-reviews.jsonl'), { source: lounges });
    expect(r.r).toEqual({ rows: 30, created: 30, duplicates: 0, dryRun: false });
    const maxima = await ctx().db.selectFrom('feedback_items').select('rating_max').distinct().where('org_id', '=', f.org.id).where('source_id', '=', lounges).execute();
    expect(maxima.map((m) => Number(m.rating_max)).sort((a, b) => a - b)).toEqual([5, 10]);
    const page = await listVerbatims(ctx().db, f.org.id, f.org.minResponses, { filters: {}, limit: 100 });
    expect(page.total).toBe(60);
    expect(new Set(page.items.map((v) => v.source))).toEqual(new Set(['Skytrax seats', 'Skytrax lounges']));
    expect(JSON.stringify(page)).not.toContain('Jay Simpson');
    // `parallax verbatims --channel review` lists them with their channel and source, and no survey comment.
    const lines: string[] = [];
    await verbatimsCommand(ctx(), { org: f.org.id, channel: 'review', limit: '100' }, (l) => lines.push(l), () => {});
    expect(lines).toHaveLength(60);
    expect(new Set(lines.map((l) => l.split('\t')[1]))).toEqual(new Set(['review:Skytrax seats', 'review:Skytrax lounges']));
    await expect(verbatimsCommand(ctx(), { org: f.org.id, channel: 'fax' }, () => {}, () => {})).rejects.toThrow(/^--channel/);
  });

  it('refuses a bad file whole, naming row and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'px-feedback-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'external_id,text,rating,rating_min,rating_max,touchpoint\nb1,Fine,4,1,5,billing\nb2,Bad,7,1,5,billing\nb3,,3,1,5,billing\nb4,Odd,3,1,5,moon\n');
    const r = await run(bad, { source: seats });
    expect(r.e).toBeInstanceOf(CliError);
    expect((r.e as Error).message).toBe('3 invalid row(s); nothing was imported');
    expect(r.err).toEqual(['row 2, column rating: must be between min (1) and max (5)', 'row 3, column text: is required', 'row 4, column touchpoint: "moon" is not a touchpoint of the journey']);
    const unknownColumn = join(dir, 'cols.csv');
    writeFileSync(unknownColumn, 'text,stars\nFine,4\n');
    expect(((await run(unknownColumn, { source: seats })).e as Error).message).toMatch(/^unknown column\(s\): stars/);
    const jsonl = join(dir, 'bad.jsonl');
    writeFileSync(jsonl, '{"text":"ok"}\n{"text":"x","rating":{"value":1,"min":2,"max":1}}\nnot json\n');
    expect((await run(jsonl, { source: seats })).err).toEqual(['row 3, column (line): is not JSON']);
    expect((await run(join(FIXTURES, 'skytrax-seat-reviews.csv'), { source: 'fsrc_nope' })).e).toBeInstanceOf(CliError);
    expect(await count(seats)).toBe(30);
  });
});
