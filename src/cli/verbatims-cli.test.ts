// `parallax verbatims`: a search paged by the printed cursor, bad input named by its flag, on both engines
// (in process: the command's function, as main.ts registers it).
import { it, expect, beforeAll } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { storeResponses } from '../store/responses.ts';
import { bold, verbatimsCommand } from './verbatims-cli.ts';
import { CliError } from './cli-common.ts';

describeEngines('parallax verbatims', (ctx) => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    await storeResponses(
      ctx().db,
      Array.from({ length: 6 }, (_, i) => ({
        orgId: f.org.id, surveyId: f.customerSurvey, perspective: 'customer' as const,
        submission: { respondentId: null, submittedAt: '2025-03-10T12:00:00.000Z', touchpoint: 'app', segments: {}, answers: { excellent: 3 }, comment: i < 4 ? `The app crashed again\t(${i})` : `Fine ${i}` },
      })),
    );
  });

  it('prints the matching comments a page at a time, and the cursor of the next', async () => {
    const run = async (opts: Record<string, unknown>) => {
      const out: string[] = [];
      const err: string[] = [];
      await verbatimsCommand(ctx(), { org: f.org.id, ...opts }, (l) => out.push(l), (l) => err.push(l));
      return { out, err };
    };
    const first = await run({ q: '"app crashed"', limit: '3' });
    expect(first.out).toHaveLength(3);
    expect(first.out[0]).toMatch(/^customer\tsurvey\t2025-03\tapp\t\w+\tThe app crashed again \(\d\)$/);
    expect(first.err).toContain('3 of 4');
    const cursor = first.err.find((l) => l.startsWith('next page: --cursor '))!.split(' ').pop();
    const second = await run({ q: '"app crashed"', limit: '3', cursor });
    expect(second.out).toHaveLength(1);
    expect(second.err.some((l) => l.startsWith('next page'))).toBe(false);
    for (const [opts, flag] of [[{ q: '-crash' }, '--q'], [{ limit: '500' }, '--limit'], [{ q: 'app', cursor: 'nope' }, '--cursor']] as const)
      await expect(run(opts)).rejects.toThrow(new RegExp(`^${flag}`));
    await expect(run({ org: 'nobody' })).rejects.toBeInstanceOf(CliError);
    expect(bold({ comment: 'an app crash', highlights: [[3, 6]] })).toBe('an \x1b[1mapp\x1b[22m crash');
  });
});
