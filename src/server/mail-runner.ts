// Background mail sending (src/mail/runner.ts): every server with SMTP configured (src/mail/config.ts)
// sends due invitation and reminder messages every PARALLAX_MAIL_INTERVAL_MS (default 5000 ms). Several
// servers on one database may all send: each job is claimed by one of them. Without SMTP configured,
// nothing is sent and campaigns stay queued.
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/db.ts';
import { mailConfigFromEnv, smtpTransport } from '../mail/config.ts';
import { MailRunner } from '../mail/runner.ts';
import { configuredPublicUrl } from './public-url.ts';
import { backgroundLoop, type BackgroundLoop } from './background-loop.ts';

export function startMailRunner(store: Store, log: FastifyBaseLogger, env: NodeJS.ProcessEnv = process.env): BackgroundLoop {
  const config = mailConfigFromEnv(env);
  if (!config) return { stop: async () => {} };
  const publicUrl = configuredPublicUrl(env);
  if (!publicUrl) throw new Error('PARALLAX_PUBLIC_URL must be set when mail is on: the links in messages are built from it');
  const raw = env.PARALLAX_MAIL_INTERVAL_MS?.trim();
  const intervalMs = raw ? Number(raw) : 5000;
  if (!Number.isInteger(intervalMs) || intervalMs < 100 || intervalMs > 3_600_000) throw new Error(`PARALLAX_MAIL_INTERVAL_MS: expected milliseconds (100–3600000), got "${raw}"`);
  const transport = smtpTransport(config);
  const runner = new MailRunner({ db: store.db, transport, from: config.from, publicUrl, perMinute: config.perMinute });
  const loop = backgroundLoop(
    intervalMs,
    async () => {
      const o = await runner.tick();
      if (o.sent + o.bounced + o.retried + o.failed > 0) log.info({ mail: o }, 'mail sent');
    },
    (err) => log.warn({ err }, 'mail round failed; will retry'),
  );
  return {
    async stop() {
      await loop.stop();
      transport.close();
    },
  };
}
