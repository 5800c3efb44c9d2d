// Declared segments: the respondent attributes an organisation reports by (region, plan …). Each is
// declared once — key, label, either a list of allowed values (each with a label) or free text up to a
// maximum length — and says whether the public (an anonymous respondent, an invitation link) may set it.
// A response may only carry declared segments: undeclared names and invented values would otherwise let
// one anonymous request store thousands of attributes (storage and CPU exhaustion) or rare values that
// exhaust the anonymity rule's withholding budget.
import { z } from 'zod';
import { machineKey } from './keys.ts';
import { cleanText } from './text.ts';
import type { FieldError } from './survey.ts';

/** At most this many segments on one response (and declared per organisation: MAX_DECLARED). */
export const MAX_SEGMENTS_PER_RESPONSE = 10;
export const MAX_DECLARED_SEGMENTS = 20;
export const MAX_SEGMENT_VALUE_LENGTH = 80;

/**
 * A segment value: 1–80 characters, no ';' or '=' (they delimit the stored segment key
 * "plan=pro;region=EMEA"), no control characters.
 */
export const SegmentValue = cleanText()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_SEGMENT_VALUE_LENGTH, `must be at most ${MAX_SEGMENT_VALUE_LENGTH} characters`)
  .regex(/^[^;=]*$/, 'must not contain ; or =');

const label = cleanText().trim().min(1).max(80);

const common = {
  key: machineKey,
  label,
  /** Whether an anonymous respondent (the open survey, an invitation link) may set it. */
  public: z.boolean(),
};

export const SegmentDeclaration = z.discriminatedUnion('kind', [
  z
    .object({
      ...common,
      kind: z.literal('values'),
      values: z
        .array(z.object({ value: SegmentValue, label }).strict())
        .min(1)
        .max(100)
        .superRefine((vs, ctx) => {
          const seen = new Set<string>();
          vs.forEach((v, i) => {
            if (seen.has(v.value)) ctx.addIssue({ code: 'custom', path: [i, 'value'], message: `duplicate value "${v.value}"` });
            seen.add(v.value);
          });
        }),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal('text'),
      maxLength: z.number().int().min(1).max(MAX_SEGMENT_VALUE_LENGTH),
    })
    .strict(),
]);
export type SegmentDeclaration = z.infer<typeof SegmentDeclaration>;

export const SegmentDeclarations = z
  .array(SegmentDeclaration)
  .max(MAX_DECLARED_SEGMENTS)
  .superRefine((ds, ctx) => {
    const seen = new Set<string>();
    ds.forEach((d, i) => {
      if (seen.has(d.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `duplicate segment key "${d.key}"` });
      seen.add(d.key);
    });
  });

/**
 * Who is submitting: `public` (the open survey page or API route, an invitation link) may set only
 * public segments and never `submittedAt`; `trusted` (an organisation's API key, the CSV import) may set
 * any declared segment and backdate within BACKDATE limits. Neither may set an undeclared segment.
 */
export type SubmissionOrigin = 'public' | 'trusted';

export interface SubmissionRules {
  origin: SubmissionOrigin;
  segments: readonly SegmentDeclaration[];
}

/** The strictest rules: what a caller gets that does not say who it is. */
export const PUBLIC_WITHOUT_SEGMENTS: SubmissionRules = { origin: 'public', segments: [] };

/** Checks a submission's segments against the declarations: every error, each naming `segments.<name>`. */
export function checkSegments(segments: Readonly<Record<string, string>>, rules: SubmissionRules): FieldError[] {
  const errors: FieldError[] = [];
  const names = Object.keys(segments);
  if (names.length > MAX_SEGMENTS_PER_RESPONSE) {
    return [{ field: 'segments', message: `at most ${MAX_SEGMENTS_PER_RESPONSE} segments per response` }];
  }
  const declared = new Map(rules.segments.map((d) => [d.key, d]));
  for (const name of names) {
    const field = `segments.${name}`;
    const d = declared.get(name);
    const value = segments[name]!;
    if (!d) errors.push({ field, message: `"${name}" is not a segment this organisation declares` });
    else if (rules.origin === 'public' && !d.public) errors.push({ field, message: `"${name}" cannot be set by respondents` });
    else if (d.kind === 'values' && !d.values.some((v) => v.value === value))
      errors.push({ field, message: `must be one of ${d.values.map((v) => `"${v.value}"`).join(', ')}` });
    else if (d.kind === 'text' && value.length > d.maxLength) errors.push({ field, message: `must be at most ${d.maxLength} characters` });
  }
  return errors;
}
