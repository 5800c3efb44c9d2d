// Report filters live in the URL query, in the API's own names (from, to, stage, touchpoint,
// where=segment:<name>=<value>), so a view is shareable by link and the query goes to the API as is.
import { useSearch, useLocation } from 'wouter';
import { useCallback, useMemo } from 'react';

export interface Filters {
  from?: string;
  to?: string;
  stage?: string;
  touchpoint?: string;
  /** segment name → value */
  segments: Record<string, string>;
}

export const REPORT_PARAMS = ['from', 'to', 'stage', 'touchpoint', 'where'] as const;

export function parseFilters(search: string): Filters {
  const p = new URLSearchParams(search);
  const segments: Record<string, string> = {};
  for (const w of p.getAll('where')) {
    const m = /^segment:([a-z][a-z0-9_]*)=(.+)$/.exec(w);
    if (m) segments[m[1]!] = m[2]!;
  }
  return {
    from: p.get('from') ?? undefined,
    to: p.get('to') ?? undefined,
    stage: p.get('stage') ?? undefined,
    touchpoint: p.get('touchpoint') ?? undefined,
    segments,
  };
}

/** Writes filters into a query (other parameters kept), leaving out what is unset. */
export function withFilters(search: string, f: Filters): URLSearchParams {
  const p = new URLSearchParams(search);
  for (const k of REPORT_PARAMS) p.delete(k);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.stage) p.set('stage', f.stage);
  if (f.touchpoint) p.set('touchpoint', f.touchpoint);
  for (const [k, v] of Object.entries(f.segments).sort(([a], [b]) => a.localeCompare(b))) if (v) p.append('where', `segment:${k}=${v}`);
  return p;
}

/** Only the report filters, as a query string for the API ("" when none). */
export function reportQuery(f: Filters): string {
  const q = withFilters('', f).toString();
  return q ? `?${q}` : '';
}

export const activeFilterCount = (f: Filters) =>
  [f.from, f.to, f.stage, f.touchpoint].filter(Boolean).length + Object.values(f.segments).filter(Boolean).length;

/** The current filters and a setter that replaces the URL's query (a new history entry per change). */
export function useFilters(): [Filters, (f: Filters) => void] {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const filters = useMemo(() => parseFilters(search), [search]);
  const set = useCallback(
    (f: Filters) => {
      const p = withFilters(search, f);
      // Paging belongs to the old result.
      p.delete('offset');
      p.delete('loffset');
      const q = p.toString();
      navigate(`${location}${q ? `?${q}` : ''}`);
    },
    [search, location, navigate],
  );
  return [filters, set];
}

/** Sets several query parameters at once (undefined removes one), keeping the rest. */
export function useQueryUpdate(): (patch: Record<string, string | undefined>, replace?: boolean) => void {
  const search = useSearch();
  const [location, navigate] = useLocation();
  return useCallback(
    (patch, replace = false) => {
      const p = new URLSearchParams(search);
      for (const [k, v] of Object.entries(patch)) {
        if (v) p.set(k, v);
        else p.delete(k);
      }
      const q = p.toString();
      navigate(`${location}${q ? `?${q}` : ''}`, { replace });
    },
    [search, location, navigate],
  );
}
