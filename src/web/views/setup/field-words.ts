// The API's field errors in words for the set-up editors: "stages.2.touchpoints.2.department: Too small…"
// becomes "Stage 3, touchpoint 3: department is required". The schema's own messages ("must be 1–40
// lowercase letters…", "duplicate stage key") are already words; zod's size messages are rewritten.
import type { FieldError } from '../../lib/api.ts';

/** A schema message as the end of a sentence about the field ("is required", "must be at most 80 characters"). */
export function messageInWords(message: string): string {
  const size = /^Too (small|big): expected (string|array|number) to (?:have|be) ([<>]=?)\s*([\d.]+)\s*(\w+)?/.exec(message);
  if (size) {
    const [, which, type, , limit, unit] = size;
    if (which === 'small' && type === 'string' && limit === '1') return 'is required';
    if (type === 'array') return which === 'small' ? `needs at least ${limit}` : `can have at most ${limit}`;
    const what = type === 'string' ? ` ${unit ?? 'characters'}` : '';
    return which === 'small' ? `must be at least ${limit}${what}` : `must be at most ${limit}${what}`;
  }
  return message;
}

/** A field error in words: `place` names the item a path points at (or null when it names none), `field` the input. */
export function fieldInWords(
  f: FieldError,
  place: (path: string[]) => { where: string; field: string } | null,
): string {
  const p = place(f.field.split('.'));
  const words = messageInWords(f.message);
  return p ? `${p.where}: ${p.field} ${words}` : `${f.field}: ${words}`;
}

/** The error shown beside one input: its name and what is wrong ("Department is required"). */
export const besideField = (name: string, message: string | undefined) =>
  message === undefined ? undefined : `${name.charAt(0).toUpperCase()}${name.slice(1)} ${messageInWords(message)}`;
