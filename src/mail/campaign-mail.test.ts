// Campaign mail end to end, on both engines: contacts uploaded as CSV through the API, a campaign sent
// through a real SMTP server started here (smtp-server on 127.0.0.1, read back with mailparser), answered
// through its token (JSON route and survey form), opened (the tracking image, or the link followed),
// reminded with a controlled clock, unsubscribed, bounced (550) and retried (451); the claim of due jobs is
// atomic and a restart re-sends nothing. The SMTP server is test/smtp.ts.
import { it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import nodemailer, { type Transporter } from 'nodemailer';
import { describeEngines } from '../../test/engines.ts';
import { answerTokenIn, openTokenIn, startSmtp, unsubscribeTokenIn, type TestSmtp } from '../../test/smtp.ts';
import { makeApp, makeOrg, type OrgFixture } from '../../test/fixtures.ts';
import { authHeaders } from '../../test/auth-fixture.ts';
import { replaceSegmentDeclarations } from '../store/segments.ts';
import { getJourney } from '../store/organisations.ts';
import { MailRunner } from './runner.ts';
import { claimDueJobs, failInterrupted } from '../store/mail-jobs.ts';
import { createCampaign } from '../store/campaigns.ts';
import { OPEN_GIF } from '../server/routes/mail-opens.ts';

const DAY = 86_400_000;

describeEngines('campaign mail through SMTP', (ctx, engine) => {
  let app: FastifyInstance;
  let f: OrgFixture;
  let admin: Record<string, string>;
  let smtp: TestSmtp;
  let transport: Transporter;
  let tp: string;
  let clock = new Date(); // campaigns made through the API are sent "now" by the real clock; the test moves it from there
  const runner = () =>
    new MailRunner({ db: ctx().db, transport, from: 'surveys@parallax.test', publicUrl: 'https://cx.example.com', perMinute: 100, now: () => clock });
  const contactsUrl = () => `/api/v1/organisations/${f.org.id}/contacts`;
  const mailTo = (addr: string) => smtp.mailTo(addr);

  beforeAll(async () => {
    smtp = await startSmtp();
    transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
    app = await makeApp(ctx());
    f = await makeOrg(ctx(), { name: 'Acme Streaming' });
    admin = await authHeaders(ctx(), f.org.id, 'admin');
    // region is not public: only the organisation (a contact upload) can set it, never a respondent.
    await replaceSegmentDeclarations(ctx().db, f.org.id, [
      { key: 'region', label: 'Region', kind: 'values', public: false, values: [{ value: 'EMEA', label: 'EMEA' }, { value: 'APAC', label: 'APAC' }] },
    ]);
    tp = (await getJourney(ctx().db, f.org.id))[0]!.touchpoints[0]!.key;
  });
  afterAll(async () => {
    await app.close();
    transport.close();
    await smtp.close();
  });

  it('checks a CSV upload row by row, writes nothing on a dry run or with a bad row, then imports', async () => {
    const bad = `email,name,segment:region,touchpoint\nana@example.com,Ana,EMEA,${tp}\nnot-an-address,Bob,EMEA,\ncara@example.com,Cara,MARS,\nANA@example.com,Ana again,APAC,\n`;
    const r1 = await app.inject({ method: 'POST', url: contactsUrl(), headers: { ...admin, 'content-type': 'text/csv' }, payload: bad });
    expect(r1.statusCode).toBe(422);
    const fields = r1.json().fields.map((x: { field: string }) => x.field);
    expect(fields).toEqual(['row 2, column email', 'row 3, column segment:region', 'row 4, column email']);
    expect(r1.json().message).toContain('row 2, column email');
    const list0 = await app.inject({ url: contactsUrl(), headers: admin });
    expect(list0.json().total).toBe(0);

    const csv = [
      'email,name,language,segment:region,touchpoint',
      `Ana@Example.com,Ana,en,EMEA,${tp}`,
      `ben@example.com,Ben,en,APAC,${tp}`,
      `bounce@example.com,Bo,en,EMEA,`,
      `slow@example.com,Sam,en,EMEA,`,
      `una@example.com,Una,en,APAC,`,
    ].join('\n');
    const dry = await app.inject({ method: 'POST', url: `${contactsUrl()}?dryRun=true`, headers: { ...admin, 'content-type': 'text/csv' }, payload: csv });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, valid: 5, created: 5, updated: 0, errors: [] });
    expect((await app.inject({ url: contactsUrl(), headers: admin })).json().total).toBe(0);

    const real = await app.inject({ method: 'POST', url: contactsUrl(), headers: { ...admin, 'content-type': 'text/csv' }, payload: csv });
    expect(real.statusCode).toBe(201);
    expect(real.json()).toMatchObject({ created: 5, updated: 0 });
    // A JSON batch adds a leader (who gets only the mirror survey) and updates Ben.
    const json = await app.inject({
      method: 'POST',
      url: contactsUrl(),
      headers: admin,
      payload: { contacts: [{ email: 'lea@example.com', kind: 'leader', function: 'Sales' }, { email: 'BEN@example.com', name: 'Benjamin', segments: { region: 'APAC' }, touchpoint: tp }] },
    });
    expect(json.statusCode).toBe(201);
    expect(json.json()).toMatchObject({ created: 1, updated: 1 });
    const list = (await app.inject({ url: contactsUrl(), headers: admin })).json();
    expect(list.total).toBe(6);
    expect(list.contacts.find((c: { email: string }) => c.email === 'ana@example.com')).toMatchObject({ name: 'Ana', segments: { region: 'EMEA' }, touchpoint: tp, status: 'active' });
    expect(list.contacts.find((c: { email: string }) => c.email === 'ben@example.com').name).toBe('Benjamin');
    // A JSON error names the item's field.
    const badJson = await app.inject({ method: 'POST', url: contactsUrl(), headers: admin, payload: { contacts: [{ email: 'x@example.com', segments: { planet: 'Mars' } }] } });
    expect(badJson.statusCode).toBe(422);
    expect(badJson.json().fields[0].field).toBe('contacts.0.segments.planet');
  });

  it('sends the campaign through SMTP: content, headers, tokens; a 550 bounces, a 451 is retried', async () => {
    const r = await app.inject({
      method: 'POST',
      url: `/api/v1/organisations/${f.org.id}/campaigns`,
      headers: admin,
      payload: { name: 'March', reminderDays: 3, maxReminders: 1 },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().invited).toBe(5); // the five customers, not the leader
    const campaignId = r.json().campaign.id;
    clock = new Date(); // the campaign was made to go "now" by the real clock

    const out = await runner().tick();
    expect(out).toMatchObject({ sent: 3, bounced: 1, retried: 1 });
    const [ana] = mailTo('ana@example.com');
    expect(ana).toBeDefined();
    const m = ana!.mail;
    expect(m.subject).toBe('Acme Streaming would like your opinion (2 minutes)');
    expect(m.from?.value[0]).toMatchObject({ name: 'Acme Streaming', address: 'surveys@parallax.test' });
    expect(m.text).toContain('Hello Ana,');
    expect(m.text).toContain('two minutes');
    const token = answerTokenIn(m.text!)!;
    expect(token).toBeDefined();
    expect(m.html).toContain(`https://cx.example.com/s/${f.customerSurvey}?i=${token}`);
    const unsub = unsubscribeTokenIn(m.text!)!;
    const header = (k: string) => m.headerLines.find((h) => h.key === k)?.line.replace(/\r\n\s+/g, ' '); // unfolded
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <https://cx.example.com/u/${unsub}>`);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(m.html).toContain(`https://cx.example.com/u/${unsub}`);
    // The first question (NPS 0–10) as one-click links.
    for (const v of [0, 5, 10]) expect(m.html).toContain(`href="https://cx.example.com/s/${f.customerSurvey}?i=${token}&amp;a=${v}"`);
    // The tokens are not in the database, only their hashes.
    const stored = await ctx().db.selectFrom('mail_tokens').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(token);

    expect(mailTo('bounce@example.com')).toHaveLength(0);
    const bounced = await ctx().db.selectFrom('contacts').select('status').where('email', '=', 'bounce@example.com').executeTakeFirstOrThrow();
    expect(bounced.status).toBe('bounced');
    const slowJob = await ctx()
      .db.selectFrom('mail_jobs as j')
      .innerJoin('survey_invitations as i', 'i.id', 'j.invitation_id')
      .innerJoin('contacts as c', 'c.id', 'i.contact_id')
      .where('c.email', '=', 'slow@example.com')
      .select(['j.state', 'j.attempts', 'j.next_attempt_at', 'j.last_error'])
      .executeTakeFirstOrThrow();
    expect(slowJob).toMatchObject({ state: 'queued', attempts: 1 });
    expect(slowJob.last_error).toContain('451');
    // Not before its back-off (one minute) …
    expect((await runner().tick()).sent).toBe(0);
    clock = new Date(clock.getTime() + 61_000);
    expect((await runner().tick()).sent).toBe(1);
    expect(mailTo('slow@example.com')).toHaveLength(1);

    const stats = (await app.inject({ url: `/api/v1/organisations/${f.org.id}/campaigns/${campaignId}`, headers: admin })).json();
    expect(stats.stats).toMatchObject({ invited: 5, sent: 5, delivered: 4, bounced: 1, completed: 0 });
  });

  it('records the first open from the tracking image, and nothing for an unknown token', async () => {
    const una = mailTo('una@example.com')[0]!.mail;
    const open = openTokenIn(String(una.html))!;
    expect(una.html).toContain(`<img src="https://cx.example.com/m/${open}/open.gif" width="1" height="1" alt=""`);
    expect(una.text).not.toContain(open); // the plain text has no image
    const campaignId = (await app.inject({ url: `/api/v1/organisations/${f.org.id}/campaigns`, headers: admin })).json().campaigns[0].id;
    const opened = async () => (await app.inject({ url: `/api/v1/organisations/${f.org.id}/campaigns/${campaignId}`, headers: admin })).json().stats.opened;
    const openedAt = async () =>
      (await ctx().db.selectFrom('survey_invitations as i').innerJoin('contacts as c', 'c.id', 'i.contact_id').where('c.email', '=', 'una@example.com').select('i.opened_at').executeTakeFirstOrThrow()).opened_at;
    expect(await opened()).toBe(0);
    const gif = async (path: string, method: 'GET' | 'HEAD' = 'GET') => {
      const r = await app.inject({ method, url: path, headers: { cookie: 'parallax_session=whatever' } });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('image/gif');
      expect(r.headers['cache-control']).toContain('no-store');
      expect(r.headers['set-cookie']).toBeUndefined();
      if (method === 'GET') expect(r.rawPayload.equals(OPEN_GIF)).toBe(true);
      return r;
    };
    await gif(`/m/${open}/open.gif`);
    expect(await opened()).toBe(1);
    const first = await openedAt();
    expect(first).not.toBeNull();
    await gif(`/m/${open}/open.gif`); // a second load keeps the first open
    await gif(`/m/${open}/open.gif`, 'HEAD');
    expect(await openedAt()).toBe(first);
    // Unknown, malformed, over-long or another kind of token: the same image, nothing recorded.
    const ana = mailTo('ana@example.com')[0]!.mail;
    for (const t of ['po_not-a-token-we-ever-issued-xx', 'nonsense', 'po_' + 'x'.repeat(300), answerTokenIn(ana.text!)!, unsubscribeTokenIn(ana.text!)!]) await gif(`/m/${t}/open.gif`);
    expect(await opened()).toBe(1);
    // Only the invitation whose image loaded is marked opened.
    expect((await ctx().db.selectFrom('survey_invitations').select('opened_at').where('opened_at', 'is not', null).execute()).length).toBe(1);
  });

  it('answers through the token with the contact segments and touchpoint, once', async () => {
    const token = answerTokenIn(mailTo('ana@example.com')[0]!.mail.text!)!;
    const answer = () =>
      app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses?i=${token}`, payload: { answers: { excellent: 4 } } });
    const first = await answer();
    expect(first.statusCode).toBe(201);
    const row = await ctx().db.selectFrom('responses').selectAll().where('id', '=', first.json().id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.segments)).toEqual({ region: 'EMEA' }); // a non-public segment, filled from the contact
    expect(row.touchpoint).toBe(tp);
    expect(row.respondent_id).toMatch(/^invite:/);
    const second = await answer();
    expect(second.statusCode).toBe(403);
    expect(second.json().fields[0].field).toBe('i');
    // Without the token a respondent cannot set the non-public segment.
    const open = await app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses`, payload: { answers: { excellent: 4 }, segments: { region: 'EMEA' } } });
    expect(open.statusCode).toBe(422);
    // Another organisation's survey does not take the token.
    const other = await makeOrg(ctx());
    const ben = answerTokenIn(mailTo('ben@example.com')[0]!.mail.text!)!;
    expect((await app.inject({ method: 'POST', url: `/api/v1/surveys/${other.customerSurvey}/responses?i=${ben}`, payload: { answers: { excellent: 4 } } })).statusCode).toBe(403);
  });

  it('answers through the survey form: the touchpoint is not asked, the page counts as started, a second use is refused', async () => {
    const token = answerTokenIn(mailTo('ben@example.com')[0]!.mail.text!)!;
    const page = await app.inject(`/s/${f.customerSurvey}?i=${token}&a=9`); // the "9" button in the message
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="nps" value="9" checked');
    expect((await app.inject(`/s/${f.customerSurvey}?i=${token}&a=11`)).body).not.toMatch(/name="nps" value="\d+" checked/);
    expect(page.body).toContain(`name="_it" value="${token}"`);
    expect(page.body).toContain(`name="link.touchpoint" value="${tp}"`);
    const formToken = /name="_token" value="([^"]+)"/.exec(page.body)![1]!;
    const post = await app.inject({
      method: 'POST',
      url: `/s/${f.customerSurvey}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _token: formToken, _it: token, 'link.touchpoint': tp, excellent: '5' }).toString(),
    });
    expect(post.statusCode).toBe(303);
    const again = await app.inject(`/s/${f.customerSurvey}?i=${token}`);
    expect(again.statusCode).toBe(403);
    expect(again.body).toContain('already been answered');
    const rows = await ctx().db.selectFrom('responses').select(['segments', 'touchpoint']).where('org_id', '=', f.org.id).where('respondent_id', 'like', 'invite:%').execute();
    expect(rows.map((r) => JSON.parse(r.segments).region).sort()).toEqual(['APAC', 'EMEA']);
  });

  it('unsubscribes at once (one-click POST), and reminds only those who have not answered', async () => {
    const una = mailTo('una@example.com')[0]!.mail;
    const unsub = unsubscribeTokenIn(una.text!)!;
    const confirm = await app.inject(`/u/${unsub}`);
    expect(confirm.statusCode).toBe(200); // GET only shows the button
    expect((await ctx().db.selectFrom('contacts').select('status').where('email', '=', 'una@example.com').executeTakeFirstOrThrow()).status).toBe('active');
    const one = await app.inject({ method: 'POST', url: `/u/${unsub}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(one.statusCode).toBe(200);
    expect((await ctx().db.selectFrom('contacts').select('status').where('email', '=', 'una@example.com').executeTakeFirstOrThrow()).status).toBe('unsubscribed');
    expect((await app.inject({ method: 'POST', url: '/u/pu_not-a-real-token-at-all-xx' })).statusCode).toBe(404);

    // Two days on: no reminder yet.
    clock = new Date(clock.getTime() + 2 * DAY);
    expect((await runner().tick()).reminders).toBe(0);
    // Three days after the last message: a reminder to slow@ only (ana and ben answered, una unsubscribed, bounce bounced).
    clock = new Date(clock.getTime() + 1 * DAY + 120_000);
    const before = smtp.received.length;
    const t = await runner().tick();
    expect(t).toMatchObject({ reminders: 1, sent: 1 });
    const reminders = smtp.received.slice(before);
    expect(reminders.map((x) => x.to)).toEqual(['slow@example.com']);
    expect(reminders[0]!.mail.subject).toMatch(/^Reminder: /);
    // The reminder's new token opens the same invitation (one response between them).
    const remToken = answerTokenIn(reminders[0]!.mail.text!)!;
    const firstToken = answerTokenIn(mailTo('slow@example.com')[0]!.mail.text!)!;
    expect(remToken).not.toBe(firstToken);
    expect((await app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses?i=${remToken}`, payload: { answers: { excellent: 3 } } })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses?i=${firstToken}`, payload: { answers: { excellent: 3 } } })).statusCode).toBe(403);
    // At most one reminder: ten days later, nothing more.
    clock = new Date(clock.getTime() + 10 * DAY);
    expect(await runner().tick()).toMatchObject({ reminders: 0, sent: 0 });
  });

  it('keeps unsubscribed and bounced contacts so on re-upload, and counts the campaign', async () => {
    const csv = 'email,name\nuna@example.com,Una B\nbounce@example.com,Bo\n';
    const r = await app.inject({ method: 'POST', url: contactsUrl(), headers: { ...admin, 'content-type': 'text/csv' }, payload: csv });
    expect(r.json()).toMatchObject({ created: 0, updated: 2, keptInactive: 2 });
    const st = await ctx().db.selectFrom('contacts').select(['email', 'status', 'name']).where('org_id', '=', f.org.id).where('email', 'in', ['una@example.com', 'bounce@example.com']).orderBy('email').execute();
    expect(st).toEqual([
      { email: 'bounce@example.com', status: 'bounced', name: 'Bo' },
      { email: 'una@example.com', status: 'unsubscribed', name: 'Una B' },
    ]);
    // Columns the re-upload did not carry keep their values.
    const una = await ctx().db.selectFrom('contacts').select('segments').where('org_id', '=', f.org.id).where('email', '=', 'una@example.com').executeTakeFirstOrThrow();
    expect(JSON.parse(una.segments)).toEqual({ region: 'APAC' });
    const list = (await app.inject({ url: `/api/v1/organisations/${f.org.id}/campaigns`, headers: admin })).json();
    const id = list.campaigns[0].id;
    const s = (await app.inject({ url: `/api/v1/organisations/${f.org.id}/campaigns/${id}`, headers: admin })).json().stats;
    // ana, ben, slow answered of 4 delivered. Wilson 95 % for 3/4, from python3:
    //   from scipy.stats import norm; import math; z=norm.ppf(.975); n=4; p=.75; d=1+z*z/n; c=(p+z*z/(2*n))/d;
    //   h=z/d*math.sqrt(p*(1-p)/n+z*z/(4*n*n)); print(c-h, c+h)  → 0.30064184258240, 0.95441273919030
    // Opened: una by the image; ana, ben and slow by following their links (answering through one is an open too).
    expect(s).toMatchObject({ invited: 5, delivered: 4, opened: 4, completed: 3, started: 3, unsubscribed: 1, bounced: 1, responseRate: 0.75 });
    expect(s.responseRateInterval[0]).toBeCloseTo(0.3006418425824, 10);
    expect(s.responseRateInterval[1]).toBeCloseTo(0.9544127391903, 10);
    // The non-response check over the 4 delivered: EMEA ana + slow answered (2/2), APAC ben answered, una did not (1/2).
    // python3: chi2_contingency([[2,1],[0,1]], correction=False) → chi 1.3333333333333333, p 0.24821307898992026
    const nr = (await app.inject({ url: `/api/v1/organisations/${f.org.id}/campaigns/${id}/nonresponse`, headers: admin })).json();
    expect(nr).toMatchObject({ delivered: 4, responded: 3 });
    const region = nr.attributes.find((a: { attribute: string }) => a.attribute === 'region');
    expect(region.values.map((v: { value: string; invited: number; responded: number }) => [v.value, v.invited, v.responded])).toEqual([['APAC', 2, 1], ['EMEA', 2, 2]]);
    expect(region.chiSquare).toBeCloseTo(1.3333333333333333, 10);
    expect(region.pValue).toBeCloseTo(0.24821307898992026, 10);
    expect(nr.attributes.map((a: { attribute: string }) => a.attribute)).toEqual(['region', 'touchpoint']);
    // The dashboard's counts by kind and status, and the defaults its form starts from (admins and analysts only).
    const counts = (await app.inject({ url: `/api/v1/organisations/${f.org.id}/contact-counts`, headers: admin })).json().counts;
    expect(counts).toEqual([
      { kind: 'customer', status: 'active', count: 3 },
      { kind: 'customer', status: 'bounced', count: 1 },
      { kind: 'customer', status: 'unsubscribed', count: 1 },
      { kind: 'leader', status: 'active', count: 1 },
    ]);
    const defaults = (await app.inject({ url: `/api/v1/organisations/${f.org.id}/campaign-defaults`, headers: admin })).json();
    expect(defaults.customer).toMatchObject({ subject: '{organisation} would like your opinion (2 minutes)', senderName: 'Acme Streaming' });
    expect(defaults.customer.body).toContain('two minutes');
    expect(defaults.leader.body).toContain('how you think our customers see {organisation}');
    const viewer = await authHeaders(ctx(), f.org.id, 'viewer');
    for (const path of ['contact-counts', 'campaign-defaults']) expect((await app.inject({ url: `/api/v1/organisations/${f.org.id}/${path}`, headers: viewer })).statusCode).toBe(403);
    // A campaign to nobody new: the bounced and unsubscribed are never invited again.
    const again = await app.inject({ method: 'POST', url: `/api/v1/organisations/${f.org.id}/campaigns`, headers: admin, payload: { name: 'April', filter: { segments: { region: ['EMEA'] } } } });
    expect(again.json().invited).toBe(2); // ana and slow (EMEA, active); bounce@ is EMEA but bounced
  });

  it('sends the mirror survey to leaders only, through their personal invitation', async () => {
    const r = await app.inject({ method: 'POST', url: `/api/v1/organisations/${f.org.id}/campaigns`, headers: admin, payload: { name: 'Leaders', perspective: 'leader' } });
    expect(r.json().invited).toBe(1);
    const before = smtp.received.length;
    await runner().tick();
    const lea = smtp.received.slice(before).find((x) => x.to === 'lea@example.com')!;
    const token = answerTokenIn(lea.mail.text!)!;
    expect(lea.mail.text).toContain(`/s/${f.leaderSurvey}?i=`);
    const post = () => app.inject({ method: 'POST', url: `/api/v1/surveys/${f.leaderSurvey}/responses?i=${token}`, payload: { answers: { excellent: 4, 'predict:excellent_share': 50 } } });
    const first = await post();
    expect(first.statusCode).toBe(201);
    const row = await ctx().db.selectFrom('responses').select(['segments', 'perspective']).where('id', '=', first.json().id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.segments)).toEqual({ function: 'Sales' });
    expect((await post()).statusCode).toBe(403);
    // A customer's token does not open the leader survey.
    const ana = answerTokenIn(mailTo('ana@example.com')[0]!.mail.text!)!;
    expect((await app.inject({ method: 'POST', url: `/api/v1/surveys/${f.leaderSurvey}/responses?i=${ana}`, payload: { answers: { excellent: 4 } } })).statusCode).toBe(403);
  });

  it('sends a triggered invitation about its touchpoint, with a quiet period', async () => {
    const journey = await getJourney(ctx().db, f.org.id);
    const tp2 = journey.at(-1)!.touchpoints.at(-1)!.key;
    expect(tp2).not.toBe(tp);
    const trigger = (payload: object) => app.inject({ method: 'POST', url: `/api/v1/organisations/${f.org.id}/survey-invitations`, headers: admin, payload });
    const first = await trigger({ contact: { email: 'Zed@example.com', name: 'Zed', segments: { region: 'APAC' } }, touchpoint: tp2, quietDays: 30 });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ queued: true, campaignId: 'cp_triggered_customer' });
    const quiet = await trigger({ contact: { email: 'zed@example.com' }, touchpoint: tp2 });
    expect(quiet.statusCode).toBe(200);
    expect(quiet.json()).toMatchObject({ queued: false, reason: 'quiet_period' });
    expect((await trigger({ contact: { email: 'una@example.com' }, touchpoint: tp2 })).json()).toMatchObject({ queued: false, reason: 'unsubscribed' });
    const bad = await trigger({ contact: { email: 'zed@example.com' }, touchpoint: 'nowhere' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().fields[0].field).toBe('touchpoint');
    const badContact = await trigger({ contact: { email: 'zed@' } });
    expect(badContact.json().fields[0].field).toBe('contact.email');

    const before = smtp.received.length;
    await runner().tick();
    const zed = smtp.received.slice(before).filter((x) => x.to === 'zed@example.com');
    expect(zed).toHaveLength(1);
    const token = answerTokenIn(zed[0]!.mail.text!)!;
    // Two submissions with one token at once (they share a group commit): one is stored, the other refused.
    const both = await Promise.all([5, 4].map((v) => app.inject({ method: 'POST', url: `/api/v1/surveys/${f.customerSurvey}/responses?i=${token}`, payload: { answers: { excellent: v } } })));
    expect(both.map((x) => x.statusCode).sort()).toEqual([201, 403]);
    const answered = both.find((x) => x.statusCode === 201)!;
    const row = await ctx().db.selectFrom('responses').select(['touchpoint', 'segments']).where('id', '=', answered.json().id).executeTakeFirstOrThrow();
    expect(row.touchpoint).toBe(tp2); // the invitation's touchpoint
    expect(JSON.parse(row.segments)).toEqual({ region: 'APAC' });
    // quietDays 0: invited again at once, into the same campaign.
    expect((await trigger({ contact: { email: 'zed@example.com' }, touchpoint: tp2, quietDays: 0 })).statusCode).toBe(201);
    const stats = (await app.inject({ url: `/api/v1/organisations/${f.org.id}/campaigns/cp_triggered_customer`, headers: admin })).json().stats;
    expect(stats).toMatchObject({ invited: 2, delivered: 1, completed: 1 });
  });

  it('claims each due job once between two senders, and a restart does not send a claimed job again', async () => {
    const org = await makeOrg(ctx());
    const emails = Array.from({ length: 30 }, (_, i) => `p${i}@example.com`);
    await ctx()
      .db.insertInto('contacts')
      .values(emails.map((email, i) => ({ org_id: org.org.id, id: `ct_t${i}`, email, name: null, language: null, kind: 'customer' as const, leader_function: null, segments: '{}', touchpoint: null, status: 'active' as const, status_at: null, created_at: clock.toISOString(), updated_at: clock.toISOString() })))
      .execute();
    await createCampaign(ctx().db, org.org.id, { name: 'x', surveyId: org.customerSurvey, perspective: 'customer', filter: {}, subject: 's', body: 'b', senderName: 'X', sendAt: clock.toISOString(), reminderDays: null, maxReminders: 0, createdBy: 'test' }, clock);
    const [a, b] = await Promise.all([claimDueJobs(ctx().db, 20, clock), claimDueJobs(ctx().db, 20, clock)]);
    const ids = [...a, ...b].filter((j) => j.org_id === org.org.id).map((j) => j.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    // The "server" dies with the jobs claimed: after the lease they are failed, never sent.
    expect(await failInterrupted(ctx().db, 600_000, new Date(clock.getTime() + 60_000))).toBe(0);
    clock = new Date(clock.getTime() + 11 * 60_000);
    const before = smtp.received.length;
    await runner().tick();
    expect(smtp.received.slice(before).filter((x) => emails.includes(x.to))).toHaveLength(0);
    const states = await ctx().db.selectFrom('mail_jobs').select('state').where('org_id', '=', org.org.id).execute();
    expect(states.every((s) => s.state === 'failed')).toBe(true);
  });

  it('throttles to perMinute messages per minute', async () => {
    const org = await makeOrg(ctx());
    await ctx()
      .db.insertInto('contacts')
      .values(Array.from({ length: 5 }, (_, i) => ({ org_id: org.org.id, id: `ct_q${i}`, email: `q${i}@example.com`, name: null, language: null, kind: 'customer' as const, leader_function: null, segments: '{}', touchpoint: null, status: 'active' as const, status_at: null, created_at: clock.toISOString(), updated_at: clock.toISOString() })))
      .execute();
    await createCampaign(ctx().db, org.org.id, { name: 'q', surveyId: org.customerSurvey, perspective: 'customer', filter: {}, subject: 's', body: 'b', senderName: 'Q', sendAt: clock.toISOString(), reminderDays: null, maxReminders: 0, createdBy: 'test' }, clock);
    const r = new MailRunner({ db: ctx().db, transport, from: 'surveys@parallax.test', publicUrl: 'https://cx.example.com', perMinute: 2, now: () => clock });
    expect((await r.tick()).sent).toBe(2);
    expect((await r.tick()).sent).toBe(0);
    clock = new Date(clock.getTime() + 61_000);
    expect((await r.tick()).sent).toBe(2);
  });
});
