// The breakdown report: the headline and dimensions per touchpoint, stage or segment value, with the
// multiple-comparison adjustment core/analytics/breakdown.ts applies.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import type { SideAggregate } from '../core/gap-report.ts';
import { parseSegmentKey } from '../core/survey.ts';
import { breakdownReport, type BreakdownReport, type BreakdownRowInput } from '../core/analytics/breakdown.ts';
import { foldHistograms, loadHistograms } from '../store/analytics-data.ts';
import { reportContext, customerCut, leaderCut, hiddenReason, sideOf, orgOf } from './report-context.ts';

type Db = Kysely<Database>;

export type BreakdownBy = 'touchpoint' | 'stage' | `segment:${string}`;

export async function breakdownFor(db: Db, orgId: string, filters: ReportFilters, by: BreakdownBy, withDimensions: boolean): Promise<BreakdownReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const k = ctx.org.minResponses;
  const cCut = customerCut(ctx, filters, [by]);
  const lCut = leaderCut(ctx, filters);
  const hidden = { customers: cCut.visible ? null : cCut.reason, leaders: hiddenReason(lCut, k) };
  const column = by.startsWith('segment:') ? 'segment_key' : 'touchpoint';
  const valueOf = (g: { touchpoint: string; segment_key: string }) =>
    by === 'touchpoint' ? g.touchpoint : by === 'stage' ? ctx.stageOf(g.touchpoint) : (parseSegmentKey(g.segment_key)[by.slice('segment:'.length)] ?? '');
  const [groups, leaders] = await Promise.all([
    hidden.customers ? new Map<string, SideAggregate>() : loadHistograms(db, orgId, 'customer', cCut.scope, [column]).then((rows) => foldHistograms(rows, valueOf)),
    sideOf(db, orgId, 'leader', lCut, k),
  ]);
  const tpOrder = [...ctx.touchpoints.keys()];
  const stageOrder = [...ctx.stages.keys()];
  const rank = (v: string) => {
    const i = by === 'touchpoint' ? tpOrder.indexOf(v) : by === 'stage' ? stageOrder.indexOf(v) : -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const rows: BreakdownRowInput[] = [...groups]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([value, customers]) => {
      if (by === 'touchpoint') {
        const t = ctx.touchpoints.get(value);
        return { value, label: t?.label ?? (value || '(no touchpoint)'), stage: t?.stage ?? null, stageLabel: t?.stageLabel ?? null, department: t?.department ?? null, customers };
      }
      if (by === 'stage') return { value, label: ctx.stages.get(value) ?? (value || '(no stage)'), customers };
      return { value, label: value || '(not given)', customers };
    });
  return breakdownReport({ organisation: orgOf(ctx.org), framework: ctx.framework, filters, by, rows, leaders, withDimensions, hidden });
}
