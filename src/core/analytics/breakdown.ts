// The gap per touchpoint, journey stage or segment value: one row per value with the customers'
// excellence share (Wilson 95% interval), optionally each dimension's mean, and two tests per row —
// the gap against leaders (two-proportion z; leaders answer about the whole experience, so every row is
// compared with the same leaders' share over the period) and the row against all other customers in the
// cut (two-proportion z: does this touchpoint or segment differ from the rest?) — plus, with dimensions,
// Welch's t of the leaders' predicted mean against the row's mean.
// Forty cells of tests would flag a couple by chance alone, so every p-value in the response is one family
// and carries its Holm (family-wise error) and Benjamini–Hochberg (false discovery rate) adjustment.
import { z } from 'zod';
import type { Dimension } from '../framework.ts';
import { Mean, Share, Suppressed, countWhere, isTopTwo, meanOf, shareOf, suppressed, type Histogram, type SideAggregate } from '../gap-report.ts';
import { benjaminiHochbergAdjust, holmAdjust, twoProportionZTest, welchTTest } from '../stats/index.ts';

const Test = z.object({
  diff: z.number(),
  statistic: z.number().describe('z, or Welch t'),
  pValue: z.number(),
  holm: z.number().describe('Holm-adjusted p over every test in this response'),
  bh: z.number().describe('Benjamini–Hochberg-adjusted p over every test in this response'),
});
export type BreakdownTest = z.infer<typeof Test>;

export const BreakdownReport = z.object({
  organisation: z.object({ id: z.string(), name: z.string(), industry: z.string() }),
  filters: z.record(z.string(), z.unknown()),
  minResponses: z.number().int(),
  by: z.string(),
  suppressed: z.string().nullable().describe('why the whole breakdown is hidden (null: shown)'),
  leaders: z.union([Share, Suppressed]),
  tests: z.number().int().describe('size of the family the adjusted p-values are corrected for'),
  rows: z.array(
    z.object({
      value: z.string(),
      label: z.string(),
      stage: z.string().nullable().optional(),
      stageLabel: z.string().nullable().optional(),
      department: z.string().nullable().optional(),
      customers: z.union([Share, Suppressed]),
      gap: z.number().nullable().describe('leaders − customers share'),
      gapTest: Test.nullable(),
      vsRest: Test.nullable().describe('this row − all other customers in the cut'),
      dimensions: z
        .record(
          z.string(),
          z.object({ customers: z.union([Mean, Suppressed]), gap: z.number().nullable(), test: Test.nullable() }),
        )
        .optional(),
    }),
  ),
});
export type BreakdownReport = z.infer<typeof BreakdownReport>;

export interface BreakdownRowInput {
  value: string;
  label: string;
  stage?: string | null;
  stageLabel?: string | null;
  department?: string | null;
  customers: SideAggregate;
}

export interface BreakdownInput {
  organisation: { id: string; name: string; industry: string; minResponses: number };
  framework: Dimension[];
  filters: Record<string, unknown>;
  by: string;
  rows: BreakdownRowInput[];
  leaders: SideAggregate;
  withDimensions: boolean;
  hidden: { customers: string | null; leaders: string | null };
}

type RawTest = { diff: number; statistic: number; pValue: number };

const addHist = (into: Histogram, h: Histogram | undefined) => {
  for (const [v, c] of Object.entries(h ?? {})) into[Number(v)] = (into[Number(v)] ?? 0) + c;
};

export function breakdownReport(input: BreakdownInput): BreakdownReport {
  const { organisation: org, hidden } = input;
  const min = org.minResponses;
  const hide = (reason: string | null) => (reason ? { suppressed: true as const, reason } : suppressed(min));
  const dims = input.framework.filter((d) => d.customerItem !== null);
  const leadersShown = !hidden.leaders && input.leaders.respondents >= min;
  const leaders = leadersShown ? shareOf(input.leaders.items.excellent, min) : hide(hidden.leaders);
  const xl = countWhere(input.leaders.items.excellent, isTopTwo);
  const base = { organisation: { id: org.id, name: org.name, industry: org.industry }, filters: input.filters, minResponses: min, by: input.by, leaders };
  if (hidden.customers) return { ...base, suppressed: hidden.customers, tests: 0, rows: [] };

  const tests: RawTest[] = [];
  const record = (t: RawTest | null): number | null => (t ? tests.push(t) - 1 : null);
  const allExcellent: Histogram = {};
  for (const r of input.rows) addHist(allExcellent, r.customers.items.excellent);
  const xAll = countWhere(allExcellent, isTopTwo);
  const nAll = Object.values(allExcellent).reduce((a, b) => a + b, 0);

  const pending = input.rows.map((r) => {
    const shown = r.customers.respondents >= min;
    const customers = shown ? shareOf(r.customers.items.excellent, min) : suppressed(min);
    let gap: number | null = null;
    let gapTest: number | null = null;
    let vsRest: number | null = null;
    if (!('suppressed' in customers)) {
      const xc = countWhere(r.customers.items.excellent, isTopTwo);
      if (!('suppressed' in leaders)) {
        const t = twoProportionZTest(xl, leaders.n, xc, customers.n);
        gap = t.diff;
        gapTest = record({ diff: t.diff, statistic: t.z, pValue: t.pValue });
      }
      const nRest = nAll - customers.n;
      if (nRest > 0) {
        const t = twoProportionZTest(xc, customers.n, xAll - xc, nRest);
        vsRest = record({ diff: t.diff, statistic: t.z, pValue: t.pValue });
      }
    }
    const dimensions = input.withDimensions
      ? Object.fromEntries(
          dims.map((d) => {
            const key = `dim:${d.key}`;
            const cm = shown ? meanOf(r.customers.items[key], min) : suppressed(min);
            const lm = leadersShown ? meanOf(input.leaders.items[key], min) : null;
            let g: number | null = null;
            let test: number | null = null;
            if (lm && !('suppressed' in lm) && !('suppressed' in cm)) {
              const w = welchTTest(lm, cm);
              g = w.diff;
              test = record({ diff: w.diff, statistic: w.t, pValue: w.pValue });
            }
            return [d.key, { customers: cm, gap: g, test }] as const;
          }),
        )
      : undefined;
    return { r, customers, gap, gapTest, vsRest, dimensions };
  });

  const p = tests.map((t) => t.pValue);
  const holm = holmAdjust(p);
  const bh = benjaminiHochbergAdjust(p);
  const full = (i: number | null): BreakdownTest | null => (i === null ? null : { ...tests[i]!, holm: holm[i]!, bh: bh[i]! });

  return {
    ...base,
    suppressed: null,
    tests: tests.length,
    rows: pending.map(({ r, customers, gap, gapTest, vsRest, dimensions }) => ({
      value: r.value,
      label: r.label,
      ...(r.stage !== undefined ? { stage: r.stage, stageLabel: r.stageLabel ?? null } : {}),
      ...(r.department !== undefined ? { department: r.department } : {}),
      customers,
      gap,
      gapTest: full(gapTest),
      vsRest: full(vsRest),
      ...(dimensions
        ? { dimensions: Object.fromEntries(Object.entries(dimensions).map(([k, v]) => [k, { customers: v.customers, gap: v.gap, test: full(v.test) }])) }
        : {}),
    })),
  };
}
