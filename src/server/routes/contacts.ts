// Contacts API (issue 12): POST /organisations/:org/contacts takes a JSON batch or a CSV file
// (Content-Type: text/csv), `?dryRun=true` checks without writing; every bad row is reported ("row N,
// column C: reason") and an upload with any bad row writes nothing. GET lists them a keyset page at a time
// (personal data: set-up roles only, audited). Shaping and checks in core/contacts.ts, the upsert in store/contacts.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { checkContact, ContactsCsvError, formatContactError, MAX_CONTACTS_CSV_BYTES, MAX_CONTACTS_PER_UPLOAD, parseContactsCsv, type ContactError, type ContactRecord } from '../../core/contacts.ts';
import { contactContext, listContacts, upsertContacts } from '../../store/contacts.ts';
import { ApiError } from '../errors.ts';
import { requireOrg } from './setup.ts';
import { badCursor, pageQuery } from './page-query.ts';

const OrgParams = z.object({ org: z.string().max(60) });

const ContactOut = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  language: z.string().nullable(),
  kind: z.enum(['customer', 'leader']),
  function: z.string().nullable(),
  touchpoint: z.string().nullable(),
  segments: z.record(z.string(), z.string()),
  status: z.enum(['active', 'unsubscribed', 'bounced']),
  statusAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const UploadOutcome = z.object({
  dryRun: z.boolean(),
  valid: z.number().describe('rows without errors'),
  created: z.number(),
  updated: z.number(),
  keptInactive: z.number().describe('updated contacts that stay unsubscribed or bounced'),
  errors: z.array(z.object({ row: z.number(), column: z.string(), reason: z.string() })),
});

const JsonBatch = z
  .object({
    contacts: z
      .array(z.record(z.string().max(60), z.unknown()).describe('email, name?, language?, kind? (customer | leader), function? (leaders), touchpoint?, segments?'))
      .min(1)
      .max(MAX_CONTACTS_PER_UPLOAD),
  })
  .strict();

export async function contactRoutes(app: FastifyInstance, store: Store): Promise<void> {
  await app.register(async (scoped) => {
    // Here only: a CSV body (text/csv is not a content type a cross-site form can send).
    scoped.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: MAX_CONTACTS_CSV_BYTES }, (_req, body, done) => done(null, body));
    const r = scoped.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/organisations/:org/contacts',
      {
        bodyLimit: MAX_CONTACTS_CSV_BYTES,
        schema: {
          tags: ['contacts'],
          description:
            `Adds or updates contacts, de-duplicated by e-mail (lower-cased). JSON \`{contacts:[…]}\` or a CSV file (Content-Type: text/csv) with a header of ` +
            '`email` and any of name, language, kind, function, touchpoint, segment:<name>. At most 10,000 per upload. Any bad row: 422 with every error and nothing written; ' +
            '`?dryRun=true` reports the same without writing (200). Unsubscribed and bounced contacts stay so.',
          params: OrgParams,
          querystring: z.object({ dryRun: z.enum(['true', 'false']).default('false') }),
          // Checked in the handler against JsonBatch, so that an error names the field (a union's error names only `body`).
          body: z.union([z.string().max(MAX_CONTACTS_CSV_BYTES).describe('text/csv'), z.record(z.string(), z.unknown()).describe('{contacts: [{email, name?, language?, kind?, function?, touchpoint?, segments?}]}')]),
          response: { 200: UploadOutcome, 201: UploadOutcome },
        },
      },
      async (req, reply) => {
        const org = await requireOrg(store, req.params.org);
        const ctx = await contactContext(store.db, org.id);
        const dryRun = req.query.dryRun === 'true';
        let records: ContactRecord[] = [];
        let errors: ContactError[] = [];
        if (typeof req.body === 'string') {
          try {
            const parsed = parseContactsCsv(req.body, ctx);
            records = parsed.contacts.map((c) => c.value);
            errors = parsed.errors;
          } catch (err) {
            if (err instanceof ContactsCsvError) throw new ApiError(400, `body: ${err.message}`, [{ field: 'body', message: err.message }]);
            throw err;
          }
        } else {
          const batch = JsonBatch.safeParse(req.body);
          if (!batch.success) {
            const fields = batch.error.issues.map((i) => {
              const keys = i.code === 'unrecognized_keys' ? i.keys : [];
              return { field: [...i.path.map(String), ...(keys.length === 1 ? keys : [])].join('.') || 'body', message: i.message };
            });
            throw new ApiError(400, fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
          }
          const seen = new Map<string, number>();
          batch.data.contacts.forEach((raw, i) => {
            const c = checkContact(raw, ctx, i + 1, (f) => `contacts.${i}.${f}`);
            if (!c.ok) return void errors.push(...c.errors);
            const first = seen.get(c.value.email);
            if (first !== undefined) return void errors.push({ row: i + 1, column: `contacts.${i}.email`, reason: `"${c.value.email}" is already contacts.${first}` });
            seen.set(c.value.email, i);
            records.push(c.value);
          });
        }
        if (errors.length && !dryRun) {
          const shown = errors.slice(0, 200);
          throw new ApiError(
            422,
            `${errors.length} row${errors.length > 1 ? 's have' : ' has'} errors; nothing was written. ${shown.slice(0, 5).map(formatContactError).join('; ')}`,
            shown.map((e) => ({ field: typeof req.body === 'string' ? `row ${e.row}, column ${e.column}` : e.column, message: e.reason })),
          );
        }
        const out = await upsertContacts(store.db, org.id, records, { dryRun });
        return reply.code(dryRun ? 200 : 201).send({ dryRun, valid: records.length, ...out, errors: errors.slice(0, 1000) });
      },
    );
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/organisations/:org/contacts',
    {
      config: { access: 'setup', audit: 'contacts.view' },
      schema: {
        tags: ['contacts'],
        description:
          "The organisation's contacts, by e-mail (personal data: admins and analysts), a page at a time: pass `next` from one page as `after` to get the following one.",
        params: OrgParams,
        querystring: pageQuery(100).extend({
          kind: z.enum(['customer', 'leader']).optional(),
          status: z.enum(['active', 'unsubscribed', 'bounced']).optional(),
        }),
        response: {
          200: z.object({
            total: z.number().describe('contacts matching kind and status, on every page'),
            contacts: z.array(ContactOut),
            next: z.string().nullable().describe('the cursor of the following page; null on the last'),
          }),
        },
      },
    },
    async (req) => {
      const org = await requireOrg(store, req.params.org);
      try {
        return await listContacts(store.db, org.id, req.query);
      } catch (e) {
        throw badCursor(e);
      }
    },
  );
}
