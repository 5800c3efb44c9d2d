import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTagTerms, TAG_TERMS_PATH } from './tag-terms.ts';

describe('loadTagTerms', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-tags-'));
  it('reads the shipped file: words per framework key, learnt on the training split', () => {
    const t = loadTagTerms(TAG_TERMS_PATH)!;
    expect(Object.keys(t).sort()).toEqual(['checkout', 'contact_centre', 'empathy', 'reliability', 'responsiveness', 'tangibles']);
    expect(t.reliability).toEqual(expect.arrayContaining(['delayed', 'luggage']));
  });
  it('is undefined without a file, and refuses a bad one naming the field', () => {
    expect(loadTagTerms(join(dir, 'none.json'))).toBeUndefined();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ header: {}, terms: { reliability: ['ok', '(.*)+'] } }));
    expect(() => loadTagTerms(bad)).toThrow(/terms\.reliability\.1/);
  });
});
