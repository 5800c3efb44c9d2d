// Background folding: a server folds what is queued without any report asking, and stops with the app.
import { expect, it } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, NO_RATE_LIMITS } from '../../test/fixtures.ts';
import { expectSame, recompute, stored } from '../../test/aggregates.ts';
import { buildApp } from './app.ts';
import { foldIntervalFromEnv } from './folding.ts';

describeEngines('background folding', (ctx) => {
  it('empties the queue on its own, every response folded once', async () => {
    const f = await makeOrg(ctx());
    const app = await buildApp({ store: ctx(), rateLimits: NO_RATE_LIMITS, foldIntervalMs: 20 });
    const queued = async () =>
      Number((await ctx().db.selectFrom('fold_queue').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', f.org.id).executeTakeFirst())?.n ?? 0);
    try {
      const posts = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses`, payload: { answers: { excellent: 1 + (i % 5), nps: i % 11 } } }),
        ),
      );
      expect(posts.map((p) => p.statusCode)).toEqual(Array(12).fill(201));
      // No report reads here: only the background loop can empty the queue (bounded wait, not a timing claim).
      for (let i = 0; i < 250 && (await queued()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await queued()).toBe(0);
      const cells = await ctx().db.selectFrom('answer_cells').select('count').where('org_id', '=', f.org.id).where('item', '=', '*').execute();
      expect(cells.reduce((s, c) => s + Number(c.count), 0)).toBe(12);
      expectSame(await stored(ctx(), f.org.id), await recompute(ctx(), f.org.id));
    } finally {
      await app.close();
    }
  });
});

it('reads PARALLAX_FOLD_INTERVAL_MS: default 1000, "off", or refuses nonsense', () => {
  expect(foldIntervalFromEnv({})).toBe(1000);
  expect(foldIntervalFromEnv({ PARALLAX_FOLD_INTERVAL_MS: 'off' })).toBeUndefined();
  expect(foldIntervalFromEnv({ PARALLAX_FOLD_INTERVAL_MS: '250' })).toBe(250);
  expect(() => foldIntervalFromEnv({ PARALLAX_FOLD_INTERVAL_MS: 'soon' })).toThrow(/PARALLAX_FOLD_INTERVAL_MS/);
});
