// A task a server repeats in the background (folding queued responses, sending mail): one round at a
// time, the next `intervalMs` after the last one ended, never keeping the process alive, and stopped by
// waiting for the round under way. A failed round is reported and the loop goes on.
export interface BackgroundLoop {
  /** Stops the timer and waits for a round under way. */
  stop(): Promise<void>;
}

export function backgroundLoop(intervalMs: number, round: () => Promise<void>, onError: (err: unknown) => void): BackgroundLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const schedule = () => {
    timer = setTimeout(tick, intervalMs);
    timer.unref();
  };
  const tick = () => {
    timer = undefined;
    running = round()
      .catch(onError)
      .finally(() => {
        running = undefined;
        if (!stopped) schedule();
      });
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * A loop's interval from the environment: `name` in milliseconds, `defaultMs` when unset, undefined for
 * "off" (or 0/false/no: another server runs it); anything else outside [minMs, maxMs] stops the server at
 * start with a message naming the variable.
 */
export function intervalFromEnv(env: NodeJS.ProcessEnv, name: string, defaultMs: number, { minMs = 100, maxMs = 3_600_000 } = {}): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return defaultMs;
  if (/^(off|0|false|no)$/i.test(raw)) return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < minMs || ms > maxMs) throw new Error(`${name}: expected milliseconds (${minMs}–${maxMs}) or "off", got "${raw}"`);
  return ms;
}
