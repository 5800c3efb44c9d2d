// The login redirect stays on this site whatever `next` holds (next-path.ts).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { safeNextPath } from './next-path.ts';

const ORIGIN = 'https://parallax.example';

describe('safeNextPath', () => {
  it.each([
    ['/o/streamly?where=segment:region%3DEMEA', '/o/streamly?where=segment:region%3DEMEA'],
    ['/o/streamly/journey#top', '/o/streamly/journey#top'],
    ['/\\evil.example', '/'],
    ['//evil.example', '/'],
    ['/\t/evil.example', '/'],
    ['/\\/evil.example', '/'],
    ['/.//evil.example', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['o/streamly', '/'],
    ['/login?next=/login', '/'],
    ['', '/'],
    [null, '/'],
  ])('%j → %j', (next, want) => {
    expect(safeNextPath(next, ORIGIN)).toBe(want);
  });

  it('never leaves the origin, for any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(fc.constantFrom('/', '\\', '.', '\t', '\n', 'e', ':', '@', '?', '#', '%2F', '%5C'), { maxLength: 10 }).map((a) => a.join(''))), (next) => {
        const path = safeNextPath(next, ORIGIN);
        expect(path.startsWith('/')).toBe(true);
        expect(path.startsWith('//') || path.startsWith('/\\')).toBe(false);
        expect(new URL(path, ORIGIN).origin).toBe(ORIGIN);
      }),
      { numRuns: 5000 },
    );
  });
});
