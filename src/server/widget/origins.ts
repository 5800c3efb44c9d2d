// The web sites that may show an organisation's survey in the embeddable widget: origins (scheme, host,
// optional port — nothing else), validated once here for the set-up API and for the survey page's
// `?widget=` parameter. An origin ends up in a Content-Security-Policy header (frame-ancestors) and as
// the postMessage target of the framed page, so anything that could widen either is refused: wildcards,
// paths, credentials, characters a header could split on.
import { z } from 'zod';

export const MAX_WIDGET_ORIGINS = 20;

// A DNS name or an IPv4 address (what URL leaves of an IDN is punycode), or a bracketed IPv6 literal.
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])$/;

/** The origin as browsers write it (`https://shop.example`, default port dropped), or why it is not one. */
export function parseOrigin(raw: string): { ok: true; origin: string } | { ok: false; message: string } {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: 'must be an origin such as https://shop.example' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: 'must start with https:// (or http://)' };
  if (url.username || url.password) return { ok: false, message: 'must not carry a user name or password' };
  // URL turns "https://shop.example" into path "/": a path, query or fragment written out is refused.
  if (url.pathname !== '/' || url.search || url.hash || /^[a-z]+:\/\/[^/]*\/./i.test(text) || /[?#]/.test(text))
    return { ok: false, message: 'must be scheme, host and optional port only (no path, query or fragment)' };
  if (!HOST.test(url.hostname)) return { ok: false, message: 'must name one host (no wildcards)' };
  return { ok: true, origin: url.origin };
}

/** One origin in the set-up API: normalised to its browser form. */
export const WidgetOrigin = z
  .string()
  .max(200)
  .transform((s, ctx) => {
    const r = parseOrigin(s);
    if (r.ok) return r.origin;
    ctx.addIssue({ code: 'custom', message: r.message });
    return z.NEVER;
  });

/** The organisation's list: at most 20, each once (after normalisation). */
export const WidgetOrigins = z
  .array(WidgetOrigin)
  .max(MAX_WIDGET_ORIGINS)
  .describe('Sites that may show the customer survey in the widget (GET /widget.js): origins such as https://shop.example, at most 20')
  .superRefine((list, ctx) => {
    list.forEach((o, i) => {
      if (list.indexOf(o) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `repeats ${o}` });
    });
  });

/**
 * The widget's host origin from a survey page's `?widget=` parameter when the organisation declared it,
 * else undefined (the page is then not framed at all).
 */
export function declaredHost(param: unknown, declared: readonly string[]): string | undefined {
  if (typeof param !== 'string' || param.length > 200) return undefined;
  const r = parseOrigin(param);
  return r.ok && declared.includes(r.origin) ? r.origin : undefined;
}
