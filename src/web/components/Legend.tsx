// The charts' legends, written once: a labelled list of keys, each a mark drawn as the chart draws it and its
// meaning. The leaders/customers legend is the common case, the same wherever a chart shows both sides.
import type { CSSProperties, ReactNode } from 'react';

/** How a key is drawn: the two sides' dots, the leaders' diamond, a dashed or whisker line, an interval band, the critical ring. */
export type LegendMark = 'leaders' | 'customers' | 'diamond' | 'line' | 'leaders-line' | 'band' | 'ring';

export type LegendItem = { mark?: LegendMark; label: ReactNode };

const DIAMOND: CSSProperties = { transform: 'rotate(45deg)', borderRadius: 1 };
const RING: CSSProperties = { display: 'inline-block', width: 12, height: 12, borderRadius: '50%', border: '2px solid var(--gap)' };

function Mark({ mark }: { mark: LegendMark }) {
  switch (mark) {
    case 'leaders':
    case 'customers':
      return <span className={`swatch ${mark}`} aria-hidden="true" />;
    case 'diamond':
      return <span className="swatch leaders" aria-hidden="true" style={DIAMOND} />;
    case 'line':
      return <span className="line-key" aria-hidden="true" />;
    case 'leaders-line':
      return <span className="line-key" aria-hidden="true" style={{ borderColor: 'var(--leaders)' }} />;
    case 'band':
      return <span className="band-key" aria-hidden="true" />;
    case 'ring':
      return <span aria-hidden="true" style={RING} />;
  }
}

/** A chart's legend; items left out (false/null) let a caller show a key only when the chart draws it. */
export function Legend({ items }: { items: (LegendItem | false | null | undefined)[] }) {
  return (
    <ul className="legend" aria-label="Legend">
      {items.map((item, i) =>
        item ? (
          <li key={i}>
            {item.mark && <Mark mark={item.mark} />}
            {item.label}
          </li>
        ) : null,
      )}
    </ul>
  );
}

/** Leaders' belief and customers' answers, plus the chart's own extra keys (its interval's line or band). */
export function PerspectiveLegend({ extra }: { extra?: { key: 'line' | 'band'; label: string }[] }) {
  return (
    <Legend
      items={[
        { mark: 'leaders', label: 'Leaders’ belief' },
        { mark: 'customers', label: 'Customers’ answers' },
        ...(extra ?? []).map((e) => ({ mark: e.key, label: e.label })),
      ]}
    />
  );
}
