// The respondent's page: a plain HTML form that works without JavaScript, on a phone, with labels,
// fieldsets and keyboard use; errors are shown next to their field with the answers kept.
import { ownsTouchpoint, type Question, type SurveyDefinition, type FieldError } from '../../core/survey.ts';
import { html, SafeHtml } from './html.ts';
import { consentFieldset, type ConsentState } from './case-consent.ts';
import { CONSTANT_SUM_STYLE, constantSumQuestion, TOTAL_SCRIPT } from './constant-sum.ts';

export interface FormState {
  /** Raw submitted values by form field name, to re-fill the form after an error. */
  values: Record<string, string>;
  errors: FieldError[];
  /** One token per rendered form: the idempotency key that makes a double submit store once. */
  token: string;
  /** Context carried by the link (e.g. an e-mail invitation): touchpoint and segments. */
  hidden: Record<string, string>;
  /** The customer survey's "may we contact you?" (case-consent.ts); absent: not asked (leader survey). */
  consent?: ConsentState;
  /** The leader's function from their personal link (null: none): it picks the touchpoints they are asked to predict. */
  leaderFunction?: string | null;
}

/** The smallest tap target of a scale point (WCAG 2.5.5), and the gap between points, in px. */
const TARGET = 44;
const GAP = 4;

/**
 * Scales of 2–11 points lay out in equal columns: one row where every point gets a ${TARGET}px target,
 * else two rows of ceil(n/2) equal columns — never a row of six and a lone seventh (issue 11).
 */
function scaleColumns(): string {
  const rules: string[] = [];
  for (let n = 2; n <= 11; n++) {
    const one = n * TARGET + (n - 1) * GAP;
    rules.push(`.scale.n${n}{grid-template-columns:repeat(${n},minmax(0,1fr))}@container scale (max-width:${one - 0.02}px){.scale.n${n}{grid-template-columns:repeat(${Math.ceil(n / 2)},minmax(0,1fr))}}`);
  }
  return rules.join('\n');
}

const STYLE = `
:root{--ink:#1d2433;--muted:#5b6475;--line:#d5d9e2;--accent:#0b6e6e;--accent-ink:#fff;--bad:#b42318;--bg:#f6f7f9;--card:#fff;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
*{box-sizing:border-box}body{margin:0;line-height:1.5}
main{max-width:42rem;margin:0 auto;padding:1rem}
header{padding:1.25rem 1rem .5rem;max-width:42rem;margin:0 auto}
h1{font-size:1.5rem;margin:.25rem 0}p.intro{color:var(--muted);margin:.25rem 0 0}
form{display:grid;gap:1rem}
fieldset,.field{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1rem;margin:0}
legend,.field>label{font-weight:600;padding:0;font-size:1.05rem}
fieldset legend{float:left;width:100%;margin-bottom:.5rem}
fieldset legend+*{clear:both}
.scale-box{container:scale/inline-size}
.scale{display:grid;gap:4px;grid-template-columns:repeat(auto-fit,minmax(44px,1fr))}
.scale label{position:relative;min-width:0}
.scale input{position:absolute;opacity:0;inset:0;width:100%;height:100%;margin:0;cursor:pointer}
.scale span{display:flex;align-items:center;justify-content:center;min-height:2.75rem;border:1px solid var(--line);border-radius:8px;font-weight:600;background:#fff}
.scale input:checked+span{background:var(--accent);color:var(--accent-ink);border-color:var(--accent)}
.scale input:focus-visible+span{outline:3px solid #f59e0b;outline-offset:2px}
.ends{display:flex;justify-content:space-between;color:var(--muted);font-size:.85rem;margin-top:.35rem}
select,textarea{width:100%;font:inherit;padding:.6rem;border:1px solid var(--line);border-radius:8px;background:#fff;color:var(--ink)}
textarea{min-height:6rem}
.req{color:var(--bad)}
.error{color:var(--bad);font-weight:600;margin:.25rem 0 0}
.invalid{border-color:var(--bad);box-shadow:0 0 0 1px var(--bad)}
.summary{border:2px solid var(--bad);background:#fff5f5;border-radius:12px;padding:1rem}
.summary a{color:var(--bad)}
button{font:inherit;font-weight:700;padding:.85rem 1.25rem;border:0;border-radius:10px;background:var(--accent);color:var(--accent-ink);cursor:pointer;min-height:3rem}
button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
button[disabled]{opacity:.6}
.hint{color:var(--muted);font-size:.9rem;margin:.25rem 0 0}
input[type=number]{width:8rem;font:inherit;padding:.6rem;border:1px solid var(--line);border-radius:8px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{color:var(--muted);font-size:.85rem;text-align:center;padding:1.5rem}
@media (max-width:30rem){main{padding:.75rem}header{padding:1rem .75rem .25rem}fieldset,.field{padding:.75rem}}
@media (max-width:22.5rem){main{padding:.5rem}header{padding:1rem .5rem .25rem}fieldset,.field{padding:.75rem .5rem}}
${scaleColumns()}`;

export function page(title: string, body: SafeHtml, lang = 'en'): string {
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new SafeHtml(STYLE + CONSTANT_SUM_STYLE)}</style>
</head>
<body>${body}</body>
</html>`.value;
}

const fieldName = (q: Question) => q.key;

/** Context a form carries along (link token, touchpoint, segments, the chosen function). */
const hiddenInputs = (hidden: Record<string, string>) => Object.entries(hidden).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);

/**
 * Where the error summary sends the reader for an error: the question's anchor (`q<i>`), or for one part
 * of a constant-sum question (answers.imp:<key>) that part's box (`q<i>-<j>`), named by its label.
 */
function errorTarget(questions: Question[], e: FieldError): { href: string; label: string; at: number } | undefined {
  for (const [i, q] of questions.entries()) {
    if (e.field === `answers.${q.key}` || e.field === q.key) return { href: `#q${i}`, label: q.text, at: i * 1000 };
    const j = q.kind === 'constant_sum' ? (q.options ?? []).findIndex((o) => e.field === `answers.${o.value}`) : -1;
    if (j >= 0) return { href: `#q${i}-${j}`, label: `${q.options![j]!.label} (points)`, at: i * 1000 + j + 1 };
  }
  if (e.field === 'function' && !questions.length) return { href: '#function', label: 'Your function', at: 0 }; // functionStepPage
  // The consent fieldset follows the questions (case-consent.ts).
  if (e.field === 'contact.email') return { href: '#contact-email', label: 'Your e-mail address', at: questions.length * 1000 };
  return undefined;
}

/**
 * The error summary: its links in the order of the fields on the page (errors come from several checks,
 * each in its own order); an error with no field on the page (link context) comes first. `autofocus`
 * focuses it without JavaScript (it is focusable by tabindex=-1), so a keyboard or screen-reader user
 * starts at the list of what to fix.
 */
function errorSummary(questions: Question[], errors: FieldError[]): SafeHtml | '' {
  if (!errors.length) return '';
  const items = errors.map((e) => ({ e, t: errorTarget(questions, e) })).sort((a, b) => (a.t?.at ?? -1) - (b.t?.at ?? -1));
  return html`<div class="summary" role="alert" tabindex="-1" id="error-summary" autofocus><h2 style="margin:0 0 .5rem;font-size:1.1rem">Please check ${errors.length === 1 ? 'one answer' : `${errors.length} answers`}</h2><ul>${items.map(
    ({ e, t }) => html`<li>${t ? html`<a href="${t.href}">${t.label}</a>: ` : html`${e.field}: `}${e.message}</li>`,
  )}</ul></div>`;
}
const errorFor = (errors: FieldError[], q: Question) =>
  errors.find((e) => e.field === `answers.${q.key}` || e.field === q.key)?.message;

function scaleQuestion(q: Question, state: FormState, idx: number): SafeHtml {
  const err = errorFor(state.errors, q);
  const id = `q${idx}`;
  const values: number[] = [];
  for (let v = q.min!; v <= q.max!; v++) values.push(v);
  const current = state.values[fieldName(q)];
  return html`<fieldset id="${id}" class="${err ? 'invalid' : ''}" ${err ? html`aria-describedby="${id}-err"` : ''}>
  <legend>${q.text}${q.required ? html` <span class="req" aria-hidden="true">*</span><span class="visually-hidden">(required)</span>` : ''}</legend>
  ${err ? html`<p class="error" id="${id}-err">${err}</p>` : ''}
  <div class="scale-box"><div class="scale n${values.length}">
    ${values.map(
      // The end buttons are described by their end label for screen readers ("1", then "1 = Strongly
      // disagree"): the line of end labels under the scale is for the eye, and a bare number says nothing.
      (v) => {
        const end = q.lowLabel && v === q.min ? `${id}-lo` : q.highLabel && v === q.max ? `${id}-hi` : null;
        return html`<label><input type="radio" name="${fieldName(q)}" value="${v}" ${String(v) === current ? 'checked' : ''} ${q.required ? 'required' : ''}${end ? html` aria-describedby="${end}"` : ''}><span>${v}</span></label>`;
      },
    )}
  </div>
  ${q.lowLabel ? html`<div class="ends" aria-hidden="true"><span id="${id}-lo">${q.min} = ${q.lowLabel}</span><span id="${id}-hi">${q.max} = ${q.highLabel}</span></div>` : ''}</div>
</fieldset>`;
}

function shareQuestion(q: Question, state: FormState, idx: number): SafeHtml {
  const err = errorFor(state.errors, q);
  const id = `q${idx}`;
  return html`<div class="field ${err ? 'invalid' : ''}">
  <label for="${id}">${q.text}${q.required ? html` <span class="req" aria-hidden="true">*</span>` : ''}</label>
  ${err ? html`<p class="error" id="${id}-err">${err}</p>` : ''}
  <input id="${id}" name="${fieldName(q)}" type="number" inputmode="numeric" min="${q.min}" max="${q.max}" step="1" value="${state.values[fieldName(q)] ?? ''}" ${q.required ? 'required' : ''} ${err ? html`aria-invalid="true" aria-describedby="${id}-err"` : ''}> %
</div>`;
}

function touchpointQuestion(q: Question, state: FormState, idx: number): SafeHtml {
  const err = errorFor(state.errors, q);
  const id = `q${idx}`;
  const groups = [...new Set(q.options!.map((o) => o.group ?? ''))];
  const current = state.values.touchpoint ?? '';
  return html`<div class="field ${err ? 'invalid' : ''}">
  <label for="${id}">${q.text}</label>
  ${err ? html`<p class="error" id="${id}-err">${err}</p>` : ''}
  <select id="${id}" name="touchpoint" ${err ? html`aria-invalid="true" aria-describedby="${id}-err"` : ''}>
    <option value="">— choose (optional) —</option>
    ${groups.map(
      (g) => html`<optgroup label="${g}">${q
        .options!.filter((o) => (o.group ?? '') === g)
        .map((o) => html`<option value="${o.value}" ${o.value === current ? 'selected' : ''}>${o.label}</option>`)}</optgroup>`,
    )}
  </select>
</div>`;
}

function textQuestion(q: Question, state: FormState, idx: number): SafeHtml {
  const id = `q${idx}`;
  return html`<div class="field">
  <label for="${id}">${q.text}</label>
  <p class="hint" id="${id}-hint">Optional. Please don't include personal details.</p>
  <textarea id="${id}" name="comment" maxlength="5000" aria-describedby="${id}-hint">${state.values.comment ?? ''}</textarea>
</div>`;
}

/**
 * In the embeddable widget (routes/widget.ts): tells the host page the document's height whenever it
 * changes, so the iframe fits its content. Posted only to `host` — the origin the organisation declared
 * and the server checked — so no other page can read it; the snippet checks the sender and the shape.
 */
function resizeScript(host: string): SafeHtml {
  // host is a checked origin (scheme, host, port): nothing in it can end the script; escaped regardless.
  const target = JSON.stringify(host).replace(/</g, '\\u003c');
  return new SafeHtml(`<script>
(function (host) {
  var last = 0;
  function send() {
    var h = Math.ceil(document.body.getBoundingClientRect().height);
    if (h !== last) { last = h; parent.postMessage({ type: 'parallax:height', height: h }, host); }
  }
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.body);
  send();
})(${target});
</script>`);
}

/** "five", or "12": the organisation's smallest reported group, in the footer's words. */
const groupSize = (n: number) => ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'][n] ?? String(n);

/**
 * `minGroup`: the organisation's minResponses, which the footer promises (it is what reports enforce);
 * `widgetHost`: in the widget, the declared origin framing the page (the form then reports its height).
 */
/**
 * Leaders' belief by touchpoint (issue 11): a leader predicts only the touchpoints their function owns, and
 * the page says why when there are none, so the missing questions are not taken for an error.
 */
function touchpointPredictionNote(survey: SurveyDefinition, shown: Question[], fn: string | null | undefined): SafeHtml | '' {
  if (!survey.questions.some((q) => q.touchpoint)) return '';
  const owned = shown.filter((q) => q.touchpoint);
  if (owned.length)
    return html`<p class="hint" id="tp-predictions">${fn} owns ${owned.length === 1 ? 'one touchpoint' : `${owned.length} touchpoints`} of the customer journey: the next ${owned.length === 1 ? 'question asks' : `${owned.length} questions ask`} what you expect customers to say there (optional).</p>`;
  return html`<p class="hint" id="tp-predictions">Leaders are also asked about the touchpoints their function owns; ${fn?.trim() ? html`${fn} owns no touchpoint of the customer journey` : 'your link names no function'}, so there are no touchpoint questions for you.</p>`;
}

export function surveyForm(survey: SurveyDefinition, action: string, state: FormState, minGroup: number, widgetHost?: string): string {
  const questions = survey.questions.filter(
    (q) => !(q.kind === 'touchpoint' && state.hidden['link.touchpoint']) && (!q.touchpoint || ownsTouchpoint(state.leaderFunction, q.touchpoint.department)),
  );
  // Landmarks are named, and in the widget the page's header is no banner: the host page has its own, and
  // axe (landmark-unique) counts a framed page's landmarks with the host page's.
  const body = html`<header ${widgetHost ? html`role="none"` : ''}><h1>${survey.title}</h1><p class="intro">${survey.intro}</p></header>
<main aria-label="${survey.title}">
${errorSummary(questions, state.errors)}
<form method="post" action="${action}" novalidate>
  <input type="hidden" name="_token" value="${state.token}">
  ${hiddenInputs(state.hidden)}
  ${questions.map((q, i) => {
    switch (q.kind) {
      case 'predict_share':
        // The company-wide prediction comes first; the note on the touchpoint predictions follows it.
        return q.key === 'predict:excellent_share' ? html`${shareQuestion(q, state, i)}${touchpointPredictionNote(survey, questions, state.leaderFunction)}` : shareQuestion(q, state, i);
      case 'constant_sum':
        return constantSumQuestion(q, state.values, state.errors, `q${i}`);
      case 'touchpoint':
        return touchpointQuestion(q, state, i);
      case 'text':
        return textQuestion(q, state, i);
      default:
        return scaleQuestion(q, state, i);
    }
  })}
  ${state.consent ? consentFieldset(state) : ''}
  <p class="hint"><span class="req" aria-hidden="true">*</span> required</p>
  <button type="submit">Send my answers</button>
</form>
</main>
<footer>Powered by Parallax · your answers are only reported in groups of at least ${groupSize(minGroup)}</footer>
<script>
// Progressive enhancement only: the form works without this. Prevent a double click from sending twice.
document.querySelector('form').addEventListener('submit', function (e) {
  var b = this.querySelector('button[type=submit]');
  if (b.dataset.sent) { e.preventDefault(); return; }
  b.dataset.sent = '1'; b.setAttribute('aria-disabled', 'true'); b.textContent = 'Sending…';
});
var s = document.getElementById('error-summary'); if (s) s.focus();
</script>${questions.some((q) => q.kind === 'constant_sum') ? TOTAL_SCRIPT : ''}${widgetHost ? resizeScript(widgetHost) : ''}`;
  return page(survey.title, body);
}

/** `followUp`: what the case rules make of the answers (case-consent.ts) — said as it is, never promised blindly. */
export function thankYouPage(orgName: string, widgetHost?: string, followUp: SafeHtml | '' = ''): string {
  return page(
    'Thank you',
    html`<main style="padding-top:3rem" aria-labelledby="page-title"><div class="field" role="status"><h1 id="page-title">Thank you!</h1><p>Your answers have reached ${orgName}. They are reported in groups, never one by one.</p>${followUp}<p class="hint">${widgetHost ? 'Thank you for your time.' : 'You can close this page.'}</p></div></main>${widgetHost ? resizeScript(widgetHost) : ''}`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, html`<main style="padding-top:3rem" aria-labelledby="page-title"><div class="field"><h1 id="page-title">${title}</h1><p>${message}</p></div></main>`);
}

/**
 * The GET of a refused form whose draft is gone (sent since, or kept past its time): says so, and for the
 * customer survey links to a fresh form (`fresh`); a leader opens their personal link again.
 */
export function expiredDraftPage(title: string, fresh?: string): string {
  return page(
    title,
    html`<main style="padding-top:3rem" aria-labelledby="page-title"><div class="field"><h1 id="page-title">This page has expired</h1><p>If you sent your answers, they have been received. If not, the answers you typed were kept for a short while only, so please start again.</p>${fresh ? html`<p><a href="${fresh}">Start the survey again</a></p>` : html`<p>Open the link you were sent again to start over.</p>`}</div></main>`,
  );
}

/**
 * The leader survey's first step when the link names no function (issue 11): the leader picks it, as it
 * decides which touchpoints they are asked to predict and groups their answers in the calibration report.
 * A GET form (nothing is stored yet, so Back and reload are harmless); `hidden` carries the link token.
 */
export function functionStepPage(survey: SurveyDefinition, action: string, hidden: Record<string, string>, functions: string[], minGroup: number, error?: string): string {
  const body = html`<header><h1>${survey.title}</h1><p class="intro">${survey.intro}</p></header>
<main aria-label="${survey.title}">
${error ? errorSummary([], [{ field: 'function', message: error }]) : ''}
<form method="get" action="${action}">
  ${hiddenInputs(hidden)}
  <div class="field ${error ? 'invalid' : ''}">
    <label for="function">Your function <span class="req" aria-hidden="true">*</span></label>
    <p class="hint" id="function-hint">Your answers are reported with other leaders of your function, in groups of at least ${groupSize(minGroup)} only. It also picks the parts of the customer journey you are asked about.</p>
    ${error ? html`<p class="error" id="function-err">${error}</p>` : ''}
    <select id="function" name="function" required aria-describedby="function-hint${error ? ' function-err' : ''}" ${error ? 'aria-invalid="true"' : ''}>
      <option value="">— choose —</option>
      ${functions.map((f) => html`<option value="${f}">${f}</option>`)}
    </select>
  </div>
  <button type="submit">Continue</button>
</form>
</main>
<footer>Powered by Parallax</footer>`;
  return page(survey.title, body);
}
