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
import { surveyPageRoutes } from './routes/survey-pages.ts';
import { webRoutes } from './routes/web.ts';

export interface AppOptions {
  store: Store;
  logger?: boolean;
}

export type App = FastifyInstance & { withTypeProvider<T>(): any };

export async function buildApp({ store, logger = false }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger, bodyLimit: 1_000_000, trustProxy: true });
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
    },
    transform: jsonSchemaTransform,
  });
  const api = app.withTypeProvider<ZodTypeProvider>();
  await api.register(async (scoped) => {
    await setupRoutes(scoped, store);
    await responseRoutes(scoped, store);
    await reportRoutes(scoped, store);
  }, { prefix: '/api/v1' });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await surveyPageRoutes(app, store);
  await webRoutes(app, store);
  return app;
}
