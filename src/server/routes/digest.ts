// The weekly digest's settings (issue 13): each member turns their own digest on or off (any role; a
// person, not an API key, since the digest is theirs), and admins set when the organisation's digests go
// out (weekday and hour, UTC). Queuing and sending: server/digest-runner.ts and mail/digest-mail.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { DIGEST_FREQUENCIES, getDigestPreference, getDigestSchedule, setDigestPreference, setDigestSchedule } from '../../store/digests.ts';
import { ApiError } from '../errors.ts';

const OrgParams = z.object({ org: z.string().max(60) });
const Schedule = z
  .object({
    weekday: z.number().int().min(0).max(6).describe('0 Sunday … 6 Saturday'),
    hour: z.number().int().min(0).max(23).describe('hour of the day, UTC'),
  })
  .strict();
const Setting = z.object({ digest: z.enum(DIGEST_FREQUENCIES), schedule: Schedule });

function userOf(req: FastifyRequest): string {
  const id = req.access?.userId;
  if (!id) throw new ApiError(403, 'the digest is a person\'s own setting; API keys have none');
  return id;
}

export async function digestRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/organisations/:org/digest',
    { config: { access: 'read' }, schema: { tags: ['digest'], description: "Your weekly digest setting in this organisation, and when the organisation's digests go out.", params: OrgParams, response: { 200: Setting } } },
    async (req) => {
      const userId = userOf(req);
      const [digest, schedule] = await Promise.all([getDigestPreference(store.db, req.params.org, userId), getDigestSchedule(store.db, req.params.org)]);
      return { digest, schedule };
    },
  );

  r.put(
    '/organisations/:org/digest',
    {
      config: { access: 'read' }, // every member decides about their own mail
      schema: {
        tags: ['digest'],
        description: 'Turns your weekly digest on (`weekly`, the default) or `off`. A digest already queued for this week is not sent after it is turned off.',
        params: OrgParams,
        body: z.object({ digest: z.enum(DIGEST_FREQUENCIES) }).strict(),
        response: { 200: Setting },
      },
    },
    async (req) => {
      const userId = userOf(req);
      await setDigestPreference(store.db, req.params.org, userId, req.body.digest);
      return { digest: req.body.digest, schedule: await getDigestSchedule(store.db, req.params.org) };
    },
  );

  r.put(
    '/organisations/:org/digest-schedule',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['digest'],
        description: "When the organisation's weekly digests are queued: a weekday and an hour, UTC (default Monday 07:00).",
        params: OrgParams,
        body: Schedule,
        response: { 200: Schedule },
      },
    },
    async (req) => setDigestSchedule(store.db, req.params.org, req.body),
  );
}
