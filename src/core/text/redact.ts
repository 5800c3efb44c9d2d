// PII redaction for customer text: e-mail addresses, phone numbers, payment cards, account/reference numbers,
// UK street addresses and postcodes, and person names where a cue makes them detectable. Each is replaced by
// a typed placeholder ("[email]", "[phone]", …) so that the text stays readable for people who may not see the
// original. Pure and deterministic: the same text always gives the same result (ingest, export and the CLI
// share it). Precision over recall for names: we only redact a name when the context says it is one.

export type PiiType = 'email' | 'phone' | 'card' | 'account' | 'address' | 'name';

export interface PiiSpan {
  type: PiiType;
  /** UTF-16 offsets into the original text, end exclusive. */
  start: number;
  end: number;
}

export interface Redaction {
  text: string;
  spans: PiiSpan[];
}

/** Longer texts are redacted in full but are refused above this size, so no caller can make us scan megabytes. */
export const MAX_REDACT_CHARS = 100_000;

const EMAIL = /[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}/g;

// A run of digits with the separators people type inside numbers (space, hyphen, dot excluded on purpose:
// "8.30", "29.99" and "30/12/84" must never become phones or cards). Optional leading "+" or "(".
const DIGIT_RUN = /(?:\+|\(\s*)?\d(?:[\d\s()-]{0,30}\d)?/g;

/** Luhn check digit test (payment card numbers). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// Words before a number that say it identifies an account, order, case… ("account no: 12345678").
const ACCOUNT_CUE =
  /\b(?:account|acct|acc|a\/c|customer|reference|ref|order|case|ticket|booking|membership|member|complaint|policy|invoice|contract|sort\s+code|iban|bank)\s*(?:number|no\.?|num|#|id|ref(?:erence)?)?\s*(?:is|was|:|-|#)?\s*$/i;

// A reference token after a cue: digits, or letters mixed with at least 4 digits (e.g. "VOL012345678", "BT-4417-22").
const REFERENCE_TOKEN = /^(?:[A-Za-z]{0,4}[-/]?)?\d[\d -]{2,30}\d(?:[A-Za-z]{0,3})?|^[A-Za-z]{1,6}[-/]?\d{4,20}[A-Za-z]{0,3}/;

const STREET_SUFFIX =
  'road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|cres|gardens|gdns|place|pl|court|ct|terrace|grove|hill|park|square|sq|mews|parade|boulevard|rise|vale';
// Function words and units that never sit inside a street name: keeps "3 hours on the road" and
// "2 weeks down the way" out.
const NOT_STREET_WORD = new Set(
  'a an the on in of to for and or but my our your his her their at by with from into this that it is was be been hours hour days day weeks week months month years year min mins minute minutes times time miles mile km kms metres meters yards calls call more than good hr hrs drive each per person only middle last first front back seat seats business economy class flight flights one two three four way'.split(' '),
);
const STREET = new RegExp(
  String.raw`\b(?:(?:flat|apartment|apt|unit)\s+\d{1,4}[a-z]?,?\s+)?\d{1,4}[a-z]?,?\s+((?:[A-Za-z'’-]{2,20}\s+){1,3})(?:${STREET_SUFFIX})\b\.?`,
  'gi',
);
// UK postcode: outward code + inward code. Inward letters exclude C, I, K, M, O, V (Royal Mail), which also
// keeps ordinals out ("tv2 3rd" has R-D, allowed, so ordinals are refused explicitly below).
const POSTCODE = /\b([A-Z]{1,2}\d[A-Z\d]?)(\s?)(\d[ABD-HJLNP-UW-Z]{2})\b/gi;
const ORDINAL = /^\d(?:st|nd|rd|th)$/i;

// Names. Strong cues name a person whatever the word; weak cues ("spoke to", "thanks to") only when the
// word is a known first name, so "spoke to Openreach" and "called Sky" stay.
const CAP = String.raw`[A-Z][a-z'’-]{1,20}`;
const CAP_OR_LOWER = String.raw`[A-Za-z][a-z'’-]{1,20}`;
/** Cue phrases in either case of their first letter ("Thanks"/"thanks"), names stay case-sensitive. */
const cues = (list: string) =>
  list
    .split('|')
    .map((c) => `[${c[0]!.toUpperCase()}${c[0]!.toLowerCase()}]${c.slice(1)}`)
    .join('|');
const MY_NAME = new RegExp(String.raw`\b[Mm]y name is\s+(?:not\s+)?(${CAP_OR_LOWER}(?:\s+${CAP})?)`, 'g');
const TITLE = new RegExp(String.raw`\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+(${CAP}(?:[ -]${CAP})?)`, 'g');
const STRONG_CUE = new RegExp(
  String.raw`\b(?:${cues('named|name was|name\'s')}|(?:${cues('someone|somebody|person|man|woman|lady|gentleman|guy|girl|chap|lad|agent|advisor|adviser|engineer|technician|rep')})(?:\s+[a-z]{2,12}){0,2}\s+called)\s+(${CAP}(?:\s+${CAP})?)`,
  'g',
);
const WEAK_CUE = new RegExp(
  String.raw`\b(?:${cues('spoke to|spoke with|speaking to|speaking with|talked to|thanks to|thank you to|thank you|thanks|engineer|advisor|adviser|agent|technician|manager|colleague|operator|rep|except|to|and|by|from|with|of')})\s+(${CAP}(?:\s+${CAP})?)`,
  'g',
);
// Sign-off at the end of a text or line: "Thanks Kerry", "Kind regards, J. Smith".
const SIGN_OFF = new RegExp(
  String.raw`\b(?:${cues('thanks|thank you|many thanks|regards|kind regards|best regards|best wishes|cheers|sincerely|yours sincerely|yours faithfully')})[,!.]?\s+((?:[A-Z]\.\s*)?${CAP}(?:\s+${CAP})?)[.!]?\s*$`,
  'gm',
);
// "Tom in Canterbury", "Anna Bernard": a known first name followed by "in/from <Place>" or a capitalised surname.
const FIRST_NAME_PATTERN = new RegExp(String.raw`\b(${CAP})(?:\s+(${CAP}))?`, 'g');

// Common UK first names; words that are also ordinary English words in customer text (Will, May, Bill,
// Sky, Grace, Faith, Rose, Mark, Frank, Victor…) are left out on purpose.
const FIRST_NAMES = new Set(
  `aaron abbie abdul abigail adam adrian ahmed aidan aisha alan alastair alex alexander alexandra ali alice alison alistair amanda amber amelia amy andrea andrew andy angela anita ann anna anne annie anthony apostolos arthur barbara barry becky ben benjamin beth bethany brenda brian bridget callum cameron carl carol caroline carolyn catherine charles charlie chloe chris christine christopher claire clare colin connor craig daniel danielle darren dave david dawn dean debbie deborah declan denise dennis derek diane donna doris dylan edward eileen elaine eleanor elizabeth ellie emily emma eric ethan finlay fiona gareth gary gavin gemma geoffrey george gillian glen gordon graham greg hannah harry hayley heather helen ian imran isabel isla jacob jade james jamie jane janet jason jasmine jean jeff jennifer jenny jessica jill joan joanne joe joel john jon jonathan joseph josh joshua julia julie justin karen kate katherine kathleen katie kayleigh keith kelly kerry kevin kieran kim kirsty laura lauren lee leo liam linda lindsay lisa louis louise lucy luke lydia lynn maria marie martin mary matt matthew megan melanie michael michelle mike mohammed mohammad molly muhammad nadia natalie nathan neil nicholas nick nicola nicole niamh nigel oliver olivia owen pamela patricia paul paula pauline peter phil philip priya rachel rajesh ravi rebecca richard rob robert robin ryan sadie sally samantha samuel sandra sarah scott sean shane sharon shaun sheila simon sinead sophie stacey stephen steve steven stuart susan suzanne tanya thomas tim timothy tina tom tony tracey tracy trevor valerie vanessa vicky wayne wendy william yasmin zoe`.split(
    ' ',
  ),
);
export const isFirstName = (w: string): boolean => FIRST_NAMES.has(w.toLowerCase());

// Capitalised words that follow a strong cue but are not people.
const NOT_A_NAME = new Set(
  'the a an it this that company customer customers service support sky bt virgin openreach talktalk vodafone ee o2 three plusnet sales billing team department i we you he she they not'.split(
    ' ',
  ),
);

// Second words that make a first name part of a place or brand ("Thomas Cook", "Louis Tavern", "Ben Gurion").
const NOT_A_SURNAME = new Set(
  'cook gurion tavern lounge airport airlines airways airline international hotel bank group centre center station street road de la le van von staff cancelled monday tuesday wednesday thursday friday saturday sunday january february march april june july august september october november december'.split(
    ' ',
  ),
);
// Sign-offs that introduce a name whatever it is; "thanks X" needs X to be a known first name.
const STRONG_SIGN_OFF = /^(?:regards|kind regards|best regards|best wishes|sincerely|yours sincerely|yours faithfully)/i;

// Between the street and the postcode of one address: separators and at most a town ("…Avenue, London SW1A 1AA").
const ADDRESS_GLUE = /^[\s,]*(?:[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}[\s,]*)?$/;

function isSeparatorOnly(s: string): boolean {
  return /^[\s,;:–-]*$/.test(s);
}

/** Find every PII span in `text` (overlaps resolved: the first-found, higher-priority span wins). */
export function findPii(text: string): PiiSpan[] {
  if (text.length > MAX_REDACT_CHARS) throw new RangeError(`text longer than ${MAX_REDACT_CHARS} characters`);
  const spans: PiiSpan[] = [];
  const taken = (start: number, end: number) => spans.some((s) => start < s.end && end > s.start);
  const add = (type: PiiType, start: number, end: number) => {
    if (end > start && !taken(start, end)) spans.push({ type, start, end });
  };

  for (const m of text.matchAll(EMAIL)) add('email', m.index!, m.index! + m[0].length);

  // Alphanumeric references after a cue ("order ref: VOL012345678").
  const REF_AFTER_CUE = /\b(?:account|acct|reference|ref|order|case|ticket|booking|membership|complaint|policy|invoice|contract)\s*(?:number|no\.?|num|#|id|ref(?:erence)?)?\s*(?:is|was|:|-|#)?\s*/gi;
  for (const m of text.matchAll(REF_AFTER_CUE)) {
    const at = m.index! + m[0].length;
    const tok = REFERENCE_TOKEN.exec(text.slice(at, at + 40));
    if (tok && /\d{4}/.test(tok[0].replace(/[\s-]/g, ''))) add('account', at, at + tok[0].trimEnd().length);
  }

  for (const m of text.matchAll(DIGIT_RUN)) {
    let raw = m[0];
    let start = m.index!;
    // Trim unbalanced trailing/leading parentheses and spaces picked up by the run.
    while (raw.length && /[\s(-]$/.test(raw)) raw = raw.slice(0, -1);
    const lead = raw.match(/^[\s)-]+/);
    if (lead) {
      raw = raw.slice(lead[0].length);
      start += lead[0].length;
    }
    if (raw.endsWith(')') && !raw.includes('(')) raw = raw.slice(0, -1);
    const open = raw.match(/^\(\s*/);
    if (open && !raw.includes(')')) {
      raw = raw.slice(open[0].length);
      start += open[0].length;
    }
    const end = start + raw.length;
    const digits = raw.replace(/\D/g, '');
    const before = text.slice(Math.max(0, start - 40), start);
    const after = text.slice(end, end + 3);
    // Part of a decimal, a price, a date or a time: never an identifier.
    if (/[£$€.,/:]$/.test(before) && !/[.,]\s$/.test(before)) {
      if (/[£$€]$/.test(before) || /\d[.,/:]$/.test(before)) continue;
    }
    if (/^[.,/:]\d/.test(after) || /^\d/.test(after)) continue;
    if (/^\s?(?:%|p\b|pm\b|am\b|mbps|gb|mb|kb|mins?|hours?|hrs?|days?|weeks?|miles?|st|nd|rd|th)/i.test(text.slice(end, end + 8)) && digits.length < 7)
      continue;

    // Card numbers start 2–6 (Mastercard 2/5, Amex 3, Visa 4, Discover 6) and pass the Luhn check.
    if (digits.length >= 13 && digits.length <= 19 && /^[2-6][\d -]+$/.test(raw) && luhnValid(digits)) {
      add('card', start, end);
      continue;
    }
    if (ACCOUNT_CUE.test(before) && digits.length >= 4) {
      add('account', start, end);
      continue;
    }
    const phoneShaped =
      /^(?:\+|\(?0)/.test(raw) || /^\(\d{3}\)\s?\d{3}[\s-]\d{4}$/.test(raw) || /^(?:1[\s-])?\d{3}[\s-]\d{3}[\s-]\d{4}$/.test(raw);
    if (phoneShaped && digits.length >= 10 && digits.length <= 15) {
      add('phone', start, end);
      continue;
    }
    // A phone number with a cue but a short local form ("call me on 810570").
    if (/\b(?:phone|tel|telephone|mobile|call me on|ring me on|number is|contact me on)\b[^.\n]{0,20}$/i.test(before) && digits.length >= 6 && digits.length <= 15) {
      add('phone', start, end);
      continue;
    }
    // Any other long bare number identifies something (account, card without a valid check digit…).
    // Grouped digits need more of them: "0630-0730" is a time range, "150219-000114" a case number.
    if (digits.length >= 8 && /^\d+$/.test(raw)) add('account', start, end);
    else if (digits.length >= 10) add('account', start, end);
  }

  for (const m of text.matchAll(STREET)) {
    if (/[£$€]\s*$/.test(text.slice(Math.max(0, m.index! - 2), m.index!))) continue; // "$39 each way"
    const words = m[1]!.trim().split(/\s+/);
    if (words.some((w) => NOT_STREET_WORD.has(w.toLowerCase()))) continue;
    add('address', m.index!, m.index! + m[0].length);
  }
  for (const m of text.matchAll(POSTCODE)) {
    if (ORDINAL.test(m[3]!)) continue;
    // Without the space ("N366SW", "B773ER") it is far more often an aircraft, model or code: only after a cue.
    if (!m[2] && !/postcode:?\s*$/i.test(text.slice(Math.max(0, m.index! - 10), m.index!))) continue;
    // Lower-case postcodes only next to an address or after a comma: "pe12 9qq" after a street, not "a1 2ab" in prose.
    const isUpper = m[0] === m[0].toUpperCase();
    const prev = spans.find((s) => s.type === 'address' && isSeparatorOnly(text.slice(s.end, m.index!)));
    if (!isUpper && !prev && !/(?:,|postcode:?)\s*$/i.test(text.slice(Math.max(0, m.index! - 10), m.index!))) continue;
    add('address', m.index!, m.index! + m[0].length);
  }

  const addName = (m: RegExpMatchArray, group = 1) => {
    const full = m[0];
    const name = m[group]!;
    const start = m.index! + full.lastIndexOf(name);
    // Keep only name-like words: drop a trailing word that is not a name (e.g. "Given not").
    const words = name.split(/\s+/);
    if (words.length > 1 && NOT_A_SURNAME.has(words[1]!.toLowerCase())) return;
    while (words.length > 1 && NOT_A_NAME.has(words[words.length - 1]!.toLowerCase())) words.pop();
    if (words.length === 1 && NOT_A_NAME.has(words[0]!.toLowerCase())) return;
    if (!words.length || NOT_A_NAME.has(words[0]!.toLowerCase())) return;
    add('name', start, start + words.join(' ').length);
  };
  for (const m of text.matchAll(MY_NAME)) addName(m);
  for (const m of text.matchAll(TITLE)) addName(m);
  for (const m of text.matchAll(STRONG_CUE)) addName(m);
  for (const m of text.matchAll(SIGN_OFF)) if (STRONG_SIGN_OFF.test(m[0]) || isFirstName(m[1]!.replace(/^[A-Z]\.\s*/, '').split(/\s+/)[0]!)) addName(m);
  for (const m of text.matchAll(WEAK_CUE)) {
    const words = m[1]!.split(/\s+/);
    if (isFirstName(words[0]!)) addName(m);
  }
  for (const m of text.matchAll(FIRST_NAME_PATTERN)) {
    if (!isFirstName(m[1]!)) continue;
    const next = text.slice(m.index! + m[0].length, m.index! + m[0].length + 30);
    // "Anna Bernard", or "Tom in Canterbury" / "Louis from Leeds".
    if (m[2] && NOT_A_SURNAME.has(m[2].toLowerCase())) continue;
    if (m[2] && !NOT_A_NAME.has(m[2].toLowerCase())) add('name', m.index!, m.index! + m[0].length);
    else if (/^\s+(?:in|from|at)\s+[A-Z]/.test(next)) add('name', m.index!, m.index! + m[1]!.length);
  }
  // "Craig powell - 170 guys head road": words right before an address, after a separator, are the addressee.
  for (const s of spans.filter((x) => x.type === 'address')) {
    const head = text.slice(Math.max(0, s.start - 60), s.start);
    const m = new RegExp(String.raw`(?:^|[.!?:]\s+|\n)(${CAP}(?:\s+[A-Za-z][a-z'’-]{1,20}){0,2})\s*[,–-]\s*$`).exec(head);
    if (m && !NOT_A_NAME.has(m[1]!.split(/\s+/)[0]!.toLowerCase())) {
      const start = s.start - head.length + m.index! + m[0].indexOf(m[1]!);
      add('name', start, start + m[1]!.length);
    }
  }

  spans.sort((a, b) => a.start - b.start);
  // Join an address split by a comma into its street and postcode parts: one placeholder for one address.
  const merged: PiiSpan[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && last.type === s.type && s.type === 'address' && ADDRESS_GLUE.test(text.slice(last.end, s.start))) last.end = s.end;
    else merged.push({ ...s });
  }
  return merged;
}

/** The text with every PII span replaced by its typed placeholder, and the spans (offsets in the original). */
export function redact(text: string): Redaction {
  const spans = findPii(text);
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + `[${s.type}]`;
    at = s.end;
  }
  return { text: out + text.slice(at), spans };
}
