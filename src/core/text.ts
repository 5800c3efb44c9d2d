// Text that may be stored: no NUL, no other C0 control character except tab, newline and carriage
// return, no lone UTF-16 surrogate. PostgreSQL refuses NUL in text (a 500 before this check) while
// SQLite stores it, and lone surrogates are silently replaced on the way to either: so such text is
// refused at the edge, the same on both engines. Used by the server's request guard (every route) and by
// the schemas that imports also go through.
import { z } from 'zod';

// C0 controls except \t \n \r, and a surrogate not part of a pair (the `u` flag matches pairs as one).
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|\p{Surrogate}/u;

export const INVALID_TEXT_MESSAGE = 'must not contain NUL, control characters (other than tab and line breaks) or invalid Unicode';

export const hasInvalidText = (s: string): boolean => INVALID.test(s);

/**
 * The first path (e.g. ["segments", "region"]) at which a JSON-like value holds invalid text, in a
 * string or in an object key; undefined when it is clean.
 */
export function findInvalidText(value: unknown, path: string[] = [], depth = 0): string[] | undefined {
  if (typeof value === 'string') return hasInvalidText(value) ? path : undefined;
  if (value === null || typeof value !== 'object' || depth > 64) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findInvalidText(value[i], [...path, String(i)], depth + 1);
      if (hit) return hit;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (hasInvalidText(key)) return [...path, key];
    const hit = findInvalidText((value as Record<string, unknown>)[key], [...path, key], depth + 1);
    if (hit) return hit;
  }
  return undefined;
}

/** A string schema that refuses invalid text (see above). */
export const cleanText = () => z.string().refine((s) => !hasInvalidText(s), { message: INVALID_TEXT_MESSAGE });
