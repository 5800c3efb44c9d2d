// Background SLA escalation of follow-up cases (store/case-escalation.ts): every server looks for overdue
// cases every PARALLAX_CASE_ESCALATION_INTERVAL_MS (default 60000 ms; "off" to leave it to another server)
// and queues the escalation messages, which the mail runner sends. Several servers may all do it: each
// step of each case is claimed once.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { escalateDueCases } from '../store/case-escalation.ts';
import { backgroundLoop, intervalFromEnv, type BackgroundLoop } from './background-loop.ts';

export function escalationIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return intervalFromEnv(env, 'PARALLAX_CASE_ESCALATION_INTERVAL_MS', 60_000);
}

export function startCaseEscalation(db: Kysely<Database>, log: FastifyBaseLogger, intervalMs = escalationIntervalFromEnv(), now: () => Date = () => new Date()): BackgroundLoop {
  if (intervalMs === undefined) return { stop: async () => {} };
  return backgroundLoop(
    intervalMs,
    async () => {
      const n = await escalateDueCases(db, now());
      if (n > 0) log.info({ escalations: n }, 'case SLA escalations queued');
    },
    (err) => log.warn({ err }, 'case escalation round failed; will retry'),
  );
}
