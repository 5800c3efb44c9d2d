// Public respondent pages: GET shows the form, POST validates and stores (Post/Redirect/Get both ways: a
// sent form goes to the thank-you page, and in a browser a refused one goes to the form's GET with a
// server-side draft of the answers, so neither a reload nor Back resubmits; the per-form token makes a
// double click or a retry store one response).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Store } from '../../store/db.ts';
import type { Survey } from '../../store/surveys.ts';
import type { SurveyCache } from '../survey-cache.ts';
import { IdempotencyConflict, type StoredResponse } from '../../store/responses.ts';
import { expectedCase, withCaseContact } from '../../store/case-opening.ts';
import { getJourney } from '../../store/organisations.ts';
import { followUpFromQuery, followUpParagraph, readConsent, withFollowUp, type FollowUp } from '../pages/case-consent.ts';
import type { GroupCommitter } from '../../store/group-commit.ts';
import { LeaderLinkUsed } from '../../store/leader-links.ts';
import { asLeaderSubmission, leaderRespondent, type LeaderCheck } from '../leader-access.ts';
import { checkSubmission, constantSumOf, type FieldError } from '../../core/survey.ts';
import { machineKey } from '../../core/keys.ts';
import { PUBLIC_BODY_LIMIT, publicRules } from '../submission-rules.ts';
import formbody from '@fastify/formbody';
import { invitationRespondent } from '../invitation-access.ts';
import { InvitationUsed } from '../../store/campaigns.ts';
import { expiredDraftPage, functionStepPage, messagePage, surveyForm, thankYouPage, type FormState } from '../pages/survey-page.ts';
import { FormDrafts } from '../form-drafts.ts';
import { getSegmentDeclarations } from '../../store/segments.ts';
import { touchpointsOf } from '../../core/journey.ts';
import { constantSumFromForm } from '../pages/constant-sum.ts';
import { allowFramingBy } from '../http-headers.ts';
import { declaredHost } from '../widget/origins.ts';

const SEGMENT_PARAM = /^segment\.([a-z][a-z0-9_]{0,39})$/;

/**
 * Link context that an invitation link carries into the form (`?touchpoint=…&segment.region=…`),
 * kept in hidden fields `link.touchpoint` and `segment.<name>` so it is never confused with answers.
 */
function linkContext(params: Record<string, unknown>, touchpointParam: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== 'string' || !v || v.length > 80) continue;
    if (k === touchpointParam) out['link.touchpoint'] = v;
    else if (SEGMENT_PARAM.test(k)) out[k] = v;
  }
  return out;
}

/** `?a=<n>` from an invitation's one-click buttons: the first question's answer, pre-selected when on its scale. */
function firstAnswer(survey: Survey, a: unknown): Record<string, string> {
  const q = survey.definition.questions[0];
  if (typeof a !== 'string' || !/^\d{1,3}$/.test(a) || q?.min === undefined || q.max === undefined) return {};
  return Number(a) >= q.min && Number(a) <= q.max ? { [q.key]: a } : {};
}

/** The API field a form field feeds, to name it in errors. */
function apiFieldOf(survey: Survey, formField: string): string {
  if (formField.startsWith('segment.')) return `segments.${formField.slice('segment.'.length)}`;
  if (formField === 'link.touchpoint') return 'touchpoint';
  if (constantSumOf(survey.definition, formField)) return `answers.${formField}`; // a constant-sum part, imp:<key>
  return survey.definition.questions.some((q) => q.key === formField && q.kind !== 'touchpoint' && q.kind !== 'text') ? `answers.${formField}` : formField;
}

/**
 * The one translation of a form body into the API's ResponseInput shape; the route then checks it with
 * checkSubmission — the API's own schema and validator — so the form accepts exactly what the API does.
 * A field sent more than once (`excellent=4&excellent=5`) is an error on that field, never a silent pick;
 * values are passed on whole (the schema refuses what is too long, never a quiet truncation).
 */
export function formToInput(survey: Survey, body: Readonly<Record<string, unknown>>): { input: Record<string, unknown>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fields = new Map<string, string>();
  for (const [k, v] of Object.entries(body)) {
    if (Array.isArray(v)) errors.push({ field: apiFieldOf(survey, k), message: 'was sent more than once; send one value' });
    else if (typeof v === 'string') fields.set(k, v);
  }
  const answers: Record<string, number> = Object.create(null);
  const segments: Record<string, string> = Object.create(null);
  for (const q of survey.definition.questions) {
    if (q.kind === 'touchpoint' || q.kind === 'text') continue;
    if (q.kind === 'constant_sum') {
      // One box per part, named by its item key (imp:<key>): pages/constant-sum.ts.
      const part = constantSumFromForm(q, fields);
      Object.assign(answers, part.answers);
      errors.push(...part.errors);
      continue;
    }
    const raw = (fields.get(q.key) ?? '').trim();
    if (raw === '') continue;
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw) || !Number.isFinite(n)) errors.push({ field: `answers.${q.key}`, message: `must be a whole number from ${q.min} to ${q.max}` });
    else answers[q.key] = n;
  }
  for (const [k, v] of fields) {
    if (!k.startsWith('segment.') || !v) continue;
    const name = k.slice('segment.'.length);
    // Checked here as well as by the schema: a record silently drops a `__proto__` key instead of refusing it.
    const key = machineKey.safeParse(name);
    if (!key.success) errors.push({ field: `segments.${name}`, message: `not a segment name: ${key.error.issues[0]!.message}` });
    else segments[name] = v;
  }
  const input: Record<string, unknown> = { answers };
  const touchpoint = fields.get('link.touchpoint') || fields.get('touchpoint');
  if (touchpoint) input.touchpoint = touchpoint;
  if (Object.keys(segments).length) input.segments = segments;
  const comment = fields.get('comment');
  if (comment?.trim()) input.comment = comment;
  return { input, errors };
}

function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self'; img-src 'self' data:")
    .send(body);
}

/**
 * Widget mode (`?widget=<host page's origin>`, set by the snippet of routes/widget.ts): the host, when the
 * organisation declared it and the survey is its customer survey (the leader survey needs a personal link
 * or a session, neither of which belongs in someone else's page); false when asked but not allowed;
 * undefined outside widget mode.
 */
function widgetHostOf(survey: Survey | undefined, query: unknown): string | false | undefined {
  const param = (query as Record<string, unknown> | undefined)?.widget;
  if (param === undefined) return undefined;
  return (survey?.perspective === 'customer' && declaredHost(param, survey.organisation.widgetOrigins)) || false;
}

/** What the API's validator says of link context alone (touchpoint, segments), ignoring the unanswered questions. */
async function contextErrors(store: Store, survey: Survey, hidden: Record<string, string>): Promise<FieldError[]> {
  const { input, errors } = formToInput(survey, hidden);
  const v = checkSubmission(survey.definition, input, await publicRules(store, survey.orgId));
  return [...errors, ...(v.ok ? [] : v.errors)].filter((e) => e.field === 'touchpoint' || e.field.startsWith('segments.'));
}

/** A page path that stays in widget mode for `host`. */
const inWidget = (path: string, host: string | undefined) => (host ? `${path}?widget=${encodeURIComponent(host)}` : path);

/** Widget mode refused: an unframed page (frame-ancestors 'none'), so the host page shows nothing of it. */
const refuseWidget = (reply: FastifyReply) =>
  sendHtml(reply, 403, messagePage('This survey cannot be shown here', 'The organisation has not allowed this site to show its survey. Please use the link it sent you.'));

/**
 * The functions a leader may say they work in (issue 11: calibration groups by function): the departments
 * owning the organisation's touchpoints, and the values of a declared `function` segment, if any.
 */
async function leaderFunctions(store: Store, orgId: string): Promise<string[]> {
  const out = new Map<string, string>();
  for (const t of touchpointsOf(await getJourney(store.db, orgId))) out.set(t.department.trim().toLowerCase(), t.department.trim());
  const declared = (await getSegmentDeclarations(store.db, orgId)).find((d) => d.key === 'function');
  if (declared?.kind === 'values') for (const v of declared.values) out.set(v.value.trim().toLowerCase(), v.value.trim());
  return [...out.values()].sort((a, b) => a.localeCompare(b));
}

/** The listed function `sent` names (case aside), or undefined. */
const pickFunction = (fns: string[], sent: unknown) => (typeof sent === 'string' ? fns.find((f) => f.toLowerCase() === sent.trim().toLowerCase()) : undefined);

/** `path` (which may carry `?widget=`) with the draft id added. */
const withDraft = (path: string, id: string) => `${path}${path.includes('?') ? '&' : '?'}d=${id}`;

/** The leader survey without a usable personal link or a member's session: 403, saying what to do. */
function refuseLeader(reply: FastifyReply, check: Extract<LeaderCheck, { ok: false }>) {
  const text = check.message.charAt(0).toUpperCase() + check.message.slice(1) + '.';
  return sendHtml(reply, 403, messagePage('A personal link is needed', text));
}

export async function surveyPageRoutes(app: FastifyInstance, store: Store, commits: GroupCommitter, surveys: SurveyCache): Promise<void> {
  // Called in its own encapsulated scope (app.ts): form bodies are parsed here and nowhere else, and only
  // form bodies — a JSON or text body posted to the form answers 415, like a form posted to the JSON API.
  app.removeAllContentTypeParsers();
  const drafts = new FormDrafts<FormState>();
  await app.register(formbody, { bodyLimit: PUBLIC_BODY_LIMIT });
  const load = async (id: string, reply: FastifyReply): Promise<Survey | undefined> => {
    const survey = id.length <= 40 ? await surveys.get(id) : undefined;
    if (!survey) {
      sendHtml(reply, 404, messagePage('Survey not found', 'This survey link is not valid. Please check the link you were sent.'));
      return undefined;
    }
    if (!survey.active) {
      // In the widget on a declared site, the visitor reads this inside the frame, not a browser error.
      const widget = widgetHostOf(survey, reply.request.query);
      if (widget) allowFramingBy(reply, widget);
      sendHtml(reply, 410, messagePage('Survey closed', `This ${survey.organisation.name} survey is no longer taking answers. Thank you for your interest.`));
      return undefined;
    }
    return survey;
  };

  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/s/:id', async (req, reply) => {
    const survey = await load(req.params.id, reply);
    if (!survey) return reply;
    const widget = widgetHostOf(survey, req.query);
    if (widget === false) return refuseWidget(reply);
    if (widget) allowFramingBy(reply, widget);
    if (req.query.d !== undefined) {
      // The GET after a refused POST: the answers and errors come back from the draft, never from the URL.
      const draft = drafts.get(survey.id, req.query.d);
      if (!draft) return sendHtml(reply, 200, expiredDraftPage(survey.definition.title, survey.perspective === 'customer' ? inWidget(`/s/${survey.id}`, widget) : undefined));
      return sendHtml(reply, 200, surveyForm(survey.definition, inWidget(`/s/${survey.id}`, widget), draft, survey.organisation.minResponses, widget));
    }
    const state: FormState = { values: {}, errors: [], token: randomBytes(12).toString('base64url'), hidden: linkContext(req.query, 'touchpoint') };
    if (widget) {
      // The snippet's attributes come from the site, not the visitor: an unknown touchpoint or an undeclared
      // segment would refuse every answer after the visitor filled the form, so it is said before, here.
      const wrong = (await contextErrors(store, survey, state.hidden)).map((e) => `${e.field}: ${e.message}`);
      if (wrong.length)
        return sendHtml(reply, 422, messagePage('This survey cannot be shown yet', `This site's survey widget is set up with ${wrong.join('; ')}. Please let the site's owner know.`));
    }
    // A campaign invitation (`?i=`, kept in the form as `_it`) names the respondent: their touchpoint is not asked.
    const inv = typeof req.query.i === 'string' ? await invitationRespondent(store, survey, req.query.i, { started: true }) : undefined;
    if (inv && !inv.ok) return sendHtml(reply, 403, messagePage('This invitation cannot be used', inv.message.charAt(0).toUpperCase() + inv.message.slice(1) + '.'));
    if (inv?.ok) Object.assign(state.hidden, { _it: req.query.i!, ...(inv.invited.touchpoint ? { 'link.touchpoint': inv.invited.touchpoint } : {}) });
    if (inv?.ok) Object.assign(state.values, firstAnswer(survey, req.query.a)); // the button clicked in the message (src/mail/runner.ts)
    if (survey.perspective === 'customer') state.consent = { contactKnown: !!inv?.ok }; // "may we contact you?" (issue 13)
    // The leader survey opens only with a personal link (kept in the form as `_lt`) or for a member.
    if (survey.perspective === 'leader' && !inv) {
      const check = await leaderRespondent(store, req, survey, { token: typeof req.query.t === 'string' ? req.query.t : undefined, csrf: false });
      if (!check.ok) return refuseLeader(reply, check);
      if ('link' in check.leader.via) state.hidden._lt = check.leader.via.link;
      state.leaderFunction = check.leader.function; // the touchpoints their function owns (issue 11)
      if (!state.leaderFunction) {
        // A link without a function (or a member): the leader says it first, as it picks their questions.
        const fns = await leaderFunctions(store, survey.orgId);
        const chosen = pickFunction(fns, req.query.function);
        if (fns.length && !chosen) {
          const hidden: Record<string, string> = Object.create(null);
          if (state.hidden._lt) hidden.t = state.hidden._lt;
          const error = req.query.function === undefined ? undefined : 'choose your function from the list';
          return sendHtml(reply, error ? 422 : 200, functionStepPage(survey.definition, `/s/${survey.id}`, hidden, fns, survey.organisation.minResponses, error));
        }
        if (chosen) state.leaderFunction = state.hidden._fn = chosen;
      }
    }
    return sendHtml(reply, 200, surveyForm(survey.definition, inWidget(`/s/${survey.id}`, widget), state, survey.organisation.minResponses, widget));
  });

  app.post<{ Params: { id: string }; Querystring: Record<string, string>; Body: Record<string, string | string[]> }>('/s/:id', { bodyLimit: PUBLIC_BODY_LIMIT }, async (req, reply) => {
    const survey = await load(req.params.id, reply);
    if (!survey) return reply;
    const widget = widgetHostOf(survey, req.query);
    if (widget === false) return refuseWidget(reply);
    if (widget) allowFramingBy(reply, widget);
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, string | string[]>;
    const token = typeof body._token === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(body._token) ? body._token : randomBytes(12).toString('base64url');
    const lt = typeof body._lt === 'string' ? body._lt : typeof req.query?.t === 'string' ? req.query.t : undefined;
    const it = typeof body._it === 'string' ? body._it : undefined;
    const inv = it ? await invitationRespondent(store, survey, it, { retry: true }) : undefined;
    if (inv && !inv.ok) return sendHtml(reply, 403, messagePage('This invitation cannot be used', inv.message.charAt(0).toUpperCase() + inv.message.slice(1) + '.'));
    const invited = inv?.ok ? inv.invited : undefined;
    const check = survey.perspective === 'leader' && !invited ? await leaderRespondent(store, req, survey, { token: lt, csrf: false, retry: true }) : undefined;
    if (check && !check.ok) return refuseLeader(reply, check);
    let leader = check?.ok ? check.leader : undefined;
    const functionErrors: FieldError[] = [];
    let chosenFn: string | undefined;
    if (leader && !leader.function && body._fn !== undefined) {
      // The function the leader chose on the first step (`_fn`), stored as a link's function is. The step
      // asks it (a required select); a form sent without it, by a script, stores no function, as before.
      chosenFn = pickFunction(await leaderFunctions(store, survey.orgId), body._fn);
      if (chosenFn) leader = { ...leader, function: chosenFn };
      else functionErrors.push({ field: 'function', message: 'is not one of the functions listed: open your link again and choose it' });
    }
    const { input, errors: parseErrors } = formToInput(survey, body);
    // Consent to be contacted (customer survey only); an invited respondent's address is known already.
    const consent = survey.perspective === 'customer' ? readConsent(body, invited ? { email: invited.holder.contact.email, name: invited.holder.contact.name } : undefined) : undefined;
    // The respondent is the public: public declared segments only, dated by the server (submission-rules.ts).
    const v = checkSubmission(survey.definition, input, await publicRules(store, survey.orgId));
    const errors = [...functionErrors, ...parseErrors, ...(v.ok ? [] : v.errors.filter((e) => !parseErrors.some((p) => p.field === e.field))), ...(consent?.errors ?? [])];
    if (errors.length > 0 || !v.ok) {
      const hidden = linkContext(body, 'link.touchpoint');
      if (leader && 'link' in leader.via) hidden._lt = leader.via.link;
      if (invited) hidden._it = it!;
      if (chosenFn) hidden._fn = chosenFn;
      const values = Object.fromEntries(Object.entries(body).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
      const state: FormState = { values, errors, token, hidden, consent: consent && { contactKnown: !!invited }, leaderFunction: leader?.function ?? null };
      // A browser's page load (Sec-Fetch-Mode: navigate) is redirected to the form's GET with the draft, so no
      // history entry is a POST result; any other client (a script, an older browser) gets the 422 page itself.
      if (req.headers['sec-fetch-mode'] === 'navigate')
        return reply.code(303).header('cache-control', 'no-store').header('location', withDraft(inWidget(`/s/${survey.id}`, widget), drafts.put(survey.id, token, state, JSON.stringify(state).length))).send();
      return sendHtml(reply, 422, surveyForm(survey.definition, inWidget(`/s/${survey.id}`, widget), state, survey.organisation.minResponses, widget));
    }
    let stored: StoredResponse | undefined;
    try {
      stored = await commits.submit({
        orgId: survey.orgId,
        surveyId: survey.id,
        perspective: survey.perspective,
        submission: invited ? invited.apply(v.value) : leader ? asLeaderSubmission(v.value, leader) : v.value,
        idempotencyKey: `form:${token}`,
      }, withCaseContact(invited?.claim ?? leader?.claim, survey.orgId, consent?.contact));
    } catch (err) {
      if (err instanceof InvitationUsed) return sendHtml(reply, 403, messagePage('This invitation cannot be used', 'This invitation has already been answered: each invitation takes one response.'));
      if (err instanceof LeaderLinkUsed) return refuseLeader(reply, { ok: false, message: 'this leader link has already been used: each personal link takes one response' });
      // The same form sent again with changed answers: the first one counts.
      if (!(err instanceof IdempotencyConflict)) throw err;
    }
    drafts.forget(token); // sent: the typed answers are kept no longer
    // What the thank-you page may say: the case the organisation's rules will open for this answer, or none.
    const expected = stored && survey.perspective === 'customer' ? await expectedCase(store.db, survey.orgId, stored.id) : undefined;
    const followUp: FollowUp | undefined = expected ? { kind: consent?.contact ? 'contact' : 'answer', touchpoint: expected.touchpoint, hours: expected.slaHours } : expected === null ? { kind: 'none' } : undefined;
    return reply.code(303).header('location', withFollowUp(inWidget(`/s/${survey.id}/thanks`, widget), followUp)).send();
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/s/:id/thanks', async (req, reply) => {
    const survey = req.params.id.length <= 40 ? await surveys.get(req.params.id) : undefined;
    const widget = widgetHostOf(survey, req.query);
    if (widget === false) return refuseWidget(reply);
    if (widget) allowFramingBy(reply, widget);
    const followUp = survey ? followUpFromQuery(req.query) : undefined; // issue 13: what will happen to the answers
    return sendHtml(reply, 200, thankYouPage(survey?.organisation.name ?? 'us', widget, followUp && survey ? followUpParagraph(followUp, await getJourney(store.db, survey.orgId)) : ''));
  });
}
