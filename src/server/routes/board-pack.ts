// The board pack: GET /organisations/:org/board-pack (a printable HTML page) and …/board-pack.pdf (the
// same page printed by headless Chromium). Filters are the reports' (filtersFromQuery, so an owner's pack
// covers their department's touchpoints only) and every figure comes from the reports, under their
// anonymity rules. The PDF is a report export, audited as one.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Store } from '../../store/db.ts';
import { boardPackFor } from '../../reports/board-pack.ts';
import { boardPackHtml } from '../pages/board-pack.ts';
import { PdfPrinter, PrintBusy, PrintUnavailable } from '../board-pack-pdf.ts';
import { ApiError, errorBody } from '../errors.ts';
import { ReportQuery, filtersFromQuery } from './reports.ts';

const OrgParams = z.object({ org: z.string().max(60) });

export interface BoardPackOptions {
  printer?: PdfPrinter;
  /** The date printed on the pack; a test fixes it. */
  now?: () => Date;
}

export async function boardPackRoutes(app: FastifyInstance, store: Store, opts: BoardPackOptions = {}): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const printer = opts.printer ?? new PdfPrinter();
  const now = opts.now ?? (() => new Date());
  app.addHook('onClose', () => printer.close());

  const render = async (req: FastifyRequest, org: string, query: z.infer<typeof ReportQuery>) => {
    const pack = await boardPackFor(store.db, org, filtersFromQuery(query, req));
    if (!pack) throw ApiError.notFound(`organisation "${org}"`);
    return boardPackHtml(pack, now());
  };

  r.get(
    '/organisations/:org/board-pack',
    {
      schema: {
        tags: ['reports'],
        description:
          'The board pack as a print-ready HTML page (A4, a page per section): a plain-language summary, the headline gap with its interval and the published ' +
          'benchmark, the dimension gaps, what leaders believe at each touchpoint against what its customers say (reports/journey-belief, withheld cells ' +
          'saying why), the gap over time with its slope, NPS, CSAT, CES, calibration and the key drivers. Takes the reports\' filters.',
        params: OrgParams,
        querystring: ReportQuery,
        produces: ['text/html'],
      },
    },
    async (req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(await render(req, req.params.org, req.query)),
  );

  r.get(
    '/organisations/:org/board-pack.pdf',
    {
      config: { audit: 'reports.export' },
      schema: {
        tags: ['reports'],
        description:
          'The board pack printed to PDF (A4) by headless Chromium. At most two are printed at once; a busy server answers 503 with Retry-After, and a server ' +
          'without Chromium 503 naming PARALLAX_CHROMIUM_PATH.',
        params: OrgParams,
        querystring: ReportQuery,
        produces: ['application/pdf'],
      },
    },
    async (req, reply) => {
      const document = await render(req, req.params.org, req.query);
      let pdf: Buffer;
      try {
        pdf = await printer.print(document);
      } catch (e) {
        if (e instanceof PrintBusy) return reply.code(503).header('retry-after', '5').send(errorBody(503, 'PDFs are being printed for others; retry in a few seconds'));
        if (e instanceof PrintUnavailable) return reply.code(503).send(errorBody(503, e.message));
        req.log.error({ err: e }, 'board pack PDF failed');
        return reply.code(503).header('retry-after', '30').send(errorBody(503, 'the PDF could not be printed; the HTML page (board-pack) has the same content'));
      }
      const name = `board-pack-${req.params.org}-${now().toISOString().slice(0, 10)}.pdf`.replace(/[^A-Za-z0-9._-]/g, '_');
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(pdf);
    },
  );
}
