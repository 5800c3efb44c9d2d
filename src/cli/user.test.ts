// `parallax user add|list` and the demo's logins, as a user runs them (the CLI program, test/cli.ts), on both engines.
import { it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { describeEngines } from '../../test/engines.ts';
import { cli } from '../../test/cli.ts';
import { makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { authenticate } from '../store/users.ts';
import { getMembership, listMembers } from '../store/memberships.ts';
import { createSession, useSession } from '../store/sessions.ts';
import { DEMO_ADMIN, DEMO_PASSWORD, DEMO_USERS } from '../sample-data/demo.ts';

describeEngines('parallax user', (ctx) => {
  let f: OrgFixture;
  let url: string;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    url = ctx().location;
  });

  it('adds a user with a generated password it prints once, and lists members', async () => {
    const r = await cli(url, ['user', 'add', 'Lead@Example.com', '--org', f.org.id, '--role', 'admin', '--name', 'Lee Lead']);
    expect(r.code).toBe(0);
    const password = /Password: (\S+)/.exec(r.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const user = await authenticate(ctx().db, 'lead@example.com', password!);
    expect(user?.name).toBe('Lee Lead');
    expect((await getMembership(ctx().db, f.org.id, user!.id))?.role).toBe('admin');

    const owner = await cli(url, ['user', 'add', 'sam@example.com', '--org', f.org.id, '--role', 'owner', '--department', 'Support', '--password', 'sam password 1']);
    expect(owner.code).toBe(0);
    expect(owner.stdout).not.toContain('Password:');
    expect(await authenticate(ctx().db, 'sam@example.com', 'sam password 1')).toBeDefined();

    const list = await cli(url, ['user', 'list', '--org', f.org.id]);
    expect(list.stdout.trim().split('\n')).toEqual(['lead@example.com\tLee Lead\tadmin', 'sam@example.com\tsam\towner\tSupport']);
  });

  it('refuses bad input, naming it, and writes nothing', async () => {
    const before = await listMembers(ctx().db, f.org.id);
    const cases: [string[], string][] = [
      [['user', 'add', 'not-an-email', '--org', f.org.id, '--role', 'viewer'], 'must be an e-mail address'],
      [['user', 'add', 'x@example.com', '--org', f.org.id, '--role', 'owner'], '--department is required with --role owner'],
      [['user', 'add', 'x@example.com', '--org', f.org.id, '--role', 'viewer', '--password', 'short'], '--password must be at least 10 characters'],
      [['user', 'add', 'x@example.com', '--org', f.org.id, '--role', 'boss'], "argument 'boss' is invalid"],
      [['user', 'add', 'x@example.com', '--org', 'nope', '--role', 'viewer'], 'no organisation "nope"'],
    ];
    for (const [args, message] of cases) {
      const r = await cli(url, args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toContain(message);
    }
    expect(await listMembers(ctx().db, f.org.id)).toEqual(before);
  });

  it('changes an existing member\'s role, but never removes the last admin', async () => {
    const g = await makeOrg(ctx());
    await cli(url, ['user', 'add', 'solo@example.com', '--org', g.org.id, '--role', 'admin', '--password', 'solo password']);
    const demote = await cli(url, ['user', 'add', 'solo@example.com', '--org', g.org.id, '--role', 'viewer']);
    expect(demote.code).toBe(1);
    expect(demote.stderr).toContain('must keep at least one admin');
    const solo = (await authenticate(ctx().db, 'solo@example.com', 'solo password'))!;
    const { token } = await createSession(ctx().db, solo.id);
    const reset = await cli(url, ['user', 'add', 'solo@example.com', '--org', g.org.id, '--role', 'admin', '--password', 'a new solo password']);
    expect(reset.code).toBe(0);
    expect(await authenticate(ctx().db, 'solo@example.com', 'a new solo password')).toBeDefined();
    expect(await useSession(ctx().db, token)).toBeUndefined(); // a reset logs everyone out of that account
  });

  it('creates the demo with a login for each role', async () => {
    const r = await cli(url, ['demo', '--customers', '40']);
    expect(r.code).toBe(0);
    const members = await listMembers(ctx().db, 'streamly');
    expect(members.map((m) => [m.email, m.role, m.department])).toEqual(
      DEMO_USERS.map((u) => [u.email, u.role, u.department ?? null]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(await authenticate(ctx().db, DEMO_ADMIN, DEMO_PASSWORD)).toBeDefined();
    expect(await authenticate(ctx().db, 'owner.support@streamly.example', 'parallax-demo')).toBeDefined();
  });
});
