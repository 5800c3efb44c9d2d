// The initiative effect report: reads the six groups an initiative's effect needs (target and comparison
// touchpoints × before and after, leaders before and after) from the month × touchpoint roll-ups, each
// through the anonymity cut of report-context.ts (a group the rule refuses, or one below the minimum,
// is reported as too small), and hands their histograms to core/initiative-effect.ts.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.ts';
import type { Cut } from '../core/anonymity.ts';
import type { ReportFilters } from '../core/report-filters.ts';
import { effectWindows, initiativeEffect, InitiativeEffect, type GroupInput } from '../core/initiative-effect.ts';
import { foldHistograms, loadHistograms } from '../store/analytics-data.ts';
import type { Initiative } from '../store/initiatives.ts';
import { reportContext, customerCut, leaderCut, orgOf } from './report-context.ts';

type Db = Kysely<Database>;

export const InitiativeEffectReport = z.object({
  organisation: z.object({ id: z.string(), name: z.string(), industry: z.string(), minResponses: z.number().int() }),
  initiative: z.object({ id: z.string(), title: z.string() }),
  metric: z.object({ item: z.string(), label: z.string(), unit: z.enum(['mean rating (1–5)', 'share (0–1)']) }),
  target: z.object({ touchpoints: z.array(z.object({ key: z.string(), label: z.string() })), where: z.string() }),
  effect: InitiativeEffect,
});
export type InitiativeEffectReport = z.infer<typeof InitiativeEffectReport>;

/** The customer touchpoints a DiD compares with: those named, else every journey touchpoint not targeted. */
export function comparisonTouchpoints(i: Pick<Initiative, 'touchpoints' | 'comparison'>, journey: readonly string[]): string[] {
  const targeted = new Set(i.touchpoints);
  return (i.comparison ?? journey).filter((t) => !targeted.has(t));
}

export async function initiativeEffectFor(db: Db, orgId: string, initiative: Initiative): Promise<InitiativeEffectReport | undefined> {
  const ctx = await reportContext(db, orgId);
  if (!ctx) return undefined;
  const k = ctx.org.minResponses;
  const item = initiative.metric === 'excellence' ? 'excellent' : `dim:${initiative.dimension}`;
  const label = initiative.metric === 'excellence' ? 'excellence share' : (ctx.framework.find((d) => d.key === initiative.dimension)?.label ?? initiative.dimension ?? '');
  const labelOf = (t: string) => ctx.touchpoints.get(t)?.label ?? t;
  const where = initiative.touchpoints.length ? `at ${initiative.touchpoints.map(labelOf).join(', ')}` : 'across all touchpoints';
  // Months with customer answers, from the respondent counts every report already holds.
  const dataMonths = [...new Set(ctx.customerCells.filter((c) => c.n > 0).map((c) => c.month))].filter(Boolean);
  const windows = effectWindows(initiative.start, initiative.end, initiative.windowDays, dataMonths);
  const comparison = initiative.touchpoints.length ? comparisonTouchpoints(initiative, [...ctx.touchpoints.keys()]) : [];

  const read = async (perspective: 'customer' | 'leader', c: Cut): Promise<GroupInput> => {
    if (!c.visible) return { hidden: c.reason ?? `fewer than ${k} respondents` };
    const side = foldHistograms(await loadHistograms(db, orgId, perspective, c.scope, [], [item])).get('');
    return { histogram: side?.items[item] ?? {} };
  };
  const group = async (perspective: 'customer' | 'leader', range: 'before' | 'after', touchpoints?: string[]): Promise<GroupInput> => {
    if ('reason' in windows) return { hidden: windows.reason };
    const f: ReportFilters = { from: windows[range].from, to: windows[range].to, ...(touchpoints?.length ? { touchpoints } : {}) };
    return read(perspective, perspective === 'customer' ? customerCut(ctx, f) : leaderCut(ctx, f));
  };
  const targetTps = initiative.touchpoints.length ? initiative.touchpoints : undefined;
  const [a0, a1, b0, b1, l0, l1] = await Promise.all([
    group('customer', 'before', targetTps),
    group('customer', 'after', targetTps),
    comparison.length ? group('customer', 'before', comparison) : undefined,
    comparison.length ? group('customer', 'after', comparison) : undefined,
    group('leader', 'before'),
    group('leader', 'after'),
  ]);
  const effect = initiativeEffect({
    metric: initiative.metric,
    label: initiative.metric === 'excellence' ? 'excellence share' : label,
    where,
    windows,
    k,
    target: { before: a0, after: a1 },
    comparison:
      b0 && b1
        ? { touchpoints: comparison, before: b0, after: b1 }
        : { none: initiative.touchpoints.length ? 'no untouched touchpoint to compare with' : 'the initiative targets every touchpoint, so none is untouched to compare with' },
    leaders: { before: l0, after: l1 },
    goal: initiative.goal,
  });
  return {
    organisation: orgOf(ctx.org),
    initiative: { id: initiative.id, title: initiative.title },
    metric: { item, label, unit: initiative.metric === 'excellence' ? 'share (0–1)' : 'mean rating (1–5)' },
    target: { touchpoints: initiative.touchpoints.map((t) => ({ key: t, label: labelOf(t) })), where },
    effect,
  };
}

