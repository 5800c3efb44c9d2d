// Answering through a campaign invitation (issue 12): `?i=<token>` on the survey page or the JSON route.
// The token names the contact, so their segments and touchpoint (set by the organisation, hence trusted)
// are filled into the response without asking again, the respondent id comes from the invitation, and the
// invitation is claimed inside the storing transaction (store/campaigns.ts claimInvitation), so it answers
// once. On the leader survey an invitation is the leader's personal link (their function comes with it).
import type { Transaction } from 'kysely';
import type { Store } from '../store/db.ts';
import type { Database } from '../store/schema.ts';
import type { Survey } from '../store/surveys.ts';
import type { ValidSubmission } from '../core/survey.ts';
import { checkSegments, MAX_SEGMENTS_PER_RESPONSE } from '../core/segments.ts';
import { getSegmentDeclarations } from '../store/segments.ts';
import { claimInvitation, findInvitation, invitationRespondentId, markStarted, type InvitationHolder } from '../store/campaigns.ts';
import { ApiError } from './errors.ts';

export interface InvitedRespondent {
  holder: InvitationHolder;
  /** The contact's touchpoint, when the survey knows it. */
  touchpoint: string | null;
  /** The contact's segments still declared with a valid value. */
  segments: Record<string, string>;
  claim: (tx: Transaction<Database>, responseId: string) => Promise<void>;
  /** The validated submission with the invitation's respondent id, segments and touchpoint. */
  apply: (value: ValidSubmission) => ValidSubmission;
}

export type InvitationCheck = { ok: true; invited: InvitedRespondent } | { ok: false; message: string };

export const INVITATION_PROBLEM = {
  unknown: 'this invitation link is not valid: check the link in the message you were sent',
  used: 'this invitation has already been answered: each invitation takes one response',
} as const;

/**
 * Checks an invitation token for a survey. `retry`: the request is a retry-safe one (idempotency key), so
 * a used invitation is let through to the store, which answers the true retry and refuses anything else.
 * `started`: the page was opened (counted as started).
 */
export async function invitationRespondent(store: Store, survey: Survey, token: string, opts: { retry?: boolean; started?: boolean } = {}): Promise<InvitationCheck> {
  const holder = await findInvitation(store.db, token.trim());
  if (!holder || holder.surveyId !== survey.id || holder.contact.kind !== survey.perspective) return { ok: false, message: INVITATION_PROBLEM.unknown };
  if (holder.used && !opts.retry) return { ok: false, message: INVITATION_PROBLEM.used };
  if (opts.started) await markStarted(store.db, survey.orgId, holder.invitationId);
  // Declarations may have changed since the upload: only what is still declared, with an allowed value, goes in.
  const decls = await getSegmentDeclarations(store.db, survey.orgId);
  const segments: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(holder.contact.segments)) {
    if (checkSegments({ [k]: v }, { origin: 'trusted', segments: decls }).length === 0) segments[k] = v;
  }
  if (survey.perspective === 'leader' && holder.contact.function) segments.function = holder.contact.function;
  const tq = survey.definition.questions.find((q) => q.kind === 'touchpoint');
  const wanted = holder.touchpoint ?? holder.contact.touchpoint;
  const touchpoint = wanted && tq?.options?.some((o) => o.value === wanted) ? wanted : null;
  const respondentId = invitationRespondentId(survey.orgId, holder.invitationId);
  return {
    ok: true,
    invited: {
      holder,
      touchpoint,
      segments,
      claim: (tx, responseId) => claimInvitation(tx, survey.orgId, holder.invitationId, responseId),
      apply: (value) => {
        // The contact's values win over what the respondent sent; the respondent's others fill up to the limit.
        const merged: Record<string, string> = Object.assign(Object.create(null), segments);
        for (const [k, v] of Object.entries(value.segments)) {
          if (!(k in merged) && Object.keys(merged).length < MAX_SEGMENTS_PER_RESPONSE) merged[k] = v;
        }
        return { ...value, respondentId, segments: merged, touchpoint: touchpoint ?? value.touchpoint };
      },
    },
  };
}

/** For the JSON route: the invitation a `?i=` token names, undefined without one, a 403 naming `i` when it cannot be used. */
export async function invitationFor(store: Store, survey: Survey, token: string | undefined, retry: boolean): Promise<InvitedRespondent | undefined> {
  if (token === undefined || token.trim() === '') return undefined;
  const check = await invitationRespondent(store, survey, token, { retry });
  if (!check.ok) throw new ApiError(403, check.message, [{ field: 'i', message: check.message }]);
  return check.invited;
}
