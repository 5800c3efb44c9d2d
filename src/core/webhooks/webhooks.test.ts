// The pure webhook rules: the signature against the Standard Webhooks / Svix libraries' published test
// vector, the retry policy, what counts as a private address and which URLs an endpoint may have.
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, classifyWebhookStatus, isPrivateAddress, newWebhookSecret, webhookBody, webhookRetryDelayMs, webhookSignature } from './webhooks.ts';

describe('webhook rules', () => {
  it('signs as the spec does (the reference libraries\' test vector)', () => {
    // standard-webhooks / svix test suites: secret, msg id, timestamp, payload → expected signature.
    expect(webhookSignature('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
    const s = newWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(s.slice(6), 'base64')).toHaveLength(24);
  });

  it('retries busy or broken receivers with growing waits, and takes other refusals as final', () => {
    expect([1, 2, 3, 7, 8].map(webhookRetryDelayMs)).toEqual([5000, 25_000, 125_000, 10 * 3600_000, 10 * 3600_000]);
    expect([200, 204, 500, 503, 429, 408, 410, 400, 301, 404].map(classifyWebhookStatus)).toEqual(['delivered', 'delivered', 'retry', 'retry', 'retry', 'retry', 'permanent', 'permanent', 'permanent', 'permanent']);
  });

  it('knows private addresses, IPv6 and mapped IPv4 included', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', 'nonsense'])
      expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of ['93.184.216.34', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) expect(isPrivateAddress(ip), ip).toBe(false);
  });

  it('accepts https, and http only to loopback or when allowed; refuses private literals unless allowed', () => {
    const strict = { allowHttp: false, allowPrivate: false };
    expect(checkWebhookUrl('https://hooks.example.com/x', strict)).toEqual([]);
    expect(checkWebhookUrl('http://hooks.example.com/x', strict)[0]?.field).toBe('url');
    expect(checkWebhookUrl('http://hooks.example.com/x', { ...strict, allowHttp: true })).toEqual([]);
    expect(checkWebhookUrl('https://10.0.0.5/x', strict)[0]?.message).toMatch(/private/);
    expect(checkWebhookUrl('http://127.0.0.1:8080/x', strict)[0]?.message).toMatch(/private/);
    expect(checkWebhookUrl('http://127.0.0.1:8080/x', { ...strict, allowPrivate: true })).toEqual([]);
    expect(checkWebhookUrl('https://[::1]/x', strict)[0]?.message).toMatch(/private/);
    expect(checkWebhookUrl('https://u:p@hooks.example.com/', strict)[0]?.message).toMatch(/password/);
    expect(checkWebhookUrl('ftp://hooks.example.com/', strict)[0]?.message).toMatch(/https/);
    expect(checkWebhookUrl('not a url', strict)[0]?.message).toMatch(/absolute/);
  });

  it('writes the Slack/Teams body as one text field', () => {
    const e = { type: 'webhook.test' as const, timestamp: '2026-01-01T00:00:00.000Z', data: { a: 1 }, summary: 'hello' };
    expect(JSON.parse(webhookBody('slack', e))).toEqual({ text: 'hello' });
    expect(JSON.parse(webhookBody('standard', e))).toEqual({ type: 'webhook.test', timestamp: e.timestamp, data: { a: 1 } });
  });
});
