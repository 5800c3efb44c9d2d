// Reads the tagging words learnt from labelled data (models/tag-terms.json, written by
// scripts/learn-tag-terms.ts) once per process, checked like any input; undefined when the file is absent.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { LearntTerms } from '../core/text/tags.ts';

export const TAG_TERMS_PATH = fileURLToPath(new URL('../../models/tag-terms.json', import.meta.url));

const TagTermsFile = z.object({
  header: z.record(z.string(), z.unknown()),
  terms: z.record(z.string().max(64), z.array(z.string().regex(/^[a-z][a-z']{1,30}$/)).max(100)),
});

const cache = new Map<string, LearntTerms | undefined>();

export function loadTagTerms(path = TAG_TERMS_PATH): LearntTerms | undefined {
  if (cache.has(path)) return cache.get(path);
  let terms: LearntTerms | undefined;
  if (existsSync(path)) {
    const parsed = TagTermsFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
    terms = Object.assign(Object.create(null), parsed.data.terms) as LearntTerms;
  }
  cache.set(path, terms);
  return terms;
}
