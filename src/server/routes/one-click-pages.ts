// What the public one-click links in mail share — the campaign unsubscribe (/u/:token, unsubscribe.ts)
// and the digest opt-out (/digest-off/:token, digest-opt-out.ts): a scope that accepts the one-click POST
// of RFC 8058, the page with the single button that GET shows, and how those pages are sent.
// GET never acts by itself: mail security scanners open every link in a message.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { html } from '../pages/html.ts';
import { page } from '../pages/survey-page.ts';

/** A page of ours, never cached, that may only post back to this server. */
export function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    .send(body);
}

/**
 * Registers `routes` in a scope of their own whose POSTs may carry any small body: a one-click POST sends
 * "List-Unsubscribe=One-Click" as a form, which is not needed; up to 4 KB is read and ignored, here only.
 */
export async function oneClickScope(app: FastifyInstance, routes: (scope: FastifyInstance) => void | Promise<void>): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 4096 }, (_req, _body, done) => done(null, undefined));
    await routes(scope);
  });
}

/** The GET page: a heading, one question and the one button that posts to `action`. */
export function confirmPage(o: { title: string; question: string; action: string; button: string }): string {
  return page(
    o.title,
    html`<main style="padding-top:3rem" aria-labelledby="page-title"><div class="field"><h1 id="page-title">${o.title}</h1>
<p>${o.question}</p>
<form method="post" action="${o.action}"><button type="submit" style="font:inherit;padding:.6rem 1.2rem">${o.button}</button></form></div></main>`,
  );
}
