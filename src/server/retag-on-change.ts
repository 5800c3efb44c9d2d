// Stored comment tags follow the set-up: after a successful PUT …/framework or …/journey, the organisation's
// readings are re-tagged in the background (store/comment-retag.ts, 500 rows per transaction, beside live
// traffic). One run per organisation at a time; a change during a run asks for one more after it. The server
// waits for running re-tags when it closes. A failed run is logged and left: `parallax text backfill --retag`
// finishes the job (a rerun only rewrites what is still stale).
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/db.ts';
import { retagCommentAnalysis } from '../store/comment-retag.ts';

const SET_UP_ROUTES = new Set(['/api/v1/organisations/:org/framework', '/api/v1/organisations/:org/journey']);

export interface Retagger {
  /** Starts (or queues one more) re-tag of `orgId`; resolves when the organisation has none left to run. */
  request(orgId: string): Promise<void>;
  /** Every run in flight. */
  settled(): Promise<void>;
}

export function retagger(store: Store, onError: (orgId: string, e: unknown) => void): Retagger {
  const running = new Map<string, { again: boolean; done: Promise<void> }>();
  const run = async (orgId: string): Promise<void> => {
    for (;;) {
      const state = running.get(orgId)!;
      state.again = false;
      try {
        await retagCommentAnalysis(store.db, orgId);
      } catch (e) {
        onError(orgId, e);
      }
      if (!state.again) break;
    }
    running.delete(orgId);
  };
  return {
    request(orgId) {
      const now = running.get(orgId);
      if (now) {
        now.again = true;
        return now.done;
      }
      const state = { again: false, done: Promise.resolve() };
      running.set(orgId, state);
      state.done = run(orgId);
      return state.done;
    },
    async settled() {
      await Promise.all([...running.values()].map((s) => s.done));
    },
  };
}

/** Adds the hooks to the root instance (before the routes), and returns the re-tagger for tests. */
export function retagOnSetUpChange(app: FastifyInstance, store: Store): Retagger {
  const r = retagger(store, (orgId, e) => app.log.error({ err: e, orgId }, 'background re-tag failed; run `parallax text backfill --retag`'));
  app.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'PUT' || reply.statusCode >= 300 || !SET_UP_ROUTES.has(req.routeOptions.url ?? '')) return;
    const orgId = (req.params as { org?: string }).org;
    if (orgId) void r.request(orgId);
  });
  app.addHook('onClose', async () => r.settled());
  app.decorate('retags', r);
  return r;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Background re-tags after set-up changes (server/retag-on-change.ts). */
    retags: Retagger;
  }
}
