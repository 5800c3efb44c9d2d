// Contacts (issue 12): the people an organisation invites to its surveys. Pure shaping and checking of a
// contact — e-mail (lower-cased), optional name and language, kind customer | leader (a leader has a
// function: their calibration group), declared segment values and an optional touchpoint — from a JSON
// body or a CSV upload, with every error named (`row N, column C: reason` for CSV). No I/O: the store
// upserts what this accepts.
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { cleanText } from './text.ts';
import { checkSegments, SegmentValue, type SegmentDeclaration } from './segments.ts';
import { machineKey } from './keys.ts';

/** Most contacts one upload (CSV or JSON) may carry. */
export const MAX_CONTACTS_PER_UPLOAD = 10_000;
/** Largest CSV upload, in bytes (10,000 rows of a few hundred bytes). */
export const MAX_CONTACTS_CSV_BYTES = 5 * 1024 * 1024;

export const ContactKind = z.enum(['customer', 'leader']);
export type ContactKind = z.infer<typeof ContactKind>;
export type ContactStatus = 'active' | 'unsubscribed' | 'bounced';

// A pragmatic address check (RFC 5321 lengths, one @, a dotted domain, no spaces or angle brackets):
// the SMTP server has the last word, and a refusal there becomes a bounce.
const EMAIL = /^[^\s@<>()",;:\\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/;

export const ContactInput = z
  .object({
    email: z
      .string()
      .trim()
      .max(254, 'must be at most 254 characters')
      .regex(EMAIL, 'must be an e-mail address such as ana@example.com')
      .transform((s) => s.toLowerCase()),
    name: cleanText().trim().min(1).max(120).optional(),
    language: z
      .string()
      .trim()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or pt-BR')
      .optional(),
    kind: ContactKind.optional().describe('default customer (leader when a function is given); on a known contact, unchanged unless given'),
    function: SegmentValue.optional().describe("a leader's function or department (their calibration group)"),
    touchpoint: machineKey.optional(),
    segments: z.record(machineKey, SegmentValue).optional(),
  })
  .strict();
export type ContactInput = z.input<typeof ContactInput>;

/**
 * A checked contact, ready to store. null: not given — a new contact stores it as empty (kind: customer), a
 * known contact keeps what it has (a re-upload with fewer columns or empty cells erases nothing).
 */
export interface ContactRecord {
  email: string;
  name: string | null;
  language: string | null;
  kind: ContactKind | null;
  function: string | null;
  touchpoint: string | null;
  segments: Record<string, string>;
}

/** What a contact is checked against: the organisation's declared segments and its touchpoints. */
export interface ContactContext {
  segments: readonly SegmentDeclaration[];
  touchpoints: readonly string[];
}

export interface ContactError {
  /** 1-based row of the upload (CSV: the header is row 0) or index + 1 of a JSON batch. */
  row: number;
  /** The CSV column, or the JSON field. */
  column: string;
  reason: string;
}

/**
 * Checks one contact against the organisation's declarations. Segments are set by the organisation, not
 * by the respondent, so any declared segment may be set (the trusted rules), never an undeclared one.
 */
export function checkContact(raw: unknown, ctx: ContactContext, row: number, columnOf: (field: string) => string = (f) => f): { ok: true; value: ContactRecord } | { ok: false; errors: ContactError[] } {
  const shaped = ContactInput.safeParse(raw);
  if (!shaped.success) {
    return {
      ok: false,
      errors: shaped.error.issues.map((i) => {
        const keys = i.code === 'unrecognized_keys' ? i.keys : [];
        const path = [...i.path.map(String), ...(keys.length === 1 ? keys : [])].join('.') || 'body';
        return { row, column: columnOf(path), reason: i.message };
      }),
    };
  }
  const c = shaped.data;
  const errors: ContactError[] = [];
  const segments: Record<string, string> = Object.assign(Object.create(null), c.segments ?? {});
  for (const e of checkSegments(segments, { origin: 'trusted', segments: ctx.segments })) errors.push({ row, column: columnOf(e.field), reason: e.message });
  if (c.touchpoint !== undefined && !ctx.touchpoints.includes(c.touchpoint)) errors.push({ row, column: columnOf('touchpoint'), reason: `unknown touchpoint "${c.touchpoint}"` });
  if (c.function !== undefined && c.kind === 'customer') errors.push({ row, column: columnOf('function'), reason: 'only a leader has a function' });
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      email: c.email,
      name: c.name ?? null,
      language: c.language ?? null,
      kind: c.kind ?? (c.function !== undefined ? 'leader' : null),
      function: c.function ?? null,
      touchpoint: c.touchpoint ?? null,
      segments,
    },
  };
}

const FIXED_COLUMNS = ['email', 'name', 'language', 'kind', 'function', 'touchpoint'] as const;
const SEGMENT_COLUMN = /^segment:(.+)$/;

/** The CSV column a field came from (segments.region → segment:region). */
const csvColumnOf = (field: string) => (field.startsWith('segments.') ? `segment:${field.slice('segments.'.length)}` : field === 'segments' ? 'segment:*' : field);

export interface ParsedContacts {
  contacts: { row: number; value: ContactRecord }[];
  errors: ContactError[];
}

/**
 * Parses a contacts CSV: a header with `email` and any of name, language, kind, function, touchpoint and
 * `segment:<name>` columns; empty cells are absent values. Each bad row is reported (row, column, reason);
 * an address seen twice in the file is an error on its second row, never a silent pick. A bad header or
 * file throws ContactsCsvError.
 */
export function parseContactsCsv(text: string, ctx: ContactContext): ParsedContacts {
  if (Buffer.byteLength(text) > MAX_CONTACTS_CSV_BYTES) throw new ContactsCsvError(`the file is larger than ${MAX_CONTACTS_CSV_BYTES / 1024 / 1024} MB`);
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, max_record_size: 64 * 1024, to: MAX_CONTACTS_PER_UPLOAD + 2 });
  } catch (err) {
    throw new ContactsCsvError(`not a readable CSV file: ${(err as Error).message}`);
  }
  const header = records[0]?.map((h) => h.trim());
  if (!header) throw new ContactsCsvError('the file is empty: expected a header row with an "email" column');
  if (records.length - 1 > MAX_CONTACTS_PER_UPLOAD) throw new ContactsCsvError(`at most ${MAX_CONTACTS_PER_UPLOAD} contacts per upload`);
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw new ContactsCsvError(`column "${h}" appears twice`);
    seen.add(h);
    if (!(FIXED_COLUMNS as readonly string[]).includes(h) && !SEGMENT_COLUMN.test(h)) throw new ContactsCsvError(`unknown column "${h}": expected ${FIXED_COLUMNS.join(', ')} or segment:<name>`);
  }
  if (!header.includes('email')) throw new ContactsCsvError('missing column "email"');
  const out: ParsedContacts = { contacts: [], errors: [] };
  const emails = new Map<string, number>();
  for (let r = 1; r < records.length; r++) {
    const cells = records[r]!;
    const raw: Record<string, unknown> = Object.create(null);
    const segments: Record<string, string> = Object.create(null);
    const keyErrors: ContactError[] = [];
    header.forEach((h, i) => {
      const v = cells[i]?.trim() ?? '';
      if (v === '') return;
      const m = SEGMENT_COLUMN.exec(h);
      if (!m) raw[h] = v;
      else if (!machineKey.safeParse(m[1]).success) keyErrors.push({ row: r, column: h, reason: 'not a segment name' });
      else segments[m[1]!] = v;
    });
    if (Object.keys(segments).length) raw.segments = segments;
    const checked = checkContact(raw, ctx, r, csvColumnOf);
    if (!checked.ok || keyErrors.length) {
      out.errors.push(...keyErrors, ...(checked.ok ? [] : checked.errors));
      continue;
    }
    const first = emails.get(checked.value.email);
    if (first !== undefined) {
      out.errors.push({ row: r, column: 'email', reason: `"${checked.value.email}" is already on row ${first}` });
      continue;
    }
    emails.set(checked.value.email, r);
    out.contacts.push({ row: r, value: checked.value });
  }
  return out;
}

export class ContactsCsvError extends Error {}

/** `row N, column C: reason`, the form every import reports errors in. */
export const formatContactError = (e: ContactError) => `row ${e.row}, column ${e.column}: ${e.reason}`;
