// The login brake: refuses after 10 failures within 15 minutes, per key, until the oldest expires.
import { describe, it, expect } from 'vitest';
import { LoginThrottle, MAX_FAILURES, WINDOW_MS } from './login-throttle.ts';

describe('LoginThrottle', () => {
  it('allows 10 failures, then refuses until the oldest failure is 15 minutes old', () => {
    const t = new LoginThrottle();
    const t0 = 1_000_000;
    for (let i = 0; i < MAX_FAILURES; i++) {
      expect(t.retryAfter('a', t0 + i * 1000)).toBe(0);
      t.fail('a', t0 + i * 1000);
    }
    expect(t.retryAfter('a', t0 + 10_000)).toBe((WINDOW_MS - 10_000) / 1000);
    expect(t.retryAfter('b', t0 + 10_000)).toBe(0); // another e-mail/address pair
    expect(t.retryAfter('a', t0 + WINDOW_MS)).toBe(0); // the first failure has left the window
  });
  it('forgets failures after a success', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < MAX_FAILURES - 1; i++) t.fail('a', i);
    t.succeed('a');
    t.fail('a', 100);
    expect(t.retryAfter('a', 101)).toBe(0);
  });
});
