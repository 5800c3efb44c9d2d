// The survey page's constant-sum question (the leader mirror's "share 100 points", core/survey.ts
// importanceQuestion): a labelled number box per part and a running total. The server writes the total
// (so it reads right with JavaScript off, and after a refused submission with the typed values kept); a
// small script keeps it current as the leader types, in a polite live region.
import type { FieldError, Question } from '../../core/survey.ts';
import { html, SafeHtml } from './html.ts';

export const CONSTANT_SUM_STYLE = `
.parts{display:grid;gap:.5rem;margin:.5rem 0 0;padding:0;list-style:none}
.part{display:grid;grid-template-columns:minmax(0,1fr) 6.5rem;gap:.25rem .75rem;align-items:center}
.part label{overflow-wrap:anywhere}
.part input{width:100%}
.part .error{grid-column:1/-1;margin:0}
.part input.invalid{border-color:var(--bad)}
.total{font-weight:700;margin:.75rem 0 0;padding:.5rem .75rem;border-radius:8px;background:var(--bg)}
.total.over{color:var(--bad)}
`;

/** "Total: 85 of 100 — 15 left": the running total's words. The page's script says the same (TOTAL_SCRIPT). */
export function totalText(sum: number, total: number, unreadable = false): string {
  const rest = sum === total ? 'all shared' : sum < total ? `${total - sum} left` : `${sum - total} too many`;
  return `Total: ${sum} of ${total} — ${rest}${unreadable ? ' (whole numbers only)' : ''}`;
}

/** The sum of the whole numbers typed, and whether anything else was typed (counted as nothing). */
function sumOf(values: (string | undefined)[]): { sum: number; unreadable: boolean } {
  let sum = 0;
  let unreadable = false;
  for (const raw of values) {
    const v = (raw ?? '').trim();
    if (v === '') continue;
    if (/^\d{1,6}$/.test(v)) sum += Number(v);
    else unreadable = true;
  }
  return { sum, unreadable };
}

/**
 * The question as a fieldset: legend, how to answer, the total's error (answers.<question key>), then one
 * row per part (label, its own error, the box). `id` is the question's anchor (the error summary links to
 * it, and to `${id}-<n>` for a part's error).
 */
export function constantSumQuestion(q: Question, values: Record<string, string>, errors: FieldError[], id: string): SafeHtml {
  const total = q.total!;
  const parts = q.options ?? [];
  const err = errors.find((e) => e.field === `answers.${q.key}`)?.message;
  const partErr = (value: string) => errors.find((e) => e.field === `answers.${value}`)?.message;
  const anyInvalid = !!err || parts.some((p) => partErr(p.value));
  const { sum, unreadable } = sumOf(parts.map((p) => values[p.value]));
  const describedBy = [`${id}-hint`, err ? `${id}-err` : '', `${id}-total`].filter(Boolean).join(' ');
  return html`<fieldset id="${id}" class="${anyInvalid ? 'invalid' : ''}" aria-describedby="${describedBy}" data-total="${total}">
  <legend>${q.text}${q.required ? html` <span class="req" aria-hidden="true">*</span><span class="visually-hidden">(required)</span>` : ''}</legend>
  <p class="hint" id="${id}-hint">${q.hint ?? ''}${q.required ? '' : ' Optional: leave every box empty to skip this question.'}</p>
  ${err ? html`<p class="error" id="${id}-err">${err}</p>` : ''}
  <ul class="parts">
    ${parts.map((p, j) => {
      const pid = `${id}-${j}`;
      const e = partErr(p.value);
      return html`<li class="part">
      <label for="${pid}">${p.label}</label>
      <input id="${pid}" name="${p.value}" type="number" inputmode="numeric" min="${q.min}" max="${q.max}" step="1" value="${values[p.value] ?? ''}" ${e ? html`class="invalid" aria-invalid="true" aria-describedby="${pid}-err"` : ''}>
      ${e ? html`<p class="error" id="${pid}-err">${e}</p>` : ''}
    </li>`;
    })}
  </ul>
  <p class="total${sum > total ? ' over' : ''}" id="${id}-total" aria-live="polite">${totalText(sum, total, unreadable)}</p>
</fieldset>`;
}

/**
 * The form fields of a constant-sum question as answers (item key → number), for the route's formToInput.
 * All boxes empty: the question is skipped. Otherwise an empty box beside filled ones is 0 points — the
 * running total already counts it so — and a box that is not a whole number is an error on its item.
 */
export function constantSumFromForm(q: Question, fields: ReadonlyMap<string, string>): { answers: Record<string, number>; errors: FieldError[] } {
  const answers: Record<string, number> = Object.create(null);
  const errors: FieldError[] = [];
  const parts = q.options ?? [];
  const raw = parts.map((p) => (fields.get(p.value) ?? '').trim());
  if (raw.every((v) => v === '')) return { answers, errors };
  parts.forEach((p, i) => {
    const v = raw[i]!;
    if (v === '') answers[p.value] = 0;
    else if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) errors.push({ field: `answers.${p.value}`, message: `must be a whole number from ${q.min} to ${q.max}` });
    else answers[p.value] = Number(v);
  });
  return { answers, errors };
}

/**
 * Keeps each constant-sum question's total current as the leader types (progressive enhancement: the
 * server's total stands without it). The same words as totalText.
 */
export const TOTAL_SCRIPT = new SafeHtml(`<script>
document.querySelectorAll('fieldset[data-total]').forEach(function (fs) {
  var total = Number(fs.getAttribute('data-total'));
  var out = fs.querySelector('.total');
  function update() {
    var sum = 0, unreadable = false;
    fs.querySelectorAll('input').forEach(function (i) {
      var v = i.value.trim();
      if (v === '') { if (i.validity && i.validity.badInput) unreadable = true; return; }
      if (/^\\d{1,6}$/.test(v)) sum += Number(v); else unreadable = true;
    });
    var rest = sum === total ? 'all shared' : sum < total ? (total - sum) + ' left' : (sum - total) + ' too many';
    var text = 'Total: ' + sum + ' of ' + total + ' \\u2014 ' + rest + (unreadable ? ' (whole numbers only)' : '');
    if (out.textContent !== text) out.textContent = text;
    out.classList.toggle('over', sum > total);
  }
  fs.addEventListener('input', update);
  update();
});
</script>`);
