// GET /surveys/:id/qr.svg: the survey's public link as a QR code, for posters, receipts and slides.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import QRCode from 'qrcode';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { getSurvey } from '../../store/surveys.ts';
import { ApiError } from '../errors.ts';

/** The absolute public link of a survey, as the caller reached this server (proxies included). */
export const publicSurveyUrl = (req: { protocol: string; host: string }, id: string) => `${req.protocol}://${req.host}/s/${id}`;

// The Host header is the caller's to choose, so the link is escaped before it goes into markup.
const escapeAttr = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function surveyQrRoutes(app: FastifyInstance, store: Store): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/surveys/:id/qr.svg',
    {
      // Public like the link it encodes, so it can be embedded in invitations and printed material.
      config: { access: 'public' },
      schema: {
        tags: ['surveys'],
        security: [],
        description: "The survey's public link as an SVG QR code.",
        params: z.object({ id: z.string().max(40) }),
        produces: ['image/svg+xml'],
      },
    },
    async (req, reply) => {
      const s = await getSurvey(store.db, req.params.id);
      if (!s) throw ApiError.notFound(`survey "${req.params.id}"`);
      const url = publicSurveyUrl(req, s.id);
      // Error correction M survives a crease or a smudge on paper without making the code dense.
      const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#111827', light: '#ffffff' } });
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .send(svg.replace('<svg ', `<svg role="img" aria-label="QR code for ${escapeAttr(url)}" `));
    },
  );
}
