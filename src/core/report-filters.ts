// Report filters (period, journey stage, touchpoint, segment values), parsed from the CLI's
// `--where segment:region=EMEA` form and the API's query string, and described in words.
import { z } from 'zod';
import { KEY_PATTERN } from './keys.ts';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM');

export const ReportFilters = z.object({
  from: month.optional(),
  to: month.optional(),
  stage: z.string().max(40).optional(),
  touchpoints: z.array(z.string().max(40)).optional(),
  /** segment name → accepted values (OR within a segment, AND across segments). */
  segments: z.record(z.string().max(40), z.array(z.string().max(80))).optional(),
});
export type ReportFilters = z.infer<typeof ReportFilters>;

export class FilterError extends Error {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses `where` expressions: `segment:<name>=<value>`, `touchpoint=<key>`, `stage=<key>`,
 * `from=YYYY-MM`, `to=YYYY-MM`. Repeating a name ORs its values.
 */
export function parseWhere(exprs: string[], base: ReportFilters = {}): ReportFilters {
  // Keyed by user-given names: no prototype (reserved names are refused by KEY_PATTERN as well).
  const f: ReportFilters = { ...base, segments: Object.assign(Object.create(null), base.segments) };
  for (const e of exprs) {
    const i = e.indexOf('=');
    if (i <= 0) throw new FilterError('where', `"${e}" is not of the form name=value`);
    const name = e.slice(0, i).trim();
    const value = e.slice(i + 1).trim();
    if (!value) throw new FilterError('where', `"${e}" has no value`);
    if (name.startsWith('segment:')) {
      const seg = name.slice('segment:'.length);
      if (!KEY_PATTERN.test(seg)) throw new FilterError('where', `"${seg}" is not a segment name`);
      (f.segments![seg] ??= []).push(value);
    } else if (name === 'touchpoint') (f.touchpoints ??= []).push(value);
    else if (name === 'stage') f.stage = value;
    else if (name === 'from' || name === 'to') f[name] = value;
    else throw new FilterError('where', `unknown filter "${name}" (use segment:<name>, touchpoint, stage, from or to)`);
  }
  if (Object.keys(f.segments!).length === 0) delete f.segments;
  const parsed = ReportFilters.safeParse(f);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FilterError(issue.path.join('.') || 'where', `${issue.path.join('.')}: ${issue.message}`);
  }
  if (f.from && f.to && f.from > f.to) throw new FilterError('from', '"from" is after "to"');
  return parsed.data;
}

export function describeFilters(f: ReportFilters): string {
  const parts: string[] = [];
  if (f.from || f.to) parts.push(`period ${f.from ?? 'start'} – ${f.to ?? 'now'}`);
  if (f.stage) parts.push(`stage ${f.stage}`);
  if (f.touchpoints?.length) parts.push(`touchpoint ${f.touchpoints.join(' or ')}`);
  for (const [k, vs] of Object.entries(f.segments ?? {})) parts.push(`${k} ${vs.join(' or ')}`);
  return parts.length ? parts.join(', ') : 'all responses';
}
