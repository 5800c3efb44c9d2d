// Leadership groups (a leader segment such as `function`) as the calibration and driver-perception reports
// show them: with a period filter each (month, group) cell must be safe or no group is shown; without one,
// groups smaller than k are pooled into blocks of at least k; beyond `max` blocks the smallest are pooled
// (a bounded answer). Each block comes with the leaders' answer counts summed over its members.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { SideAggregate } from '../core/gap-report.ts';
import { groupCells, poolSmallGroups, type Attribute, type Cut } from '../core/anonymity.ts';
import { parseSegmentKey } from '../core/survey.ts';
import { foldHistograms, loadHistograms } from '../store/analytics-data.ts';
import { leaderCut, type ReportContext } from './report-context.ts';

export interface LeaderGroups {
  /** Each block's members ('(not given)' for leaders without the segment) and their pooled answers. */
  groups: { members: string[]; side: SideAggregate }[];
  /** Why no group is shown, when a period filter leaves a cell below k. */
  hidden: string | null;
}

/** The blocks of `groupBy` within the leaders' cut `lCut`; none read when `skip` (the leaders are hidden). */
export async function leaderGroups(db: Kysely<Database>, ctx: ReportContext, filters: ReportFilters, lCut: Cut, groupBy: string, max: number, skip: boolean): Promise<LeaderGroups> {
  const k = ctx.org.minResponses;
  const attr: Attribute = `segment:${groupBy}`;
  let hidden: string | null = null;
  let blocks: string[][] = [];
  if (filters.from || filters.to) {
    const gCut = leaderCut(ctx, filters, [attr]);
    if (gCut.visible) blocks = [...groupCells(gCut.cells, attr).keys()].sort().map((v) => [v]);
    else hidden = gCut.reason;
  } else blocks = poolSmallGroups([...groupCells(lCut.cells, attr)].map(([key, n]) => ({ key, n })), k);
  blocks = capBlocks(blocks, groupCells(lCut.cells, attr), max);
  if (!blocks.length || skip) return { groups: [], hidden };
  const byGroup = foldHistograms(await loadHistograms(db, ctx.org.id, 'leader', lCut.scope, ['segment_key']), (g) => parseSegmentKey(g.segment_key)[groupBy] ?? '');
  return { groups: blocks.map((members) => ({ members: members.map((m) => m || '(not given)'), side: mergeSides(members.map((m) => byGroup.get(m))) })), hidden };
}

/** Pools the two smallest blocks until at most `max` are left (each block already holds ≥ k). */
function capBlocks(blocks: string[][], sizes: Map<string, number>, max: number): string[][] {
  const size = (b: string[]) => b.reduce((s, m) => s + (sizes.get(m) ?? 0), 0);
  const out = blocks.map((b) => [...b]);
  while (out.length > max) {
    out.sort((a, b) => size(a) - size(b) || a.join().localeCompare(b.join()));
    const [a, b] = out.splice(0, 2);
    out.push([...a!, ...b!].sort());
  }
  return out;
}

/** The sum of several sides' answer counts (a pooled block of groups). */
function mergeSides(sides: (SideAggregate | undefined)[]): SideAggregate {
  const out: SideAggregate = { respondents: 0, items: {} };
  for (const s of sides) {
    if (!s) continue;
    out.respondents += s.respondents;
    for (const [item, h] of Object.entries(s.items)) {
      const into = (out.items[item] ??= {});
      for (const [v, c] of Object.entries(h)) into[Number(v)] = (into[Number(v)] ?? 0) + c;
    }
  }
  return out;
}
