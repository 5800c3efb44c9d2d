// Verifying an inbound feedback webhook (issue 9) the Standard Webhooks way (https://www.standardwebhooks.com/):
// `webhook-id`, `webhook-timestamp` (seconds, within ±5 minutes of our clock, so a captured request cannot be
// replayed later) and `webhook-signature`, a space-separated list of `v1,<base64 HMAC-SHA256>` (several while a
// sender rotates secrets). The signature is computed by the same function that signs our outgoing webhooks
// (core/webhooks/webhooks.ts webhookSignature): one implementation for both directions.
import { timingSafeEqual } from 'node:crypto';
import { webhookSignature } from './webhooks/webhooks.ts';

export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export type WebhookVerdict = { ok: true; id: string } | { ok: false; reason: string };

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** Checks the headers and signature of a raw body (the exact bytes received, before any parsing). */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowMs: number = Date.now(),
): WebhookVerdict {
  const id = one(headers['webhook-id']);
  const ts = one(headers['webhook-timestamp']);
  const sig = one(headers['webhook-signature']);
  if (!id || !ts || !sig) return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature header' };
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'webhook-timestamp must be seconds since the epoch' };
  const seconds = Number(ts);
  if (Math.abs(nowMs / 1000 - seconds) > WEBHOOK_TOLERANCE_SECONDS) return { ok: false, reason: 'webhook-timestamp is more than 5 minutes from now' };
  const expected = Buffer.from(webhookSignature(secret, id, seconds, body).slice('v1,'.length), 'base64');
  let match = false;
  for (const part of sig.split(' ')) {
    const [version, value] = part.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    // Constant time over the whole list: every candidate is compared, none ends the loop early.
    if (given.length === expected.length && timingSafeEqual(given, expected)) match = true;
  }
  return match ? { ok: true, id } : { ok: false, reason: 'no valid v1 signature' };
}
