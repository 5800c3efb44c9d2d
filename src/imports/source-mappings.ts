// Saved mappings per source (issue 9): which mapping an import from a named source uses — the one given,
// else the one saved under that source name, else the suggestion — and the refusal when a saved mapping
// no longer fits the file (reported with the source's name, never silently replaced by a suggestion).
// Shared by `parallax import --from … --source …` and the API (src/server/routes/imports.ts).
import type { Store } from '../store/db.ts';
import { getImportMapping, saveImportMapping, type SavedMapping } from '../store/import-mappings.ts';
import { Mapping, mappingToJson, type MappingJson } from '../core/import-mapping.ts';
import { importSource, MappingRefused, type SourceFormat, type SourceImportOptions, type SourceImportResult } from './source-import.ts';

export type MappingOrigin = 'given' | 'saved' | 'suggested';

export interface ResolvedMapping {
  /** undefined: let importSource suggest one. */
  mapping: unknown;
  origin: MappingOrigin;
  saved?: SavedMapping;
  /** Why the saved mapping cannot be used as it stands (empty when it can be tried). */
  problems: string[];
}

export async function resolveMapping(store: Store, orgId: string, format: SourceFormat, given: unknown, source?: string): Promise<ResolvedMapping> {
  if (given !== undefined) return { mapping: given, origin: 'given', problems: [] };
  const saved = source ? await getImportMapping(store.db, orgId, source) : undefined;
  if (!saved) return { mapping: undefined, origin: 'suggested', problems: [] };
  const problems = saved.format === format ? [] : [`source "${source}" was saved for ${saved.format} exports, not ${format}: pick ${saved.format} or another source name`];
  return { mapping: saved.mapping, origin: 'saved', saved, problems };
}

/** importSource with the mapping resolved as above; a saved mapping that does not fit is refused by name. */
export async function importWithSource(
  store: Store,
  opts: SourceImportOptions & { source?: string },
): Promise<SourceImportResult & { mappingOrigin: MappingOrigin }> {
  const r = await resolveMapping(store, opts.orgId, opts.format, opts.mapping, opts.source);
  const named = (ps: string[]) => ps.map((p) => `saved mapping "${opts.source}": ${p}`);
  if (r.problems.length) throw new MappingRefused(named(r.problems));
  try {
    return { ...(await importSource(store, { ...opts, mapping: r.mapping })), mappingOrigin: r.origin };
  } catch (e) {
    if (e instanceof MappingRefused && r.origin === 'saved') throw new MappingRefused(named(e.problems));
    throw e;
  }
}

/** The mapping's JSON after validation, or its problems as "field: reason" lines. */
export function parseMapping(raw: unknown): { ok: true; mapping: MappingJson } | { ok: false; problems: string[] } {
  const p = Mapping.safeParse(raw);
  if (!p.success) return { ok: false, problems: p.error.issues.map((i) => `${i.path.join('.') || '(mapping)'}: ${i.message}`) };
  return { ok: true, mapping: mappingToJson(p.data) };
}

/** Saves a (valid) mapping under a source name; the caller audits it. */
export async function saveSourceMapping(store: Store, m: { orgId: string; source: string; format: SourceFormat; mapping: MappingJson; savedBy: string }): Promise<SavedMapping> {
  return saveImportMapping(store.db, m);
}
