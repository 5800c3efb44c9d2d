// A titled card of the dashboard's grid: a section named by its heading, with an optional hint beside it.
import type { ReactNode } from 'react';

export function Card({ title, hint, children, id, className = 'span-12' }: { title: string; hint?: ReactNode; children: ReactNode; id: string; className?: string }) {
  return (
    <section className={`card ${className}`} aria-labelledby={id}>
      <div className="card-head">
        <h2 id={id}>{title}</h2>
        {hint && <span className="hint">{hint}</span>}
      </div>
      {children}
    </section>
  );
}
