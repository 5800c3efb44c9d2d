// Runs a `parallax` command against the database at `url`, in this test's own process, through the same
// commander program that src/cli/main.ts parses (src/cli/program.ts): its stdout, stderr and exit code as
// a user would see them. Starting the CLI as a subprocess cost 1.5–4 s per command on a 2-core machine —
// a third of the whole suite's time — for a start-up that src/cli/bin.test.ts and the server-process tests
// already test as users run it (`bin/parallax.js`, signals, exit codes).
import { Writable } from 'node:stream';
import { format } from 'node:util';
import { CommanderError, type Command } from 'commander';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

let queue: Promise<unknown> = Promise.resolve();

/** One command at a time: the output and the environment are this process's own while it runs. */
export function cli(url: string, args: string[]): Promise<CliRun> {
  const run = queue.then(() => runOnce(url, args));
  queue = run.catch(() => {});
  return run;
}

let prepared: Promise<typeof import('../src/cli/program.ts')> | undefined;

/** Commander's exits become errors (it would end this process), for every command and subcommand. */
function withoutExits(c: Command): void {
  c.exitOverride();
  for (const sub of c.commands) withoutExits(sub);
}

async function runOnce(url: string, args: string[]): Promise<CliRun> {
  prepared ??= import('../src/cli/program.ts').then((m) => {
    withoutExits(m.program);
    return m;
  });
  const { program, failureOf } = await prepared;
  let stdout = '';
  let stderr = '';
  const toOut = (...a: unknown[]) => void (stdout += format(...a) + '\n');
  const toErr = (...a: unknown[]) => void (stderr += format(...a) + '\n');
  // process.stdout and process.stderr as streams of their own, so that a command piping into one
  // (`parallax export`) writes here and may end it.
  const capture = (append: (s: string) => void) =>
    new Writable({
      decodeStrings: false,
      write(chunk: string | Buffer, _enc, done) {
        append(String(chunk));
        done();
      },
    });
  const saved = {
    log: console.log, info: console.info, warn: console.warn, error: console.error,
    out: Object.getOwnPropertyDescriptor(process, 'stdout')!, err: Object.getOwnPropertyDescriptor(process, 'stderr')!,
    url: process.env.PARALLAX_DATABASE_URL, exitCode: process.exitCode,
  };
  console.log = console.info = toOut;
  console.warn = console.error = toErr;
  Object.defineProperty(process, 'stdout', { configurable: true, value: capture((s) => (stdout += s)) });
  Object.defineProperty(process, 'stderr', { configurable: true, value: capture((s) => (stderr += s)) });
  process.env.PARALLAX_DATABASE_URL = url;
  process.exitCode = undefined;
  let code = 0;
  try {
    await program.parseAsync(args, { from: 'user' });
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) code = e.exitCode; // its message is already on stderr
    else {
      const failure = failureOf(e);
      toErr(failure.message);
      code = failure.code;
    }
  } finally {
    Object.assign(console, { log: saved.log, info: saved.info, warn: saved.warn, error: saved.error });
    Object.defineProperty(process, 'stdout', saved.out);
    Object.defineProperty(process, 'stderr', saved.err);
    if (saved.url === undefined) delete process.env.PARALLAX_DATABASE_URL;
    else process.env.PARALLAX_DATABASE_URL = saved.url;
    process.exitCode = saved.exitCode;
  }
  return { code, stdout, stderr };
}
