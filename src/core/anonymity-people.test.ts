// The anonymity rule over cells that name their people (feedback authors, issue 9): every group counts the
// distinct people of its cells, so a person in several cells is one, while cells without `people` keep summing n.
import { describe, it, expect } from 'vitest';
import { cut, groupCells, tableCheck, withheldValues, type CellCount } from './anonymity.ts';

const cell = (month: string, touchpoint: string, people: number[]): CellCount => ({ month, touchpoint, segmentKey: '', n: people.length, people });

describe('anonymity over cells with people', () => {
  it('counts a person once across the cells of a group', () => {
    // Two people, each in three months: six (cell, person) pairs, two people.
    const cells = ['2025-01', '2025-02', '2025-03'].map((m) => cell(m, 'billing', [0, 1]));
    const c = cut(cells, {}, { k: 5, stageOf: () => '', withholdRare: true });
    expect([c.visible, c.respondents, c.reason]).toEqual([false, 2, 'fewer than 5 respondents']);
    expect(groupCells(cells, 'touchpoint')).toEqual(new Map([['billing', 2]]));
    expect(tableCheck(cells, ['touchpoint'], 5)).toEqual({ safe: false, smallest: 2 });
  });

  it('shows a group of k distinct people, and refuses a table whose cell holds fewer', () => {
    // Six people in January at billing; people 0 and 1 again in February at delivery.
    const cells = [cell('2025-01', 'billing', [0, 1, 2, 3, 4, 5]), cell('2025-02', 'delivery', [0, 1])];
    const all = cut(cells, {}, { k: 5, stageOf: () => '', withholdRare: false });
    expect([all.visible, all.respondents]).toEqual([true, 6]); // not 8
    expect(tableCheck(cells, ['month'], 5)).toEqual({ safe: false, smallest: 2 });
    expect(cut(cells, {}, { k: 5, stageOf: () => '', withholdRare: false }, ['month']).visible).toBe(false);
  });

  it('withholds a rare value by its distinct people', () => {
    // 40 people in January; February holds 3 items of one person (1 of 40 = 2.5 % ≤ the 5 % cap): withheld.
    const cells = [cell('2025-01', 'billing', Array.from({ length: 40 }, (_, i) => i)), cell('2025-02', 'billing', [7]), cell('2025-02', 'delivery', [7])];
    expect(withheldValues(cells, 5).get('month')).toEqual(new Set(['2025-02']));
    const c = cut(cells, {}, { k: 5, stageOf: () => '', withholdRare: true });
    expect([c.respondents, c.withheldRespondents]).toEqual([40, 0]); // person 7 is still counted in January
  });

  it('sums n when cells carry no people (responses)', () => {
    const cells: CellCount[] = [{ month: '2025-01', touchpoint: 'a', segmentKey: '', n: 3 }, { month: '2025-02', touchpoint: 'a', segmentKey: '', n: 3 }];
    expect(cut(cells, {}, { k: 5, stageOf: () => '', withholdRare: false }).respondents).toBe(6);
  });
});
