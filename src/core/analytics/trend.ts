// Is the gap widening? The headline gap (leaders' minus customers' share calling the experience
// excellent) and each dimension gap per month or quarter, and the slope of the gap over time by weighted
// least squares (stats/regression.ts), each period weighted by 1/Var of its gap:
//   Var(gap_t) = p_L(1 − p_L)/n_L + p_C(1 − p_C)/n_C          (independent samples, unpooled)
//   Var(dimension gap_t) = s_L²/n_L + s_C²/n_C
// x is the period's index on the calendar (months or quarters since the first period shown), so a period
// without data leaves a gap in x rather than squeezing the line. 'widening' / 'narrowing' only when the
// slope's 95% interval excludes 0; with fewer than 3 periods there is no slope (null).
//
// Leaders are few (tens) and answer once, at scattered times: per period their side is usually below the
// anonymity minimum, or their month table is not safe (core/anonymity.ts), so the per-period gap is often
// null and so is its slope. Rather than invent leader values for those periods, the report also gives:
//  - customerTrend: the slope of the customers' share alone, with its own WLS interval. It answers "are
//    customers' views moving?" without any assumption about leaders.
//  - gapVsLeadersOverall per period: the leaders' share pooled over the whole range (one figure, shown when
//    visible) minus that period's customer share. Read it as the gap *if leaders' belief held steady*; its
//    slope is exactly −customerTrend.perPeriod (a constant shifts the line, not its slope), and the leaders'
//    own sampling error moves the whole line, not its tilt — so no separate slope is reported for it.
import { z } from 'zod';
import type { Dimension } from '../framework.ts';
import { Interval, Share, Suppressed, countWhere, isTopTwo, meanOf, shareOf, suppressed, type SideAggregate } from '../gap-report.ts';
import { weightedLinearTrend, type TrendPoint } from '../stats/index.ts';

export const TrendPeriod = z.enum(['month', 'quarter']);
export type TrendPeriod = z.infer<typeof TrendPeriod>;

export const GapSlope = z.object({
  periods: z.number().int().describe('periods in the fit'),
  perPeriod: z.number().describe('change of the gap per period (share points as a fraction, or rating points)'),
  ci95: Interval,
  pValue: z.number(),
  direction: z.enum(['widening', 'narrowing', 'no evidence']),
});

export const ShareSlope = z.object({
  periods: z.number().int(),
  perPeriod: z.number().describe("change of the customers' share per period"),
  ci95: Interval,
  pValue: z.number(),
  direction: z.enum(['rising', 'falling', 'no evidence']),
});

const Side = z.union([Share, Suppressed]);

export const TrendReport = z.object({
  organisation: z.object({ id: z.string(), name: z.string(), industry: z.string() }),
  filters: z.record(z.string(), z.unknown()),
  minResponses: z.number().int(),
  period: TrendPeriod,
  suppressed: z
    .object({ customers: z.string().nullable(), leaders: z.string().nullable() })
    .describe('why a side is hidden in every period (null: shown where its period has enough respondents)'),
  points: z.array(
    z.object({
      period: z.string().describe('YYYY-MM or YYYY-Qn'),
      leaders: Side,
      customers: Side,
      gap: z.number().nullable().describe('leaders − customers share, when both are shown'),
      gapVariance: z.number().nullable(),
      gapVsLeadersOverall: z.number().nullable().describe("leadersOverall.share − this period's customer share"),
      dimensions: z.record(z.string(), z.number().nullable()).describe('dimension key → leaders − customers mean'),
    }),
  ),
  slope: GapSlope.nullable().describe('WLS slope of the headline gap over periods where both sides are shown; null with fewer than 3'),
  customerTrend: ShareSlope.nullable().describe("WLS slope of the customers' share alone; null with fewer than 3 periods"),
  leadersOverall: Side.describe("leaders' share pooled over the whole range"),
  dimensionSlopes: z.record(z.string(), GapSlope.nullable()),
  noTrend: z
    .object({
      code: z.enum(['no-responses', 'too-few', 'combination', 'few-periods']),
      reason: z.string(),
    })
    .nullable()
    .describe("why there is no customers' trend (null when customerTrend is given): no responses yet, every period under the minimum group, the filters/breakdown would single someone out, or fewer than 3 periods shown"),
});
export type TrendReport = z.infer<typeof TrendReport>;

export interface TrendPeriodInput {
  period: string;
  /** Position on the calendar: months (or quarters) since the first period shown. */
  index: number;
  customers: SideAggregate;
  leaders: SideAggregate;
}

export interface TrendInput {
  organisation: { id: string; name: string; industry: string; minResponses: number };
  framework: Dimension[];
  filters: Record<string, unknown>;
  period: TrendPeriod;
  points: TrendPeriodInput[];
  /** Anonymity: a side hidden in every period, with why (null: shown). */
  hidden: { customers: string | null; leaders: string | null; leadersOverall: string | null };
  leadersOverall: SideAggregate;
  /** The organisation has no customer responses at all (not merely none in this cut). */
  customersEmpty?: boolean;
}

/** Variance of a share for the trend weights; at 0 or n successes p(1−p)/n is 0, so (x+½)/(n+1) is used. */
export function shareVariance(x: number, n: number): number {
  const p = x === 0 || x === n ? (x + 0.5) / (n + 1) : x / n;
  return (p * (1 - p)) / n;
}

/** month '2025-01' → 2025·12 + 0; quarter '2025-Q1' → 2025·4 + 0: consecutive periods differ by 1. */
export function periodIndex(period: string): number {
  const y = Number(period.slice(0, 4));
  return period[5] === 'Q' ? y * 4 + Number(period.slice(6)) - 1 : y * 12 + Number(period.slice(5, 7)) - 1;
}

function gapSlope(points: TrendPoint[]): z.infer<typeof GapSlope> | null {
  const t = weightedLinearTrend(points);
  if (t.slope === null || t.ci95 === null || t.pValue === null) return null;
  return { periods: t.n, perPeriod: t.slope, ci95: t.ci95, pValue: t.pValue, direction: t.direction };
}

/** The real reason a trend is missing (issue 11: not always "too few months"). */
function noTrendOf(input: TrendInput, shownPeriods: number): NonNullable<TrendReport['noTrend']> {
  const min = input.organisation.minResponses;
  const filtered = Object.values(input.filters).some((v) => v !== undefined);
  const unit = input.period;
  if (input.customersEmpty) return { code: 'no-responses', reason: 'no customer responses yet' };
  if (input.hidden.customers && input.hidden.customers !== suppressed(min).reason) return { code: 'combination', reason: input.hidden.customers };
  // An empty cut of a non-empty organisation is "too few" too: the rule may have pooled its values away.
  if (input.points.length === 0 || input.hidden.customers || shownPeriods === 0)
    return {
      code: 'too-few',
      reason: filtered ? `fewer than ${min} customers in each ${unit} match these filters (the minimum group)` : `every ${unit} has fewer than ${min} customers, the minimum group`,
    };
  return {
    code: 'few-periods',
    reason: `a trend needs 3 ${unit}s with at least ${min} customers; ${shownPeriods === 1 ? `only 1 ${unit} has` : `only ${shownPeriods} ${unit}s have`} them`,
  };
}

export function trendReport(input: TrendInput): TrendReport {
  const { organisation: org, hidden } = input;
  const min = org.minResponses;
  const hide = (reason: string | null) => (reason ? { suppressed: true as const, reason } : suppressed(min));
  const dims = input.framework.filter((d) => d.customerItem !== null);
  const first = input.points.length ? Math.min(...input.points.map((p) => p.index)) : 0;

  const overallL = hidden.leadersOverall || input.leadersOverall.respondents < min ? hide(hidden.leadersOverall) : shareOf(input.leadersOverall.items.excellent, min);

  const gapPts: TrendPoint[] = [];
  const custPts: TrendPoint[] = [];
  const dimPts = new Map<string, TrendPoint[]>(dims.map((d) => [d.key, []]));
  const points = input.points.map((p) => {
    const x = p.index - first;
    const cVisible = !hidden.customers && p.customers.respondents >= min;
    const lVisible = !hidden.leaders && p.leaders.respondents >= min;
    const customers = cVisible ? shareOf(p.customers.items.excellent, min) : hide(hidden.customers);
    const leaders = lVisible ? shareOf(p.leaders.items.excellent, min) : hide(hidden.leaders);
    let gap: number | null = null;
    let gapVariance: number | null = null;
    if (!('suppressed' in customers)) {
      const xc = countWhere(p.customers.items.excellent, isTopTwo);
      custPts.push({ x, y: customers.share, variance: shareVariance(xc, customers.n) });
      if (!('suppressed' in leaders)) {
        const xl = countWhere(p.leaders.items.excellent, isTopTwo);
        gap = leaders.share - customers.share;
        gapVariance = shareVariance(xl, leaders.n) + shareVariance(xc, customers.n);
        gapPts.push({ x, y: gap, variance: gapVariance });
      }
    }
    const dimensions: Record<string, number | null> = {};
    for (const d of dims) {
      const key = `dim:${d.key}`;
      const lm = lVisible ? meanOf(p.leaders.items[key], min) : null;
      const cm = cVisible ? meanOf(p.customers.items[key], min) : null;
      if (lm && cm && !('suppressed' in lm) && !('suppressed' in cm)) {
        dimensions[d.key] = lm.mean - cm.mean;
        const v = (lm.sd * lm.sd) / lm.n + (cm.sd * cm.sd) / cm.n;
        if (v > 0) dimPts.get(d.key)!.push({ x, y: lm.mean - cm.mean, variance: v });
      } else dimensions[d.key] = null;
    }
    return {
      period: p.period,
      leaders,
      customers,
      gap,
      gapVariance,
      gapVsLeadersOverall: 'suppressed' in overallL || 'suppressed' in customers ? null : overallL.share - customers.share,
      dimensions,
    };
  });

  const ct = weightedLinearTrend(custPts);
  const customerTrend =
    ct.slope === null || ct.ci95 === null || ct.pValue === null
      ? null
      : {
          periods: ct.n,
          perPeriod: ct.slope,
          ci95: ct.ci95,
          pValue: ct.pValue,
          direction: ct.direction === 'widening' ? ('rising' as const) : ct.direction === 'narrowing' ? ('falling' as const) : ('no evidence' as const),
        };

  const shownPeriods = points.filter((p) => !('suppressed' in p.customers)).length;
  return {
    organisation: { id: org.id, name: org.name, industry: org.industry },
    filters: input.filters,
    minResponses: min,
    period: input.period,
    noTrend: customerTrend ? null : noTrendOf(input, shownPeriods),
    suppressed: { customers: hidden.customers, leaders: hidden.leaders },
    points,
    slope: gapSlope(gapPts),
    customerTrend,
    leadersOverall: overallL,
    dimensionSlopes: Object.fromEntries(dims.map((d) => [d.key, gapSlope(dimPts.get(d.key)!)])),
  };
}

