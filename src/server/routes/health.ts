// Health checks for load balancers and orchestrators: /healthz says the process is alive (no database
// touched, so a database outage does not get healthy processes restarted); /readyz says it can serve —
// the database answers and its schema is the one this code expects. Both public, cheap and uncached.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Store } from '../../store/db.ts';
import { pendingMigrations } from '../../store/migrations.ts';
import { databaseUnavailable } from '../../store/db-errors.ts';

export async function healthRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const config = { access: 'public' as const };
  app.get('/healthz', { config, schema: { hide: true } }, async (_req, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/readyz', { config, schema: { hide: true } }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await sql`select 1`.execute(store.db);
      const pending = await pendingMigrations(store.db);
      if (pending.length) return reply.code(503).header('retry-after', '10').send({ status: 'not ready', reason: `migrations not run: ${pending.join(', ')}` });
      return reply.send({ status: 'ready', engine: store.engine });
    } catch (err) {
      const why = databaseUnavailable(err)?.message ?? 'the database did not answer';
      return reply.code(503).header('retry-after', '2').send({ status: 'not ready', reason: why });
    }
  });
}
