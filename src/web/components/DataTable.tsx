// The dashboard's tables of figures, written once: the scroll region a wide table sits in, the table with its
// screen-reader caption and column headings, and the "Show the numbers" disclosure under each chart. Every
// table gets the same accessible structure: a focusable, named scroll region, th scope=col, an sr-only caption.
import type { ReactNode } from 'react';

/** A wide table's scroller: focusable and named, so keyboard users can scroll it (axe: scrollable-region-focusable). */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={`${label} (scrolls sideways when wider than the screen)`}>
      {children}
    </div>
  );
}

/** One column heading; `numeric` right-aligns it like its figures, `abbr` is the short name read in each cell. */
export type Column = { label: ReactNode; numeric?: boolean; abbr?: string };

/** The headings row of a table: one th scope=col per column. */
export function ColumnHeads({ columns }: { columns: Column[] }) {
  return (
    <tr>
      {columns.map((c, i) => (
        <th key={i} scope="col" className={c.numeric ? 'num' : undefined} abbr={c.abbr}>
          {c.label}
        </th>
      ))}
    </tr>
  );
}

// A string caption names the scroll region too; a caption built of elements needs a `label` for it.
type Captioned = { caption: string; label?: string } | { caption: ReactNode; label: string };

export type DataTableProps = Captioned & {
  columns: Column[];
  /** The body rows (`<tr>`s). */
  children: ReactNode;
  /** Extra classes beside "data" (e.g. "small"). */
  className?: string;
  id?: string;
  /** Off for short lists that never need to scroll sideways (a region around them is noise). */
  scroll?: boolean;
};

/** A table of figures: caption for screen readers, column headings, the rows, in a scroll region. */
export function DataTable({ caption, label, columns, children, className, id, scroll = true }: DataTableProps) {
  const table = (
    <table className={className ? `data ${className}` : 'data'} id={id}>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <ColumnHeads columns={columns} />
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
  if (!scroll) return table;
  return <TableScroll label={label ?? (caption as string)}>{table}</TableScroll>;
}

/** The text alternative under a chart: its figures as a table, folded away behind "Show the numbers". */
export function NumbersTable(props: DataTableProps) {
  return (
    <details className="data-table">
      <summary>Show the numbers</summary>
      <DataTable {...props} />
    </details>
  );
}
