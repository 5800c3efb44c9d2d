// The verbatims' search language (issue 14), parsed once and compiled for each engine's full-text index:
// words (`billing`), phrases (`"app crashed"`), prefixes (`bill*`), exclusion (`-refund`, `-"call back"`) and
// `OR` between two terms (`crash OR froze`); terms side by side must all match. Pure: the store runs the
// compiled text as a bound parameter (SQLite FTS5 MATCH, PostgreSQL to_tsquery), never as SQL.
//
// Words are cut into tokens the way both indexes cut text (runs of letters, digits and combining marks, so
// "e-mail" is the phrase "e mail"), and every token is made of those characters only: nothing the user types
// can become an operator of either engine's query syntax. Stemming, case and accents are the indexes'
// business (FTS5 `porter unicode61 remove_diacritics 2`, PostgreSQL `english` over accent-folded text), so a
// prefix matches word stems: `bill*` finds "billing" and "billed", `billin*` finds nothing.

/** A bound on what one search may ask for: the route also caps `q` at 200 characters. */
export const MAX_SEARCH_TERMS = 16;
export const MAX_TERM_TOKENS = 12;

export interface SearchTerm {
  /** Folded to lower case and NFC; letters, digits and marks only. More than one: a phrase. */
  tokens: string[];
  /** The last token is a prefix (`bill*`, `"app cra"*`). */
  prefix: boolean;
}

export interface SearchQuery {
  /** Every group must match; a group matches when any of its terms does (`a OR b`). */
  all: SearchTerm[][];
  /** No term here may match. */
  none: SearchTerm[];
}

export type ParsedSearch = { ok: true; query: SearchQuery } | { ok: false; message: string };

const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * English stop words (PostgreSQL's `english` list, the Snowball one): PostgreSQL indexes none of them, so a term
 * made only of them is left out on both engines (SQLite's index has them) and the two answer alike. Inside
 * a phrase with other words they stay: each engine matches the phrase around them.
 */
const STOP_WORDS = new Set([
  'i', 'me', 'my', 'myself', 'we', 'our', 'ours', 'ourselves', 'you', 'your', 'yours', 'yourself', 'yourselves',
  'he', 'him', 'his', 'himself', 'she', 'her', 'hers', 'herself', 'it', 'its', 'itself', 'they', 'them', 'their',
  'theirs', 'themselves', 'what', 'which', 'who', 'whom', 'this', 'that', 'these', 'those', 'am', 'is', 'are', 'was',
  'were', 'be', 'been', 'being', 'have', 'has', 'had', 'having', 'do', 'does', 'did', 'doing', 'a', 'an', 'the',
  'and', 'but', 'if', 'or', 'because', 'as', 'until', 'while', 'of', 'at', 'by', 'for', 'with', 'about', 'against',
  'between', 'into', 'through', 'during', 'before', 'after', 'above', 'below', 'to', 'from', 'up', 'down', 'in',
  'out', 'on', 'off', 'over', 'under', 'again', 'further', 'then', 'once', 'here', 'there', 'when', 'where', 'why',
  'how', 'all', 'any', 'both', 'each', 'few', 'more', 'most', 'other', 'some', 'such', 'no', 'nor', 'not', 'only',
  'own', 'same', 'so', 'than', 'too', 'very', 's', 't', 'can', 'will', 'just', 'don', 'should', 'now',
]);

const isStopTerm = (t: SearchTerm) => !t.prefix && t.tokens.every((tok) => STOP_WORDS.has(tok));

interface Lexeme {
  negated: boolean;
  /** null for the OR operator. */
  term: SearchTerm | null;
  /** What the user typed, for messages. */
  text: string;
}

function termOf(body: string, prefix: boolean): SearchTerm | null {
  const tokens = body.normalize('NFC').toLowerCase().match(TOKEN) ?? [];
  return tokens.length ? { tokens, prefix } : null;
}

/** Parses `q`; a message says what is wrong (shown to the user with the field name). */
export function parseSearchQuery(q: string): ParsedSearch {
  const fail = (message: string): ParsedSearch => ({ ok: false, message });
  const lexemes: Lexeme[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/u.test(c)) {
      i++;
      continue;
    }
    const start = i;
    let negated = false;
    if (c === '-' && i + 1 < q.length && !/\s/u.test(q[i + 1]!)) {
      negated = true;
      i++;
    }
    if (q[i] === '"') {
      const close = q.indexOf('"', i + 1);
      if (close < 0) return fail('a phrase is not closed: add the closing " (or remove the opening one)');
      const body = q.slice(i + 1, close);
      i = close + 1;
      const prefix = q[i] === '*';
      if (prefix) i++;
      if (i < q.length && !/\s/u.test(q[i]!)) return fail(`put a space after the phrase "${body}"`);
      const term = termOf(body, prefix);
      if (!term) return fail(`the phrase "${body}" has no words in it`);
      lexemes.push({ negated, term, text: q.slice(start, i) });
      continue;
    }
    let end = i;
    while (end < q.length && !/\s/u.test(q[end]!)) end++;
    const word = q.slice(i, end);
    i = end;
    if (word === 'OR' && !negated) {
      lexemes.push({ negated: false, term: null, text: 'OR' });
      continue;
    }
    if (word.includes('"')) return fail(`a quote inside "${word}": quotes go around a whole phrase ("app crashed")`);
    const star = word.indexOf('*');
    if (star >= 0 && star !== word.length - 1) return fail(`'*' may only end a word (bill*), as in "${word}"`);
    const prefix = star >= 0;
    const term = termOf(prefix ? word.slice(0, -1) : word, prefix);
    // Punctuation on its own ("&", "—") is not searchable text in either index: skipped, like the indexes skip it.
    if (!term) {
      if (prefix) return fail(`'*' needs letters before it, as in bill*`);
      continue;
    }
    lexemes.push({ negated, term, text: q.slice(start, end) });
  }

  const all: SearchTerm[][] = [];
  const none: SearchTerm[] = [];
  for (let k = 0; k < lexemes.length; k++) {
    const l = lexemes[k]!;
    if (l.term === null) {
      const before = lexemes[k - 1];
      const after = lexemes[k + 1];
      if (!before || !after || before.term === null || after.term === null)
        return fail('OR goes between two words or phrases, as in: crash OR froze');
      if (before.negated || after.negated) return fail(`OR cannot join an excluded term (${before.negated ? before.text : after.text})`);
      continue; // joined below, when the term after it is read
    }
    if (l.negated) {
      none.push(l.term);
      continue;
    }
    if (lexemes[k - 1]?.term === null) all[all.length - 1]!.push(l.term);
    else all.push([l.term]);
  }
  const kept = all.map((g) => g.filter((t) => !isStopTerm(t))).filter((g) => g.length > 0);
  const left = none.filter((t) => !isStopTerm(t));
  if (all.length > 0 && kept.length === 0)
    return fail('only common words such as "the" or "and", which the search leaves out: add a word that says what you are looking for');
  all.splice(0, all.length, ...kept);
  none.splice(0, none.length, ...left);
  const terms = [...all.flat(), ...none];
  if (all.length === 0)
    return fail(none.length ? 'nothing to find: give at least one word that is not excluded (billing -refund)' : 'nothing to find: give at least one word');
  if (terms.length > MAX_SEARCH_TERMS) return fail(`too many terms: at most ${MAX_SEARCH_TERMS}`);
  if (terms.some((t) => t.tokens.length > MAX_TERM_TOKENS)) return fail(`a phrase may hold at most ${MAX_TERM_TOKENS} words`);
  return { ok: true, query: { all, none } };
}

// Tokens hold letters, digits and marks only (TOKEN), so quoting them is all either syntax needs.
const ftsTerm = (t: SearchTerm) => `"${t.tokens.join(' ')}"${t.prefix ? '*' : ''}`;
const anyOf = (terms: string[], or: string) => (terms.length === 1 ? terms[0]! : `(${terms.join(or)})`);

/** The FTS5 MATCH expression: `(a) AND ("b c" OR d*) NOT (e)`. */
export function toFts5(q: SearchQuery): string {
  const must = q.all.map((g) => anyOf(g.map(ftsTerm), ' OR ')).join(' AND ');
  return q.none.length ? `(${must}) NOT ${anyOf(q.none.map(ftsTerm), ' OR ')}` : must;
}

const tsTerm = (t: SearchTerm) =>
  t.tokens.map((tok, i) => `'${tok}'${t.prefix && i === t.tokens.length - 1 ? ':*' : ''}`).join(' <-> ');

/**
 * The PostgreSQL to_tsquery text (before stemming, which to_tsquery does with the `english` configuration):
 * `'a' & ('b' <-> 'c' | 'd':*) & !'e'`. Accents are folded in SQL by the same function as the indexed text.
 */
export function toTsquery(q: SearchQuery): string {
  const parts = q.all.map((g) => anyOf(g.map((t) => `(${tsTerm(t)})`), ' | '));
  for (const t of q.none) parts.push(`!(${tsTerm(t)})`);
  return parts.join(' & ');
}

/** A stable text of the query (a cursor is bound to the search it pages through). */
export const searchKey = (q: SearchQuery): string => toFts5(q);
