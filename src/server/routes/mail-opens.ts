// The tracking image of campaign messages (issue 12): `GET /m/<token>/open.gif`, public, answers a 1×1
// transparent GIF whatever happens — a known token records its invitation's first open (store/campaigns.ts
// markOpened), an unknown or malformed one records nothing, and a database failure is logged, never shown:
// a broken image in someone's inbox would be worse than a missed count. No cookies are read or set, and
// `Cache-Control: no-store` asks mail proxies to fetch it each time (most still cache it, one more reason
// the count of opens is a lower bound).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Store } from '../../store/db.ts';
import { markOpened } from '../../store/campaigns.ts';

/** The smallest transparent 1×1 GIF (GIF89a, one palette entry, transparency extension): 42 bytes. */
export const OPEN_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

function sendGif(reply: FastifyReply) {
  return reply.code(200).header('content-type', 'image/gif').header('cache-control', 'no-store, private').header('content-length', OPEN_GIF.length).send(OPEN_GIF);
}

export async function mailOpenRoutes(app: FastifyInstance, store: Store): Promise<void> {
  // A wildcard rather than "/m/:token/open.gif": a path parameter over Fastify's 100 characters answers
  // 414, and this route answers nothing but the image.
  app.get<{ Params: { '*': string } }>('/m/*', async (req, reply) => {
    const token = /^([A-Za-z0-9_-]{1,100})\/open\.gif$/.exec(req.params['*'])?.[1];
    if (token) {
      try {
        await markOpened(store.db, token);
      } catch (err) {
        req.log.warn({ err }, 'recording a mail open failed');
      }
    }
    return sendGif(reply);
  });
}
