// The HTTP server: JSON API (documented with OpenAPI from the zod schemas), respondent pages and
// the dashboard's static files, over one store.
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import { serializerCompiler, validatorCompiler, jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../store/db.ts';
import { handleError } from './errors.ts';
import { setupRoutes } from './routes/setup.ts';
import { responseRoutes } from './routes/responses.ts';
import { reportRoutes } from './routes/reports.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { verbatimRoutes } from './routes/verbatims.ts';
import { surveyQrRoutes } from './routes/survey-qr.ts';
import { surveyPageRoutes } from './routes/survey-pages.ts';
import { webRoutes } from './routes/web.ts';
import { accessControl } from './auth/access.ts';
import { authRoutes } from './routes/auth.ts';
import { memberRoutes } from './routes/members.ts';

export interface AppOptions {
  store: Store;
  logger?: boolean;
  /** Proxies whose X-Forwarded-* headers are believed; default from PARALLAX_TRUST_PROXY. */
  trustProxy?: string[] | false;
}

export type App = FastifyInstance & { withTypeProvider<T>(): any };

export async function buildApp({ store, logger = false, trustProxy: trust }: AppOptions): Promise<FastifyInstance> {
  // X-Forwarded-For is only believed from proxies the operator names (PARALLAX_TRUST_PROXY, e.g.
  // "127.0.0.1" or "10.0.0.0/8"): trusting it from anyone would let a client dodge the login brake.
  const trustProxy = trust ?? process.env.PARALLAX_TRUST_PROXY?.split(',').map((s) => s.trim()).filter(Boolean) ?? false;
  const app = Fastify({ logger, bodyLimit: 1_000_000, trustProxy });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  await app.register(formbody);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Parallax API',
        description: 'Measure and close the customer-experience perception gap.',
        version: '1',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'parallax_session', description: 'from POST /api/v1/auth/login; writes also need the `x-csrf-token` header' },
          apiKey: { type: 'http', scheme: 'bearer', description: 'an organisation API key, `px_…`' },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // Before any route: the access hook must see every route, whoever registers it.
  await accessControl(app, store);
  const api = app.withTypeProvider<ZodTypeProvider>();
  await api.register(async (scoped) => {
    await authRoutes(scoped, store);
    await memberRoutes(scoped, store);
    await setupRoutes(scoped, store);
    await responseRoutes(scoped, store);
    await reportRoutes(scoped, store);
    await analyticsRoutes(scoped, store);
    await verbatimRoutes(scoped, store);
    await surveyQrRoutes(scoped, store);
  }, { prefix: '/api/v1' });
  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await surveyPageRoutes(app, store);
  await webRoutes(app, store);
  return app;
}
