// The leaders/customers legend, the same wherever a chart shows both sides.
export function PerspectiveLegend({ extra }: { extra?: { key: 'line' | 'band'; label: string }[] }) {
  return (
    <ul className="legend" aria-label="Legend">
      <li>
        <span className="swatch leaders" aria-hidden="true" />
        Leaders’ belief
      </li>
      <li>
        <span className="swatch customers" aria-hidden="true" />
        Customers’ answers
      </li>
      {extra?.map((e) => (
        <li key={e.label}>
          <span className={e.key === 'line' ? 'line-key' : 'band-key'} aria-hidden="true" />
          {e.label}
        </li>
      ))}
    </ul>
  );
}
