// Filters round-trip through the URL in the API's own parameter names.
import { describe, it, expect } from 'vitest';
import { parseFilters, reportQuery, withFilters, activeFilterCount } from './filters.ts';

describe('URL filters', () => {
  it('parses and writes period, stage, touchpoint and segments, keeping other parameters', () => {
    const f = parseFilters('from=2025-01&to=2025-06&stage=use&touchpoint=billing&where=segment%3Aregion%3DEMEA&where=segment%3Aplan%3Dbasic&q=refund');
    expect(f).toEqual({ from: '2025-01', to: '2025-06', stage: 'use', touchpoint: 'billing', segments: { region: 'EMEA', plan: 'basic' } });
    expect(activeFilterCount(f)).toBe(6);
    expect(reportQuery(f)).toBe('?from=2025-01&to=2025-06&stage=use&touchpoint=billing&where=segment%3Aplan%3Dbasic&where=segment%3Aregion%3DEMEA');
    expect(withFilters('q=refund&stage=buy', { segments: { region: 'North America' } }).toString()).toBe('q=refund&where=segment%3Aregion%3DNorth+America');
    expect(reportQuery({ segments: {} })).toBe('');
    expect(parseFilters('where=nonsense').segments).toEqual({});
  });
});
