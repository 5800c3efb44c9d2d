// GET /surveys/:id/qr.svg: the survey's public link as a QR code, for posters, receipts and slides.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import QRCode from 'qrcode';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { getSurvey } from '../../store/surveys.ts';
import { ApiError } from '../errors.ts';
import { configuredPublicUrl, fallbackPublicUrl, PUBLIC_URL_ENV } from '../public-url.ts';

// The base URL comes from configuration, but the link is still escaped before it goes into markup.
const escapeAttr = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function surveyQrRoutes(app: FastifyInstance, store: Store): Promise<void> {
  // Read (and checked) once, at start: a malformed PARALLAX_PUBLIC_URL stops the server with its reason.
  const configured = configuredPublicUrl();
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
      // The configured public URL; in development, this server's own address (public-url.ts). Never the
      // Host header: whoever sends the request would choose where the printed code sends respondents.
      const base = configured ?? fallbackPublicUrl(req);
      if (!base) throw new ApiError(503, `the server's public address is not configured: set ${PUBLIC_URL_ENV} (e.g. https://cx.example.com)`);
      const url = `${base}/s/${s.id}`;
      // Error correction M survives a crease or a smudge on paper without making the code dense.
      const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#111827', light: '#ffffff' } });
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        // Other sites (an intranet page, a slide) may show it as an image: helmet's default is same-origin.
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(svg.replace('<svg ', `<svg role="img" aria-label="QR code for ${escapeAttr(url)}" `));
    },
  );
}
