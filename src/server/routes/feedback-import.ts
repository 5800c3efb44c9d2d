// POST /organisations/:org/feedback/import (issue 9): a file of feedback items (CSV with a header row, or JSON
// Lines) into one source, through the same code as `parallax feedback import` (src/imports/feedback-import.ts:
// checkFeedbackFile, then storeFeedbackFile). Admins only. `dryRun=true` checks every row and answers the counts,
// the first problems (with their total), what would be stored and what the source already holds; writing
// nothing. Otherwise all rows or none (422, each bad row named `row N, column C`), or the valid ones with
// `skipInvalid=true`; an item whose externalId the source holds is not stored again. The file travels raw
// (text/csv, application/x-ndjson, application/octet-stream) or as JSON `{file: base64}`, at most 32 MiB.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { checkFeedbackFile, feedbackFileText, feedbackFormatOf, FeedbackImportRefused, storeFeedbackFile, type FeedbackFileCheck, type FeedbackFileFormat } from '../../imports/feedback-import.ts';
import { recordAudit } from '../../store/audit-log.ts';
import { ApiError } from '../errors.ts';
import { actorOf, MAX_UPLOAD_BYTES, PREVIEW_ERRORS } from './imports.ts';
import { requireOrg } from './setup.ts';

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
const RAW_TYPES = ['text/csv', 'application/x-ndjson', 'application/jsonl', 'application/octet-stream'];

const Query = z
  .object({
    source: z.string().min(1).max(40).describe('the feedback source the items come from (GET …/feedback-sources)'),
    format: z.enum(['csv', 'jsonl']).optional().describe('csv (header row) or jsonl; default: from the Content-Type (text/csv, application/x-ndjson), else the first character'),
    dryRun: z.enum(['true', 'false']).optional().describe('check every row and answer what would be stored; write nothing'),
    skipInvalid: z.enum(['true', 'false']).optional().describe('store the valid rows and leave out the others (default: all rows or none)'),
  })
  .strict();
const FileBody = z
  .object({ file: z.string().max(Math.ceil(MAX_UPLOAD_BYTES / 3) * 4).regex(B64, 'must be base64').describe("the file's bytes (UTF-8), base64") })
  .strict()
  .describe('JSON with the file as base64, or the raw file with Content-Type text/csv, application/x-ndjson or application/octet-stream');
const Problem = z.object({ row: z.number().int().describe('CSV: data row, 1 after the header; JSON Lines: line'), column: z.string(), reason: z.string() });
const Answer = z.object({
  dryRun: z.boolean(),
  format: z.enum(['csv', 'jsonl']),
  rows: z.number().int(),
  validRows: z.number().int(),
  invalidRows: z.number().int(),
  created: z.number().int().describe('items stored now (a dry run: that would be stored)'),
  duplicates: z.number().int().describe('valid rows whose externalId the source already holds (or an earlier row of the file repeats): not stored again'),
  counts: z.object({
    rated: z.number().int(),
    touchpoints: z.record(z.string(), z.number().int()).describe('valid rows per touchpoint ("" for none)'),
    months: z.record(z.string(), z.number().int()).describe('valid rows per month of occurredAt'),
  }),
  problems: z.array(Problem).describe(`the first ${PREVIEW_ERRORS} problems (with skipInvalid: of the rows left out)`),
  problemCount: z.number().int(),
});

const record = (m: Map<string, number>) => Object.assign(Object.create(null), Object.fromEntries(m)) as Record<string, number>;

/** A refusal as a 4xx naming what is wrong: the source (400), the file (400), or each row (422). */
function refusal(e: unknown): never {
  if (!(e instanceof FeedbackImportRefused)) throw e;
  if (e.about === 'rows') throw new ApiError(422, e.message, e.problems.slice(0, PREVIEW_ERRORS).map((p) => ({ field: `row ${p.row}, column ${p.column}`, message: p.reason })));
  const field = e.about === 'source' ? 'source' : 'file';
  throw new ApiError(400, `${field}: ${e.message}`, [{ field, message: e.message }]);
}

export async function feedbackImportRoutes(app: FastifyInstance, store: Store): Promise<void> {
  await app.register(async (scoped) => {
    // Here only: the raw file as the body, turned into the JSON body's shape so one schema checks both.
    scoped.addContentTypeParser(RAW_TYPES, { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_req, body, done) => done(null, { file: (body as Buffer).toString('base64') }));
    scoped.withTypeProvider<ZodTypeProvider>().post(
      '/organisations/:org/feedback/import',
      {
        bodyLimit: Math.ceil(MAX_UPLOAD_BYTES / 3) * 4 + 1024,
        config: { access: 'admin', audit: false }, // audited below with the counts
        schema: {
          tags: ['feedback'],
          description:
            'Imports feedback items from a CSV (header: text, external_id, rating, rating_min, rating_max, touchpoint, author_ref, occurred_at, channel, segment.<name>) ' +
            'or JSON Lines file (one item per line, as POST …/feedback takes it) into one source, as `parallax feedback import` does. ' +
            `dryRun=true checks every row and writes nothing: the counts, the first ${PREVIEW_ERRORS} problems as {row, column, reason} with their total, ` +
            'how many would be stored and how many the source already holds. Otherwise every row or none (422 naming each bad row and column), or the valid ones with skipInvalid=true; ' +
            'an item whose externalId the source already holds is not stored again, so the same file imported twice stores each item once. At most 32 MiB.',
          params: z.object({ org: z.string().max(60) }),
          querystring: Query,
          body: FileBody,
          response: { 200: Answer },
        },
      },
      async (req) => {
        const { org } = req.params;
        await requireOrg(store, org);
        const bytes = Buffer.from(req.body.file, 'base64');
        if (!bytes.length) throw new ApiError(400, 'file: is empty', [{ field: 'file', message: 'is empty' }]);
        if (bytes.length > MAX_UPLOAD_BYTES) throw new ApiError(413, `file: larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB (import larger files with the CLI)`, [{ field: 'file', message: 'too large' }]);
        const dryRun = req.query.dryRun === 'true';
        let check: FeedbackFileCheck;
        let format: FeedbackFileFormat;
        try {
          const text = feedbackFileText(bytes);
          const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
          format = req.query.format ?? (type === 'text/csv' ? 'csv' : type === 'application/x-ndjson' || type === 'application/jsonl' ? 'jsonl' : feedbackFormatOf('', text));
          check = await checkFeedbackFile(store, { orgId: org, sourceId: req.query.source, text, format });
        } catch (e) {
          refusal(e);
        }
        const stored = dryRun ? { created: check.valid.length - check.duplicates, duplicates: check.duplicates } : await storeFeedbackFile(store, org, check, { skipInvalid: req.query.skipInvalid === 'true' }).catch(refusal);
        const answer = {
          dryRun,
          format,
          rows: check.rows,
          validRows: check.valid.length,
          invalidRows: check.invalidRows,
          ...stored,
          counts: { rated: check.counts.rated, touchpoints: record(check.counts.touchpoints), months: record(check.counts.months) },
          problems: check.problems.slice(0, PREVIEW_ERRORS),
          problemCount: check.problems.length,
        };
        await recordAudit(store.db, {
          orgId: org,
          actor: await actorOf(store, req, org),
          action: dryRun ? 'feedback.import-preview' : 'feedback.import',
          target: `feedback-sources/${req.query.source}`,
          details: { via: 'api', format, rows: answer.rows, created: answer.created, duplicates: answer.duplicates, invalidRows: answer.invalidRows },
          requestId: req.id,
        });
        return answer;
      },
    );
  });
}
