import { describe, it, expect } from 'vitest';
import { breakdownReport } from './breakdown.ts';
import { DEFAULT_FRAMEWORK } from '../framework.ts';
import type { SideAggregate } from '../gap-report.ts';

const side = (x: number, n: number, extra: SideAggregate['items'] = {}): SideAggregate => ({ respondents: n, items: { excellent: { 4: x, 2: n - x }, ...extra } });
const ORG = { id: 'o', name: 'O', industry: 'other', minResponses: 5 };
const ROWS: [string, number, number][] = [['a', 25, 100], ['b', 12, 80], ['c', 40, 120], ['d', 5, 30]];

const input = (over: Partial<Parameters<typeof breakdownReport>[0]> = {}) => ({
  organisation: ORG,
  framework: DEFAULT_FRAMEWORK,
  filters: {},
  by: 'touchpoint',
  rows: ROWS.map(([value, x, n]) => ({ value, label: value.toUpperCase(), customers: side(x, n) })),
  leaders: side(30, 40),
  withDimensions: false,
  hidden: { customers: null, leaders: null },
  ...over,
});

describe('breakdownReport', () => {
  // References (scipy 1.17.1): p = chi2_contingency([[x1, n1-x1], [x2, n2-x2]], correction=False)[1] (= the
  // pooled two-proportion z test); gap tests leaders (30/40) vs each row, vs-rest tests each row vs the
  // other rows pooled. Holm over all 8: o = argsort(p); holm[o] = minimum(1, maximum.accumulate((m - arange(m))·p[o]));
  // BH: scipy.stats.false_discovery_control(p, method='bh').
  const REF = {
    gap: [
      [4.4412734084411575e-8, 3.10889138590881e-7, 1.776509363376463e-7],
      [8.249267488408081e-11, 6.599413990726465e-10, 6.599413990726465e-10],
      [4.216053942267103e-6, 2.1080269711335515e-5, 8.432107884534205e-6],
      [1.3621872098901454e-6, 8.173123259340873e-6, 3.632499226373721e-6],
    ],
    rest: [
      [0.966500162934046, 0.966500162934046, 0.966500162934046],
      [0.019181916976399895, 0.05754575092919968, 0.025575889301866526],
      [0.007012102495990606, 0.028048409983962425, 0.01121936399358497],
      [0.27675097221568457, 0.5535019444313691, 0.31628682538935377],
    ],
  };

  it('tests each row against leaders and against the rest, adjusting all tests as one family', () => {
    const r = breakdownReport(input());
    expect(r.tests).toBe(8);
    r.rows.forEach((row, i) => {
      const [p, holm, bh] = REF.gap[i]!;
      // Relative agreement: jStat's normal tail this far out (p ≈ 1e-10) is accurate to ~1e-7 relative.
      expect(row.gapTest!.pValue / p!).toBeCloseTo(1, 6);
      expect(row.gapTest!.holm / holm!).toBeCloseTo(1, 6);
      expect(row.gapTest!.bh / bh!).toBeCloseTo(1, 6);
      const [q, qh, qb] = REF.rest[i]!;
      expect(row.vsRest!.pValue).toBeCloseTo(q!, 12);
      expect(row.vsRest!.holm).toBeCloseTo(qh!, 12);
      expect(row.vsRest!.bh).toBeCloseTo(qb!, 12);
    });
    expect(r.rows[1]!.gap).toBeCloseTo(0.75 - 12 / 80, 14);
    expect(r.rows[1]!.vsRest!.diff).toBeCloseTo(12 / 80 - 70 / 250, 14);
    expect(r.rows[0]!.customers).toMatchObject({ n: 100, share: 0.25 });
  });

  it('adds dimension rows with Welch tests to the family', () => {
    const dims = { 'dim:reliability': { 2: 3, 3: 2 } };
    const r = breakdownReport(
      input({
        withDimensions: true,
        rows: [{ value: 'a', label: 'A', customers: side(3, 5, dims) }, { value: 'b', label: 'B', customers: side(2, 6) }],
        leaders: side(5, 6, { 'dim:reliability': { 4: 4, 5: 2 } }),
      }),
    );
    // 2 gap + 2 vs-rest + 1 Welch (row b has no reliability answers)
    expect(r.tests).toBe(5);
    expect(r.rows[0]!.dimensions!.reliability!.gap).toBeCloseTo(26 / 6 - 12 / 5, 12);
    expect(r.rows[1]!.dimensions!.reliability!.customers).toEqual({ suppressed: true, reason: 'fewer than 5 respondents' });
  });

  it('hides everything when the anonymity rule refuses the table', () => {
    const r = breakdownReport(input({ hidden: { customers: 'too fine', leaders: null } }));
    expect(r).toMatchObject({ suppressed: 'too fine', rows: [], tests: 0 });
  });
});
