// Serves the dashboard (built by Vite into dist/web) at /, falling back to index.html for app routes.
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { Store } from '../../store/db.ts';
import { messagePage } from '../pages/survey-page.ts';
import { errorBody } from '../errors.ts';

export const WEB_DIST = resolve(import.meta.dirname, '../../../dist/web');

/** A file under dist/web/assets/ (content-hashed by Vite). */
const isHashedAsset = (path: string) => path.startsWith(join(WEB_DIST, 'assets') + sep);

export async function webRoutes(app: FastifyInstance, _store: Store): Promise<void> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    app.get('/', async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(messagePage('Parallax', 'The dashboard is not built yet: run `npm run build:web`. The API is at /api/v1 and the OpenAPI document at /api/v1/openapi.json.')),
    );
    app.setNotFoundHandler((req, reply) => reply.code(404).send(errorBody(404, `no route ${req.method} ${req.url.split('?')[0]}`)));
    return;
  }
  await app.register(fastifyStatic, {
    root: WEB_DIST,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    // Vite names every file under /assets/ by its content hash: a changed file is a new URL, so browsers
    // may keep them for a year without asking. index.html names the current ones: always revalidated.
    cacheControl: false,
    setHeaders: (reply, path) => {
      (reply as unknown as FastifyReply).header('cache-control', isHashedAsset(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/s/') && (req.headers.accept ?? '').includes('text/html'))
      return reply.sendFile('index.html');
    return reply.code(404).send(errorBody(404, `no route ${req.method} ${req.url.split('?')[0]}`));
  });
}
