// Public respondent pages: GET shows the form, POST validates and stores (Post/Redirect/Get, so a
// reload cannot resubmit; the per-form token makes a double click or a retry store one response).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Store } from '../../store/db.ts';
import { getSurvey, type Survey } from '../../store/surveys.ts';
import { IdempotencyConflict, storeResponse } from '../../store/responses.ts';
import { validateSubmission, type FieldError, type ResponseInput } from '../../core/survey.ts';
import { messagePage, surveyForm, thankYouPage, type FormState } from '../pages/survey-page.ts';

const SEGMENT_PARAM = /^segment\.([a-z][a-z0-9_]{0,39})$/;

/**
 * Link context that an invitation link carries into the form (`?touchpoint=…&segment.region=…`),
 * kept in hidden fields `link.touchpoint` and `segment.<name>` so it is never confused with answers.
 */
function linkContext(params: Record<string, unknown>, touchpointParam: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== 'string' || !v || v.length > 80) continue;
    if (k === touchpointParam) out['link.touchpoint'] = v;
    else if (SEGMENT_PARAM.test(k)) out[k] = v;
  }
  return out;
}

/** Turns form fields into the API's ResponseInput, collecting errors for values that are not numbers. */
export function formToInput(survey: Survey, body: Record<string, string>): { input: ResponseInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const answers: Record<string, number> = {};
  const segments: Record<string, string> = {};
  for (const q of survey.definition.questions) {
    if (q.kind === 'touchpoint' || q.kind === 'text') continue;
    const raw = (body[q.key] ?? '').trim();
    if (raw === '') continue;
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw) || !Number.isFinite(n)) errors.push({ field: `answers.${q.key}`, message: `must be a whole number from ${q.min} to ${q.max}` });
    else answers[q.key] = n;
  }
  for (const [k, v] of Object.entries(body)) {
    const m = SEGMENT_PARAM.exec(k);
    if (m && v) segments[m[1]!] = v.slice(0, 80);
  }
  const input: ResponseInput = { answers };
  const touchpoint = body['link.touchpoint'] || body.touchpoint;
  if (touchpoint) input.touchpoint = touchpoint;
  if (Object.keys(segments).length) input.segments = segments;
  if (body.comment?.trim()) input.comment = body.comment.slice(0, 5000);
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

export async function surveyPageRoutes(app: FastifyInstance, store: Store): Promise<void> {
  const load = async (id: string, reply: FastifyReply): Promise<Survey | undefined> => {
    const survey = id.length <= 40 ? await getSurvey(store.db, id) : undefined;
    if (!survey) {
      sendHtml(reply, 404, messagePage('Survey not found', 'This survey link is not valid. Please check the link you were sent.'));
      return undefined;
    }
    if (!survey.active) {
      sendHtml(reply, 410, messagePage('Survey closed', `This ${survey.organisation.name} survey is no longer taking answers. Thank you for your interest.`));
      return undefined;
    }
    return survey;
  };

  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/s/:id', async (req, reply) => {
    const survey = await load(req.params.id, reply);
    if (!survey) return reply;
    const state: FormState = { values: {}, errors: [], token: randomBytes(12).toString('base64url'), hidden: linkContext(req.query, 'touchpoint') };
    return sendHtml(reply, 200, surveyForm(survey.definition, `/s/${survey.id}`, state));
  });

  app.post<{ Params: { id: string }; Body: Record<string, string> }>('/s/:id', async (req, reply) => {
    const survey = await load(req.params.id, reply);
    if (!survey) return reply;
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, string>;
    const token = typeof body._token === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(body._token) ? body._token : randomBytes(12).toString('base64url');
    const { input, errors: parseErrors } = formToInput(survey, body);
    const v = validateSubmission(survey.definition, input);
    const errors = [...parseErrors, ...(v.ok ? [] : v.errors)];
    if (errors.length > 0 || !v.ok) {
      const hidden = linkContext(body, 'link.touchpoint');
      const values = Object.fromEntries(Object.entries(body).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
      return sendHtml(reply, 422, surveyForm(survey.definition, `/s/${survey.id}`, { values, errors, token, hidden }));
    }
    try {
      await storeResponse(store.db, {
        orgId: survey.orgId,
        surveyId: survey.id,
        perspective: survey.perspective,
        submission: v.value,
        idempotencyKey: `form:${token}`,
      });
    } catch (err) {
      // The same form sent again with changed answers: the first one counts.
      if (!(err instanceof IdempotencyConflict)) throw err;
    }
    return reply.code(303).header('location', `/s/${survey.id}/thanks`).send();
  });

  app.get<{ Params: { id: string } }>('/s/:id/thanks', async (req, reply) => {
    const survey = await getSurvey(store.db, req.params.id);
    return sendHtml(reply, 200, thankYouPage(survey?.organisation.name ?? 'us'));
  });
}
