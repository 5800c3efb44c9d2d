// What the initiatives views share: the API's types, and an initiative's target, goal and status in words.
import type { z } from 'zod';
import type { Initiative } from '../../../server/routes/initiatives.ts';
import type { InitiativeEffectReport } from '../../../reports/initiative-effect.ts';
import type { Dimension, Stage } from '../../lib/types.ts';

export type InitiativeView = z.infer<typeof Initiative>;
export type EffectReport = InitiativeEffectReport;

export const STATUS_LABELS: Record<InitiativeView['status'], string> = { planned: 'Planned', active: 'Active', completed: 'Completed', abandoned: 'Abandoned' };

export function targetText(i: Pick<InitiativeView, 'metric' | 'dimension' | 'touchpoints'>, stages?: Stage[], dimensions?: Dimension[]): string {
  const labels = new Map((stages ?? []).flatMap((s) => s.touchpoints.map((t) => [t.key, t.label] as const)));
  const what = i.metric === 'excellence' ? 'Excellence share' : (dimensions?.find((d) => d.key === i.dimension)?.label ?? i.dimension ?? '');
  return i.touchpoints.length ? `${what} at ${i.touchpoints.map((t) => labels.get(t) ?? t).join(', ')}` : `${what}, all touchpoints`;
}

export function goalText(i: Pick<InitiativeView, 'metric' | 'goal'>): string {
  const unit = i.metric === 'excellence' ? ' points' : '';
  if (i.goal.measure === 'gap') return `Narrow the gap by ${i.goal.size}${unit}`;
  return `${i.goal.direction === 'increase' ? 'Raise' : 'Lower'} customers' figure by ${i.goal.size}${unit}`;
}
