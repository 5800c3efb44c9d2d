// Declared segments API: GET (any member) and PUT (admin, analyst — set-up's default for writes)
// /organisations/:org/segments. The declarations decide which segments responses may carry, which of
// them the public may set, and give the dashboard its filter labels.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { SegmentDeclarations } from '../../core/segments.ts';
import { getSegmentDeclarations, replaceSegmentDeclarations } from '../../store/segments.ts';
import { requireOrg } from './setup.ts';

const OrgParams = z.object({ org: z.string().max(60) });

export async function segmentRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/organisations/:org/segments',
    {
      schema: {
        tags: ['segments'],
        description: "The organisation's declared segments: key, label, allowed values or free text, and whether respondents may set it.",
        params: OrgParams,
      },
    },
    async (req) => {
      await requireOrg(store, req.params.org);
      return { segments: await getSegmentDeclarations(store.db, req.params.org) };
    },
  );
  r.put(
    '/organisations/:org/segments',
    {
      schema: {
        tags: ['segments'],
        description:
          'Replaces the declared segments as a whole. A response may carry only declared segments (at most 10): the public only those marked ' +
          '`public`, with an allowed value or free text within `maxLength`; API keys and imports any declared one. Stored responses keep their values.',
        params: OrgParams,
        body: z.object({ segments: SegmentDeclarations }).strict(),
      },
    },
    async (req) => {
      await requireOrg(store, req.params.org);
      await replaceSegmentDeclarations(store.db, req.params.org, req.body.segments);
      return { segments: await getSegmentDeclarations(store.db, req.params.org) };
    },
  );
}
