// What the analyses views (drivers, calibration, breakdown, trends, benchmarks) share: the sub-navigation
// between them (one "Analyses" entry in the main navigation keeps it usable on a phone), the card, the
// page head, and the loading/error frame around one report, in the overview's style.
import type { ReactNode } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { parseFilters, reportQuery } from '../lib/filters.ts';
import type { Resource } from '../lib/use-api.ts';
import { ErrorState, Loading, StaleFiguresBanner } from '../components/states.tsx';

export const ANALYSES = [
  { href: '/drivers', label: 'Drivers' },
  { href: '/calibration', label: 'Calibration' },
  { href: '/breakdown', label: 'Breakdown' },
  { href: '/trends', label: 'Trends' },
  { href: '/benchmarks', label: 'Benchmarks' },
] as const;

export function AnalysesNav() {
  const [location] = useLocation();
  const q = reportQuery(parseFilters(useSearch()));
  const section = `/${location.split('/')[1] ?? ''}`;
  return (
    <nav aria-label="Analyses" style={{ marginBottom: 14 }}>
      <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexWrap: 'wrap', gap: '4px 6px' }}>
        {ANALYSES.map((a) => {
          const current = section === a.href;
          return (
            <li key={a.href}>
              <Link
                href={`${a.href}${q}`}
                aria-current={current ? 'page' : undefined}
                style={{
                  display: 'inline-block',
                  padding: '6px 12px',
                  borderRadius: 999,
                  border: '1px solid var(--line-strong)',
                  background: current ? 'var(--ink)' : 'var(--surface)',
                  color: current ? '#fff' : 'var(--ink-2)',
                  fontWeight: current ? 700 : 550,
                  textDecoration: current ? 'none' : 'underline',
                  textUnderlineOffset: 3,
                }}
              >
                {a.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}


/** The page head every analysis has: heading, one line on what it answers, the sub-navigation. */
export function AnalysisHead({ title, children, loading }: { title: string; children: ReactNode; loading?: boolean }) {
  return (
    <>
      <AnalysesNav />
      <div className="page-head">
        <h1>{title}</h1>
        <p>{children}</p>
        <span className="updating" aria-live="polite">
          {loading ? 'Updating…' : ''}
        </span>
      </div>
    </>
  );
}

/** A report's states: error with retry, loading skeleton, then the content (stale data kept while updating). */
export function ReportFrame<T>({ res, what, children, height = 420 }: { res: Resource<T>; what: string; children: (data: T) => ReactNode; height?: number }) {
  if (res.error && !res.data)
    return (
      <div className="card">
        <ErrorState error={res.error} onRetry={res.reload} title={`The ${what} could not be loaded`} />
      </div>
    );
  if (!res.data)
    return (
      <div className="card">
        <Loading label={what} height={height} />
      </div>
    );
  return (
    <div className="grid" aria-busy={res.loading}>
      {res.error ? <StaleFiguresBanner error={res.error} /> : null}
      {children(res.data)}
    </div>
  );
}

/** Filters that a report cannot apply, said in words (calibration and benchmarks cover all customers). */
export function IgnoredFilters({ names }: { names: string[] }) {
  if (!names.length) return null;
  return (
    <p className="banner info small span-12" style={{ margin: 0 }}>
      This analysis does not apply the {names.join(', ')} filter{names.length > 1 ? 's' : ''}: {names.length > 1 ? 'they narrow' : 'it narrows'} the customers, and
      leaders predict what all customers say.
    </p>
  );
}
