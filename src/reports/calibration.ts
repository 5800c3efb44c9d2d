// The calibration report: how well each leadership group predicts what customers say, within the cut.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { SideAggregate } from '../core/gap-report.ts';
import { groupCells, poolSmallGroups, type Attribute } from '../core/anonymity.ts';
import { parseSegmentKey } from '../core/survey.ts';
import { calibrationReport, type CalibrationReport } from '../core/analytics/calibration.ts';
import { foldHistograms, loadHistograms, loadLeaderAnswers } from '../store/analytics-data.ts';
import { reportContext, periodOnly, customerCut, leaderCut, hiddenReason, sideOf, orgOf } from './report-context.ts';

type Db = Kysely<Database>;

/** Most leadership groups a calibration report lists: beyond it the smallest blocks are pooled (a bounded answer). */
export const MAX_CALIBRATION_GROUPS = 40;

/**
 * `self`: the caller's respondent id on the leader survey (a logged-in member), for their own line; no
 * one else's line is ever returned (core/analytics/calibration.ts).
 */
export async function calibrationFor(db: Db, orgId: string, filters: ReportFilters, groupBy: string, self: string | null = null): Promise<CalibrationReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const k = ctx.org.minResponses;
  const period = periodOnly(filters);
  const cCut = customerCut(ctx, period);
  const lCut = leaderCut(ctx, period);
  const groupAttr: Attribute = `segment:${groupBy}`;
  const hidden = { customers: hiddenReason(cCut, k), leaders: hiddenReason(lCut, k), groups: null as string | null };
  // Groups: with a period filter every (month, group) cell must be safe; without one, small groups are pooled.
  let blocks: string[][] = [];
  if (period.from || period.to) {
    const gCut = leaderCut(ctx, period, [groupAttr]);
    if (gCut.visible) blocks = [...groupCells(gCut.cells, groupAttr).keys()].sort().map((v) => [v]);
    else hidden.groups = gCut.reason;
  } else {
    blocks = poolSmallGroups(
      [...groupCells(lCut.cells, groupAttr)].map(([key, n]) => ({ key, n })),
      k,
    );
  }
  blocks = capBlocks(blocks, groupCells(lCut.cells, groupAttr), MAX_CALIBRATION_GROUPS);
  const [customers, team, byGroup, leaders] = await Promise.all([
    sideOf(db, orgId, 'customer', cCut, k),
    sideOf(db, orgId, 'leader', lCut, k),
    blocks.length && !hidden.leaders
      ? loadHistograms(db, orgId, 'leader', lCut.scope, ['segment_key']).then((rows) => foldHistograms(rows, (g) => parseSegmentKey(g.segment_key)[groupBy] ?? ''))
      : new Map<string, SideAggregate>(),
    hidden.leaders ? [] : loadLeaderAnswers(db, orgId, lCut.scope.months),
  ]);
  const merge = (members: string[]): SideAggregate => {
    const out: SideAggregate = { respondents: 0, items: {} };
    for (const m of members) {
      const s = byGroup.get(m);
      if (!s) continue;
      out.respondents += s.respondents;
      for (const [item, h] of Object.entries(s.items)) {
        const into = (out.items[item] ??= {});
        for (const [v, c] of Object.entries(h)) into[Number(v)] = (into[Number(v)] ?? 0) + c;
      }
    }
    return out;
  };
  return calibrationReport({
    organisation: orgOf(ctx.org),
    framework: ctx.framework,
    filters: period,
    groupBy,
    customers,
    team,
    groups: blocks.map((members) => ({ members: members.map((m) => m || '(not given)'), side: merge(members) })),
    leaders,
    self,
    hidden,
  });
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
