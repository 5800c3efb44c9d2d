// Structured logs: Fastify's own pino logger, one JSON line per event, each carrying the request id
// (`reqId`) that is also sent back as X-Request-Id. What never reaches the log: bodies (respondents'
// text, passwords — Fastify does not log them and nothing here does), the headers that hold secrets
// (authorization, cookie, x-csrf-token, set-cookie) and the tokens carried in URLs (invitation and
// leader links, `?t=`, `?token=`).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

export interface LogOptions {
  /** pino level; default PARALLAX_LOG_LEVEL or 'info'. */
  level?: string;
  /** Where the JSON lines go (tests capture them); default standard output. */
  stream?: NodeJS.WritableStream;
}

// Path segments that are secrets themselves: /invite/<token>, /api/v1/invitations/<token>[/accept].
const TOKEN_IN_PATH = /(\/(?:invite|invitations|leader-links\/use)\/)[^/?#]+/g;
const TOKEN_PARAMS = /^(t|token|key|secret|password|code|invite)$/i;

/** The URL with its secrets replaced by "[redacted]" (path tokens and token-like query parameters). */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(TOKEN_IN_PATH, '$1[redacted]');
  if (q < 0) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        /* keep it as sent */
      }
      return eq >= 0 && TOKEN_PARAMS.test(decoded) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

// A client's own X-Request-Id is kept (a proxy's id lets one follow a request across systems) when it is
// short and plain, so it cannot forge log lines; otherwise a new one is made.
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestId(req: IncomingMessage): string {
  const sent = req.headers['x-request-id'];
  return typeof sent === 'string' && CLIENT_ID.test(sent) ? sent : randomUUID();
}

/** Fastify options for ids (always) and the logger (when `logger` is on). */
export function serverLogOptions(logger: boolean | LogOptions | undefined): Pick<FastifyServerOptions, 'logger' | 'genReqId' | 'requestIdHeader'> {
  // Fastify labels the id `reqId` in every line of a request.
  const base = { genReqId: requestId, requestIdHeader: false as const };
  if (!logger) return { ...base, logger: false };
  const opts: LogOptions = logger === true ? {} : logger;
  return {
    ...base,
    logger: {
      level: opts.level ?? process.env.PARALLAX_LOG_LEVEL ?? 'info',
      ...(opts.stream ? { stream: opts.stream } : {}),
      // Belt and braces: should anything log a request's headers or a body, these never get out.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          'headers.authorization',
          'headers.cookie',
          'headers["x-csrf-token"]',
          '*.password',
          '*.currentPassword',
          '*.newPassword',
          '*.secret',
          '*.token',
          '*.comment',
          'body',
          '*.body',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { method: string; url: string; ip?: string; socket?: { remoteAddress?: string }; headers?: Record<string, unknown> }) => ({
          method: req.method,
          url: redactUrl(req.url),
          remoteAddress: req.ip ?? req.socket?.remoteAddress,
          userAgent: typeof req.headers?.['user-agent'] === 'string' ? (req.headers['user-agent'] as string).slice(0, 200) : undefined,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}

/** Echoes the request id to the client, so a person reporting a problem can quote it. */
export function echoRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
}
