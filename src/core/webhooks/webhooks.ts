// Outgoing webhooks (issue 13), the pure part: the event types an endpoint may subscribe to, the message
// bodies (Standard Webhooks' `{type, timestamp, data}` or a Slack/Teams-compatible `{"text": …}`), the
// signature of the Standard Webhooks spec (https://www.standardwebhooks.com/, "Signature scheme"), the
// retry policy, and which destinations are refused (SSRF). No I/O: the sender is server/webhook-runner.ts.
import { createHmac, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { FieldError } from '../survey.ts';

/** Alerts (core/alerts.ts) and the test event every endpoint receives on request. */
export const WEBHOOK_EVENT_TYPES = ['alert.gap_widened', 'alert.customer_drop', 'alert.sla_backlog', 'alert.negative_burst', 'webhook.test'] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;
export const WebhookFormat = z.enum(['standard', 'slack']).describe('standard: Standard Webhooks JSON; slack: `{"text": …}`, which Slack and Teams incoming webhooks accept');
export type WebhookFormat = z.infer<typeof WebhookFormat>;

export const MAX_WEBHOOKS_PER_ORG = 20;
/** Attempts before a delivery is `failed` (the spec's example schedule has 8 as well). */
export const MAX_WEBHOOK_ATTEMPTS = 8;
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** A new signing secret: `whsec_` + base64 of 24 random bytes (the spec's format; the bytes are the HMAC key). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** The `webhook-signature` header value: `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed by the secret's bytes. */
export function webhookSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/**
 * The wait before attempt `attempt + 1` after `attempt` failed: 5 s × 5^(attempt−1), at most 10 hours
 * (5 s, 25 s, ~2 min, ~10 min, ~52 min, ~4.3 h, 10 h): a receiver that is down for most of a day still
 * gets the message, and a flapping one is not hammered.
 */
export function webhookRetryDelayMs(attempt: number): number {
  return Math.min(10 * 3600_000, 5000 * 5 ** Math.max(0, attempt - 1));
}

/**
 * What an HTTP answer means for the delivery: 2xx delivered; 408, 429 and 5xx worth retrying (the
 * receiver is busy or broken for now); any other status — 3xx too, since redirects are never followed
 * (a redirect could lead the signed request anywhere) — is the receiver's refusal, final.
 */
export function classifyWebhookStatus(status: number): 'delivered' | 'retry' | 'permanent' {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'permanent';
}

/** The body an endpoint receives for an event. */
export function webhookBody(format: WebhookFormat, event: { type: WebhookEventType; timestamp: string; data: Record<string, unknown>; summary: string }): string {
  if (format === 'slack') return JSON.stringify({ text: event.summary });
  return JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data });
}

/**
 * Whether an IP address is one a webhook must not reach from the server by default: loopback,
 * private (RFC 1918, fc00::/7), link-local (cloud metadata at 169.254.169.254), carrier-grade NAT,
 * unspecified, multicast and reserved ranges, IPv4-mapped IPv6 included.
 */
export function isPrivateAddress(ip: string): boolean {
  const v = isIP(ip);
  if (v === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || a >= 224 || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 198 && (b === 18 || b === 19));
  }
  if (v === 6) {
    const s = ip.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
    if (mapped) return isPrivateAddress(mapped[1]!);
    return s === '::' || s === '::1' || /^f[cd]/.test(s) || /^fe[89ab]/.test(s) || s.startsWith('ff');
  }
  return true; // not an address at all: refuse
}

export interface DestinationPolicy {
  /** Plain http to any host (PARALLAX_WEBHOOK_ALLOW_HTTP=1): tests and closed networks only. */
  allowHttp: boolean;
  /** Private and loopback addresses (PARALLAX_WEBHOOK_ALLOW_PRIVATE=1): receivers inside the operator's own network. */
  allowPrivate: boolean;
}

export function destinationPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): DestinationPolicy {
  const on = (v: string | undefined) => /^(1|true|yes|on)$/i.test(v?.trim() ?? '');
  return { allowHttp: on(env.PARALLAX_WEBHOOK_ALLOW_HTTP), allowPrivate: on(env.PARALLAX_WEBHOOK_ALLOW_PRIVATE) };
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Problems with an endpoint URL (empty when fine): https only — the body carries survey figures and
 * the signature does not hide them — except http to a loopback host (the traffic never leaves the
 * machine) or under allowHttp; no credentials in the URL; no literal private address unless allowed.
 * Host names are resolved and checked again at every delivery (server/webhook-runner.ts), since DNS
 * can change after this check.
 */
export function checkWebhookUrl(raw: string, policy: DestinationPolicy, field = 'url'): FieldError[] {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return [{ field, message: 'is not an absolute URL' }];
  }
  const host = u.hostname.toLowerCase();
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return [{ field, message: 'must be an https URL' }];
  if (u.protocol === 'http:' && !policy.allowHttp && !LOOPBACK_NAMES.has(host)) return [{ field, message: 'must be https (plain http only to a loopback host, or with PARALLAX_WEBHOOK_ALLOW_HTTP=1)' }];
  if (u.username || u.password) return [{ field, message: 'must not carry a user name or password; the signature authenticates the sender' }];
  const literal = host.startsWith('[') ? host.slice(1, -1) : host;
  if (!policy.allowPrivate && (host === 'localhost' || (isIP(literal) && isPrivateAddress(literal))))
    return [{ field, message: 'is a private or loopback address, refused (PARALLAX_WEBHOOK_ALLOW_PRIVATE=1 allows it)' }];
  return [];
}
