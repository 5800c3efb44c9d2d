// The customer survey's consent to be contacted (issue 13) and the thank-you page's account of what will
// really happen. The question is a fixed optional field of the customer form, not a survey item: it is no
// answer to aggregate, and it never reaches the reports. Only a "yes" with a contact (the address the
// invitation went to, or one the respondent types) lets a case be contactable; without it the case is
// about the answer only and nobody sees who gave it.
import type { Stage } from '../../core/journey.ts';
import type { FieldError } from '../../core/survey.ts';
import { Email } from '../../core/access.ts';
import { owningDepartment } from '../../core/cases/case-rules.ts';
import { html, type SafeHtml } from './html.ts';

export interface ConsentState {
  /** The respondent came through an invitation: their address is known and not asked. */
  contactKnown: boolean;
}

/** The form fields (outside the API's shape: formToInput ignores them). */
export const CONSENT_FIELD = 'contact_ok';
export const CONTACT_EMAIL_FIELD = 'contact_email';

export function consentFieldset(state: { values: Record<string, string>; errors: FieldError[]; consent?: ConsentState }): SafeHtml {
  const yes = state.values[CONSENT_FIELD] === 'yes';
  const err = state.errors.find((e) => e.field === 'contact.email')?.message;
  return html`<fieldset id="contact" class="${err ? 'invalid' : ''}">
  <legend>May we contact you about your answers?</legend>
  <p class="hint">Optional. If you say yes, the team that owns what you told us may get in touch to follow it up. If not, your answers stay anonymous.</p>
  <div class="scale">
    <label><input type="radio" name="${CONSENT_FIELD}" value="yes" ${yes ? 'checked' : ''}><span>Yes</span></label>
    <label><input type="radio" name="${CONSENT_FIELD}" value="no" ${state.values[CONSENT_FIELD] === 'no' ? 'checked' : ''}><span>No</span></label>
  </div>
  ${state.consent?.contactKnown
    ? html`<p class="hint">We would write to the address your invitation was sent to.</p>`
    : html`<div style="margin-top:.75rem"><label for="contact-email" style="font-weight:600">Your e-mail address (only if yes)</label>
  ${err ? html`<p class="error" id="contact-email-err">${err}</p>` : ''}
  <input id="contact-email" name="${CONTACT_EMAIL_FIELD}" type="email" autocomplete="email" maxlength="254" value="${state.values[CONTACT_EMAIL_FIELD] ?? ''}" style="width:100%;font:inherit;padding:.6rem;border:1px solid var(--line);border-radius:8px" ${err ? html`aria-invalid="true" aria-describedby="contact-email-err"` : ''}></div>`}
</fieldset>`;
}

/** The consent a form body gives: a contact to keep (null: none), or what is wrong with it. */
export function readConsent(body: Readonly<Record<string, unknown>>, known: { email: string; name: string | null } | undefined): { contact: { email: string; name: string | null } | null; errors: FieldError[] } {
  if (body[CONSENT_FIELD] !== 'yes') return { contact: null, errors: [] };
  if (known) return { contact: known, errors: [] };
  const raw = body[CONTACT_EMAIL_FIELD];
  const r = Email.safeParse(typeof raw === 'string' ? raw : '');
  if (!r.success || !r.data) return { contact: null, errors: [{ field: 'contact.email', message: typeof raw === 'string' && raw.trim() ? r.error?.issues[0]?.message ?? 'must be an e-mail address' : 'to be contacted, leave your e-mail address (or answer "No")' }] };
  return { contact: { email: r.data, name: null }, errors: [] };
}

/** What the thank-you page says will happen: a contactable case, a case about the answer only, or nothing. */
export type FollowUp = { kind: 'contact' | 'answer'; touchpoint: string | null; hours: number } | { kind: 'none' };

/** The redirect to the thank-you page, carrying the follow-up (it only changes what that page says). */
export function withFollowUp(location: string, f: FollowUp | undefined): string {
  if (!f) return location;
  const q = new URLSearchParams({ f: f.kind });
  if (f.kind !== 'none') {
    q.set('h', String(f.hours));
    if (f.touchpoint) q.set('t', f.touchpoint);
  }
  return `${location}${location.includes('?') ? '&' : '?'}${q}`;
}

export function followUpFromQuery(query: Readonly<Record<string, unknown>> | undefined): FollowUp | undefined {
  const f = query?.f;
  if (f === 'none') return { kind: 'none' };
  if (f !== 'contact' && f !== 'answer') return undefined;
  const h = Number(query?.h);
  const t = query?.t;
  return { kind: f, hours: Number.isInteger(h) && h > 0 && h <= 720 ? h : 48, touchpoint: typeof t === 'string' && /^[a-z][a-z0-9_]{0,39}$/.test(t) ? t : null };
}

/** The thank-you page's sentence; the department is looked up in the journey (never taken from the link). */
export function followUpParagraph(f: FollowUp | undefined, journey: Stage[]): SafeHtml | '' {
  if (!f) return '';
  if (f.kind === 'none') return html`<p>Nobody will contact you about them.</p>`;
  const dept = owningDepartment(journey, f.touchpoint);
  const team = dept ? `our ${dept} team` : 'our customer-experience team';
  const when = f.hours % 24 === 0 ? `${f.hours / 24} day${f.hours === 24 ? '' : 's'}` : `${f.hours} hours`;
  return f.kind === 'contact'
    ? html`<p>Because you agreed to be contacted, ${team} will look into your answers and aim to get in touch within ${when}.</p>`
    : html`<p>${team.charAt(0).toUpperCase() + team.slice(1)} will look into your answers within ${when}, without knowing who gave them: nobody will contact you.</p>`;
}
