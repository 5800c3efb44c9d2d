// The webhook sender: takes due deliveries (store/webhooks.ts) and POSTs each to its endpoint, signed
// as Standard Webhooks says (`webhook-id`, `webhook-timestamp`, `webhook-signature`), with a 10 s
// timeout, never following a redirect. A 2xx is delivered; a network error, timeout, 408, 429 or 5xx is
// retried with back-off (core/webhooks); any other answer fails the delivery for good. SSRF: the host
// name is resolved for every attempt and the connection goes to the address that was checked (the
// `lookup` hook of node:http), so neither a private address nor a DNS answer changed after the
// endpoint was saved reaches the internal network, unless PARALLAX_WEBHOOK_ALLOW_PRIVATE=1.
// `tick()` does one round (tests call it with their own clock); startWebhookRunner runs it every
// PARALLAX_WEBHOOK_INTERVAL_MS (default 5000 ms; "off" to leave sending to another server).
import http from 'node:http';
import https from 'node:https';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { claimDueDeliveries, deliveryTarget, recordAttempt, requeueInterrupted, type DeliveryRow } from '../store/webhooks.ts';
import {
  checkWebhookUrl,
  classifyWebhookStatus,
  destinationPolicyFromEnv,
  isPrivateAddress,
  WEBHOOK_TIMEOUT_MS,
  webhookSignature,
  type DestinationPolicy,
} from '../core/webhooks/webhooks.ts';
import { backgroundLoop, intervalFromEnv, type BackgroundLoop } from './background-loop.ts';

export interface WebhookRunnerOptions {
  db: Kysely<Database>;
  /** Default from PARALLAX_WEBHOOK_ALLOW_HTTP / _ALLOW_PRIVATE. */
  policy?: DestinationPolicy;
  /** The clock; tests move it. */
  now?: () => Date;
  /** Deliveries per round (default 50). */
  batch?: number;
  /** How long a claimed delivery may stay 'sending' before it is queued again (default 2 minutes: far past the 10 s timeout). */
  leaseMs?: number;
}

export interface WebhookTickOutcome {
  delivered: number;
  retried: number;
  failed: number;
}

type Attempt = { kind: 'delivered' | 'retry' | 'permanent'; status: number | null; error: string | null };

/** A `lookup` for node:http that refuses private addresses (the connection uses only what it returns). */
function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, cb: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return cb(err, '');
      const list = addresses as LookupAddress[];
      const bad = !allowPrivate && list.find((a) => isPrivateAddress(a.address));
      if (bad) return cb(Object.assign(new Error(`${hostname} resolves to the private address ${bad.address}: refused`), { code: 'EPRIVATE' }), '');
      if ((options as { all?: boolean }).all) return cb(null, list);
      cb(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** One signed POST; never throws. */
export function postWebhook(url: string, headers: Record<string, string>, body: string, policy: DestinationPolicy): Promise<Attempt> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve({ kind: 'permanent', status: null, error: 'the endpoint URL is invalid' });
    }
    const client = u.protocol === 'https:' ? https : http;
    const req = client.request(
      u,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Parallax-Webhooks/1' },
        lookup: guardedLookup(policy.allowPrivate) as never,
        timeout: WEBHOOK_TIMEOUT_MS,
      },
      (res) => {
        // The answer's body is not needed: read at most a little of it, then let the socket go.
        res.resume();
        const status = res.statusCode ?? 0;
        const kind = classifyWebhookStatus(status);
        resolve({ kind, status, error: kind === 'delivered' ? null : `HTTP ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}` });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A refused private address will not change by waiting; anything else on the network might.
      resolve({ kind: err.code === 'EPRIVATE' ? 'permanent' : 'retry', status: null, error: err.message.slice(0, 300) });
    });
    req.end(body);
  });
}

export class WebhookRunner {
  private readonly now: () => Date;
  private readonly policy: DestinationPolicy;

  constructor(private readonly o: WebhookRunnerOptions) {
    this.now = o.now ?? (() => new Date());
    this.policy = o.policy ?? destinationPolicyFromEnv();
  }

  async tick(): Promise<WebhookTickOutcome> {
    const out: WebhookTickOutcome = { delivered: 0, retried: 0, failed: 0 };
    const now = this.now();
    await requeueInterrupted(this.o.db, this.o.leaseMs ?? 120_000, now);
    const due = await claimDueDeliveries(this.o.db, this.o.batch ?? 50, now);
    // In parallel: one slow receiver must not hold up the others for 10 s each.
    const states = await Promise.all(due.map((d) => this.deliver(d, now)));
    for (const s of states) out[s === 'queued' ? 'retried' : s]++;
    return out;
  }

  private async deliver(d: DeliveryRow, now: Date): Promise<'delivered' | 'queued' | 'failed'> {
    const target = await deliveryTarget(this.o.db, d);
    if (!target || (!target.enabled && d.event_type !== 'webhook.test')) return recordAttempt(this.o.db, d, { kind: 'permanent', status: null, error: target ? 'endpoint disabled' : 'endpoint deleted' }, now);
    // The saved URL is checked again under the current policy (it may have been tightened since).
    const problem = checkWebhookUrl(target.url, this.policy)[0];
    if (problem) return recordAttempt(this.o.db, d, { kind: 'permanent', status: null, error: `url ${problem.message}` }, now);
    const ts = Math.floor(this.now().getTime() / 1000);
    const headers = { 'webhook-id': d.id, 'webhook-timestamp': String(ts), 'webhook-signature': webhookSignature(target.secret, d.id, ts, d.payload) };
    const attempt = await postWebhook(target.url, headers, d.payload, this.policy);
    return recordAttempt(this.o.db, d, attempt, this.now());
  }
}

export function webhookIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return intervalFromEnv(env, 'PARALLAX_WEBHOOK_INTERVAL_MS', 5000);
}

export function startWebhookRunner(db: Kysely<Database>, log: FastifyBaseLogger, intervalMs = webhookIntervalFromEnv()): BackgroundLoop {
  if (intervalMs === undefined) return { stop: async () => {} };
  const runner = new WebhookRunner({ db });
  return backgroundLoop(
    intervalMs,
    async () => {
      const o = await runner.tick();
      if (o.delivered + o.retried + o.failed > 0) log.info({ webhooks: o }, 'webhooks sent');
    },
    (err) => log.warn({ err }, 'webhook round failed; will retry'),
  );
}
