// Brute-force brake for logins: failures are counted per e-mail + client address over a sliding
// window; past the limit, that pair is refused (429) until its oldest failure leaves the window.
// Kept in memory: with several instances each brakes on its own, which still bounds guessing.
export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60 * 1000;
const MAX_KEYS = 50_000; // bounds memory under a spray of distinct e-mails

export class LoginThrottle {
  private failures = new Map<string, number[]>();

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfter(key: string, now = Date.now()): number {
    const list = this.recent(key, now);
    if (list.length < MAX_FAILURES) return 0;
    return Math.max(1, Math.ceil((list[list.length - MAX_FAILURES]! + WINDOW_MS - now) / 1000));
  }

  fail(key: string, now = Date.now()): void {
    const list = this.recent(key, now);
    list.push(now);
    this.failures.delete(key); // re-insert: Map order doubles as least-recently-failed order
    this.failures.set(key, list);
    if (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
