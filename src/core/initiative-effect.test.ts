// The initiative effect's statistics against reference values computed independently with numpy 2.4 and
// scipy 1.17.1 (the one-liners beside each value), and its windows, goal verdicts and validation.
import { describe, it, expect } from 'vitest';
import { effectWindows, initiativeEffect, type EffectInput, type GroupFigure, type Change } from './initiative-effect.ts';
import { InitiativeFields, checkInitiative } from './initiative.ts';

// Histograms (value → count) of a 1–5 rating. In Python: raw[g] = np.repeat(list(H[g]), list(H[g].values())).
const H = {
  A0: { 1: 3, 2: 8, 3: 14, 4: 9, 5: 4 },
  A1: { 2: 4, 3: 10, 4: 15, 5: 8 },
  B0: { 1: 2, 2: 9, 3: 16, 4: 10, 5: 3 },
  B1: { 1: 3, 2: 8, 3: 15, 4: 11, 5: 4 },
  L0: { 3: 2, 4: 10, 5: 8 },
  L1: { 3: 4, 4: 10, 5: 6 },
};
const windows = { months: 3, requestedMonths: 3, before: { from: '2025-01', to: '2025-03' }, after: { from: '2025-04', to: '2025-06' }, transitionMonth: null };
const input = (metric: 'dimension' | 'excellence', over: Partial<EffectInput> = {}): EffectInput => ({
  metric,
  label: metric === 'dimension' ? 'communication' : 'excellence share',
  where: 'at billing',
  windows,
  k: 5,
  target: { before: { histogram: H.A0 }, after: { histogram: H.A1 } },
  comparison: { touchpoints: ['app'], before: { histogram: H.B0 }, after: { histogram: H.B1 } },
  leaders: { before: { histogram: H.L0 }, after: { histogram: H.L1 } },
  goal: { measure: 'customers', direction: 'increase', size: 0.5 },
  ...over,
});
const shown = <T>(x: T | { shown: false; reason: string }): T => {
  if ((x as { shown: boolean }).shown === false) throw new Error(`hidden: ${(x as { reason: string }).reason}`);
  return x as T;
};

describe('initiativeEffect on means', () => {
  const e = initiativeEffect(input('dimension'));
  it('gives each window its mean and t interval', () => {
    const a0 = shown<GroupFigure>(e.target.before);
    // stats.t.interval(0.95, 37, loc=raw['A0'].mean(), scale=stats.sem(raw['A0'])) -> (2.7174139948611296, 3.4404807419809758)
    expect(a0.n).toBe(38);
    expect(a0.ci95[0]).toBeCloseTo(2.7174139948611296, 8);
    expect(a0.ci95[1]).toBeCloseTo(3.4404807419809758, 8);
  });
  it('gives the before/after change as Welch would', () => {
    const c = shown<Change>(e.target.change);
    // stats.ttest_ind(raw['A1'], raw['A0'], equal_var=False) -> t=2.7665650427353152, p=0.007201848498733835, df=71.65414147534054
    // est ± stats.t.ppf(0.975, df)·se -> (0.18181890022375174, 1.1197458223936025)
    expect(c.estimate).toBeCloseTo(0.6507823613086772, 12);
    expect(c.estimate / c.se).toBeCloseTo(2.7665650427353152, 9);
    expect(c.df!).toBeCloseTo(71.65414147534054, 8);
    expect(c.pValue).toBeCloseTo(0.007201848498733835, 8);
    expect(c.ci95[0]).toBeCloseTo(0.18181890022375174, 7);
    expect(c.ci95[1]).toBeCloseTo(1.1197458223936025, 7);
  });
  it('gives the DiD with the four groups\' variances and the Welch–Satterthwaite df', () => {
    const comparison = e.comparison;
    if (!comparison.shown) throw new Error(comparison.reason);
    const did = shown<Change>(comparison.did);
    // vs = [raw[g].var(ddof=1)/len(raw[g]) for g in A1 A0 B1 B0]; se = sqrt(sum(vs)); df = sum(vs)**2/sum(v*v/(n-1))
    // -> est 0.6038311417964821, se 0.3293572705452067, df 149.75561511060192,
    //    ci (-0.0469562812772627, 1.2546185648702268), p = 2*stats.t.sf(est/se, df) = 0.06873424726114132
    expect(did.estimate).toBeCloseTo(0.6038311417964821, 12);
    expect(did.se).toBeCloseTo(0.3293572705452067, 12);
    expect(did.df!).toBeCloseTo(149.75561511060192, 8);
    expect(did.ci95[0]).toBeCloseTo(-0.0469562812772627, 7);
    expect(did.ci95[1]).toBeCloseTo(1.2546185648702268, 7);
    expect(did.pValue).toBeCloseTo(0.06873424726114132, 7);
  });
  it('splits the gap change into the customers\' and the leaders\' parts', () => {
    const g = shown<Change>(e.gap.change);
    // same over (L1, −L0, −A1, +A0): est -0.8507823613086773, se 0.32047172948014896, df 103.16273908511775,
    //   ci (-1.486350535882956, -0.21521418673439863)
    expect(g.estimate).toBeCloseTo(-0.8507823613086773, 12);
    expect(g.se).toBeCloseTo(0.32047172948014896, 12);
    expect(g.df!).toBeCloseTo(103.16273908511775, 8);
    expect(g.ci95[0]).toBeCloseTo(-1.486350535882956, 7);
    expect(g.ci95[1]).toBeCloseTo(-0.21521418673439863, 7);
    // ΔL = 4.1 − 4.3 = −0.2; −ΔC = −0.6507…; they add up to the gap change.
    expect(e.gap.leaderPart!).toBeCloseTo(-0.2, 12);
    expect(e.gap.customerPart! + e.gap.leaderPart!).toBeCloseTo(g.estimate, 12);
  });
  it('judges the goal on the DiD, not on the raw change', () => {
    expect(e.goal.basis).toBe('difference-in-differences');
    expect(e.goal.achieved).toBeCloseTo(0.6038311417964821, 12);
    expect(e.goal.progress).toBeCloseTo(0.6038311417964821 / 0.5, 12);
    expect(e.goal.verdict).toBe('unclear'); // the interval covers 0
    expect(e.summary.join(' ')).toMatch(/no effect beyond what moved everywhere/);
    const gapGoal = initiativeEffect(input('dimension', { goal: { measure: 'gap', direction: 'narrow', size: 0.2 } })).goal;
    expect(gapGoal.basis).toBe('gap-change');
    expect(gapGoal.achieved).toBeCloseTo(0.8507823613086773, 12);
    expect(gapGoal.ci95![0]).toBeCloseTo(0.21521418673439863, 7);
    expect(gapGoal.verdict).toBe('reached'); // the lower bound 0.215 ≥ 0.2
  });
});

describe('initiativeEffect on shares', () => {
  it('gives the DiD on proportions with the normal quantile', () => {
    // top-two shares x/n: p = (raw[g] >= 4).mean(); v = p(1−p)/n; est = pA1 − pA0 − pB1 + pB0; se = sqrt(Σv)
    // z = stats.norm.ppf(0.975) -> est 0.2386626999271415, se 0.15304535466323496,
    //   ci (-0.06130068321395821, 0.5386260830682412), p = 2*stats.norm.sf(est/se) = 0.11889590381161964
    const e = initiativeEffect(input('excellence', { goal: { measure: 'customers', direction: 'increase', size: 5 } }));
    if (!e.comparison.shown) throw new Error('hidden');
    const did = shown<Change>(e.comparison.did);
    expect(did.estimate).toBeCloseTo(0.2386626999271415, 12);
    expect(did.se).toBeCloseTo(0.15304535466323496, 12);
    expect(did.df).toBeNull();
    expect(did.ci95[0]).toBeCloseTo(-0.06130068321395821, 9);
    expect(did.ci95[1]).toBeCloseTo(0.5386260830682412, 9);
    expect(did.pValue).toBeCloseTo(0.11889590381161964, 8);
    expect(e.goal.size).toBeCloseTo(0.05, 12); // 5 points
  });
});

describe('anonymity and missing groups', () => {
  it('reports a small or hidden window as too small and shows nothing built on it', () => {
    const e = initiativeEffect(
      input('dimension', {
        target: { before: { histogram: { 3: 2, 4: 2 } }, after: { histogram: H.A1 } },
        comparison: { touchpoints: ['app'], before: { hidden: 'combining month × touchpoint leaves groups of fewer than 5 respondents' }, after: { histogram: H.B1 } },
      }),
    );
    expect(e.target.before).toEqual({ shown: false, reason: 'fewer than 5 answers' });
    expect(e.target.change.shown).toBe(false);
    expect(JSON.stringify(e)).not.toMatch(/"n":4[,}]/);
    if (!e.comparison.shown) throw new Error('hidden');
    expect(e.comparison.did).toEqual({ shown: false, reason: 'target before: fewer than 5 answers' });
    expect(e.comparison.before.shown).toBe(false);
    expect(e.goal.verdict).toBe('not-measurable');
  });
  it('says plainly when there is nothing untouched to compare with', () => {
    const e = initiativeEffect(input('dimension', { comparison: { none: 'the initiative touches every touchpoint' } }));
    expect(e.comparison).toEqual({ shown: false, reason: 'the initiative touches every touchpoint' });
    expect(e.goal.basis).toBe('before-after');
    expect(e.summary.join(' ')).toMatch(/association/);
  });
});

describe('effectWindows', () => {
  const months = (from: string, n: number) => Array.from({ length: n }, (_, i) => { const d = new Date(Date.UTC(Number(from.slice(0, 4)), Number(from.slice(5)) - 1 + i, 1)); return d.toISOString().slice(0, 7); });
  it('takes the same whole months before and after; a mid-month start leaves its month out', () => {
    expect(effectWindows('2025-04-01', null, 90, months('2024-01', 24))).toMatchObject({ months: 3, before: { from: '2025-01', to: '2025-03' }, after: { from: '2025-04', to: '2025-06' }, transitionMonth: null });
    expect(effectWindows('2025-04-15', null, 90, months('2024-01', 24))).toMatchObject({ months: 3, before: { from: '2025-01', to: '2025-03' }, after: { from: '2025-05', to: '2025-07' }, transitionMonth: '2025-04' });
    expect(effectWindows('2025-04-01', null, 365, months('2024-01', 30))).toMatchObject({ months: 12, requestedMonths: 12 });
  });
  it('is bounded by the data and by the end', () => {
    // Two months of data after the start: both windows shrink to 2.
    expect(effectWindows('2025-04-01', null, 90, months('2024-01', 17))).toMatchObject({ months: 2, before: { from: '2025-02', to: '2025-03' }, after: { from: '2025-04', to: '2025-05' } });
    expect(effectWindows('2025-04-01', '2025-04-30', 90, months('2024-01', 24))).toMatchObject({ months: 1 });
    expect(effectWindows('2025-04-01', null, 90, months('2025-04', 5))).toEqual({ reason: 'no customer answers before the start (2025-04-01) to compare with' });
    expect(effectWindows('2026-04-01', null, 90, months('2025-04', 5))).toHaveProperty('reason');
  });
});

describe('checkInitiative', () => {
  const org = { dimensions: [{ key: 'communication', customer: true }, { key: 'ai_readiness', customer: false }], touchpoints: ['billing', 'app', 'website'] };
  const parse = (x: unknown) => InitiativeFields.parse(x);
  it('names each bad field', () => {
    const f = parse({ title: 'x', metric: 'dimension', dimension: 'ai_readiness', touchpoints: ['billing', 'nowhere'], comparison: ['billing'], start: '2025-04-01', end: '2025-03-01', goal: { measure: 'customers', direction: 'increase', size: 5 } });
    expect(checkInitiative(f, org).map((p) => p.field).sort()).toEqual(['comparison.0', 'dimension', 'end', 'goal.size', 'touchpoints.1']);
    expect(checkInitiative(parse({ title: 'x', metric: 'excellence', start: '2025-04-01', comparison: ['app'], goal: { measure: 'gap', direction: 'narrow', size: 5 } }), org).map((p) => p.field)).toEqual(['comparison']);
    expect(checkInitiative(parse({ title: 'x', metric: 'dimension', dimension: 'communication', touchpoints: ['billing'], start: '2025-04-01', goal: { measure: 'gap', direction: 'narrow', size: 0.5 } }), org)).toEqual([]);
    expect(InitiativeFields.safeParse({ title: 'x', metric: 'excellence', start: '2025-02-30', goal: { measure: 'gap', direction: 'narrow', size: 5 } }).success).toBe(false);
  });
});
