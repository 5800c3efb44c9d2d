// Designed loading, empty, error and suppressed states. Skeletons take the size of what they stand
// for, so nothing jumps when the data arrives.
import type { CSSProperties, ReactNode } from 'react';
import { describeFailure } from '../lib/api.ts';

export function Skeleton({ height, width = '100%', style }: { height: number | string; width?: number | string; style?: CSSProperties }) {
  return <div className="skeleton" style={{ height, width, ...style }} aria-hidden="true" />;
}

/** A block that is loading: skeleton lines with an accessible "Loading …" status. */
export function Loading({ label, height = 160, lines = 0 }: { label: string; height?: number; lines?: number }) {
  return (
    <div role="status" style={{ minHeight: height }} className="stack">
      <span className="sr-only">Loading {label}…</span>
      {lines > 0 ? (
        Array.from({ length: lines }, (_, i) => <Skeleton key={i} height={18} width={`${90 - ((i * 17) % 40)}%`} />)
      ) : (
        <Skeleton height={height} />
      )}
    </div>
  );
}

export function ErrorState({ error, onRetry, title = 'This could not be loaded' }: { error: unknown; onRetry?: () => void; title?: string }) {
  return (
    <div className="state error" role="alert">
      <div className="icon" aria-hidden="true">
        !
      </div>
      <h3>{title}</h3>
      <p>{describeFailure(error)}</p>
      {onRetry && (
        <button type="button" className="btn small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="state">
      <div className="icon" aria-hidden="true">
        ∅
      </div>
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

/** Why a figure is not shown: a group smaller than the organisation's minimum. */
export function SuppressedNote({ reason, what }: { reason: string; what?: string }) {
  return (
    <p className="suppressed">
      <span aria-hidden="true">⊘</span>
      <span>
        {what ? `${what} hidden` : 'Hidden'}: {reason}, so no one can be singled out.
      </span>
    </p>
  );
}

/** Over figures still shown after a refresh failed: says so, rather than hiding them or passing them off as current. */
export function StaleFiguresBanner({ error }: { error: unknown }) {
  return (
    <div className="banner error span-12" role="alert">
      The figures could not be updated: {String((error as Error).message)}. Showing the previous figures.
    </div>
  );
}
