// Which gap dimensions and journey touchpoints a customer's text speaks about ("billing", "communication",
// "reliability"…), from a seed vocabulary per key. Keys come from the organisation's framework and journey
// (src/core/framework.ts, src/core/journey.ts): the defaults have hand-written vocabularies; a custom
// dimension or touchpoint is seeded from the words of its label. Pure; a text can carry several tags or none.
import type { Dimension } from '../framework.ts';
import type { Stage } from '../journey.ts';

/**
 * Terms are regular-expression fragments matched case-insensitively on word boundaries; a trailing `*`
 * means "any word ending" (stem). Kept small and explainable: each tag can be traced to the words that set it.
 */
export const DIMENSION_TERMS: Readonly<Record<string, readonly string[]>> = {
  service: ['expect*', 'as promised', 'as advertised', 'not what (?:i|we) (?:was|were) (?:told|sold|promised)', 'mis+[- ]?sold', 'value for money', 'overall experience'],
  understanding: ['listen*', 'understand* (?:my|our|what)', 'didn.?t understand', 'my needs', 'our needs', 'personal*', 'tailor*', 'know what (?:i|we) want*', 'remember*'],
  ai_readiness: ['chat ?bot*', 'bot', 'automated', 'robot*', 'artificial intelligence', 'ai'],
  integration: [
    'pass(?:ed)? (?:from|around|between|on)', 'transferr*', 'another department', 'different department*', 'departments', 'repeat*',
    'explain(?:ed)? (?:it |everything )?again', 'all (?:the )?details again', 'online (?:and|or|then) (?:by )?phone', 'in store', 'in-store', 'channel*', 'joined[- ]up', 'seamless*', 'no record',
  ],
  communication: [
    'communicat*', 'inform*', 'update*', 'told', 'tell*', 'explain*', 'letter*', 'e-?mail*', 'texts?', 'messag*', 'notif*',
    'mislead*', 'confus*', 'unclear', 'clear*', 'contradict*', 'no one (?:told|informed|contacted)', 'kept in the dark', 'language', 'english',
  ],
  reliability: [
    'late', 'delay*', 'cancel+ed flight*', 'flight (?:was |got |been )?cancel+ed', 'cancel+ation*', 'cancel+ed (?:my|our|the) (?:order|flight|appointment|install*)',
    'on time', 'lost', 'missing', 'damag*', 'broke*', 'fault*', 'not working', 'stopped working', 'outage*', 'down again', 'drop(?:s|ped|ping)?(?: out)?',
    'never (?:arrived|turned up|showed|came)', 'no show', 'did not turn up', 'didn.?t turn up', 'failed', 'reliab*', 'unreliab*', 'promised', 'missed', 'wrong', 'error*', 'mistake*', 'sorted', 'resolved',
    'stranded', 'stuck', 'reschedul*', 'tarmac', 'destroyed', 'still (?:in|at|not|no)', '(?:didn.?t|did not|never) make it', '(?:haven.?t|have not|not) (?:yet )?(?:received|arrived)',
  ],
  responsiveness: [
    'wait*', 'hold', 'on hold', 'queue*', 'long lines?', '(?:in|the|this) line (?:at|in|to|for)', 'stood in line', 'lines? (?:was|were) long', 'slow*', 'quick*', 'fast', 'prompt*', 'speed(?:y|ily)',
    'respon[ds]*', 'repl(?:y|ied|ies)', 'call(?:ed)? (?:me )?back', 'ring back', 'rang back', 'hours?', 'days', 'weeks', 'ages', 'still (?:no|not|waiting)', 'chase*', 'chasing',
  ],
  assurance: ['trust*', 'confiden*', 'competen*', 'incompeten*', 'knowledg*', 'professional*', 'unprofessional', 'safe*', 'secur*', 'reassur*', 'clueless', 'no idea', 'expert*', 'reliable staff'],
  empathy: [
    'rude*', 'polite*', 'friendly', 'unfriendly', 'care*', 'caring', 'attitude', 'kind*', 'patien[ct]*', 'courteous', 'apolog*', 'sorry', 'empath*',
    'flight attendant*', 'crew', 'staff', 'agent*', 'gate agent*', 'helpful', 'unhelpful', 'nice', 'lovely', 'attentive', 'treated', 'ignored', 'dismissive',
  ],
  tangibles: [
    'seat*', 'leg ?room', 'clean*', 'dirty', 'filthy', 'food', 'meal*', 'drink*', 'lounge*', 'wi-?fi', 'router', 'hub', 'equipment', 'look(?:s|ed)? (?:good|great|nice|dated|old|cheap|tired|modern|clean|shabby)',
    'screen*', 'entertainment', 'toilet*', 'washroom*', 'aircraft', 'plane', 'comfort*', 'uncomfortable', 'space', 'cramped',
  ],
};

export const TOUCHPOINT_TERMS: Readonly<Record<string, readonly string[]>> = {
  advertising: ['advert*', 'ads?', 'advertis*', 'marketing', 'promotion*', 'promo', 'commercial*', 'social media', 'twitter', 'tweet*'],
  website: ['website', 'web ?site', 'site', 'online', 'web', 'page', 'link', 'log ?in', 'sign ?in', 'password'],
  pricing: ['price*', 'pric(?:ing|ey|y)', 'cost*', 'expensive', 'cheap*', 'fee*', 'tariff*', 'plan', 'package', 'deal', 'offer*', 'discount*', 'voucher*', 'value', 'afford*', '£\\d*', '\\$\\d*'],
  checkout: ['order*', 'sign(?:ed)? ?up', 'book(?:ed|ing|ings)?', 're-?book*', 'purchas*', 'check ?out', 'buy*', 'bought', 'reservation*', 'ticket*', 'upgrade*'],
  welcome: ['set ?up', 'setup', 'install*', 'activat*', 'engineer*', 'welcome', 'onboard*', 'equipment', 'router', 'hub', 'delivered', 'delivery', 'connect(?:ed|ion)? date', 'go live', 'switch(?:ed)? on'],
  app: ['app', 'apps', 'product*', 'broadband', 'internet', 'speed*', 'mbps', 'connection*', 'wi-?fi', 'tv', 'channel*', 'phone line', 'signal', 'flight', 'flights', 'seat*'],
  billing: ['bill*', 'invoice*', 'payment*', 'pay(?:ing)?', 'paid', 'direct debit', 'charg*', 'overcharg*', 'refund*', 'money', 'debit*', 'credit*', 'compensat*', 'fee*'],
  help_centre: ['help ?cent(?:re|er)', 'faq*', 'help page*', 'self[- ]service', 'live chat', 'online chat', 'chat', 'troubleshoot*', 'knowledge base', 'dm', 'direct message'],
  contact_centre: [
    'call cent(?:re|er)', 'customer service*', 'customer care', 'call*', 'phon(?:e|ed|ing)', 'rang', 'ring*', 'on the phone', 'hold', 'agent*', 'advis[eo]r*',
    'representative*', 'rep', 'operator*', 'spoke to', 'speak to', 'hung up', 'helpline', 'hotline', 'contact*', 'support', 'cust(?:omer)? svc', 'help desk', 'heard back', 'complain*',
  ],
  renewal: ['renew*', 'contract*', 'cancel+(?:ed|ing)? (?:my|our|the) (?:contract|account|subscription|service)', 'leav(?:e|ing) (?:you|company)', 'switch(?:ing)? (?:to|provider)', 'loyal*', 'retention', 'end of (?:my|the) contract', 'never (?:again|use|fly)', 'last time', 'move to', 'moving to'],
};

/**
 * The framework key each airline complaint reason (twitter-airline `negativereason`) speaks about: the labels
 * the learnt terms come from (scripts/learn-tag-terms.ts) and the tagger is measured against (bench/text.ts).
 */
export const REASON_TAG: Readonly<Record<string, string>> = {
  'Late Flight': 'reliability',
  'Cancelled Flight': 'reliability',
  'Lost Luggage': 'reliability',
  'Damaged Luggage': 'reliability',
  'Customer Service Issue': 'contact_centre',
  'Flight Booking Problems': 'checkout',
  'Flight Attendant Complaints': 'empathy',
  longlines: 'responsiveness',
  'Bad Flight': 'tangibles',
};

/** Extra words per key learnt from labelled data (models/tag-terms.json): plain lower-case words. */
export type LearntTerms = Readonly<Record<string, readonly string[]>>;
const LEARNT_WORD = /^[a-z][a-z']{1,30}$/;

export interface TagVocabulary {
  dimensions: Map<string, RegExp>;
  touchpoints: Map<string, RegExp>;
}

export interface TextTags {
  dimensions: string[];
  touchpoints: string[];
}

const STOP = new Set('and the of our your with how well what who that this from into for are was were you they them their its it'.split(' '));

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(terms: readonly string[]): RegExp {
  const parts = terms.map((t) => (t.endsWith('*') ? `${t.slice(0, -1)}\\w*` : t));
  // Word boundaries by look-around on letters, so that terms starting with "£" or "$" still match.
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${parts.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
}

/** Seed terms from a label: its content words, each as a stem ("Delivery speed" → delivery*, speed*). */
export function termsFromLabel(label: string): string[] {
  return label
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 4 && !STOP.has(w))
    .map((w) => `${escape(w.length > 6 ? w.slice(0, w.length - 2) : w)}*`);
}

/**
 * The vocabulary for an organisation: built-in terms for the default keys; a custom key is seeded from its
 * own label's words (label words of the defaults, like "help" in "Help centre", are far too broad). Leader-only dimensions are kept
 * out: customers are not asked about them, so their text is not tagged with them either.
 */
export function buildVocabulary(framework: readonly Dimension[], journey: readonly Stage[], learnt: LearntTerms = {}): TagVocabulary {
  // Learnt words are data: only plain words get into a regular expression.
  const extra = (key: string) => (Object.hasOwn(learnt, key) ? learnt[key]!.filter((w) => LEARNT_WORD.test(w)) : []);
  const dimensions = new Map<string, RegExp>();
  for (const d of framework) {
    if (d.customerItem === null) continue;
    dimensions.set(d.key, compile([...(DIMENSION_TERMS[d.key] ?? termsFromLabel(d.label)), ...extra(d.key)]));
  }
  const touchpoints = new Map<string, RegExp>();
  for (const s of journey)
    for (const t of s.touchpoints) touchpoints.set(t.key, compile([...(TOUCHPOINT_TERMS[t.key] ?? termsFromLabel(t.label)), ...extra(t.key)]));
  return { dimensions, touchpoints };
}

/** Only the first part of a very long text is read: tags say what a comment is about, not every aside. */
export const MAX_TAG_CHARS = 10_000;

export function tagText(vocab: TagVocabulary, text: string): TextTags {
  const t = text.slice(0, MAX_TAG_CHARS).replace(/\uFFFD/g, "'");
  const hits = (m: Map<string, RegExp>) => [...m].filter(([, re]) => re.test(t)).map(([k]) => k);
  return { dimensions: hits(vocab.dimensions), touchpoints: hits(vocab.touchpoints) };
}
