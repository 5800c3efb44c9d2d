import { describe, it, expect } from 'vitest';
import { calibrationReport, calibrationErrors } from './calibration.ts';
import type { Dimension } from '../framework.ts';
import type { SideAggregate } from '../gap-report.ts';

const FW: Dimension[] = [
  { key: 'speed', label: 'Speed', customerItem: 'How fast?', leaderItem: 'How fast, say customers?', source: 'custom' },
  { key: 'care', label: 'Care', customerItem: 'How caring?', leaderItem: 'How caring, say customers?', source: 'custom' },
  { key: 'ai', label: 'AI', customerItem: null, leaderItem: 'AI ready?', source: 'custom' },
];
const ORG = { id: 'o', name: 'O', industry: 'other', minResponses: 2 };
// Customers: speed mean 3 (2,3,4), care mean 2 (1,2,3); 1 of 3 excellent (4+) → share 1/3.
const customers: SideAggregate = { respondents: 3, items: { 'dim:speed': { 2: 1, 3: 1, 4: 1 }, 'dim:care': { 1: 1, 2: 1, 3: 1 }, excellent: { 4: 1, 2: 2 } } };
const leader = (speed: number, care: number, share: number) => ({ 'dim:speed': speed, 'dim:care': care, 'dim:ai': 5, 'predict:excellent_share': share });
const L = [leader(4, 3, 60), leader(3, 2, 30), leader(5, 4, 80)];
const sideOf = (ls: Record<string, number>[]): SideAggregate => {
  const items: SideAggregate['items'] = {};
  for (const l of ls) for (const [k, v] of Object.entries(l)) (items[k] ??= {})[v] = (items[k]![v] ?? 0) + 1;
  return { respondents: ls.length, items };
};

describe('leader calibration', () => {
  it('computes MAE, signed error, Brier and direction by hand', () => {
    // Leader 1: |4−3| + |3−2| = 2 over 2 → MAE 1, signed +1; share 60 vs 33.33 → error 26.67 points, Brier (0.6 − 1/3)² = 0.0711…
    const e = calibrationErrors((item) => (L[0]![item as keyof (typeof L)[0]] === undefined ? [] : [L[0]![item as keyof (typeof L)[0]]]), {
      share: 1 / 3,
      dims: new Map([['dim:speed', 3], ['dim:care', 2]]),
    });
    expect(e.dimensionsMae).toBe(1);
    expect(e.dimensionsSignedError).toBe(1);
    expect(e.dimensionsDirection).toBe('over-confident');
    expect(e.excellenceMae).toBeCloseTo(60 - 100 / 3, 12);
    expect(e.brier).toBeCloseTo((0.6 - 1 / 3) ** 2, 14);
    expect(e.direction).toBe('over-confident');
  });

  it('ranks groups and anonymous leaders, best first; the team pools every prediction', () => {
    const r = calibrationReport({
      organisation: ORG,
      framework: FW,
      filters: {},
      groupBy: 'function',
      customers,
      team: sideOf(L),
      groups: [{ members: ['Ops'], side: sideOf([L[0]!, L[2]!]) }, { members: ['Exec', 'Sales'], side: sideOf([L[1]!]) }],
      leaders: L.map((answers) => ({ answers })),
      hidden: { customers: null, leaders: null, groups: null },
    });
    // Team: dimension errors |4−3|,|3−2|,|3−3|,|2−2|,|5−3|,|4−2| = 1,1,0,0,2,2 → MAE 1; share errors 26.67, −3.33, 46.67 → MAE 25.56
    expect(r.team).toMatchObject({ leaders: 3, dimensionsMae: 1, dimensionsSignedError: 1 });
    if ('suppressed' in r.team) throw new Error('team suppressed');
    expect(r.team.excellenceMae).toBeCloseTo((80 / 3 + 10 / 3 + 140 / 3) / 3, 12);
    expect(r.team.excellenceSignedError).toBeCloseTo((80 / 3 - 10 / 3 + 140 / 3) / 3, 12);
    expect(r.actual).toEqual({ excellentShare: 1 / 3, dimensions: { speed: 3, care: 2 } });
    if ('suppressed' in r.groups) throw new Error('groups suppressed');
    expect(r.groups.map((g) => [g.rank, g.group, g.pooled, g.dimensionsMae])).toEqual([
      [1, 'Exec + Sales', true, 0],
      [2, 'Ops', false, 1.5],
    ]);
    if ('suppressed' in r.leaders) throw new Error('leaders suppressed');
    expect(r.leaders.ranked.map((l) => l.dimensionsMae)).toEqual([0, 1, 2]);
    expect(Object.keys(r.leaders.ranked[0]!)).not.toContain('respondentId');
  });

  it('lists individuals only when at least k identified leaders answered', () => {
    const r = calibrationReport({
      organisation: { ...ORG, minResponses: 3 },
      framework: FW,
      filters: {},
      groupBy: 'function',
      customers,
      team: sideOf(L),
      groups: [],
      leaders: L.slice(0, 2).map((answers) => ({ answers })),
      hidden: { customers: null, leaders: null, groups: null },
    });
    expect(r.leaders).toEqual({ suppressed: true, reason: 'fewer than 3 identified leaders: individual results could be told apart' });
    expect(r.team).toMatchObject({ leaders: 3 });
  });
});
