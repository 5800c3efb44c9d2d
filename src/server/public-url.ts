// The server's public base URL (PARALLAX_PUBLIC_URL): where respondents and invited people reach it, for
// the links it prints or encodes (QR codes). Never derived from a request's Host header, which the caller
// chooses: a QR code or a link built from it could point people at another site.
import type { FastifyRequest } from 'fastify';

export const PUBLIC_URL_ENV = 'PARALLAX_PUBLIC_URL';

/**
 * The configured base URL without a trailing slash (it may carry a path prefix, e.g.
 * https://cx.example.com/parallax), or undefined when unset. Throws on anything but an absolute http(s)
 * URL without query or fragment, so a typo stops the server at start instead of printing broken links.
 */
export function configuredPublicUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env[PUBLIC_URL_ENV]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${PUBLIC_URL_ENV} must be an absolute URL such as https://cx.example.com, not "${raw}"`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username || url.password)
    throw new Error(`${PUBLIC_URL_ENV} must be an http(s) URL without query, fragment or credentials, not "${raw}"`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Without PARALLAX_PUBLIC_URL, in development only: the address and port this server accepted the
 * connection on (its own, not the caller's Host header) — right on a laptop or a LAN, wrong behind a
 * proxy, hence undefined in production (NODE_ENV=production), where the URL must be configured.
 */
export function fallbackPublicUrl(req: FastifyRequest, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.NODE_ENV === 'production') return undefined;
  const address = req.socket?.localAddress;
  const port = req.socket?.localPort;
  if (!address || !port) return undefined;
  const host = address.startsWith('::ffff:') ? address.slice(7) : address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
