// Background queuing of the weekly digest (store/digests.ts): every server checks every
// PARALLAX_DIGEST_INTERVAL_MS (default 300000 ms, five minutes; "off" to leave it to another server)
// whether an organisation's digest moment (weekday and hour UTC, default Monday 07:00) has come, and
// queues one digest per opted-in member; the mail runner sends them. Several servers may all check: the
// digests table's unique key (organisation, member, week) lets each week's digest be queued once.
// After queuing, opt-out links older than DIGEST_OPT_OUT_TOKEN_DAYS or of departed members are deleted.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { enqueueDueDigests, pruneDigestOptOutTokens } from '../store/digests.ts';
import { backgroundLoop, intervalFromEnv, type BackgroundLoop } from './background-loop.ts';

export function digestIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return intervalFromEnv(env, 'PARALLAX_DIGEST_INTERVAL_MS', 300_000);
}

export function startDigestScheduler(db: Kysely<Database>, log: FastifyBaseLogger, intervalMs = digestIntervalFromEnv(), now: () => Date = () => new Date()): BackgroundLoop {
  if (intervalMs === undefined) return { stop: async () => {} };
  return backgroundLoop(
    intervalMs,
    async () => {
      const n = await enqueueDueDigests(db, now());
      if (n > 0) {
        log.info({ digests: n }, 'weekly digests queued');
        // Once per digest moment rather than every round: the prune reads the whole token table.
        const pruned = await pruneDigestOptOutTokens(db, now());
        if (pruned > 0) log.info({ pruned }, 'old digest opt-out links deleted');
      }
    },
    (err) => log.warn({ err }, 'digest round failed; will retry'),
  );
}
