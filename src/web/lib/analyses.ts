// Pure helpers behind the analyses views (drivers, calibration, breakdown, trends, benchmarks): the
// quadrant split the drivers report uses, which adjusted tests count as significant, and the ordering
// of rows. No React here, so each rule is unit-tested on its own (analyses.test.ts).
import type { DriversReport } from './types.ts';
import { isSuppressed } from './types.ts';
import { meanInterval } from '../../core/stats/display-intervals.ts';

export const average = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

type DriverRow = DriversReport['dimensions'][number];

export interface DriverPoint {
  key: string;
  label: string;
  rank: number;
  /** % of R² (the rescaled relative weight). */
  importance: number;
  /** Raw relative weight, the scale the report splits on. */
  weight: number;
  performance: { n: number; mean: number; sd: number; ci: [number, number] | null };
  leaders: { n: number; mean: number; sd: number; ci: [number, number] | null } | { reason: string };
  gap: number | null;
  quadrant: DriverRow['quadrant'];
  critical: boolean;
}

/**
 * The dimensions that can sit in the importance–performance chart (a model weight and a shown
 * customer mean), most important first, and where the chart splits: the report classifies quadrants at
 * the mean importance and mean performance over exactly these dimensions (core/analytics/drivers.ts),
 * so the lines are drawn there too, or a dot could sit in one quadrant and be labelled another.
 */
export function driverPoints(dims: readonly DriverRow[]): { points: DriverPoint[]; split: { importance: number; weight: number; performance: number } | null } {
  const points: DriverPoint[] = [];
  for (const d of dims) {
    if (d.importance === null || d.rescaled === null || d.rank === null || isSuppressed(d.performance)) continue;
    const p = d.performance;
    points.push({
      key: d.key,
      label: d.label,
      rank: d.rank,
      importance: d.rescaled,
      weight: d.importance,
      performance: { ...p, ci: meanInterval(p) },
      leaders: isSuppressed(d.leaders) ? { reason: d.leaders.reason } : { ...d.leaders, ci: meanInterval(d.leaders) },
      gap: d.gap,
      quadrant: d.quadrant,
      critical: d.critical,
    });
  }
  points.sort((a, b) => a.rank - b.rank);
  const weight = average(points.map((p) => p.weight));
  const importance = average(points.map((p) => p.importance));
  const performance = average(points.map((p) => p.performance.mean));
  return { points, split: weight === null || importance === null || performance === null ? null : { weight, importance, performance } };
}

/** "A, B and C". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export type Adjustment = 'holm' | 'bh';
export const ADJUSTMENT_LABELS: Record<Adjustment, string> = {
  holm: 'Holm (family-wise error)',
  bh: 'Benjamini–Hochberg (false discovery rate)',
};
export const parseAdjustment = (s: string | null | undefined): Adjustment => (s === 'bh' ? 'bh' : 'holm');

/** A test counts only when its p-value adjusted for every test in the response is below α. */
export function significant(test: { holm: number; bh: number } | null | undefined, method: Adjustment, alpha = 0.05): boolean {
  if (!test) return false;
  const p = method === 'holm' ? test.holm : test.bh;
  return Number.isFinite(p) && p < alpha;
}

/**
 * The breakdown's "by" choices: touchpoint, stage and every segment with values. A value from the URL
 * that is none of these falls back to touchpoint, so a stale link still shows something.
 */
export function breakdownChoices(segments: readonly { name: string }[]): string[] {
  return ['touchpoint', 'stage', ...segments.map((s) => `segment:${s.name}`)];
}
export function parseBreakdownBy(value: string | null | undefined, segments: readonly { name: string }[]): string {
  return value && breakdownChoices(segments).includes(value) ? value : 'touchpoint';
}

/** Ticks for a numeric axis: round steps of 1, 2 or 5 × 10ⁿ covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** A trend period in words: "2025-03" → "Mar 2025", "2025-Q2" → "Q2 2025"; anything else as it is. */
export function periodLabel(p: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(p);
  if (q) return `Q${q[2]} ${q[1]}`;
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(p);
  if (m) return `${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  return p;
}

/** The change per period of a slope in words, with its interval: "+0.14 a quarter (95% CI 0.02 to 0.26)". */
export function perPeriodText(s: { perPeriod: number; ci95: [number, number] }, period: 'month' | 'quarter', scale: 'share' | 'rating'): string {
  const f = (v: number, sign = false) => {
    const x = scale === 'share' ? v * 100 : v;
    const digits = scale === 'share' ? 1 : 2;
    const body = Math.abs(x).toFixed(digits);
    return `${x < 0 ? '−' : sign && x > 0 ? '+' : ''}${body}`;
  };
  const unit = scale === 'share' ? ' pts' : '';
  return `${f(s.perPeriod, true)}${unit} a ${period} (95% CI ${f(s.ci95[0])} to ${f(s.ci95[1])}${unit})`;
}
