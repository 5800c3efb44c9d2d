// Attack: read the server's log for passwords, session cookies, CSRF tokens, tokens in links, or what
// respondents wrote. Now the log is structured JSON with a request id on every line (echoed to the
// client as X-Request-Id) and none of those in it.
import { Writable } from 'node:stream';
import { it, expect, beforeAll, afterAll, describe } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../engines.ts';
import { makeOrg, type OrgFixture } from '../fixtures.ts';
import { makeUser } from '../auth-fixture.ts';
import { buildApp } from '../../src/server/app.ts';
import { redactUrl } from '../../src/server/logging.ts';

describe('redactUrl', () => {
  it.each([
    ['/invite/abcDEF123', '/invite/[redacted]'],
    ['/api/v1/invitations/abc.def/accept', '/api/v1/invitations/[redacted]/accept'],
    ['/s/svy_1?t=secret-token&touchpoint=app', '/s/svy_1?t=[redacted]&touchpoint=app'],
    ['/x?token=1&%74=2&q=hello', '/x?token=[redacted]&%74=[redacted]&q=hello'],
    ['/api/v1/organisations/acme/reports/gap?where=segment:region%3DEMEA', '/api/v1/organisations/acme/reports/gap?where=segment:region%3DEMEA'],
  ])('%s → %s', (url, want) => expect(redactUrl(url)).toBe(want));
});

describeEngines('attack: secrets and respondents\' words in the log', (ctx) => {
  let app: FastifyInstance;
  let base: string;
  let f: OrgFixture;
  let lines = '';
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines += chunk.toString();
        done();
      },
    });
    app = await buildApp({ store: ctx(), logger: { stream, level: 'info' } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    f = await makeOrg(ctx());
  });
  afterAll(() => app.close());

  it('logs requests as JSON with request ids, never the password, cookie, CSRF token, link token or comment', async () => {
    const u = await makeUser(ctx(), { password: 'Pa55word-Never-Logged' });
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'client-trace-42' },
      body: JSON.stringify({ email: u.email, password: u.password }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('x-request-id')).toBe('client-trace-42');
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookieValue = cookie.split('=')[1]!;
    // A write with the cookie and CSRF token, so both headers travel through the server.
    const me = await fetch(`${base}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(me.status).toBe(204);
    const comment = 'RESPONDENT-WORDS my neighbour Alice Smith was rude';
    const sub = await fetch(`${base}/api/v1/surveys/${f.customerSurvey}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'bad id with spaces {"level":60}' },
      body: JSON.stringify({ answers: { excellent: 5, nps: 10 }, comment }),
    });
    expect(sub.status).toBe(201);
    const generated = sub.headers.get('x-request-id')!;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/); // an unsafe client id is replaced, not logged
    const form = await fetch(`${base}/s/${f.customerSurvey}?t=LINK-TOKEN-XYZ&touchpoint=app`);
    expect(form.status).toBeLessThan(500);
    await fetch(`${base}/invite/INVITE-TOKEN-ABC`);

    const parsed = lines.trim().split('\n').map((l) => JSON.parse(l));
    expect(parsed.length).toBeGreaterThan(6);
    expect(parsed.filter((l) => l.req).every((l) => typeof l.reqId === 'string' && l.reqId.length > 0)).toBe(true);
    expect(parsed.some((l) => l.reqId === 'client-trace-42' && l.res?.statusCode === 200)).toBe(true);
    expect(parsed.some((l) => l.reqId === generated)).toBe(true);
    for (const secret of ['Pa55word-Never-Logged', cookieValue, csrfToken, 'RESPONDENT-WORDS', 'Alice Smith', 'LINK-TOKEN-XYZ', 'INVITE-TOKEN-ABC', 'bad id with spaces'])
      expect(lines, secret).not.toContain(secret);
    expect(lines).toContain('t=[redacted]');
  });
});
