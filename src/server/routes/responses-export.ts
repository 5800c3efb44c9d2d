// GET /organisations/:org/responses.csv: every response as canonical CSV (reports/response-export.ts, the
// same file as `parallax export`), for admins and analysts, audited as `responses.export`. Comments are the
// redacted text; an admin may ask for them as written with `original=true` (anyone else: 403 naming it).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { responseExportCsv } from '../../reports/response-export.ts';
import { ApiError } from '../errors.ts';
import { OrgParams } from './analytics.ts';
import { requireOrg } from './setup.ts';

const ExportQuery = z
  .object({
    original: z.enum(['true', 'false']).optional().describe('admins only: the comments as written instead of redacted (the audit entry records it)'),
  })
  .strict();

export async function responseExportRoutes(app: FastifyInstance, store: Store): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/organisations/:org/responses.csv',
    {
      config: { access: 'setup', audit: 'responses.export' },
      schema: {
        tags: ['responses'],
        description:
          'Every response of the organisation as canonical CSV (the `parallax export` file: import it back with `parallax import`). ' +
          'Comments are redacted (`[email]`, `[phone]`, `[name]`…) unless an admin asks for `original=true`. Admins and analysts; audited as `responses.export`.',
        params: OrgParams,
        querystring: ExportQuery,
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const original = req.query.original === 'true';
      // What redaction hides (names, e-mail addresses, phone numbers) is for admins only.
      if (original && req.access?.role !== 'admin')
        throw new ApiError(403, 'original: only admins may export comments unredacted', [{ field: 'original', message: 'admins only' }]);
      const org = await requireOrg(store, req.params.org);
      const name = `${org.id}-responses${original ? '-original' : ''}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(await responseExportCsv(store.db, org.id, { original }));
    },
  );
}
