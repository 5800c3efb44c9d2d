// The pure part of feedback items (issue 9): shaping and checking an item, the rating's normalisation, and
// the inbound webhook's signature check (Standard Webhooks), with the signing function of our outgoing webhooks.
import { describe, it, expect } from 'vitest';
import { checkFeedbackItem, FeedbackItemInput, parseFeedbackBody, type FeedbackContext } from './feedback.ts';
import { verifyWebhook } from './feedback-webhook.ts';
import { webhookSignature } from './webhooks/webhooks.ts';

const ctx: FeedbackContext = {
  sources: new Map([['fsrc_r', { channel: 'review' }], ['fsrc_i', { channel: 'interview' }]]),
  touchpoints: new Set(['billing']),
  rules: { origin: 'trusted', segments: [] },
  now: new Date('2025-06-01T12:00:00Z'),
};
const check = (raw: object) => checkFeedbackItem(FeedbackItemInput.parse(raw), ctx);

describe('feedback items', () => {
  it('normalises a rating on its own scale and keeps it as given', () => {
    const r = check({ source: 'fsrc_r', text: 'ok', rating: { value: 7, min: 0, max: 10 } });
    expect(r.ok && r.value.rating).toEqual({ value: 7, min: 0, max: 10, normalised: 0.7 });
    const five = check({ source: 'fsrc_r', text: 'ok', rating: { value: 2, min: 1, max: 5 } });
    expect(five.ok && five.value.rating?.normalised).toBe(0.25);
  });

  it('takes the channel from the source, long notes only for interviews and focus groups, line breaks kept', () => {
    const r = check({ source: 'fsrc_i', text: `A: hello\r\nB: ${'x'.repeat(20_000)}` });
    expect(r.ok && [r.value.channel, r.value.text.startsWith('A: hello\nB: ')]).toEqual(['interview', true]);
    expect(check({ source: 'fsrc_r', text: 'x'.repeat(10_001) })).toEqual({ ok: false, errors: [{ field: 'text', message: expect.stringMatching(/at most 10000/) }] });
    expect(check({ source: 'fsrc_r', channel: 'ticket', text: 'x' })).toEqual({ ok: false, errors: [{ field: 'channel', message: 'must be the source\'s channel ("review")' }] });
    expect(check({ source: 'fsrc_r', text: 'x', occurredAt: '2025-06-01T12:06:00Z' })).toMatchObject({ ok: false, errors: [{ field: 'occurredAt' }] });
  });

  it('names the fields of a batch by their index', () => {
    const p = parseFeedbackBody({ items: [{ text: 'a' }, { text: 'b', rating: { value: 1, min: 1, max: 1 } }] });
    expect(p).toEqual({ ok: false, errors: [{ field: 'items.1.rating.max', message: 'must be greater than min' }] });
    expect(parseFeedbackBody({ source: 'fsrc_r' })).toEqual({ ok: false, errors: [{ field: 'text', message: 'is required' }] });
  });
});

describe('inbound webhook signature', () => {
  const secret = `whsec_${Buffer.alloc(24, 3).toString('base64')}`;
  const body = '{"text":"hello"}';
  const at = 1_750_000_000;
  const headers = (over: Record<string, string> = {}) => ({ 'webhook-id': 'msg_1', 'webhook-timestamp': String(at), 'webhook-signature': webhookSignature(secret, 'msg_1', at, body), ...over });

  it('accepts the signature within five minutes, one of several, and nothing else', () => {
    expect(verifyWebhook(secret, headers(), body, at * 1000)).toEqual({ ok: true, id: 'msg_1' });
    expect(verifyWebhook(secret, headers(), body, (at + 300) * 1000).ok).toBe(true);
    expect(verifyWebhook(secret, headers(), body, (at + 301) * 1000)).toEqual({ ok: false, reason: 'webhook-timestamp is more than 5 minutes from now' });
    expect(verifyWebhook(secret, headers({ 'webhook-signature': `v1,AAAA v1,${headers()['webhook-signature'].slice(3)}` }), body, at * 1000).ok).toBe(true);
    expect(verifyWebhook(secret, headers(), `${body} `, at * 1000).ok).toBe(false);
    expect(verifyWebhook(secret, headers({ 'webhook-timestamp': '1.5e9' }), body, at * 1000).ok).toBe(false);
    expect(verifyWebhook(secret, { 'webhook-id': 'msg_1' }, body, at * 1000).ok).toBe(false);
  });
});
