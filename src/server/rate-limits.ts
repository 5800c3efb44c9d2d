// Rate limits on the routes anyone can call without logging in: survey submissions (the form and the
// API, per client address and per survey) and login (per client address). Past a limit the answer is
// 429 with Retry-After and the API's error body (an HTML page on the respondents' form). They add to
// the login brake of auth/login-throttle.ts (failures per e-mail + address), which stays.
// Fixed one-minute windows kept in memory per instance (@fastify/rate-limit's LRU store), checked in
// onRequest, before the body is parsed or the database is touched.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { ApiError } from './errors.ts';
import { messagePage } from './pages/survey-page.ts';

export interface RateLimits {
  /** Submissions to one survey per minute, from everyone together (form + API). */
  surveyPerMinute: number;
  /** Submissions per minute from one client address (an IPv6 /64), to all surveys together. */
  surveyPerAddressPerMinute: number;
  /** Login attempts (and invitation acceptances) per minute from one client address. */
  loginPerAddressPerMinute: number;
}

// A campaign's burst of 50 responses a second to one survey from many addresses passes (3,000 a
// minute, twice that allowed); one address gets 30 a minute — a family or a shared office behind one
// NAT, not a script.
export const DEFAULT_RATE_LIMITS: RateLimits = { surveyPerMinute: 6000, surveyPerAddressPerMinute: 30, loginPerAddressPerMinute: 30 };

const ENV: Record<keyof RateLimits, string> = {
  surveyPerMinute: 'PARALLAX_RATE_SURVEY_PER_MIN',
  surveyPerAddressPerMinute: 'PARALLAX_RATE_SURVEY_PER_IP_PER_MIN',
  loginPerAddressPerMinute: 'PARALLAX_RATE_LOGIN_PER_MIN',
};

/** Options over environment over defaults; 0 turns a limit off. A malformed variable is an error at start. */
export function rateLimitsFrom(over: Partial<RateLimits> = {}, env: NodeJS.ProcessEnv = process.env): RateLimits {
  const out = { ...DEFAULT_RATE_LIMITS };
  for (const k of Object.keys(ENV) as (keyof RateLimits)[]) {
    const raw = env[ENV[k]];
    if (raw !== undefined && raw.trim() !== '') {
      if (!/^\d+$/.test(raw.trim())) throw new Error(`${ENV[k]} must be a whole number of requests per minute (0: no limit), not "${raw}"`);
      out[k] = Number(raw.trim());
    }
    if (over[k] !== undefined) out[k] = over[k]!;
  }
  return out;
}

const SUBMIT_ROUTES = new Set(['POST /s/:id', 'POST /api/v1/surveys/:id/responses']);
const LOGIN_ROUTES = new Set(['POST /api/v1/auth/login', 'POST /api/v1/invitations/:token/accept']);
const WINDOW_MS = 60_000;

type Limiter = (req: FastifyRequest) => Promise<{ isAllowed: true } | { isAllowed: false; isExceeded: boolean; ttlInSeconds: number }>;

export async function rateLimiting(app: FastifyInstance, limits: RateLimits): Promise<void> {
  await app.register(rateLimit, { global: false });
  const make = (max: number, keyGenerator?: (req: FastifyRequest) => string): Limiter | null =>
    max > 0 ? (app.createRateLimit({ max, timeWindow: WINDOW_MS, ...(keyGenerator ? { keyGenerator } : {}), ...({ cache: 20_000 } as object) }) as Limiter) : null;
  const perAddress = make(limits.surveyPerAddressPerMinute);
  const perSurvey = make(limits.surveyPerMinute, (req) => `survey:${String((req.params as { id?: unknown }).id ?? '')}`);
  const login = make(limits.loginPerAddressPerMinute);

  const refuse = (req: FastifyRequest, reply: FastifyReply, seconds: number, what: string) => {
    const wait = Math.max(1, seconds);
    reply.header('retry-after', String(wait));
    if (req.routeOptions.url === '/s/:id')
      return reply
        .code(429)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(messagePage('Please try again shortly', `We are receiving a lot of answers right now. Please send the form again in ${wait} seconds; your answers are still in the form.`));
    throw new ApiError(429, `too many ${what}; try again in ${wait} second(s)`);
  };

  app.addHook('onRequest', async (req, reply) => {
    const route = `${req.method} ${req.routeOptions.url}`;
    const checks: [Limiter | null, string][] = SUBMIT_ROUTES.has(route)
      ? [
          [perAddress, 'responses from your address'],
          [perSurvey, 'responses to this survey at the moment'],
        ]
      : LOGIN_ROUTES.has(route)
        ? [[login, 'login attempts from your address']]
        : [];
    for (const [limiter, what] of checks) {
      if (!limiter) continue;
      const r = await limiter(req);
      if (!r.isAllowed && r.isExceeded) return refuse(req, reply, r.ttlInSeconds, what);
    }
  });
}
