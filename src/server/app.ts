// The HTTP server: JSON API (documented with OpenAPI from the zod schemas), respondent pages and
// the dashboard's static files, over one store.
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { serializerCompiler, validatorCompiler, jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../store/db.ts';
import { handleError } from './errors.ts';
import { httpHeaders } from './http-headers.ts';
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
import { segmentRoutes } from './routes/segments.ts';
import { textGuard } from './text-guard.ts';
import { leaderLinkRoutes } from './routes/leader-links.ts';
import { erasureRoutes } from './routes/erasure.ts';
import { invitationRoutes } from './routes/invitations.ts';
import { healthRoutes } from './routes/health.ts';
import { widgetRoutes } from './routes/widget.ts';
import { rateLimiting, rateLimitsFrom, type RateLimits } from './rate-limits.ts';
import { auditHook, auditRoutes } from './audit.ts';
import { echoRequestId, serverLogOptions, type LogOptions } from './logging.ts';
import { GroupCommitter, groupCommitFromEnv } from '../store/group-commit.ts';
import { foldIntervalFromEnv, startFolding } from './folding.ts';
import type { BackgroundLoop } from './background-loop.ts';
import { SurveyCache } from './survey-cache.ts';
import { startMailRunner } from './mail-runner.ts';
import { startCaseEscalation } from './case-escalation.ts';
import { startDigestScheduler } from './digest-runner.ts';
import { startWebhookRunner } from './webhook-runner.ts';
import { startAlertRunner } from './alert-runner.ts';
import { contactRoutes } from './routes/contacts.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { unsubscribeRoutes } from './routes/unsubscribe.ts';
import { mailOpenRoutes } from './routes/mail-opens.ts';
import { importRoutes } from './routes/imports.ts';

export interface AppOptions {
  store: Store;
  /** true: JSON logs to stdout (src/server/logging.ts); or where and at which level. Default off. */
  logger?: boolean | LogOptions;
  /** Limits on public routes per minute; default from PARALLAX_RATE_* or src/server/rate-limits.ts. */
  rateLimits?: Partial<RateLimits>;
  /** Proxies whose X-Forwarded-* headers are believed; default from PARALLAX_TRUST_PROXY. */
  trustProxy?: string[] | false;
  /** Public submissions share durable transactions (store/group-commit.ts); default PARALLAX_GROUP_COMMIT, on. */
  groupCommit?: boolean;
  /** How often queued responses are folded in the background (server/folding.ts); default PARALLAX_FOLD_INTERVAL_MS. */
  foldIntervalMs?: number | 'off';
  /**
   * Whether this server runs the background loops that write on their own (folding, case escalation, digests,
   * webhooks, alerts); default true. Tests that compare the database before and after a request turn them off:
   * a loop's write at a random moment is no request's doing.
   */
  backgroundLoops?: boolean;
}

export type App = FastifyInstance & { withTypeProvider<T>(): any };

export async function buildApp({ store, logger = false, trustProxy: trust, rateLimits, groupCommit, foldIntervalMs, backgroundLoops = true }: AppOptions): Promise<FastifyInstance> {
  // X-Forwarded-For is only believed from proxies the operator names (PARALLAX_TRUST_PROXY, e.g.
  // "127.0.0.1" or "10.0.0.0/8"): trusting it from anyone would let a client dodge the login brake.
  const trustProxy = trust ?? process.env.PARALLAX_TRUST_PROXY?.split(',').map((s) => s.trim()).filter(Boolean) ?? false;
  const app = Fastify({ ...serverLogOptions(logger), bodyLimit: 1_000_000, trustProxy });
  echoRequestId(app);
  // One committer for both public doors. Closing the app writes what it still holds before the caller
  // closes the store (SIGTERM: cli/main.ts), so no acknowledged response is lost.
  const commits = new GroupCommitter(store.db, { enabled: groupCommit ?? groupCommitFromEnv() });
  const surveys = new SurveyCache(store.db); // what the public doors validate against, kept a moment (survey-cache.ts)
  const idle: BackgroundLoop = { stop: async () => {} };
  const loop = (start: () => BackgroundLoop) => (backgroundLoops ? start() : idle);
  const folding = loop(() => startFolding(store.db, app.log, foldIntervalMs === undefined ? foldIntervalFromEnv() : foldIntervalMs === 'off' ? undefined : foldIntervalMs));
  const mail = startMailRunner(store, app.log); // campaign mail (issue 12); off without PARALLAX_SMTP_*
  const escalation = loop(() => startCaseEscalation(store.db, app.log)); // overdue follow-up cases (issue 13); PARALLAX_CASE_ESCALATION_INTERVAL_MS
  const digests = loop(() => startDigestScheduler(store.db, app.log)); // the weekly digest (issue 13); PARALLAX_DIGEST_INTERVAL_MS
  const webhooks = loop(() => startWebhookRunner(store.db, app.log)); // signed outgoing webhooks (issue 13); PARALLAX_WEBHOOK_INTERVAL_MS
  const alerts = loop(() => startAlertRunner(store.db, app.log)); // alerts (issue 13); PARALLAX_ALERT_INTERVAL_MS
  app.addHook('onClose', async () => {
    await commits.close();
    surveys.close();
    await folding.stop();
    await mail.stop();
    await escalation.stop();
    await digests.stop();
    await webhooks.stop();
    await alerts.stop();
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  await httpHeaders(app); // security headers and compression on every response, errors included
  // Form bodies are parsed only on the survey pages (survey-pages.ts): every JSON route answers 415 to a
  // cross-site form post, so a form cannot log a browser in (login CSRF) or write anything.
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
  // Before any route: the rate limits, access and audit hooks must see every route, whoever registers it.
  textGuard(app); // first: no other hook or query sees NUL or invalid Unicode
  await rateLimiting(app, rateLimitsFrom(rateLimits));
  await accessControl(app, store);
  await auditHook(app, store);
  (await import('./retag-on-change.ts')).retagOnSetUpChange(app, store); // issue 10: stored comment tags follow framework and journey changes
  const api = app.withTypeProvider<ZodTypeProvider>();
  await api.register(async (scoped) => {
    await authRoutes(scoped, store);
    await memberRoutes(scoped, store);
    await invitationRoutes(scoped, store);
    await setupRoutes(scoped, store);
    await segmentRoutes(scoped, store);
    await responseRoutes(scoped, store, commits, surveys);
    await reportRoutes(scoped, store);
    await analyticsRoutes(scoped, store);
    await (await import('./routes/driver-perception.ts')).driverPerceptionRoutes(scoped, store); // issue 11: the driver-perception gap
    await (await import('./routes/journey-belief.ts')).journeyBeliefRoutes(scoped, store); // issue 11: leaders' belief by touchpoint
    await (await import('./routes/calibration-waves.ts')).calibrationWavesRoutes(scoped, store); // issue 11: calibration over time
    await (await import('./routes/report-downloads.ts')).reportDownloadRoutes(scoped, store); // issue 13: CSV/XLSX of every report table
    await (await import('./routes/board-pack.ts')).boardPackRoutes(scoped, store); // issue 13: the board pack page and PDF
    await (await import('./routes/responses-export.ts')).responseExportRoutes(scoped, store); // issue 10: the responses' CSV, comments redacted
    await verbatimRoutes(scoped, store);
    await (await import('./routes/themes.ts')).themeRoutes(scoped, store); // issue 10: themes of the comments
    await leaderLinkRoutes(scoped, store);
    await erasureRoutes(scoped, store);
    await surveyQrRoutes(scoped, store);
    await auditRoutes(scoped, store);
    await contactRoutes(scoped, store);
    await campaignRoutes(scoped, store);
    await importRoutes(scoped, store);
    await (await import('./routes/cases.ts')).caseRoutes(scoped, store); // issue 13: the inner loop (follow-up cases)
    await (await import('./routes/initiatives.ts')).initiativeRoutes(scoped, store); // issue 13: the outer loop
    await (await import('./routes/digest.ts')).digestRoutes(scoped, store); // issue 13: the weekly digest's settings
    await (await import('./routes/webhooks.ts')).webhookRoutes(scoped, store); // issue 13: signed outgoing webhooks
    await (await import('./routes/alerts.ts')).alertRoutes(scoped, store); // issue 13: alerts and their settings
    await (await import('./routes/feedback.ts')).feedbackRoutes(scoped, store); // issue 9: feedback items from every channel, and their inbound webhook
    await (await import('./routes/feedback-import.ts')).feedbackImportRoutes(scoped, store); // issue 9: a feedback file (CSV / JSON Lines) through the API, as the CLI imports it
  }, { prefix: '/api/v1' });
  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await healthRoutes(app, store);
  await widgetRoutes(app); // GET /widget.js, the embeddable survey snippet (issue 12)
  await app.register(async (pages) => surveyPageRoutes(pages, store, commits, surveys)); // its own scope: the only form-body parser
  await unsubscribeRoutes(app, store); // /u/:token, its own scope
  await (await import('./routes/digest-opt-out.ts')).digestOptOutRoutes(app, store); // issue 13: /digest-off/:token, the digest's one-click opt-out
  await mailOpenRoutes(app, store); // /m/:token/open.gif, the campaign messages' tracking image
  await (await import('./routes/feedback.ts')).feedbackHookRoutes(app, store); // issue 9: POST /hooks/feedback/:sourceId, its own scope (raw JSON body)
  await webRoutes(app, store);
  return app;
}
