// Imports of other platforms' exports through the API (issue 9): upload a file to preview it (its columns,
// the saved or suggested mapping, the dry run's counts and first problems), import it with the (edited)
// mapping all-or-nothing, and keep one mapping per source name. Admins only. The file travels either as
// the raw body (Content-Type application/octet-stream or text/csv, `?from=&source=`) or as JSON
// `{file: base64, mapping?, syntax?}` when a mapping goes with it. The work is src/imports/source-import.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Store } from '../../store/db.ts';
import { ImportRefused } from '../../imports/canonical-import.ts';
import { MappingRefused, readSource, SOURCE_FORMATS, type ImportCounts, type SourceFormat } from '../../imports/source-import.ts';
import { importWithSource, parseMapping, resolveMapping, saveSourceMapping } from '../../imports/source-mappings.ts';
import { deleteImportMapping, getImportMapping, listImportMappings, SOURCE_NAME, SOURCE_NAME_RULE, TooManyMappings } from '../../store/import-mappings.ts';
import { recordAudit } from '../../store/audit-log.ts';
import { getUser } from '../../store/users.ts';
import { surveyFor } from '../../store/surveys.ts';
import { getSegmentDeclarations } from '../../store/segments.ts';
import { scaleOf } from '../../core/survey.ts';
import { suggestMapping, type ColumnKind, type SourceTable } from '../../core/import-mapping.ts';
import { ApiError } from '../errors.ts';
import { requireOrg } from './setup.ts';

/** The largest file the API takes (the CLI reads up to 200 MiB): the whole file is held while it is read. */
export const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;
/** The first problems a preview lists (with the total); the import's refusal lists as many, and so many rows left out (with leftOutTotal). */
export const PREVIEW_ERRORS = 200;
const MAX_SYNTAX_CHARS = 16 * 1024 * 1024;
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

const SourceName = z.string().regex(SOURCE_NAME, SOURCE_NAME_RULE);
const OrgParams = z.object({ org: z.string().max(60) });
const ImportQuery = z
  .object({
    from: z.enum(SOURCE_FORMATS).describe("the export's platform"),
    source: SourceName.optional().describe('the source name: its saved mapping is used when no mapping is sent'),
    skipInvalid: z.enum(['true', 'false']).optional().describe('import the valid rows and report the others'),
    includePreviews: z.enum(['true', 'false']).optional().describe('keep the rows marked as survey previews or spam (Qualtrics), which are left out by default'),
    save: z.enum(['true', 'false']).optional().describe('save the mapping used under `source` once the file imports (or previews) without mapping problems'),
  })
  .strict();
const FileBody = z
  .object({
    file: z.string().max(Math.ceil(MAX_UPLOAD_BYTES / 3) * 4).regex(B64, 'must be base64').describe("the export's bytes, base64"),
    syntax: z.string().max(MAX_SYNTAX_CHARS).optional().describe('LimeSurvey: the R syntax file, or the survey structure (.lss, or the tab-separated structure export); a .lsr response archive goes in `file`'),
    mapping: z.record(z.string(), z.unknown()).optional().describe('the mapping (see the README); without it, the saved or suggested one'),
  })
  .strict()
  .describe('JSON with the file as base64, or the raw file with Content-Type application/octet-stream or text/csv');

const Counts = z.object({
  items: z.record(z.string(), z.number()),
  touchpoints: z.record(z.string(), z.number()),
  months: z.record(z.string(), z.number()),
  comments: z.number(),
});
const RowErrorOut = z.object({ row: z.number(), column: z.string(), reason: z.string() });
const LeftOutOut = z.array(z.object({ row: z.number(), reason: z.string() })).describe(`the first ${PREVIEW_ERRORS} rows left out as survey previews or spam (see includePreviews)`);
const LeftOutTotal = z.number().int().describe('how many rows were left out in all (leftOut lists the first of them)');
/** The rows left out, as the API lists them: the first PREVIEW_ERRORS and how many in all (a file of previews can hold thousands). */
const leftOutOf = (res: { leftOut: readonly { row: number; reason: string }[] }) => ({ leftOut: res.leftOut.slice(0, PREVIEW_ERRORS), leftOutTotal: res.leftOut.length });
const ColumnOut = z.object({
  id: z.string(),
  question: z.string(),
  kind: z.string(),
  detail: z.string().describe('e.g. "0–10 whole numbers", "5-point agreement scale", "dd/mm/yyyy"'),
  /** The distinct source values a value map can name (verbal labels, categories), at most 100. */
  values: z.array(z.string()),
  /** For a verbal scale: each value's position on the scale (1 = its low end), for a value map. */
  ranks: z.array(z.number()),
  notApplicable: z.number(),
});
const Targets = z.object({
  items: z.array(z.object({ key: z.string(), label: z.string(), min: z.number(), max: z.number() })),
  touchpoints: z.array(z.object({ key: z.string(), label: z.string() })),
  segments: z.array(z.object({ key: z.string(), label: z.string() })),
});
const PreviewOut = z.object({
  table: z.object({ format: z.string(), rows: z.number(), columns: z.array(ColumnOut), notes: z.array(z.string()) }),
  mapping: z.unknown().describe('the mapping tried: the one sent, the saved one, or the suggestion'),
  mappingOrigin: z.enum(['given', 'saved', 'suggested']),
  suggestion: z.unknown().describe('the suggested mapping for this file, whatever was tried'),
  suggestionNotes: z.array(z.string()),
  mappingProblems: z.array(z.string()).describe('non-empty: the mapping is not usable and nothing was validated'),
  dryRun: z
    .object({ rows: z.number(), leftOut: LeftOutOut, leftOutTotal: LeftOutTotal, validRows: z.number(), invalidRows: z.number(), counts: Counts, errors: z.array(RowErrorOut), errorCount: z.number() })
    .nullable(),
  targets: Targets,
  saved: z.boolean().describe('the mapping was saved under `source` (with save=true)'),
});
const ImportOut = z.object({
  rows: z.number(),
  leftOut: LeftOutOut,
  leftOutTotal: LeftOutTotal,
  inserted: z.number(),
  skipped: z.number().describe('valid rows an earlier import of the same file already stored'),
  invalidRows: z.number(),
  errors: z.array(RowErrorOut),
  counts: Counts,
  mappingOrigin: z.enum(['given', 'saved', 'suggested']),
  saved: z.boolean(),
});
const SavedOut = z.object({ source: z.string(), format: z.string(), mapping: z.unknown(), savedBy: z.string(), savedAt: z.string() });

const obj = (m: Map<string, number>) => Object.fromEntries(m) as Record<string, number>;
const countsOut = (c: ImportCounts) => ({ items: obj(c.items), touchpoints: obj(c.touchpoints), months: obj(c.months), comments: c.comments });

function describeKind(k: ColumnKind): { detail: string; values: string[]; ranks?: number[] } {
  switch (k.kind) {
    case 'numeric':
      return { detail: `${k.min}–${k.max}${k.integer ? ' whole numbers' : ''}`, values: [] };
    case 'verbal':
      return { detail: `${k.points}-point ${k.scale} scale`, values: k.labels.slice(0, 100), ranks: k.ranks.slice(0, 100) };
    case 'date':
      return { detail: `${k.format === 'iso' ? 'yyyy-mm-dd' : k.format === 'dmy' ? 'dd/mm/yyyy' : 'mm/dd/yyyy'}${k.ambiguous ? ' (day or month first?)' : ''}`, values: [] };
    case 'categorical':
      return { detail: `${k.values.length} values`, values: k.values.slice(0, 100) };
    default:
      return { detail: '', values: [] };
  }
}

const columnsOut = (t: SourceTable) =>
  t.columns.map((c) => ({ id: c.id, question: c.question.slice(0, 300), kind: c.kind.kind, ranks: [], ...describeKind(c.kind), notApplicable: c.notApplicable }));

/** Who is acting, as the audit log names them (the same as the audit hook). */
export async function actorOf(store: Store, req: FastifyRequest, orgId: string) {
  const a = req.access!;
  if (a.apiKeyId) {
    const key = await store.db.selectFrom('api_keys').select('name').where('org_id', '=', orgId).where('id', '=', a.apiKeyId).executeTakeFirst();
    return { kind: 'api_key' as const, id: a.apiKeyId, label: key ? `API key "${key.name}"` : 'API key' };
  }
  const user = a.userId ? await getUser(store.db, a.userId) : undefined;
  return { kind: 'user' as const, id: a.userId, label: user?.email ?? 'unknown user' };
}

/** The mapping field a problem line names ("saved mapping "x": items.0.column: …" → "mapping.items.0.column"). */
const mappingField = (problem: string) => `mapping.${problem.replace(/^saved mapping "[^"]*": /, '').split(':')[0]}`.slice(0, 200);

/** A refusal about the file or the mapping as a 4xx naming the field; row errors as 422 with each row. */
function refusal(e: unknown): never {
  if (e instanceof MappingRefused) throw new ApiError(422, e.message, e.problems.map((p) => ({ field: mappingField(p), message: p })));
  if (e instanceof ImportRefused) {
    if (e.about === 'file') throw new ApiError(400, `file: ${e.message}`, [{ field: 'file', message: e.message }]);
    if (e.about === 'rows') throw new ApiError(422, e.message, e.errors.slice(0, PREVIEW_ERRORS).map((r) => ({ field: `row ${r.row}, column ${r.column}`, message: r.reason })));
    if (e.about === 'database') throw new ApiError(503, e.message);
  }
  throw e;
}

export async function importRoutes(app: FastifyInstance, store: Store): Promise<void> {
  await app.register(async (scoped) => {
    // Here only: the raw file as the body, turned into the JSON body's shape so one schema checks both.
    // (A cross-site form cannot send either content type; session writes need the CSRF token anyway.)
    scoped.addContentTypeParser(['application/octet-stream', 'text/csv'], { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_req, body, done) =>
      done(null, { file: (body as Buffer).toString('base64') }),
    );
    const r = scoped.withTypeProvider<ZodTypeProvider>();
    const bodyLimit = Math.ceil(MAX_UPLOAD_BYTES / 3) * 4 + MAX_SYNTAX_CHARS + 2 * 1024 * 1024;

    const fileOf = (b: z.infer<typeof FileBody>) => {
      const bytes = Buffer.from(b.file, 'base64');
      if (!bytes.length) throw new ApiError(400, 'file: is empty', [{ field: 'file', message: 'is empty' }]);
      if (bytes.length > MAX_UPLOAD_BYTES) throw new ApiError(413, `file: larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB (import larger files with the CLI)`, [{ field: 'file', message: 'too large' }]);
      return bytes;
    };

    r.post(
      '/organisations/:org/imports/preview',
      {
        bodyLimit,
        config: { access: 'admin', audit: 'imports.preview' },
        schema: {
          tags: ['imports'],
          description:
            "Reads an export (Qualtrics, SurveyMonkey, LimeSurvey, SPSS .sav or plain CSV) and answers its columns, the mapping tried (the one sent, else the source's saved one, else the suggestion), " +
            'the suggestion, and a dry run: what would be imported and the first problems as row N, column C: reason. Writes nothing (unless save=true saves a usable mapping under `source`).',
          params: OrgParams,
          querystring: ImportQuery,
          body: FileBody,
          response: { 200: PreviewOut },
        },
      },
      async (req) => {
        const { org } = req.params;
        await requireOrg(store, org);
        const format = req.query.from as SourceFormat;
        const bytes = fileOf(req.body);
        let table: SourceTable;
        try {
          table = readSource(format, bytes, req.body.syntax);
        } catch (e) {
          refusal(e);
        }
        if (!table.rows.length) throw new ApiError(400, 'file: the file has no responses', [{ field: 'file', message: 'has no responses' }]);
        const survey = (await surveyFor(store.db, org, 'customer'))!;
        const segments = await getSegmentDeclarations(store.db, org);
        const suggestion = suggestMapping(table, { survey: survey.definition, rules: { origin: 'trusted', segments } });
        const resolved = await resolveMapping(store, org, format, req.body.mapping, req.query.source);
        const targets = {
          items: survey.definition.questions
            .filter((q) => q.kind !== 'touchpoint' && q.kind !== 'text' && scaleOf(q.key))
            .map((q) => ({ key: q.key, label: q.text.slice(0, 200), ...scaleOf(q.key)! })),
          touchpoints: (survey.definition.questions.find((q) => q.key === 'touchpoint')?.options ?? []).map((o) => ({ key: o.value, label: o.label })),
          segments: segments.map((s) => ({ key: s.key, label: s.label })),
        };
        const base = {
          table: { format: table.format, rows: table.rows.length, columns: columnsOut(table), notes: table.notes },
          mapping: resolved.mapping ?? suggestion.mapping,
          mappingOrigin: resolved.origin,
          suggestion: suggestion.mapping,
          suggestionNotes: suggestion.notes,
          targets,
          saved: false,
        };
        if (resolved.problems.length) return { ...base, mappingProblems: resolved.problems, dryRun: null };
        try {
          const res = await importWithSource(store, { orgId: org, format, bytes, syntax: req.body.syntax, mapping: req.body.mapping, source: req.query.source, dryRun: true, includePreviews: req.query.includePreviews === 'true' });
          let saved = false;
          if (req.query.save === 'true' && req.query.source) {
            await saveSourceMapping(store, { orgId: org, source: req.query.source, format, mapping: res.mapping, savedBy: (await actorOf(store, req, org)).label }).catch(tooMany);
            await recordAudit(store.db, { orgId: org, actor: await actorOf(store, req, org), action: 'import-mappings.replace', target: `import-mappings/${req.query.source}`, details: { format, via: 'preview' }, requestId: req.id });
            saved = true;
          }
          return {
            ...base,
            mapping: res.mapping,
            mappingProblems: [],
            saved,
            dryRun: { rows: res.rows, ...leftOutOf(res), validRows: res.validRows, invalidRows: res.invalidRows, counts: countsOut(res.counts), errors: res.errors.slice(0, PREVIEW_ERRORS), errorCount: res.errors.length },
          };
        } catch (e) {
          if (e instanceof MappingRefused) return { ...base, mappingProblems: e.problems, dryRun: null };
          refusal(e);
        }
      },
    );

    r.post(
      '/organisations/:org/imports',
      {
        bodyLimit,
        // Audited below with the counts (the hook would only see the body's field names).
        config: { access: 'admin', audit: false },
        schema: {
          tags: ['imports'],
          description:
            'Imports an export as history with the mapping sent (else the saved one of `source`, else the suggestion): every row or none (422 listing the rows), unless skipInvalid=true. ' +
            'The same file imported again stores nothing new (`skipped`). With save=true and `source`, the mapping used is saved under that name.',
          params: OrgParams,
          querystring: ImportQuery,
          body: FileBody,
          response: { 200: ImportOut },
        },
      },
      async (req) => {
        const { org } = req.params;
        await requireOrg(store, org);
        const format = req.query.from as SourceFormat;
        const bytes = fileOf(req.body);
        const res = await importWithSource(store, {
          orgId: org,
          format,
          bytes,
          syntax: req.body.syntax,
          mapping: req.body.mapping,
          source: req.query.source,
          skipInvalid: req.query.skipInvalid === 'true',
          includePreviews: req.query.includePreviews === 'true',
        }).catch(refusal);
        const actor = await actorOf(store, req, org);
        await recordAudit(store.db, {
          orgId: org,
          actor,
          action: 'imports.create',
          target: 'imports',
          details: { from: format, source: req.query.source ?? null, mapping: res.mappingOrigin, rows: res.rows, inserted: res.inserted, skipped: res.skipped, invalidRows: res.invalidRows },
          requestId: req.id,
        });
        let saved = false;
        if (req.query.save === 'true' && req.query.source) {
          await saveSourceMapping(store, { orgId: org, source: req.query.source, format, mapping: res.mapping, savedBy: actor.label }).catch(tooMany);
          await recordAudit(store.db, { orgId: org, actor, action: 'import-mappings.replace', target: `import-mappings/${req.query.source}`, details: { format, via: 'import' }, requestId: req.id });
          saved = true;
        }
        return { rows: res.rows, ...leftOutOf(res), inserted: res.inserted, skipped: res.skipped, invalidRows: res.invalidRows, errors: res.errors.slice(0, PREVIEW_ERRORS), counts: countsOut(res.counts), mappingOrigin: res.mappingOrigin, saved };
      },
    );
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  const SourceParams = OrgParams.extend({ source: SourceName });
  r.get(
    '/organisations/:org/import-mappings',
    { config: { access: 'admin' }, schema: { tags: ['imports'], description: 'The saved mappings, one per source name.', params: OrgParams, response: { 200: z.object({ mappings: z.array(SavedOut) }) } } },
    async (req) => {
      await requireOrg(store, req.params.org);
      return { mappings: await listImportMappings(store.db, req.params.org) };
    },
  );
  r.get(
    '/organisations/:org/import-mappings/:source',
    { config: { access: 'admin' }, schema: { tags: ['imports'], params: SourceParams, response: { 200: SavedOut } } },
    async (req) => {
      await requireOrg(store, req.params.org);
      const m = await getImportMapping(store.db, req.params.org, req.params.source);
      if (!m) throw ApiError.notFound(`saved mapping "${req.params.source}"`);
      return m;
    },
  );
  r.put(
    '/organisations/:org/import-mappings/:source',
    {
      config: { access: 'admin' }, // audited by the hook as import-mappings.replace
      schema: {
        tags: ['imports'],
        description: "Saves (or replaces) a source's mapping. It is checked against each file when used: a mapping that no longer fits is reported, not applied.",
        params: SourceParams,
        body: z.object({ format: z.enum(SOURCE_FORMATS), mapping: z.record(z.string(), z.unknown()) }).strict(),
        response: { 200: SavedOut },
      },
    },
    async (req) => {
      const { org, source } = req.params;
      await requireOrg(store, org);
      const p = parseMapping(req.body.mapping);
      if (!p.ok) throw ApiError.validation(p.problems.map((m) => ({ field: mappingField(m), message: m })));
      return saveSourceMapping(store, { orgId: org, source, format: req.body.format, mapping: p.mapping, savedBy: (await actorOf(store, req, org)).label }).catch(tooMany);
    },
  );
  r.delete('/organisations/:org/import-mappings/:source', { config: { access: 'admin' }, schema: { tags: ['imports'], params: SourceParams } }, async (req, reply) => {
    await requireOrg(store, req.params.org);
    if (!(await deleteImportMapping(store.db, req.params.org, req.params.source))) throw ApiError.notFound(`saved mapping "${req.params.source}"`);
    return reply.code(204).send();
  });
}

function tooMany(e: unknown): never {
  if (e instanceof TooManyMappings) throw new ApiError(409, `source: ${e.message}`, [{ field: 'source', message: e.message }]);
  throw e;
}
