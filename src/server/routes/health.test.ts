// /healthz and /readyz on both engines: public, uncached, and /readyz not ready while a migration is missing.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../../../test/engines.ts';
import { makeApp } from '../../../test/fixtures.ts';

describeEngines('health checks', (ctx, engine) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await makeApp(ctx());
  });
  afterAll(async () => app?.close());

  it('healthz and readyz answer without a login', async () => {
    const live = await app.inject({ method: 'GET', url: '/healthz' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    expect(live.headers['cache-control']).toBe('no-store');
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', engine });
  });

  it('readyz is 503 while the database lacks a migration this code knows, 200 once it has it', async () => {
    const db = ctx().db as any;
    const row = await db.selectFrom('kysely_migration').selectAll().orderBy('name').limit(1).executeTakeFirstOrThrow();
    await db.deleteFrom('kysely_migration').where('name', '=', row.name).execute();
    try {
      const r = await app.inject({ method: 'GET', url: '/readyz' });
      expect(r.statusCode).toBe(503);
      expect(r.json().reason).toContain(row.name);
      expect(r.headers['retry-after']).toBe('10');
    } finally {
      await db.insertInto('kysely_migration').values(row).execute();
    }
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});
