// `parallax leader-links create` as a user runs it (the CLI program, test/cli.ts) on both engines: links printed
// once, usable once through the API; bad options a one-line error.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../test/engines.ts';
import { cli } from '../../test/cli.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { listLeaderLinks } from '../store/leader-links.ts';

describeEngines('parallax leader-links create', (ctx) => {
  let f: OrgFixture;
  let app: FastifyInstance;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    app = await makeApp(ctx());
  });
  afterAll(() => app.close());

  it('prints personal links that each take one leader response', async () => {
    const r = await cli(ctx().location, ['leader-links', 'create', '--org', f.org.id, '--count', '3', '--function', 'Sales']);
    expect(r.code).toBe(0);
    const paths = r.stdout.trim().split('\n');
    expect(paths).toHaveLength(3);
    for (const p of paths) expect(p).toMatch(new RegExp(`/s/${f.leaderSurvey}\\?t=pl_[A-Za-z0-9_-]+$`));
    expect((await listLeaderLinks(ctx().db, f.org.id)).map((l) => l.function)).toEqual(['Sales', 'Sales', 'Sales']);
    const token = new URL(paths[0]!, 'http://x').searchParams.get('t')!;
    const post = () =>
      app.inject({ method: 'POST', url: `/api/v1/surveys/${f.leaderSurvey}/responses?t=${token}`, payload: { answers: { excellent: 4, 'predict:excellent_share': 40 } } });
    expect((await post()).statusCode).toBe(201);
    expect((await post()).statusCode).toBe(403);
  });

  it('refuses a bad count in one line', async () => {
    const r = await cli(ctx().location, ['leader-links', 'create', '--org', f.org.id, '--count', '0']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--count');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
