// bin/parallax.js (what `npx parallax` runs) works from any folder, not only the repository root:
// it must find tsx from its own package, not from the working directory.
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { it, expect, beforeAll } from 'vitest';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/parallax.js');

/** Runs the bin as a user does (its own shebang), with the working directory outside the repository. */
async function parallax(url: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(BIN, args, { cwd: tmpdir(), env: { ...process.env, PARALLAX_DATABASE_URL: url } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e: any) {
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describeEngines('bin/parallax.js from outside the repository', (ctx) => {
  let f: OrgFixture;
  beforeAll(async () => {
    f = await makeOrg(ctx());
  });

  it('lists the organisations with cwd = os.tmpdir()', async () => {
    const r = await parallax(ctx().location, ['org', 'list']);
    expect(r.stderr).not.toContain("Cannot find package 'tsx'");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${f.org.id}\t${f.org.name}\t`);
  });

  it("passes on the CLI's exit code and messages", async () => {
    const r = await parallax(ctx().location, ['no-such-command']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown command 'no-such-command'");
  });
});
