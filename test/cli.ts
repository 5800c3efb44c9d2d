// Runs the `parallax` CLI as a user does: a real subprocess against the database at `url`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cliCommand } from './cli-bundle.ts';

const run = promisify(execFile);

export async function cli(url: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [...cliCommand(), ...args], { env: { ...process.env, PARALLAX_DATABASE_URL: url }, maxBuffer: 1 << 26 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e: any) {
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
