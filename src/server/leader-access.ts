// Who is answering the leader survey (issue 7, hole 5). Leaders answer only through a personal,
// single-use link (`?t=<token>`, or the `X-Leader-Token` header on the API) or while logged in as a
// member of the organisation — never through the survey's open id. The respondent id is the server's:
// derived from the link or the user, never taken from the body, so no submission can claim another
// leader's id or replace their answers. The survey form and the JSON API share this one check.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { Store } from '../store/db.ts';
import type { Database } from '../store/schema.ts';
import type { Survey } from '../store/surveys.ts';
import { useSession } from '../store/sessions.ts';
import { getMembership } from '../store/memberships.ts';
import { claimLeaderLink, findLeaderLink, linkRespondentId, memberRespondentId } from '../store/leader-links.ts';
import { SESSION_COOKIE } from './auth/session-cookie.ts';

export interface LeaderRespondent {
  respondentId: string;
  /** The leader's function set by their link (overrides the body's `segments.function`), or null. */
  function: string | null;
  /** Runs in the storing transaction: uses the link up, or fails (nothing stored). */
  claim?: (tx: Transaction<Database>, responseId: string) => Promise<void>;
  /** How they came: a link token (kept in the form for the POST) or a member session. */
  via: { link: string } | { member: string };
}

export type LeaderCheck = { ok: true; leader: LeaderRespondent } | { ok: false; message: string };

export const OPEN_LEADER_SUBMISSION =
  'the leader survey is answered only through a personal link (ask your survey administrator for one) or while logged in as a member of the organisation';

const LINK_PROBLEM = {
  unknown: 'this leader link is not valid: check the link you were sent, or ask your survey administrator for a new one',
  used: 'this leader link has already been used: each personal link takes one response',
  expired: 'this leader link has expired: ask your survey administrator for a new one',
} as const;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks a leader submission (or the form's page). `token`: the link token sent, if any. `csrf`: for
 * a session on the JSON API, the CSRF header must match (the form relies on the SameSite=Lax cookie,
 * which a cross-site form post does not carry). `retry`: the request carries an idempotency key, so a
 * used link is let through to the store, which answers a true retry and refuses anything else.
 */
export async function leaderRespondent(
  store: Store,
  req: FastifyRequest,
  survey: Survey,
  opts: { token?: string; csrf: boolean; retry?: boolean },
): Promise<LeaderCheck> {
  const token = opts.token?.trim();
  if (token) {
    const found = await findLeaderLink(store.db, survey.orgId, token);
    if (!found.ok && !(found.reason === 'used' && opts.retry)) return { ok: false, message: LINK_PROBLEM[found.reason] };
    const link = found.ok ? found.link : (found as { link: { id: string; function: string | null } }).link;
    return {
      ok: true,
      leader: {
        respondentId: linkRespondentId(survey.orgId, link.id),
        function: link.function,
        claim: (tx, responseId) => claimLeaderLink(tx, survey.orgId, link.id, responseId),
        via: { link: token },
      },
    };
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  const used = cookie ? await useSession(store.db, cookie) : undefined;
  if (used) {
    const member = await getMembership(store.db, survey.orgId, used.session.userId);
    if (member) {
      if (opts.csrf) {
        const sent = req.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !sameSecret(sent, used.session.csrfToken))
          return { ok: false, message: 'missing or wrong CSRF token: a logged-in leader sends the x-csrf-token header' };
      }
      return { ok: true, leader: { respondentId: memberRespondentId(survey.orgId, used.session.userId), function: null, via: { member: used.session.userId } } };
    }
  }
  return { ok: false, message: OPEN_LEADER_SUBMISSION };
}

/** A validated leader submission with the server's respondent id and the link's function. */
export function asLeaderSubmission<T extends { respondentId: string | null; segments: Record<string, string> }>(value: T, leader: LeaderRespondent): T {
  const segments = leader.function ? { ...value.segments, function: leader.function } : value.segments;
  return { ...value, respondentId: leader.respondentId, segments };
}
