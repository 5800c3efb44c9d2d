// GET /widget.js: the embeddable survey snippet (src/server/widget/widget.js) that customer web sites load
// to show the customer survey in an iframe. The snippet is plain JavaScript served exactly as written — no
// build step, so what a site's security review reads is what runs, and it is small enough unminified.
//
// How the pieces fit: the snippet frames /s/:id?widget=<host origin>; the survey page (survey-pages.ts)
// allows framing (http-headers.ts, allowFramingBy) only when that origin is one the organisation declared
// (PATCH /api/v1/organisations/:org {widgetOrigins}, widget/origins.ts), and only by that origin; every
// other page keeps frame-ancestors 'none'. The page posts its height to that origin alone (survey-page.ts);
// the snippet accepts it only from this server's origin and its own frame.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';

export const WIDGET_SOURCE = resolve(import.meta.dirname, '../widget/widget.js');

export async function widgetRoutes(app: FastifyInstance): Promise<void> {
  const source = readFileSync(WIDGET_SOURCE);
  const etag = `"${createHash('sha256').update(source).digest('base64url').slice(0, 22)}"`;
  app.get('/widget.js', { schema: { hide: true } }, async (req, reply) => {
    reply
      // Sites paste one fixed URL, so it cannot be content-hashed and cached for a year: a day, then a
      // cheap revalidation by ETag (a 304) — a fix reaches every site within a day.
      .header('cache-control', 'public, max-age=86400')
      .header('etag', etag)
      // Loaded by other origins' <script src>: helmet's default (same-origin) would block it.
      .header('cross-origin-resource-policy', 'cross-origin');
    const match = req.headers['if-none-match'];
    if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(source);
  });
}
