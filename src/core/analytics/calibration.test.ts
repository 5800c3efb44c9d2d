import { describe, it, expect } from 'vitest';
import { calibrationReport, calibrationErrors, errorBands } from './calibration.ts';
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
    // No row per leader (issue 7, hole 5): the spread only, every band ≥ k.
    if ('suppressed' in r.leaders) throw new Error('leaders suppressed');
    // Dimension MAEs 1, 0, 2: numpy.quantile([0, 1, 2], [.25, .5, .75]) = [0.5, 1, 1.5].
    expect(r.leaders.quartiles.dimensionsMae).toEqual({ q1: 0.5, median: 1, q3: 1.5 });
    // Headline MAEs |60−33.3|, |30−33.3|, |80−33.3|: numpy.quantile([3.333, 26.667, 46.667], [.25, .5, .75]) = [15, 26.67, 36.67] → whole points.
    expect(r.leaders.quartiles.excellenceMae).toEqual({ q1: 15, median: 27, q3: 37 });
    expect(r.leaders.bands.every((b) => b.leaders >= 2)).toBe(true);
    expect(r.leaders.bands.reduce((s, b) => s + b.leaders, 0)).toBe(3);
    expect(JSON.stringify(r.leaders)).not.toContain('rank');
    expect(r.you).toBeNull();
  });

  it("gives a logged-in leader their own line and band, and no one else's", () => {
    const input = {
      organisation: ORG,
      framework: FW,
      filters: {},
      groupBy: 'function',
      customers,
      team: sideOf(L),
      groups: [],
      leaders: L.map((answers, i) => ({ respondentId: `r${i}`, answers })),
      hidden: { customers: null, leaders: null, groups: null },
    };
    const mine = calibrationReport({ ...input, self: 'r1' });
    expect(mine.you).toMatchObject({ dimensionsMae: 0, dimensionsSignedError: 0 });
    expect(mine.you!.band).toBe(('suppressed' in mine.leaders ? [] : mine.leaders.bands)[0]!.band);
    expect(calibrationReport({ ...input, self: 'someone-else' }).you).toBeNull();
  });

  it('bands merge until every band holds at least k, at most one per edge', () => {
    const maes = [0.1, 0.1, 0.1, 0.3, 0.6, 0.6, 0.6, 0.9, 2, null];
    const bands = errorBands(maes, 3);
    expect(bands.map((b) => b.leaders)).toEqual([4, 3, 3]);
    expect(bands.map((b) => [b.from, b.to])).toEqual([[0, 0.5], [0.5, 0.75], [0.75, null]]);
    expect(errorBands(Array(1000).fill(0.3), 5)).toHaveLength(1);
    expect(errorBands([...Array(500).fill(0.1), ...Array(500).fill(3)], 5)).toHaveLength(2);
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
