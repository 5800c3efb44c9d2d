// Response headers for every route: security headers (helmet, plus our own Content-Security-Policy) and
// compression. Registered before any route so that no route — whoever adds it — goes without them.
//
// The policy: scripts only from this origin, plus the survey page's own inline script, allowed by its
// SHA-256 hash (computed from each HTML response, so an edit to that script cannot break the page or
// widen the policy); styles from this origin and inline (the survey page's <style>, style attributes in
// React); images from this origin and data: URIs (the favicon); no plugins, no <base>, forms post only
// here; and no framing (frame-ancestors 'none' + X-Frame-Options DENY), except the survey pages in widget
// mode, which a route lets one declared origin frame (allowFramingBy; routes/widget.ts explains).
// Non-HTML responses (JSON, the QR SVG, assets) get "default-src 'none'": opened directly, they run nothing.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import helmet from '@fastify/helmet';
import compress from '@fastify/compress';

const HTML_DIRECTIVES = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
];
export const OTHER_POLICY = "default-src 'none'; frame-ancestors 'none'";

const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script\s*>/gi;

/**
 * The CSP of an HTML document: its inline scripts (if any) allowed by hash, nothing else inline; framed by
 * nobody, or by `framer` alone (an origin already checked by server/widget/origins.ts).
 */
export function htmlPolicy(html: string | null, framer?: string): string {
  const hashes = new Set<string>();
  if (html) for (const m of html.matchAll(INLINE_SCRIPT)) hashes.add(`'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
  return [...HTML_DIRECTIVES, `frame-ancestors ${framer ?? "'none'"}`, `script-src 'self'${[...hashes].map((h) => ` ${h}`).join('')}`].join('; ');
}

// Responses a route lets one origin frame. Kept here, beside the policy, so the exception is visible where
// the rule is, and so no route can set frame-ancestors itself (the hook below would overwrite it anyway).
const framers = new WeakMap<FastifyReply, string>();

/**
 * Lets this one HTML response be framed by `origin` (a widget host the organisation declared): its CSP
 * says `frame-ancestors <origin>` and X-Frame-Options goes (it cannot name an origin, and browsers that
 * know frame-ancestors ignore it anyway). Every other response keeps frame-ancestors 'none' + DENY.
 */
export function allowFramingBy(reply: FastifyReply, origin: string): void {
  framers.set(reply, origin);
}

const isHtml = (reply: FastifyReply) => /^text\/html\b/i.test(String(reply.getHeader('content-type') ?? ''));

export async function httpHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    // Ours (below): helmet's is one fixed policy, and its default upgrade-insecure-requests would break a
    // server reached over plain http on a LAN.
    contentSecurityPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' }, // survey links carry their capability (the survey id)
    // HSTS belongs to whoever terminates TLS (the proxy in front); on plain http it would be ignored anyway.
    strictTransportSecurity: false,
  });
  // Before compression's own onSend hook, which turns the payload into a stream.
  app.addHook('onSend', async (_req, reply, payload) => {
    // A 304 (or any answer without a body type) sets no policy: its headers update the cached response's,
    // and "default-src 'none'" would then replace the cached index.html's own policy and blank the page.
    if (reply.statusCode === 304 || !reply.getHeader('content-type')) return payload;
    const html = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null; // a stream: a static file
    const framer = isHtml(reply) ? framers.get(reply) : undefined;
    if (framer) reply.removeHeader('x-frame-options');
    reply.header('content-security-policy', isHtml(reply) ? htmlPolicy(html, framer) : OTHER_POLICY);
    return payload;
  });
  // br/gzip above 1 KB (brotli at quality 4: @fastify/compress's default, cheap enough per request).
  await app.register(compress, { global: true, threshold: 1024 });
}
