// The problems an import's dry run (or its skipped rows) found, one line each as `row N, column C: reason`,
// with their total when the API sent only the first ones. Shared by the Import and Feedback views.
export interface RowProblem {
  row: number;
  column: string;
  reason: string;
}

export function RowProblems({ errors, total, label, what = 'row' }: { errors: RowProblem[]; total: number; label: string; what?: string }) {
  if (!total) return <p className="small">No problems: every {what} is valid.</p>;
  return (
    <div>
      <h4>
        {total.toLocaleString()} {total === 1 ? 'problem' : 'problems'}
        {errors.length < total ? ` (the first ${errors.length} shown)` : ''}
      </h4>
      <ul className="small" aria-label={label} tabIndex={0} style={{ maxHeight: 240, overflow: 'auto' }}>
        {errors.map((e, i) => (
          <li key={i}>
            row {e.row}, column {e.column}: {e.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
