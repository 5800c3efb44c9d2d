// `parallax contacts import` and `parallax campaign send/show` as a user runs them (the CLI program, test/cli.ts) on
// both engines: row errors as `row N, column C: reason` and nothing written, a dry run that writes
// nothing, then an import and a campaign that queues one message per matching contact.
import { it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEngines } from '../../test/engines.ts';
import { cli } from '../../test/cli.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { replaceSegmentDeclarations } from '../store/segments.ts';

describeEngines('parallax contacts import / campaign send', (ctx) => {
  let f: OrgFixture;
  let dir: string;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    await replaceSegmentDeclarations(ctx().db, f.org.id, [{ key: 'region', label: 'Region', kind: 'values', public: false, values: [{ value: 'EMEA', label: 'EMEA' }, { value: 'APAC', label: 'APAC' }] }]);
    dir = mkdtempSync(join(tmpdir(), 'parallax-contacts-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const count = async () => Number((await ctx().db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', f.org.id).executeTakeFirstOrThrow()).n);

  it('imports contacts all or nothing, with a dry run, and queues a campaign', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'email,segment:region\na@example.com,EMEA\nb@example,APAC\nc@example.com,MARS\n');
    const r1 = await cli(ctx().location, ['contacts', 'import', bad, '--org', f.org.id]);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain('row 2, column email: must be an e-mail address');
    expect(r1.stderr).toContain('row 3, column segment:region: must be one of "EMEA", "APAC"');
    expect(r1.stderr).toContain('nothing was imported');
    expect(await count()).toBe(0);

    const good = join(dir, 'good.csv');
    writeFileSync(good, 'email,name,segment:region\nA@example.com,Ana,EMEA\nb@example.com,Ben,APAC\nc@example.com,Cy,EMEA\n');
    const dry = await cli(ctx().location, ['contacts', 'import', good, '--org', f.org.id, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would add 3');
    expect(await count()).toBe(0);
    const real = await cli(ctx().location, ['contacts', 'import', good, '--org', f.org.id]);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('added 3, updated 0');
    expect(await count()).toBe(3);

    const send = await cli(ctx().location, ['campaign', 'send', '--org', f.org.id, '--name', 'EMEA March', '--segment', 'region=EMEA', '--remind-after', '3', '--reminders', '1']);
    expect(send.code).toBe(0);
    expect(send.stderr).toContain('2 contacts invited');
    const id = send.stdout.trim();
    const jobs = await ctx().db.selectFrom('mail_jobs').select('state').where('org_id', '=', f.org.id).execute();
    expect(jobs.map((j) => j.state)).toEqual(['queued', 'queued']);
    const show = await cli(ctx().location, ['campaign', 'show', id, '--org', f.org.id]);
    expect(show.stdout).toContain('invited 2, sent 0');
    expect(show.stdout).toContain('nothing delivered yet');

    const badSend = await cli(ctx().location, ['campaign', 'send', '--org', f.org.id, '--name', 'x', '--reminders', '2']);
    expect(badSend.code).toBe(1);
    expect(badSend.stderr).toContain('--remind-after: is needed when maxReminders is above 0');
  });
});
