// How numbers read in the dashboard, the board pack and the digest: shares as whole percentages, gaps in percentage points,
// intervals with an en dash, counts with thousands separators.
import { INDUSTRIES } from './benchmarks.ts';

const intFmt = new Intl.NumberFormat('en-GB');
export const count = (n: number) => intFmt.format(n);

export const pct = (x: number, digits = 0) => `${(x * 100).toFixed(digits)}%`;
/** A difference of shares, in percentage points. */
export const pts = (x: number, digits = 0) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x * 100).toFixed(digits)} pts`;
export const pctInterval = ([lo, hi]: [number, number]) => `${(lo * 100).toFixed(0)}–${(hi * 100).toFixed(0)}%`;
export const fixed = (x: number, digits = 1) => (x < 0 ? `−${Math.abs(x).toFixed(digits)}` : x.toFixed(digits));
export const signed = (x: number, digits = 1) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(digits)}`;
export const interval = ([lo, hi]: [number, number], digits = 1) => `${fixed(lo, digits)} to ${fixed(hi, digits)}`;

export function pValue(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '';
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "2025-03" → "Mar 2025". */
export function monthLabel(m: string, short = false): string {
  const [y, mm] = m.split('-');
  const name = MONTHS[Number(mm) - 1] ?? mm;
  return short ? `${name} ’${y!.slice(2)}` : `${name} ${y}`;
}

/** Industry names as people read them: the benchmarks' own list (one source). */
export const INDUSTRY_LABELS: Readonly<Record<string, string>> = INDUSTRIES;

export const ROLE_LABELS: Record<string, string> = {
  admin: 'Admin',
  analyst: 'Analyst',
  owner: 'Department owner',
  viewer: 'Viewer',
};

export const initials = (s: string) =>
  s
    .split(/[\s@._-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
