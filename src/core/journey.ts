// The customer journey: stages and touchpoints, each touchpoint owned by a department.
// Responses and feedback are tagged with a touchpoint so gaps and cases land with an owner.
import { z } from 'zod';
import { machineKey } from './keys.ts';

const key = machineKey;

export const Touchpoint = z.object({
  key,
  label: z.string().trim().min(1).max(80),
  department: z.string().trim().min(1).max(80),
}).strict(); // unknown fields are refused (400 naming them), as on every request body
export type Touchpoint = z.infer<typeof Touchpoint>;

export const Stage = z.object({
  key,
  label: z.string().trim().min(1).max(80),
  touchpoints: z.array(Touchpoint).max(30),
}).strict();
export type Stage = z.infer<typeof Stage>;

export const Journey = z
  .array(Stage)
  .min(1)
  .max(20)
  .superRefine((stages, ctx) => {
    const stageKeys = new Set<string>();
    const tpKeys = new Set<string>();
    stages.forEach((s, i) => {
      if (stageKeys.has(s.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `duplicate stage key "${s.key}"` });
      stageKeys.add(s.key);
      s.touchpoints.forEach((t, j) => {
        if (tpKeys.has(t.key))
          ctx.addIssue({ code: 'custom', path: [i, 'touchpoints', j, 'key'], message: `duplicate touchpoint key "${t.key}"` });
        tpKeys.add(t.key);
      });
    });
  });
export type Journey = z.infer<typeof Journey>;

export const DEFAULT_JOURNEY: Stage[] = [
  {
    key: 'discover',
    label: 'Discover',
    touchpoints: [
      { key: 'advertising', label: 'Advertising & social', department: 'Marketing' },
      { key: 'website', label: 'Website', department: 'Digital' },
    ],
  },
  {
    key: 'buy',
    label: 'Buy',
    touchpoints: [
      { key: 'pricing', label: 'Plans & pricing', department: 'Commercial' },
      { key: 'checkout', label: 'Sign-up & checkout', department: 'Digital' },
    ],
  },
  {
    key: 'onboard',
    label: 'Onboard',
    touchpoints: [{ key: 'welcome', label: 'Welcome & setup', department: 'Customer Success' }],
  },
  {
    key: 'use',
    label: 'Use',
    touchpoints: [
      { key: 'app', label: 'App & product', department: 'Product' },
      { key: 'billing', label: 'Billing', department: 'Finance' },
    ],
  },
  {
    key: 'support',
    label: 'Support',
    touchpoints: [
      { key: 'help_centre', label: 'Help centre', department: 'Support' },
      { key: 'contact_centre', label: 'Contact centre', department: 'Support' },
    ],
  },
  {
    key: 'renew',
    label: 'Renew',
    touchpoints: [{ key: 'renewal', label: 'Renewal & cancellation', department: 'Retention' }],
  },
];

export function touchpointsOf(journey: Stage[]): (Touchpoint & { stage: string })[] {
  return journey.flatMap((s) => s.touchpoints.map((t) => ({ ...t, stage: s.key })));
}
