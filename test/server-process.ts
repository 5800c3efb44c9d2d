// Runs `parallax serve` as a real subprocess on a free loopback port, for tests of what happens to the
// process itself: database outages, signals, load.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { cliCommand } from './cli-bundle.ts';


export interface ServerProcess {
  base: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Survey rate limits off: a test's load comes from one loopback address, which the per-address limit
 * would stop (rate limits have their own tests in test/attack/rate-limits.test.ts).
 */
const NO_SURVEY_LIMITS = { PARALLAX_RATE_SURVEY_PER_MIN: '0', PARALLAX_RATE_SURVEY_PER_IP_PER_MIN: '0' };

/** Starts `parallax serve` on `databaseUrl` and waits until /healthz answers. */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...cliCommand(), 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    env: { ...process.env, ...NO_SURVEY_LIMITS, PARALLAX_DATABASE_URL: databaseUrl, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ended = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 100))]);
    if (ended) throw new Error(`parallax serve exited before it was ready:\n${out}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (i > 600) {
      child.kill('SIGKILL');
      throw new Error(`parallax serve did not become ready in 60 s:\n${out}`);
    }
  }
  return { base, child, output: () => out, exited, kill: (signal = 'SIGTERM') => child.kill(signal) };
}
