// Hole 11: the form-body parser was registered for the whole app, so a cross-site HTML form could post
// an attacker's e-mail and password to /api/v1/auth/login and log the victim's browser in as the
// attacker (login CSRF). Replayed against the real server: login and every other JSON route answer 415
// to the bodies a cross-site form can send (urlencoded, multipart; a text/plain body is not JSON to
// them either), set no cookie; only the survey pages take form bodies.
import { it, expect, beforeAll, afterAll } from 'vitest';
import { describeEngines } from '../engines.ts';
import { makeOrg, type OrgFixture } from '../fixtures.ts';
import { listen, form, type LiveServer } from './public-server.ts';
import { createUser } from '../../src/store/users.ts';

const EMAIL = 'attacker@evil.example';
const PASSWORD = 'attacker-password-1';

describeEngines('attack: login CSRF through a cross-site form', (ctx) => {
  let s: LiveServer;
  let f: OrgFixture;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    await createUser(ctx().db, { email: EMAIL, name: 'Attacker', password: PASSWORD });
    s = await listen(ctx());
  });
  afterAll(async () => {
    await s.app.close();
  });
  const login = (init: RequestInit) => fetch(`${s.base}/api/v1/auth/login`, { method: 'POST', redirect: 'manual', ...init });

  it('refuses the form bodies a cross-site page can send to login, setting no session cookie', async () => {
    const urlencoded = await login(form(`email=${encodeURIComponent(EMAIL)}&password=${encodeURIComponent(PASSWORD)}`));
    expect(urlencoded.status).toBe(415);
    expect(urlencoded.headers.get('set-cookie')).toBeNull();
    const multipart = new FormData();
    multipart.set('email', EMAIL);
    multipart.set('password', PASSWORD);
    const mp = await login({ body: multipart });
    expect(mp.status).toBe(415);
    expect(mp.headers.get('set-cookie')).toBeNull();
    // enctype="text/plain" can shape a JSON-looking body; it is still not JSON to the API.
    const text = await login({ headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);
    expect(text.headers.get('set-cookie')).toBeNull();
  });

  it('answers 415 to form bodies on other JSON routes too', async () => {
    const r = await fetch(`${s.base}/api/v1/surveys/${f.customerSurvey}/responses`, form('excellent=4'));
    expect(r.status).toBe(415);
    const org = await fetch(`${s.base}/api/v1/organisations`, form('name=Evil&industry=retail'));
    expect([401, 415]).toContain(org.status); // no session: refused either way, never parsed as a form
  });

  it('still logs in with JSON, and the survey form still takes form bodies', async () => {
    const ok = await login({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toContain('parallax_session');
    const page = await fetch(`${s.base}/s/${f.customerSurvey}`, form('excellent=4&_token=csrf-form-ok-1'));
    expect(page.status).toBe(303);
  });
});
