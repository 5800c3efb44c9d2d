import { describe, it, expect } from 'vitest';
import { cut, poolSmallGroups, pooledValues, quarterOf, tableCheck, withheldValues, normaliseAttributes, type CellCount } from './anonymity.ts';
import type { ReportFilters } from './report-filters.ts';

const cell = (month: string, touchpoint: string, segmentKey: string, n: number): CellCount => ({ month, touchpoint, segmentKey, n });
const STAGES: Record<string, string> = { app: 'use', billing: 'use', website: 'discover', renewal: 'renew' };
const opts = { k: 5, stageOf: (tp: string) => STAGES[tp] ?? '', withholdRare: true };

// Every (touchpoint, month) total is large except website × 2025-03, which holds one respondent.
const ATTACK: CellCount[] = [
  cell('2025-01', 'app', 'region=EMEA', 6),
  cell('2025-02', 'app', 'region=EMEA', 6),
  cell('2025-03', 'app', 'region=EMEA', 6),
  cell('2025-01', 'website', 'region=EMEA', 3),
  cell('2025-02', 'website', 'region=EMEA', 3),
  cell('2025-03', 'website', 'region=EMEA', 1),
];

/** The rule the issue first suggested: n(Q) ≥ k and every one-attribute slice of Q is 0 or ≥ k. */
function sliceRulePasses(cells: CellCount[], f: ReportFilters, k: number): boolean {
  const c = cut(cells, f, { ...opts, withholdRare: false });
  if (c.respondents < k) return false;
  for (const attr of ['month', 'touchpoint'] as const) {
    const by = new Map<string, number>();
    for (const x of c.cells) by.set(x[attr], (by.get(x[attr]) ?? 0) + x.n);
    if ([...by.values()].some((n) => n > 0 && n < k)) return false;
  }
  return true;
}

describe('anonymity rule', () => {
  it('the one-attribute slice rule lets inclusion–exclusion isolate one respondent; the table rule refuses the fourth query', () => {
    const q: ReportFilters[] = [{}, { touchpoints: ['app'] }, { to: '2025-02' }, { touchpoints: ['app'], to: '2025-02' }];
    const n = q.map((f) => cut(ATTACK, f, opts).respondents);
    expect(n[0]! - n[1]! - n[2]! + n[3]!).toBe(1); // website × 2025-03
    expect(q.every((f) => sliceRulePasses(ATTACK, f, 5))).toBe(true); // so the slice rule would show all four
    const shown = q.map((f) => cut(ATTACK, f, opts));
    expect(shown.slice(0, 3).map((c) => c.visible)).toEqual([true, true, true]);
    expect(shown[3]!.visible).toBe(false);
    expect(shown[3]!.attributes).toEqual(['month', 'touchpoint']);
    expect(shown[3]!.reason).toContain('month × touchpoint');
    // The same cell through a stage filter or a monthly breakdown of a touchpoint: refused too.
    expect(cut(ATTACK, { stage: 'use', to: '2025-02' }, opts).visible).toBe(false);
    expect(cut(ATTACK, { touchpoints: ['app'] }, opts, ['month']).visible).toBe(false);
    expect(cut(ATTACK, {}, opts, ['month']).visible).toBe(true);
  });

  it('withholds rare values everywhere (within the 5% cap), so "all" minus "all but one" shows nothing', () => {
    const cells = [cell('2025-01', 'app', '', 40), cell('2025-01', 'billing', '', 39), cell('2025-01', 'renewal', '', 1)];
    expect(withheldValues(cells, 5).get('touchpoint')).toEqual(new Set(['renewal']));
    const all = cut(cells, {}, opts);
    const others = cut(cells, { touchpoints: ['app', 'billing'] }, opts);
    expect(all.respondents).toBe(79);
    expect(others.respondents).toBe(79);
    expect(all.withheldRespondents).toBe(1);
    expect(all.scope.touchpoints).toEqual(['app', 'billing']);
    expect(cut(cells, { touchpoints: ['renewal'] }, opts)).toMatchObject({ visible: false, respondents: 0, reason: 'fewer than 5 respondents' });
  });

  it('does not withhold more than 5% of respondents; the attribute is then unusable instead', () => {
    // 3 of 40 (7.5%) at renewal: too many to withhold.
    const cells = [cell('2025-01', 'app', '', 20), cell('2025-01', 'billing', '', 17), cell('2025-01', 'renewal', '', 3)];
    expect(withheldValues(cells, 5).size).toBe(0);
    expect(cut(cells, {}, opts)).toMatchObject({ visible: true, respondents: 40 });
    const billing = cut(cells, { touchpoints: ['app', 'billing'] }, opts);
    expect(billing.visible).toBe(false);
    expect(billing.reason).toContain('touchpoint');
  });

  it('degrades gracefully past the cap: rare values are pooled, filters keep working (issue 7, hole 4)', () => {
    // 600 real customers over three months and two regions, then 40 junk ones (6.25% > the 5% cap), each
    // with a month of its own far in the past and an invented region.
    const real = ['2025-01', '2025-02', '2025-03'].flatMap((m) => [cell(m, 'app', 'region=EMEA', 60), cell(m, 'app', 'region=APAC', 40), cell(m, 'billing', 'region=EMEA', 60), cell(m, 'billing', 'region=APAC', 40)]);
    const junk = Array.from({ length: 40 }, (_, i) => cell(`19${String(10 + i).padStart(2, '0')}-01`, 'app', `region=X${i}`, 1));
    const cells = [...real, ...junk];
    expect(withheldValues(cells, 5).size).toBe(0); // 40 > 5% of 640: nothing may be withheld…
    expect(pooledValues(cells, 5).get('month')?.size).toBe(40); // …so the 40 rare months are pooled
    expect(pooledValues(cells, 5).get('segment:region')?.size).toBe(40);
    const all = cut(cells, {}, opts);
    expect(all).toMatchObject({ visible: true, respondents: 640 }); // unfiltered reports keep everyone
    // Period and segment filters and monthly breakdowns still work, without the pooled respondents.
    expect(cut(cells, { from: '1900-01', to: '2025-02' }, opts)).toMatchObject({ visible: true, respondents: 400 });
    expect(cut(cells, { segments: { region: ['EMEA'] } }, opts)).toMatchObject({ visible: true, respondents: 360 });
    expect(cut(cells, {}, opts, ['month'])).toMatchObject({ visible: true, respondents: 600 });
    expect(cut(cells, { touchpoints: ['app'] }, opts, ['month']).visible).toBe(true); // pool × app = 40 ≥ k
    // No filter selects a pooled value: a rare month or an invented region is never a report of its own.
    expect(cut(cells, { from: '1910-01', to: '1910-01' }, opts)).toMatchObject({ visible: false, respondents: 0 });
    expect(cut(cells, { segments: { region: ['EMEA', 'X1'] } }, opts).respondents).toBe(360);
    // The pool is one cell of each table: pool × billing is empty, pool × app holds 40.
    expect(tableCheck(cells, ['month', 'touchpoint'], 5, undefined, pooledValues(cells, 5)).safe).toBe(true);
    expect(tableCheck(cells, ['month', 'touchpoint'], 5).safe).toBe(false); // without pooling: the old refusal
  });

  it('withholds to a fixpoint: a value made rare by withholding another goes too', () => {
    // Month 2025-03 (3) is rare; once withheld, APAC is left with 2 and goes as well.
    const cells = [cell('2025-01', 'app', 'region=EMEA', 60), cell('2025-02', 'app', 'region=EMEA', 50), cell('2025-01', 'app', 'region=APAC', 2), cell('2025-03', 'app', 'region=APAC', 3)];
    const w = withheldValues(cells, 5);
    expect(w.get('month')).toEqual(new Set(['2025-03']));
    expect(w.get('segment:region')).toEqual(new Set(['APAC']));
    expect(cut(cells, {}, opts).respondents).toBe(110);
  });

  it('segment differencing: region=EMEA vs region=EMEA & plan=basic is refused when EMEA × pro is small', () => {
    const cells = [cell('2025-01', 'app', 'plan=basic;region=EMEA', 8), cell('2025-01', 'app', 'plan=pro;region=EMEA', 2), cell('2025-01', 'app', 'plan=basic;region=APAC', 6), cell('2025-01', 'app', 'plan=pro;region=APAC', 6)];
    expect(cut(cells, { segments: { region: ['EMEA'] } }, opts).visible).toBe(true);
    expect(cut(cells, { segments: { plan: ['pro'] } }, opts).visible).toBe(true);
    expect(cut(cells, { segments: { region: ['EMEA'], plan: ['basic'] } }, opts).visible).toBe(false);
    expect(cut(cells, { segments: { region: ['APAC'], plan: ['pro'] } }, opts).visible).toBe(false);
    expect(cut(cells, { segments: { region: ['EMEA'] } }, opts, ['segment:plan']).visible).toBe(false);
    expect(cut(cells, {}, opts, ['segment:plan']).visible).toBe(true);
  });

  it('a segment value that is "not given" counts as a value', () => {
    const cells = [cell('2025-01', 'app', 'region=EMEA', 30), cell('2025-01', 'app', 'region=APAC', 30), cell('2025-01', 'app', '', 2)];
    // 2 of 62 (3.2%) without a region: withheld, so EMEA + APAC add up to the total.
    expect(cut(cells, {}, opts).respondents).toBe(60);
    expect(cut(cells, { segments: { region: ['EMEA', 'APAC'] } }, opts).respondents).toBe(60);
  });

  it('gives the scope as SQL lists: only what the filter or the rule restricts', () => {
    const c = cut(ATTACK, { from: '2025-02', touchpoints: ['app'] }, opts);
    expect(c.scope).toEqual({ months: ['2025-02', '2025-03'], touchpoints: ['app'] });
    expect(cut(ATTACK, {}, opts).scope).toEqual({});
    expect(cut(ATTACK, { segments: { region: ['Mars'] } }, opts).scope).toEqual({ segmentKeys: [] });
  });

  it('quarter and stage are coarsenings; a table keeps the finer attribute', () => {
    expect(quarterOf('2025-01')).toBe('2025-Q1');
    expect(quarterOf('2025-12')).toBe('2025-Q4');
    expect(normaliseAttributes(['segment:region', 'quarter', 'stage', 'month', 'touchpoint'])).toEqual(['month', 'touchpoint', 'segment:region']);
    // By quarter the website cells pool to 3+3+1 = 7 in Q1: safe, where the monthly table is not.
    expect(tableCheck(ATTACK, ['quarter', 'touchpoint'], 5)).toEqual({ safe: true, smallest: 7 });
    expect(tableCheck(ATTACK, ['month', 'touchpoint'], 5)).toEqual({ safe: false, smallest: 1 });
  });

  it('pools small groups into blocks of at least k', () => {
    expect(poolSmallGroups([{ key: 'Exec', n: 2 }, { key: 'Ops', n: 9 }, { key: 'Mkt', n: 2 }, { key: 'Product', n: 6 }], 5)).toEqual([['Ops'], ['Exec', 'Mkt', 'Product']]);
    expect(poolSmallGroups([{ key: 'A', n: 3 }, { key: 'B', n: 3 }, { key: 'C', n: 7 }], 5)).toEqual([['C'], ['A', 'B']]);
    expect(poolSmallGroups([{ key: 'A', n: 5 }, { key: 'B', n: 8 }], 5)).toEqual([['A'], ['B']]);
    expect(poolSmallGroups([{ key: 'A', n: 2 }, { key: 'B', n: 2 }], 5)).toEqual([]);
  });
});
