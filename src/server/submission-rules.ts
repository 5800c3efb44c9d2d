// Who is submitting a response, and so which rules apply (core/segments.ts): an organisation's API key
// is a trusted integration (any declared segment, backdating within limits); everyone else — the open
// survey link, the form, a logged-in browser — is the public (public declared segments only, dated by
// the server's clock).
import type { FastifyRequest } from 'fastify';
import type { Store } from '../store/db.ts';
import type { SubmissionRules } from '../core/segments.ts';
import { getSegmentDeclarations } from '../store/segments.ts';
import { useApiKey } from '../store/api-keys.ts';
import { ApiError } from './errors.ts';

export async function publicRules(store: Store, orgId: string): Promise<SubmissionRules> {
  return { origin: 'public', segments: await getSegmentDeclarations(store.db, orgId) };
}

/** The rules for a request to a public submission route: trusted only with a live API key of `orgId`. */
export async function submissionRules(store: Store, req: FastifyRequest, orgId: string): Promise<SubmissionRules> {
  const authz = req.headers.authorization;
  if (authz === undefined) return publicRules(store, orgId);
  const m = /^Bearer\s+(\S+)$/i.exec(authz);
  const key = m ? await useApiKey(store.db, m[1]!) : undefined;
  if (!key) throw new ApiError(401, 'unknown or revoked API key', [{ field: 'authorization', message: 'must be "Bearer px_…" with a live API key, or absent' }]);
  if (key.orgId !== orgId)
    throw new ApiError(403, "this API key belongs to another organisation than the survey's", [{ field: 'authorization', message: 'is a key of another organisation' }]);
  return { origin: 'trusted', segments: await getSegmentDeclarations(store.db, orgId) };
}

/** The largest body a public submission route takes (413 above): a response is a few hundred bytes. */
export const PUBLIC_BODY_LIMIT = 32 * 1024;
